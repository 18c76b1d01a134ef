# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The README's first story: lot APL-0001's traceability page, opened from Traceability >
Lots/Serial Numbers by the demo user; then a manager starts a recall from that lot."""
from .stories import edit, open_lot, save

CUSTOMERS = ("Green Grocer Ltd", "Corner Deli Co.")


def test_lot_page_shows_where_apl_0001_went(demo_desk):
    """The jam batch made from the apples, its jars, and both customers who received them
    (Corner Deli only got jars: it is reached downstream, not by the apples' own delivery)."""
    open_lot(demo_desk, "APL-0001")
    page = demo_desk.wait(".o_form_view .o_lot_trace_page")
    down = demo_desk.wait(".o_lot_trace_page .o_lot_trace_down")
    assert "JAM-0001" in down.text, "the jam batch is made from the apples"
    assert "JAM-0001-001" in page.text, "the jars split from the batch"
    for customer in CUSTOMERS:
        assert customer in page.text, "%s received what was made from APL-0001" % customer
    demo_desk.screenshot("genealogy_lot_page")
    # Folding the tree is the browser's business: no server call, the batch is hidden at once.
    demo_desk.click(".o_lot_trace_down details > summary")
    assert not demo_desk.driver.execute_script(
        "return document.querySelector('.o_lot_trace_down details').open")


def test_manager_starts_recall_from_lot(admin_desk, unique_name):
    """Start Recall on APL-0001's page, Open Recall: the call list has one row per customer."""
    open_lot(admin_desk, "APL-0001")
    with admin_desk.navigation():
        admin_desk.button("Start Recall")
    admin_desk.wait(".o_form_view .o_field_widget[name=lot_ids]", "APL-0001")
    edit(admin_desk)
    admin_desk.field("reason").send_keys(unique_name("Browser drill"))
    # A drill: a mock recall does not tell consumers who scan the lot's label that it is
    # recalled (the public page), which other tests of this demo database read.
    admin_desk.click(".o_content .o_field_widget[name=is_mock]")
    save(admin_desk)
    admin_desk.button("Open Recall")
    admin_desk.wait(".o_statusbar_status .btn-primary", "In progress")
    admin_desk.click(".o_notebook .nav-tabs a", "Customers")
    calls = admin_desk.wait(".o_notebook .tab-pane.active .o_list_view")
    rows = admin_desk.visible("tbody tr.o_data_row", within=calls)
    names = sorted(row.find_element("css selector", "td").text.strip() for row in rows)
    assert names == sorted(CUSTOMERS), "one row per customer to call: %s" % names
    admin_desk.screenshot("genealogy_recall")


def test_lot_deliveries_list_names_customer_and_lot(demo_desk):
    """The lot's Deliveries button lists each delivery with its customer and lot, under its
    own title (not Odoo's "Move lines" or "Lots/Serial Numbers")."""
    open_lot(demo_desk, "APL-0001")
    with demo_desk.navigation():
        demo_desk.button("Deliveries")
    listing = demo_desk.wait(".o_list_view")
    title = demo_desk.wait(".o_control_panel .breadcrumb").text
    assert "Deliveries" in title and "APL-0001" in title, title
    headers = [th.text.strip() for th in demo_desk.visible("thead th", within=listing)]
    for column in ("Delivery", "Customer", "Lot", "Product", "Quantity"):
        assert column in headers, "%s is a column of %s" % (column, headers)
    rows = [row.text for row in demo_desk.visible("tbody tr.o_data_row", within=listing)]
    assert any("Green Grocer Ltd" in row and "APL-0001" in row for row in rows), rows
    demo_desk.screenshot("lot_deliveries")
