# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A label's QR code as a PNG image, in about 0.2 ms.

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
then only computes its codewords (Reed-Solomon over GF(256), the block as one integer and
the generator's 255 multiples precomputed) and places their bits along that path (one
gather in C). Each step writes the same symbol as the module-by-module way it replaced
(checked on 250 texts before the change; the standard's worked example is a test).
tests/test_tools_qr_image.py reads every symbol back (libzbar and a reader written from the
standard) and checks the mask in its format information.

The PNG is drawn here with ``zlib`` alone: a 1-bit greyscale image whose modules are
:data:`MODULE_PX` pixels wide, each pixel row written as hexadecimal digits.
"""
import functools
import operator
import struct
import zlib

from segno import consts, encoder

#: Pixels per module, a multiple of 4 (a module is written as hexadecimal digits of a PNG
#: row). wkhtmltopdf stores each image of a label sheet as a JPEG of its pixel size: 4 px per
#: module (a 29 mm code at 160 dpi) takes it a third less time than 8 px.
MODULE_PX = 4
_DIGITS = MODULE_PX // 4  # hexadecimal digits of a module in a PNG row
_HEX_MODULES = bytes.maketrans(b"\x00\x01", b"f0")  # a light, a dark module's pixels
_BIT_VALUES = bytes.maketrans(b"01", b"\x00\x01")  # "0"/"1" as module values
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


@functools.lru_cache(maxsize=None)
def _generator_multiples(degree):
    """Per byte 0-255, the generator polynomial of ``degree`` (without its leading 1) times
    that byte in GF(256), as one integer of ``degree`` bytes."""
    generator = [_LOG[coefficient] for coefficient in _generator(degree)]
    return [0] + [int.from_bytes(bytes(_EXP[power + _LOG[factor]] for power in generator),
                                 "big") for factor in range(1, 256)]


def _error_codewords(data, degree):
    """The ``degree`` error correction codewords of the block ``data``: the remainder of the
    division of its polynomial by the generator, the block held as one integer (each step
    XORs one precomputed multiple of the generator into it)."""
    multiples = _generator_multiples(degree)
    length = len(data) + degree
    rest = int.from_bytes(bytes(data), "big") << (8 * degree)
    for index in range(len(data)):
        shift = 8 * (length - 1 - index)
        factor = (rest >> shift) & 0xFF
        if factor:
            rest ^= multiples[factor] << (shift - 8 * degree)
    return list((rest & ((1 << (8 * degree)) - 1)).to_bytes(degree, "big"))


@functools.lru_cache(maxsize=None)
def _layout(version):
    """What every symbol of ``version`` shares, made once: ``(modules, gather, mask, count,
    size)``. ``modules``: the symbol's modules row by row (function patterns, format (level
    M, :data:`MASK`) and version information set; the data modules unset); ``count`` data
    modules follow a path through it (two-module columns from the right, alternately up and
    down); ``mask``: their mask bits along the path as one integer (first module highest);
    ``gather``: picks every module of the symbol, row by row, from ``modules`` followed by
    the data modules in path order (an ``operator.itemgetter``: placing the ~800 modules of a
    label's symbol is one call in C)."""
    size = version * 4 + 17
    rows = encoder.make_matrix(size, size)
    encoder.add_finder_patterns(rows, size, size)
    encoder.add_alignment_patterns(rows, size, size)
    encoder.add_format_info(rows, version, consts.ERROR_LEVEL_M, MASK)
    encoder.add_version_info(rows, version)
    path, upwards, right = [], True, size - 1
    while right > 0:
        if right == 6:  # the vertical timing pattern is skipped
            right -= 1
        for row in (range(size - 1, -1, -1) if upwards else range(size)):
            path += [(row, column) for column in (right, right - 1)
                     if rows[row][column] == _UNSET]
        upwards, right = not upwards, right - 2
    modules = b"".join(bytes(row) for row in rows)
    step = {row * size + column: index for index, (row, column) in enumerate(path)}
    gather = operator.itemgetter(*[len(modules) + step[index] if index in step else index
                                   for index in range(len(modules))])
    mask = int("".join("1" if column % 3 == 0 else "0" for _row, column in path), 2)
    return modules, gather, mask, len(path), size


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
    modules, gather, mask, count, size = _layout(version)
    words = _codewords(data, version, count_bits, capacity)
    # The codewords' bits along the path (the remainder bits after them are 0), masked.
    bits = int.from_bytes(bytes(words), "big") << (count - 8 * len(words))
    path = format(bits ^ mask, "0%db" % count).encode("ascii").translate(_BIT_VALUES)
    symbol = bytes(gather(modules + path))
    return tuple(symbol[start:start + size] for start in range(0, size * size, size))


def qr_png(text):
    """The PNG bytes of the QR code of ``text`` (:data:`MODULE_PX` px per module, 4-module
    quiet zone), a 1-bit greyscale image.

    :raises QRCapacityError: the text does not fit in a QR code
    """
    matrix = qr_matrix(text)
    width = len(matrix) + 2 * QUIET_ZONE
    side = width * MODULE_PX
    # A pixel row in hexadecimal, a module a digit per 4 px: f light (1 bits), 0 dark; the
    # row ends with light bits up to a whole byte.
    quiet = b"f" * (QUIET_ZONE * _DIGITS)
    pad = b"f" * (-side % 8 // 4)
    blank = _png_row(b"f" * (width * _DIGITS) + pad)
    rows = [blank] * (QUIET_ZONE * MODULE_PX)
    for modules in matrix:
        digits = modules.translate(_HEX_MODULES)
        if _DIGITS > 1:
            digits = digits.replace(b"f", b"f" * _DIGITS).replace(b"0", b"0" * _DIGITS)
        rows.extend([_png_row(quiet + digits + quiet + pad)] * MODULE_PX)
    rows.extend([blank] * (QUIET_ZONE * MODULE_PX))
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"".join((_PNG_SIGNATURE, _chunk(b"IHDR", header),
                     _chunk(b"IDAT", zlib.compress(b"".join(rows))), _chunk(b"IEND", b"")))


def _png_row(digits):
    """One pixel row from its hexadecimal digits: filter byte 0, then 1 bit per pixel."""
    return b"\x00" + bytes.fromhex(digits.decode("ascii"))


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(
        ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
