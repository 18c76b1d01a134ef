# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Check Out / Check In in a real browser (lot_traceability_hr): the demo Traceability user
scans two drills of the demo and Sam's badge, Apply: the Asset Custody list shows them and a
drill's page its holder and custody history."""
from selenium.webdriver.common.keys import Keys

from .stories import open_lot, open_menu

SERIALS = ("D18-1008", "D18-1009")
BADGE = "EMP-0001"  # Sam Fitter's badge in the demo


def test_check_out_two_drills_by_scanning(demo_desk, admin):
    open_menu(demo_desk, "Check Out / Check In")
    field = demo_desk.wait(".o_asset_checkout input.o_field_widget[name=code]")
    field.send_keys(SERIALS[0], Keys.TAB)  # typed in the field, as a wedge scanner into it
    demo_desk.wait(".o_asset_checkout_message", SERIALS[0])
    demo_desk.scan_keys(BADGE)  # scanned on the page: Odoo's barcode listener
    demo_desk.wait(".o_asset_checkout_message", "Sam Fitter")
    demo_desk.scan_keys(SERIALS[1])
    demo_desk.wait(".o_asset_checkout_message", SERIALS[1])
    demo_desk.wait(".o_asset_checkout .o_field_widget[name=lot_ids]", SERIALS[1])
    demo_desk.screenshot("assets_checkout")
    with demo_desk.navigation():
        demo_desk.button("Apply")
    demo_desk.wait(".o_list_view", SERIALS[1])
    demo_desk.check()
    open_lot(demo_desk, SERIALS[0])
    demo_desk.wait(".o_form_view .o_field_widget[name=holder_id]", "Sam Fitter")
    demo_desk.click(".o_form_view .nav-tabs a", "Custody & Maintenance")
    demo_desk.wait(".o_form_view .tab-pane.active .o_field_widget[name=custody_ids]",
                   "Sam Fitter")
    demo_desk.screenshot("assets_serial_custody")
    lots = admin.execute("stock.production.lot", "search_read", [("name", "in", SERIALS)],
                         ["holder_id", "asset_location_id"])
    assert {lot["holder_id"][1] for lot in lots} == {"Sam Fitter"}
    assert {lot["asset_location_id"][1] for lot in lots} == {"WH/Issued"}
    admin.execute("stock.asset.custody", "check_in", [lot["id"] for lot in lots])
