"""A real PDF rendered through the live server (wkhtmltopdf, headless)."""


def test_lot_barcode_pdf(admin):
    lot_ids = admin.execute("stock.production.lot", "search", [("name", "=", "APL-0001")])
    assert lot_ids
    response = admin.get("/report/pdf/stock.report_lot_barcode/%d" % lot_ids[0])
    assert response.headers["Content-Type"].startswith("application/pdf")
    assert response.content.startswith(b"%PDF-")
    assert len(response.content) > 1000
