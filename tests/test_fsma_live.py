# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A food safety lead answers an FDA request: the FSMA 204 sortable spreadsheet of the demo
salsa chain, downloaded through the live server's report route and from the menu."""
from io import BytesIO

import openpyxl

from .stories import open_menu

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


def test_fsma_export_from_menu(demo_desk):
    """Traceability > FSMA 204 Export with its defaults (the last 30 days), Export: the
    spreadsheet holds the grower's code SFF-2611-A on the salsa build's input row."""
    open_menu(demo_desk, "FSMA 204 Export")
    demo_desk.wait('.modal .o_field_widget[name="lot_codes"]')
    demo_desk.click(".modal .modal-title")  # the From date has the focus: close its calendar
    demo_desk.wait_gone(".bootstrap-datetimepicker-widget")
    demo_desk.screenshot("fsma_export_wizard")
    with demo_desk.download() as files:
        demo_desk.click(".modal-footer button", "Export")
    sheet = openpyxl.load_workbook(files[0])["FSMA 204"]
    rows = list(sheet.iter_rows(values_only=True))
    col = {name: index for index, name in enumerate(rows[0])}
    inputs = [row for row in rows[1:] if row[col["Traceability Lot Code"]] == "SFF-2611-A"
              and row[col["Event Type"]] == "Transformation input"]
    assert inputs and inputs[0][col["Event ID"]].startswith("TRF-BUILD/"), inputs
