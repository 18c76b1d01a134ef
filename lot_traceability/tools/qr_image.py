# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A label's QR code as a PNG image, in about a millisecond.

Pure Python, no Odoo import. The symbol (ISO/IEC 18004) holds the text's UTF-8 bytes in byte
mode at error correction level M, in the smallest version that holds it, with a FIXED mask
pattern: scoring the eight masks by the standard's penalty rules is what cost 20-50 ms per
label in ``qrcode`` and ``segno``, and every mask gives a valid symbol that any reader
decodes (the mask is written in the symbol's format information; the penalty only prefers
masks that avoid large blocks and finder-like runs, which a printed label with its quiet
zone does not need).

What depends on the version alone (finder, timing and alignment patterns, format and version
information, the order in which the data modules are placed and the mask over them) is made
once per version with ``segno``'s building blocks and its tables of the standard; a label
then only computes its codewords (Reed-Solomon over GF(256)) and places their bits along
that path. tests/test_tools_qr_image.py reads every symbol back (libzbar and a reader written
from the standard) and checks the mask in its format information.

The PNG is drawn here with ``zlib`` alone: a 1-bit greyscale image whose modules are
:data:`MODULE_PX` pixels wide.
"""
import functools
import struct
import zlib

from segno import consts, encoder

#: Pixels per module. wkhtmltopdf stores each image of a label sheet as a JPEG of its pixel
#: size: 4 px per module (a 29 mm code at 160 dpi) takes it a third less time than 8 px.
MODULE_PX = 4
_PIXELS = ("1" * MODULE_PX, "0" * MODULE_PX)  # a light, a dark module's bits
#: The quiet zone the standard asks for, in modules.
QUIET_ZONE = 4
#: The mask pattern every label uses (see the module's docstring): dark where column % 3 == 0.
MASK = 2
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_UNSET = 0x2  # segno's value of a module no pattern has set: the data modules
_PAD = (0xEC, 0x11)  # the pad codewords, alternately


class QRCapacityError(ValueError):
    """The text is longer than a QR code (version 40, level M) holds."""


def _galois_tables():
    """Exponents and logarithms of GF(256) with the standard's polynomial x^8+x^4+x^3+x^2+1."""
    exp, log, value = [0] * 512, [0] * 256, 1
    for power in range(255):
        exp[power], log[value] = value, power
        value <<= 1
        if value & 0x100:
            value ^= 0x11D
    exp[255:510] = exp[0:255]
    return exp, log


_EXP, _LOG = _galois_tables()


@functools.lru_cache(maxsize=None)
def _generator(degree):
    """The Reed-Solomon generator polynomial of ``degree`` (highest coefficient first)."""
    poly = [1]
    for power in range(degree):
        poly = [a ^ (_EXP[_LOG[b] + power] if b else 0)
                for a, b in zip(poly + [0], [0] + poly)]
    return poly[1:]


def _error_codewords(data, degree):
    """The ``degree`` error correction codewords of the block ``data``."""
    generator = [_LOG[coefficient] for coefficient in _generator(degree)]
    rest = list(data) + [0] * degree
    for index in range(len(data)):
        factor = rest[index]
        if factor:
            factor = _LOG[factor]
            for offset, power in enumerate(generator, index + 1):
                rest[offset] ^= _EXP[power + factor]
    return rest[len(data):]


@functools.lru_cache(maxsize=None)
def _layout(version):
    """What every symbol of ``version`` shares: its rows with the function patterns, format
    (level M, :data:`MASK`) and version information set, and the data modules in placement
    order, each with its mask bit: ``(rows, ((row, column, mask bit), ...))``."""
    size = version * 4 + 17
    rows = encoder.make_matrix(size, size)
    encoder.add_finder_patterns(rows, size, size)
    encoder.add_alignment_patterns(rows, size, size)
    encoder.add_format_info(rows, version, consts.ERROR_LEVEL_M, MASK)
    encoder.add_version_info(rows, version)
    path, upwards, right = [], True, size - 1
    while right > 0:  # two-module columns from the right, alternately up and down
        if right == 6:  # the vertical timing pattern is skipped
            right -= 1
        for row in (range(size - 1, -1, -1) if upwards else range(size)):
            path += [(row, column, int(column % 3 == 0)) for column in (right, right - 1)
                     if rows[row][column] == _UNSET]
        upwards, right = not upwards, right - 2
    return tuple(bytes(row) for row in rows), tuple(path)


def _version_for(length):
    """The smallest version at level M whose data codewords hold ``length`` bytes."""
    for version in range(1, 41):
        count_bits = 8 if version < 10 else 16
        capacity = sum(block.num_blocks * block.num_data
                       for block in consts.ECC[version][consts.ERROR_LEVEL_M])
        if 4 + count_bits + 8 * length <= 8 * capacity:
            return version, count_bits, capacity
    raise QRCapacityError(length)


def _codewords(data, version, count_bits, capacity):
    """Data codewords (byte mode, count, data, terminator, pads), split into the version's
    blocks, then interleaved with their error correction codewords."""
    bits = "0100" + format(len(data), "0%db" % count_bits) + "".join(
        format(byte, "08b") for byte in data)
    bits += "0" * min(4, 8 * capacity - len(bits))
    bits += "0" * (-len(bits) % 8)
    words = [int(bits[start:start + 8], 2) for start in range(0, len(bits), 8)]
    words += [_PAD[index % 2] for index in range(capacity - len(words))]
    blocks, start = [], 0
    for block in consts.ECC[version][consts.ERROR_LEVEL_M]:
        for _index in range(block.num_blocks):
            blocks.append((words[start:start + block.num_data], block.num_total - block.num_data))
            start += block.num_data
    errors = [_error_codewords(block, degree) for block, degree in blocks]
    datas = [block for block, _degree in blocks]
    return [part[index] for group in (datas, errors)
            for index in range(max(len(part) for part in group))
            for part in group if index < len(part)]


def qr_matrix(text):
    """The symbol of ``text`` as a tuple of rows of 0 (light) / 1 (dark), quiet zone excluded.

    :raises QRCapacityError: the text does not fit in a QR code
    """
    data = text.encode("utf-8")  # UTF-8 bytes, as readers expect
    version, count_bits, capacity = _version_for(len(data))
    rows, path = _layout(version)
    words = _codewords(data, version, count_bits, capacity)
    bits = "".join(format(word, "08b") for word in words).ljust(len(path), "0")
    matrix = [bytearray(row) for row in rows]
    for (row, column, mask), bit in zip(path, bits):
        matrix[row][column] = (bit == "1") ^ mask
    return tuple(bytes(row) for row in matrix)


def qr_png(text):
    """The PNG bytes of the QR code of ``text`` (:data:`MODULE_PX` px per module, 4-module
    quiet zone), a 1-bit greyscale image.

    :raises QRCapacityError: the text does not fit in a QR code
    """
    matrix = qr_matrix(text)
    width = len(matrix) + 2 * QUIET_ZONE
    side = width * MODULE_PX
    light = (0,) * QUIET_ZONE
    blank = _png_row((0,) * width, side)
    rows = [blank] * (QUIET_ZONE * MODULE_PX)
    for modules in matrix:
        rows.extend([_png_row(light + tuple(modules) + light, side)] * MODULE_PX)
    rows.extend([blank] * (QUIET_ZONE * MODULE_PX))
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"".join((_PNG_SIGNATURE, _chunk(b"IHDR", header),
                     _chunk(b"IDAT", zlib.compress(b"".join(rows))), _chunk(b"IEND", b"")))


def _png_row(modules, side):
    """One pixel row: filter byte 0, then 1 bit per pixel, 0 (black) for a dark module."""
    bits = "".join(_PIXELS[module] for module in modules) + "1" * (-side % 8)
    return b"\x00" + int(bits, 2).to_bytes(len(bits) // 8, "big")


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(
        ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
