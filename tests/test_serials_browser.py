# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The demo user pastes serial numbers into Bulk Serial Entry and finds them under Assets."""
from selenium.webdriver.common.keys import Keys

from .stories import open_menu


def test_paste_serials_then_see_them_in_assets(demo_desk, admin, unique_name):
    """Paste three serials of a new asset type, apply, find them under Assets in WH/Stock."""
    product = unique_name("Laser Level")
    admin.execute("product.product", "create", {
        "name": product, "type": "product", "tracking": "serial"})
    prefix = unique_name("BRW")
    serials = ["%s-%d" % (prefix, number) for number in (1, 2, 3)]
    open_menu(demo_desk, "Bulk Serial Entry")
    demo_desk.choose("product_id", product)
    demo_desk.choose("partner_id", "ToolPro")
    text = demo_desk.field("serials_text")
    # A paste: serials on lines, one with spaces around, and a blank line.
    text.send_keys("%s\n  %s  \n\n%s" % tuple(serials))
    text.send_keys(Keys.TAB)
    demo_desk.wait('.o_form_view .o_field_widget[name="serial_count"]', "3")
    demo_desk.screenshot("serials_bulk_entry")
    with demo_desk.navigation():
        demo_desk.click('.o_form_view button[name="action_apply"]')
    demo_desk.wait(".o_list_view", serials[0])

    open_menu(demo_desk, "Assets")
    demo_desk.click(".o_list_view tbody tr.o_group_header", product)
    demo_desk.wait(".o_list_view tbody tr.o_data_row", "WH/Stock")
    demo_desk.screenshot("serials_assets")
    row = demo_desk.until(lambda d: next(
        (tr for tr in demo_desk.visible(".o_list_view tbody tr.o_data_row")
         if "WH/Stock" in tr.text and product in tr.text), False))
    with demo_desk.navigation():
        row.find_element("css selector", "button.o_asset_serials").click()
    listing = demo_desk.wait(".o_list_view", serials[2])
    for serial in serials:
        assert serial in listing.text
    demo_desk.screenshot("serials_asset_details")
