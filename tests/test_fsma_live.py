# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A food safety lead answers an FDA request: the FSMA 204 sortable spreadsheet of the demo
salsa chain, downloaded through the live server's report route and from the menu."""
from io import BytesIO

import openpyxl

from .odoo_client import OdooClient
from .stories import open_menu

REPORT = "lot_traceability.stock_lot_fsma_xlsx"


def _download(client, wizard_id):
    response = client.get("/report/xlsx/%s/%d" % (REPORT, wizard_id))
    assert response.headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml")
    return openpyxl.load_workbook(BytesIO(response.content))


def _export(client, **vals):
    wizard_id = client.execute("stock.lot.fsma.export", "create", vals)
    action = client.execute("stock.lot.fsma.export", "action_export", [wizard_id])
    assert action["report_name"] == REPORT
    return _download(client, wizard_id)


def _sheet(book, name="FSMA 204"):
    rows = [list(row) for row in book[name].iter_rows(values_only=True)]
    return {name: index for index, name in enumerate(rows[0])}, rows[1:]


def _notes(book):
    return [row[0] for row in book["Notes"].iter_rows(min_row=2, values_only=True)]


def test_fsma_spreadsheet_over_http(odoo_url, odoo_db):
    """As the demo user (a Traceability user): the tomatoes' grower code runs through
    receiving, the whole salsa build (the cilantro too), and the whole tomatoes shipped to
    the deli; every location description is split and complete, products described."""
    demo = OdooClient(odoo_url, odoo_db).login("demo", "demo")
    book = _export(demo, lot_codes="SFF-2611-A\nSFF-2611-B", include_linked=True)
    assert book.sheetnames == ["FSMA 204", "Notes", "Request", "Legend"]
    col, rows = _sheet(book)
    events = {}
    for row in rows:
        events.setdefault(row[col["Event ID"]], []).append(
            (row[col["Event Type"]], row[col["Traceability Lot Code"]]))
    build = [sorted(rows) for event, rows in events.items() if event.startswith("TRF-BUILD/")]
    assert build == [[("Transformation input", "GVH-0457"),
                      ("Transformation input", "SFF-2611-A"),
                      ("Transformation output", "SAL-0001")]], \
        "the build whole: the cilantro comes with the whole chain"
    assert ("Receiving", "GVH-0457") in [pair for pairs in events.values() for pair in pairs]
    shipped = [row for row in rows if row[col["Traceability Lot Code"]] == "SFF-2611-B"
               and row[col["Event Type"]] == "Shipping"]
    assert [row[col["Quantity"]] for row in shipped] == [50]
    recipient = [shipped[0][col["Immediate Subsequent Recipient " + part]] for part in (
        "Business Name", "Phone", "Street or Geo-coordinates", "City", "State/Region",
        "ZIP/Postal Code", "Country")]
    assert recipient == ["Corner Deli Co.", "+1 208 555 0155", "301 Main Street", "Boise",
                         "Idaho", "83702", "United States"]
    assert shipped[0][col["TLC Source Business Name"]] == "Sunny Fields Farm"
    assert (shipped[0][col["Brand"]], shipped[0][col["Commodity"]],
            shipped[0][col["Variety"]]) == ("Sunny Fields", "Tomatoes (fresh)", "Roma")
    tubs = {row[col["Packaging Size"]] for row in rows
            if row[col["Product Description"]].endswith("Fresh Salsa 400 g Tub")}
    assert tubs == {"0.4 kg"}
    assert len({row[col["Traceability Lot Code"]] for row in rows
                if row[col["Event Type"]] == "Transformation output"}) == 51, "batch + tubs"
    notes = _notes(book)
    assert any(note.startswith("Inventory adjustment") for note in notes)
    assert not [note for note in notes if "location description is incomplete" in note]


def test_fsma_carrier_references_and_legend(odoo_url, odoo_db):
    """The tubs handed to the carrier go to Green Grocer, never to the carrier; receipts
    carry their purchase order as second reference, never a lot code; the Legend maps
    every column and code."""
    demo = OdooClient(odoo_url, odoo_db).login("demo", "demo")
    book = _export(demo)
    col, rows = _sheet(book)
    parties = {row[col[name]] for row in rows for name in (
        "Immediate Subsequent Recipient Business Name", "Immediate Previous Source Business "
        "Name")}
    assert "Coastal Reefer Lines" not in parties
    carried = [row for row in rows if row[col["Second Reference Document Number"]]
               == "SO-GG-0391"]
    assert len(carried) == 6
    assert {row[col["Immediate Subsequent Recipient Business Name"]] for row in carried} == {
        "Green Grocer Ltd"}
    received = [row for row in rows if row[col["Second Reference Document Number"]]
                == "PO-SF-2611"]
    assert {(row[col["Reference Document Type"]], row[col["Second Reference Document Type"]])
            for row in received} == {("Receipt", "Purchase order")}
    assert "SAL-0001" not in {row[col["Second Reference Document Number"]] for row in rows}
    legend = list(book["Legend"].iter_rows(min_row=2, values_only=True))
    assert {row[1] for row in legend if row[0] == "FSMA 204"} == set(col)
    assert all(row[2] for row in legend if row[0] == "FSMA 204")
    assert {"REC-…", "SHP-…", "TRF-…"} <= {row[1] for row in legend}


def test_fsma_tlc_we_assign_fda_layout(odoo_url, odoo_db):
    """The cilantro case received without the grower's code: our code is its TLC, our
    receiving location its source, the note names the receipt; FDA's layout has one tab per
    event type."""
    demo = OdooClient(odoo_url, odoo_db).login("demo", "demo")
    book = _export(demo, lot_codes="CIL-0002", layout="fda")
    assert book.sheetnames == ["Shipping", "Receiving", "Transformation", "Notes", "Request",
                               "Legend"]
    col, rows = _sheet(book, "Receiving")
    assert [(row[col["Traceability Lot Code"]], row[col["TLC Source Business Name"]],
             row[col["TLC Source City"]]) for row in rows] == [
        ("CIL-0002", row[col["Receiving Location Business Name"]], "Scranton") for row in rows]
    assert len(rows) == 1 and rows[0][col["Immediate Previous Source Business Name"]] == \
        "Green Valley Herbs"
    receipt = rows[0][col["Reference Document Number"]]
    assert any(note.startswith("Lot CIL-0002 was received on %s without a supplier lot "
                               "code" % receipt) for note in _notes(book))


def test_fsma_delivery_slip_and_label(odoo_url, odoo_db):
    """What we send matches what we keep: the deli's delivery slip prints the tomatoes' TLC
    SFF-2611-B and its source; the lot's label prints the TLC beside our lot code."""
    demo = OdooClient(odoo_url, odoo_db).login("demo", "demo")
    picking = demo.execute("stock.picking", "search_read", [("origin", "=", "SO-CD-0131")],
                           ["id"])[0]
    slip = demo.get("/report/html/stock.report_deliveryslip/%d" % picking["id"]).text
    assert "SFF-2611-B" in slip
    assert "TLC source: Sunny Fields Farm, +1 831 555 0187" in slip
    lot = demo.execute("stock.production.lot", "search_read", [("name", "=", "TOM-0002")],
                       ["id"])[0]
    label = demo.get("/report/html/lot_traceability.report_lot_label_small/%d"
                     % lot["id"]).text
    assert "TLC:" in label and "SFF-2611-B" in label


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
