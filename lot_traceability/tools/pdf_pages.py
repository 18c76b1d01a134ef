# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Page numbers on a rendered PDF, for a wkhtmltopdf that cannot draw headers and footers.

Pure Python, no Odoo import. Debian's wkhtmltopdf is built on an unpatched Qt: it ignores
``--header-html`` / ``--footer-html``, so Odoo's external layout loses its header, footer
and "Page x / y". :func:`stamp_page_numbers` writes "Page x / y" at the foot of each page.
"""
import io
import re

from PyPDF2 import PdfFileReader, PdfFileWriter
from reportlab.pdfgen import canvas

PAGE_TEXT = "Page %(page)d / %(pages)d"


def draws_headers(version_output):
    """True when ``wkhtmltopdf --version`` says it runs on a patched Qt, the build that
    renders ``--header-html`` and ``--footer-html``."""
    if isinstance(version_output, bytes):
        version_output = version_output.decode("ascii", "replace")
    return bool(re.search(r"with patched qt", version_output or "", re.IGNORECASE))


def _number_overlay(width, height, text, font_size=8):
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=(width, height))
    sheet.setFont("Helvetica", font_size)
    sheet.setFillGray(0.35)
    sheet.drawCentredString(width / 2.0, 18, text)
    sheet.save()
    buffer.seek(0)
    return PdfFileReader(buffer).getPage(0)


def stamp_page_numbers(pdf_content, text=PAGE_TEXT):
    """``pdf_content`` (bytes) with ``text`` (``%(page)d``, ``%(pages)d``) centred at the
    foot of every page; returns the new PDF's bytes."""
    reader = PdfFileReader(io.BytesIO(pdf_content), strict=False)
    writer = PdfFileWriter()
    pages = reader.getNumPages()
    for index in range(pages):
        page = reader.getPage(index)
        box = page.mediaBox
        overlay = _number_overlay(float(box.getWidth()), float(box.getHeight()),
                                  text % {"page": index + 1, "pages": pages})
        page.mergePage(overlay)
        writer.addPage(page)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()
