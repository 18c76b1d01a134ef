"""A food safety lead answers an FDA request: the FSMA 204 sortable spreadsheet of the demo
salsa chain, downloaded through the live server's report route and from the menu."""
import os
from io import BytesIO

import openpyxl
from selenium.webdriver.common.by import By

from .conftest import ARTIFACTS

REPORT = "lot_traceability.stock_lot_fsma_xlsx"


def _download(client, wizard_id):
    response = client.get("/report/xlsx/%s/%d" % (REPORT, wizard_id))
    assert response.headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml")
    return openpyxl.load_workbook(BytesIO(response.content))


def test_fsma_spreadsheet_over_http(odoo_url, odoo_db):
    """As the demo user (a Traceability user): the tomatoes' grower code runs through
    receiving, the salsa build, and the whole tomatoes shipped to the deli."""
    from .odoo_client import OdooClient
    demo = OdooClient(odoo_url, odoo_db).login("demo", "demo")
    wizard_id = demo.execute("stock.lot.fsma.export", "create", {
        "lot_codes": "SFF-2611-A\nSFF-2611-B", "include_linked": True})
    action = demo.execute("stock.lot.fsma.export", "action_export", [wizard_id])
    assert action["report_name"] == REPORT
    book = _download(demo, wizard_id)
    assert book.sheetnames == ["FSMA 204", "Notes", "Request"]
    rows = [list(row) for row in book["FSMA 204"].iter_rows(values_only=True)]
    header, rows = rows[0], rows[1:]
    col = {name: index for index, name in enumerate(header)}
    events = {}
    for row in rows:
        events.setdefault(row[col["Event ID"]], []).append(
            (row[col["Event Type"]], row[col["Traceability Lot Code"]]))
    build = [rows for event, rows in events.items() if event.startswith("TRF-BUILD/")]
    assert build == [[("Transformation input", "SFF-2611-A"),
                      ("Transformation output", "SAL-0001")]], \
        "the cilantro is not asked for; the batch comes with the whole chain"
    shipped = [row for row in rows if row[col["Traceability Lot Code"]] == "SFF-2611-B"
               and row[col["Event Type"]] == "Shipping"]
    assert [row[col["Quantity"]] for row in shipped] == [50]
    assert shipped[0][col["Immediate Subsequent Recipient"]].startswith("Corner Deli Co.")
    assert len({row[col["Traceability Lot Code"]] for row in rows
                if row[col["Event Type"]] == "Transformation output"}) == 51, "batch + tubs"
    notes = [row[0] for row in book["Notes"].iter_rows(min_row=2, values_only=True)]
    assert any(note.startswith("Inventory adjustment") for note in notes)


def test_fsma_export_from_menu(web, admin):
    """Inventory > Traceability > FSMA 204 Export opens the request form (last 30 days by
    default); Export downloads without an error."""
    web.login("admin", "admin")
    action = admin.ref("lot_traceability.stock_lot_fsma_export_action")
    web.open("/web#action=%d" % action)
    field = web.wait('.modal textarea[name="lot_codes"]')
    field.send_keys("SFF-2611-A")
    os.makedirs(ARTIFACTS, exist_ok=True)
    web.driver.save_screenshot(os.path.join(ARTIFACTS, "fsma_export_wizard.png"))
    web.click_text(".modal-footer button", "Export")
    web.wait_idle()
    errors = web.driver.find_elements(By.CSS_SELECTOR, ".o_dialog_warning, .o_error_detail")
    assert not errors, errors[0].text if errors else ""
    exports = admin.execute("stock.lot.fsma.export", "search_read",
                            [("lot_codes", "=", "SFF-2611-A")], ["date_from", "date_to"])
    assert exports, "the request was saved and exported"
