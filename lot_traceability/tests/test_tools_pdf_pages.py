# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Page numbers stamped on a PDF when wkhtmltopdf cannot draw footers (no database)."""
import io

from PyPDF2 import PdfFileReader
from reportlab.pdfgen import canvas

from ..tools.pdf_pages import draws_headers, stamp_page_numbers


def _pdf(pages):
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=(595, 842))
    for number in range(pages):
        sheet.drawString(72, 760, "Body of page %d" % (number + 1))
        sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def test_draws_headers_reads_the_version_line():
    assert draws_headers(b"wkhtmltopdf 0.12.6 (with patched qt)\n")
    assert draws_headers("wkhtmltopdf 0.12.5 (with patched qt)")
    assert not draws_headers(b"wkhtmltopdf 0.12.6\n")
    assert not draws_headers(b"")


def test_every_page_gets_its_number_and_keeps_its_body():
    stamped = PdfFileReader(io.BytesIO(stamp_page_numbers(_pdf(3))))
    assert stamped.getNumPages() == 3
    for index in range(3):
        text = stamped.getPage(index).extractText()
        assert "Body of page %d" % (index + 1) in text
        assert "Page %d / 3" % (index + 1) in text
