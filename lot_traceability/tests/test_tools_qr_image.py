# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Tests of tools/qr_image.py (pure Python, no Odoo): every QR image reads back to its text,
with the test reader written from ISO/IEC 18004 and with libzbar when it is installed."""
import io

import pytest
from hypothesis import given, settings, strategies as st
from PIL import Image

from ..tools import qr_image
from . import qr_decoder

URI = 'https://trace.example.com/01/04006381333931/10/L%2F2027-1?17=270331'


def _image(png):
    return Image.open(io.BytesIO(png)).convert('L')


def test_png_geometry_and_reading():
    png = qr_image.qr_png(URI)
    image = _image(png)
    modules = len(qr_image.qr_matrix(URI))
    side = (modules + 2 * qr_image.QUIET_ZONE) * qr_image.MODULE_PX
    assert image.size == (side, side)
    # The quiet zone is white, the top-left finder pattern's corner black.
    edge = qr_image.QUIET_ZONE * qr_image.MODULE_PX
    assert image.getpixel((edge - 1, edge - 1)) == 255
    assert image.getpixel((edge, edge)) == 0
    assert qr_decoder.decode_image(image) == URI
    assert qr_decoder.decode_png(png) == URI


def test_fixed_mask_is_in_the_format_information():
    """The reader takes the mask from the symbol, so a fixed mask reads like any other."""
    matrix = [[bool(module) for module in row] for row in qr_image.qr_matrix(URI)]
    assert qr_decoder._read_format(matrix) == ('M', qr_image.MASK)


def test_error_correction_of_the_standards_example():
    """ISO/IEC 18004's worked example (Annex I: "01234567", version 1-M): its 16 data
    codewords give these 10 error correction codewords."""
    data = [0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11,
            0xEC, 0x11]
    assert qr_image._error_codewords(data, 10) == [
        0xA5, 0x24, 0xD4, 0xC1, 0xED, 0x36, 0xC7, 0x87, 0x2C, 0x55]


def test_too_long_text_is_refused():
    with pytest.raises(qr_image.QRCapacityError):
        qr_image.qr_png('x' * 3000)


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=40))
def test_any_text_reads_back(text):
    assert qr_decoder.decode_image(_image(qr_image.qr_png(text))) == text
