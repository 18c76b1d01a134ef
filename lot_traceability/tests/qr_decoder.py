# -*- coding: utf-8 -*-
"""A small QR code reader for tests, written from ISO/IEC 18004, independent of ``qrcode``.

It reads clean, axis-aligned, computer-drawn symbols (what a label's PNG holds): versions 1-10,
any error correction level, numeric/alphanumeric/byte segments. It does not correct errors: it
checks every Reed-Solomon block instead (all syndromes zero), so a wrong reading fails loudly.

``decode_png(data)`` uses ``pyzbar`` (libzbar) when it is installed, and this reader otherwise;
``decode_image(image)`` is this reader.
"""
import io

from PIL import Image

# Version -> level -> (EC codewords per block, [(blocks, data codewords per block), ...])
_BLOCKS = {
    1: {'L': (7, [(1, 19)]), 'M': (10, [(1, 16)]), 'Q': (13, [(1, 13)]), 'H': (17, [(1, 9)])},
    2: {'L': (10, [(1, 34)]), 'M': (16, [(1, 28)]), 'Q': (22, [(1, 22)]), 'H': (28, [(1, 16)])},
    3: {'L': (15, [(1, 55)]), 'M': (26, [(1, 44)]), 'Q': (18, [(2, 17)]), 'H': (22, [(2, 13)])},
    4: {'L': (20, [(1, 80)]), 'M': (18, [(2, 32)]), 'Q': (26, [(2, 24)]), 'H': (16, [(4, 9)])},
    5: {'L': (26, [(1, 108)]), 'M': (24, [(2, 43)]), 'Q': (18, [(2, 15), (2, 16)]),
        'H': (22, [(2, 11), (2, 12)])},
    6: {'L': (18, [(2, 68)]), 'M': (16, [(4, 27)]), 'Q': (24, [(4, 19)]), 'H': (28, [(4, 15)])},
    7: {'L': (20, [(2, 78)]), 'M': (18, [(4, 31)]), 'Q': (18, [(2, 14), (4, 15)]),
        'H': (26, [(4, 13), (1, 14)])},
    8: {'L': (24, [(2, 97)]), 'M': (22, [(2, 38), (2, 39)]), 'Q': (22, [(4, 18), (2, 19)]),
        'H': (26, [(4, 14), (2, 15)])},
    9: {'L': (30, [(2, 116)]), 'M': (22, [(3, 36), (2, 37)]), 'Q': (20, [(4, 16), (4, 17)]),
        'H': (24, [(4, 12), (4, 13)])},
    10: {'L': (18, [(2, 68), (2, 69)]), 'M': (26, [(4, 43), (1, 44)]),
         'Q': (24, [(6, 19), (2, 20)]), 'H': (28, [(6, 15), (2, 16)])},
}
_ALIGNMENT = {1: [], 2: [6, 18], 3: [6, 22], 4: [6, 26], 5: [6, 30], 6: [6, 34],
              7: [6, 22, 38], 8: [6, 24, 42], 9: [6, 26, 46], 10: [6, 28, 50]}
_LEVEL_BITS = {'L': 1, 'M': 0, 'Q': 3, 'H': 2}
_ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:'
_MASKS = [
    lambda i, j: (i + j) % 2 == 0,
    lambda i, j: i % 2 == 0,
    lambda i, j: j % 3 == 0,
    lambda i, j: (i + j) % 3 == 0,
    lambda i, j: (i // 2 + j // 3) % 2 == 0,
    lambda i, j: (i * j) % 2 + (i * j) % 3 == 0,
    lambda i, j: ((i * j) % 2 + (i * j) % 3) % 2 == 0,
    lambda i, j: ((i + j) % 2 + (i * j) % 3) % 2 == 0,
]


class QRDecodeError(ValueError):
    pass


# --------------------------------------------------------------------- GF(256) checks

def _gf_tables():
    exp, log, value = [0] * 512, [0] * 256, 1
    for power in range(255):
        exp[power], log[value] = value, power
        value <<= 1
        if value & 0x100:
            value ^= 0x11D
    for power in range(255, 512):
        exp[power] = exp[power - 255]
    return exp, log


_EXP, _LOG = _gf_tables()


def _syndromes_zero(codewords, ec_count):
    """True when ``codewords`` (data + EC) is a Reed-Solomon codeword (x - a^i roots)."""
    for root in range(ec_count):
        total = 0
        for value in codewords:  # Horner evaluation at alpha^root
            total = (_EXP[_LOG[total] + root] if total else 0) ^ value
        if total:
            return False
    return True


# ----------------------------------------------------------------------- sampling

def _sample(image):
    """The module matrix (rows of bools, True = dark) of a clean QR image."""
    gray = image.convert('L')
    width, height = gray.size
    pixels = gray.load()
    dark = [[pixels[x, y] < 128 for x in range(width)] for y in range(height)]
    rows = [y for y in range(height) if any(dark[y])]
    cols = [x for x in range(width) if any(row[x] for row in dark)]
    if not rows:
        raise QRDecodeError('no dark pixel')
    top, left, right = rows[0], cols[0], cols[-1]
    run = 0
    while left + run <= right and dark[top][left + run]:
        run += 1
    module = run / 7.0
    size = int(round((right - left + 1) / module))
    if size < 21 or (size - 17) % 4:
        raise QRDecodeError('symbol of %d modules' % size)
    return [[dark[int(top + (r + 0.5) * module)][int(left + (c + 0.5) * module)]
             for c in range(size)] for r in range(size)]


# ------------------------------------------------------------------- format, layout

def _format_code(level, mask):
    data = (_LEVEL_BITS[level] << 3) | mask
    remainder = data << 10
    for bit in range(14, 9, -1):
        if remainder & (1 << bit):
            remainder ^= 0x537 << (bit - 10)
    return ((data << 10) | remainder) ^ 0x5412


def _read_format(matrix):
    positions = ([(8, c) for c in range(6)] + [(8, 7), (8, 8), (7, 8)]
                 + [(r, 8) for r in range(5, -1, -1)])
    bits = 0
    for r, c in positions:
        bits = (bits << 1) | matrix[r][c]
    best = min(((bin(bits ^ _format_code(level, mask)).count('1'), level, mask)
                for level in 'LMQH' for mask in range(8)))
    if best[0] > 3:
        raise QRDecodeError('unreadable format information')
    return best[1], best[2]


def _function_modules(version, size):
    reserved = [[False] * size for _ in range(size)]

    def block(top, left, height, width):
        for r in range(max(top, 0), min(top + height, size)):
            for c in range(max(left, 0), min(left + width, size)):
                reserved[r][c] = True

    block(0, 0, 9, 9)
    block(0, size - 8, 9, 8)
    block(size - 8, 0, 8, 9)
    block(6, 0, 1, size)
    block(0, 6, size, 1)
    centers = _ALIGNMENT[version]
    corners = {(centers[0], centers[0]), (centers[0], centers[-1]),
               (centers[-1], centers[0])} if centers else set()
    for r in centers:
        for c in centers:
            if (r, c) not in corners:  # those would overlap the finder patterns
                block(r - 2, c - 2, 5, 5)
    if version >= 7:
        block(0, size - 11, 6, 3)
        block(size - 11, 0, 3, 6)
    return reserved


def _read_bits(matrix, reserved, mask):
    size, bits, upward, col = len(matrix), [], True, len(matrix) - 1
    while col > 0:
        if col == 6:
            col -= 1
        for r in (range(size - 1, -1, -1) if upward else range(size)):
            for c in (col, col - 1):
                if not reserved[r][c]:
                    bits.append(matrix[r][c] ^ _MASKS[mask](r, c))
        upward = not upward
        col -= 2
    return bits


def _codewords(bits):
    return [int(''.join('1' if bit else '0' for bit in bits[i:i + 8]), 2)
            for i in range(0, len(bits) - 7, 8)]


def _deinterleave(codewords, version, level):
    ec_count, groups = _BLOCKS[version][level]
    sizes = [data for blocks, data in groups for _ in range(blocks)]
    blocks, pos = [[] for _ in sizes], 0
    for index in range(max(sizes)):
        for number, size in enumerate(sizes):
            if index < size:
                blocks[number].append(codewords[pos])
                pos += 1
    for _index in range(ec_count):
        for block in blocks:
            block.append(codewords[pos])
            pos += 1
    for block in blocks:
        if not _syndromes_zero(block, ec_count):
            raise QRDecodeError('Reed-Solomon check failed')
    return [value for block, size in zip(blocks, sizes) for value in block[:size]]


# ----------------------------------------------------------------------- segments

class _BitReader(object):
    def __init__(self, data):
        self.bits = ''.join('{:08b}'.format(value) for value in data)
        self.pos = 0

    def take(self, count):
        if self.pos + count > len(self.bits):
            raise QRDecodeError('data runs past the end')
        value = int(self.bits[self.pos:self.pos + count], 2)
        self.pos += count
        return value

    def left(self):
        return len(self.bits) - self.pos


def _segments(data, version):
    reader, out = _BitReader(data), bytearray()
    while reader.left() >= 4:
        mode = reader.take(4)
        if mode == 0:
            break
        if mode == 4:
            out += bytes(reader.take(8) for _ in range(reader.take(8 if version < 10 else 16)))
        elif mode == 2:
            count = reader.take(9 if version < 10 else 11)
            for _ in range(count // 2):
                pair = reader.take(11)
                out += (_ALNUM[pair // 45] + _ALNUM[pair % 45]).encode('ascii')
            if count % 2:
                out += _ALNUM[reader.take(6)].encode('ascii')
        elif mode == 1:
            count = reader.take(10 if version < 10 else 12)
            for start in range(0, count, 3):
                digits = min(3, count - start)
                out += str(reader.take({3: 10, 2: 7, 1: 4}[digits])).zfill(digits).encode()
        else:
            raise QRDecodeError('unsupported mode %d' % mode)
    return bytes(out)


def decode_image(image):
    """Text of the QR code in a PIL image (UTF-8 byte segments)."""
    matrix = _sample(image)
    size = len(matrix)
    version = (size - 17) // 4
    if version not in _BLOCKS:
        raise QRDecodeError('version %d is not supported' % version)
    level, mask = _read_format(matrix)
    bits = _read_bits(matrix, _function_modules(version, size), mask)
    data = _deinterleave(_codewords(bits), version, level)
    return _segments(data, version).decode('utf-8')


def decode_png(data):
    """Text of the QR code in PNG bytes: libzbar through pyzbar if present, else this reader."""
    image = Image.open(io.BytesIO(data))
    try:
        from pyzbar import pyzbar
    except ImportError:
        return decode_image(image)
    symbols = pyzbar.decode(image.convert('L'))
    if len(symbols) != 1:
        raise QRDecodeError('zbar found %d symbols' % len(symbols))
    return symbols[0].data.decode('utf-8')
