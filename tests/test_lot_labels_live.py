"""Lot labels through the live server: a real PDF (wkhtmltopdf) whose QR is the lot's payload."""
import io
import random

import PyPDF2
from PIL import Image

from lot_traceability.tests import qr_decoder

MM = 72 / 25.4


def random_gtin13():
    digits = "".join(random.choice("0123456789") for _ in range(12))
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits))
    return digits + str(-total % 10)


def make_lot(admin, unique_name, tracking="lot", **product_vals):
    product_vals.update(name=unique_name("Label Product"), type="product", tracking=tracking)
    product_id = admin.execute("product.product", "create", product_vals)
    lot_id = admin.execute("stock.production.lot", "create",
                           {"name": unique_name("LBL"), "product_id": product_id})
    return product_id, lot_id


def pdf_images(page):
    """PIL images of the XObjects of a PDF page.

    Debian's wkhtmltopdf stores the label's PNG as a JPEG (DCTDecode) of the same pixel size;
    other builds may keep raw (Flate) pixels.
    """
    xobjects = page["/Resources"].get("/XObject", {})
    for name in xobjects:
        obj = xobjects[name].getObject()
        if obj.get("/Subtype") != "/Image":
            continue
        if obj.get("/Filter") == "/DCTDecode":
            yield Image.open(io.BytesIO(obj._data))
            continue
        mode = "L" if obj["/ColorSpace"] == "/DeviceGray" else "RGB"
        yield Image.frombytes(mode, (obj["/Width"], obj["/Height"]), obj.getData())


def test_small_label_pdf_through_live_server(admin, unique_name):
    _product_id, lot_id = make_lot(admin, unique_name, barcode=random_gtin13())
    payload = admin.execute("stock.production.lot", "get_label_payload", [lot_id])[0]
    assert payload["gs1"] and "/01/" in payload["uri"]
    response = admin.get("/report/pdf/lot_traceability.report_lot_label_small/%d" % lot_id)
    assert response.headers["Content-Type"].startswith("application/pdf")
    pdf = PyPDF2.PdfFileReader(io.BytesIO(response.content))
    assert pdf.getNumPages() == 1
    page = pdf.getPage(0)
    width, height = float(page.mediaBox.getWidth()), float(page.mediaBox.getHeight())
    assert abs(width - 100 * MM) < 3 and abs(height - 50 * MM) < 3
    decoded = [qr_decoder.decode_image(image) for image in pdf_images(page)]
    assert decoded == [payload["uri"]]


def test_sheet_pdf_of_several_lots(admin, unique_name):
    lot_ids = [make_lot(admin, unique_name)[1] for _ in range(4)]
    response = admin.get("/report/pdf/lot_traceability.report_lot_label_sheet/%s"
                         % ",".join(map(str, lot_ids)))
    pdf = PyPDF2.PdfFileReader(io.BytesIO(response.content))
    page = pdf.getPage(0)
    assert pdf.getNumPages() == 1
    assert abs(float(page.mediaBox.getWidth()) - 210 * MM) < 3
    payloads = admin.execute("stock.production.lot", "get_label_payload", lot_ids)
    decoded = sorted(qr_decoder.decode_image(image) for image in pdf_images(page))
    assert decoded == sorted(p["uri"] for p in payloads)
    assert all("/lot/" in uri for uri in decoded)


def test_demo_labels(admin):
    """The demo apples have a GTIN (Digital Link with AI 10); demo sugar has none (/lot/ URL)."""
    apple = admin.execute("stock.production.lot", "search", [("name", "=", "APL-0001")])
    payload = admin.execute("stock.production.lot", "get_label_payload", apple)[0]
    assert payload["gs1"] and "/01/09506000134352/10/APL-0001" in payload["uri"]
    sugar = admin.execute("stock.production.lot", "search",
                          [("product_id.default_code", "=", "ING-SUGAR")], limit=1)
    payload = admin.execute("stock.production.lot", "get_label_payload", sugar)[0]
    assert not payload["gs1"] and "/lot/ING-SUGAR/" in payload["uri"]
