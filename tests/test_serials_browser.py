"""A user pastes serial numbers into Bulk Serial Entry and finds them under Assets."""
import os

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from .conftest import ARTIFACTS


def choose(web, field, text):
    """Type into a many2one and pick the first suggestion containing ``text``."""
    field_input = web.wait('.o_form_view .o_field_widget[name="%s"] input' % field)
    field_input.send_keys(text)
    web.click_text("ul.ui-autocomplete li a", text)
    web.wait_idle()


def open_menu(web, xmlid):
    web.click_text("#oe_main_menu_navbar a", "Inventory")
    web.wait_idle()
    web.click('a[data-menu-xmlid="lot_traceability.%s"]' % xmlid)
    web.wait_idle()


def test_paste_serials_then_see_them_in_assets(web, admin, unique_name):
    """Paste three serials of a new asset type, apply, find them under Assets in WH/Stock."""
    product = unique_name("Laser Level")
    admin.execute("product.product", "create", {
        "name": product, "type": "product", "tracking": "serial"})
    prefix = unique_name("BRW")
    serials = ["%s-%d" % (prefix, number) for number in (1, 2, 3)]
    web.login("admin", "admin")
    open_menu(web, "stock_serial_bulk_entry_menu")
    choose(web, "product_id", product)
    choose(web, "partner_id", "ToolPro")
    text = web.wait('.o_form_view textarea[name="serials_text"]')
    # A paste: serials on lines, one with spaces around, and a blank line.
    text.send_keys("%s\n  %s  \n\n%s" % tuple(serials))
    text.send_keys(Keys.TAB)
    web.wait_idle()
    web.wait_text('.o_form_view .o_field_widget[name="serial_count"]', "3")
    os.makedirs(ARTIFACTS, exist_ok=True)
    web.driver.save_screenshot(os.path.join(ARTIFACTS, "serials_bulk_entry.png"))
    web.click('.o_form_view button[name="action_apply"]')
    web.wait_idle()
    web.wait_text(".o_list_view", serials[0])

    open_menu(web, "stock_asset_menu")
    web.click_text(".o_list_view tbody tr.o_group_header", product)
    web.wait_idle()
    row = web.wait_text(".o_list_view", "WH/Stock")
    web.driver.save_screenshot(os.path.join(ARTIFACTS, "serials_assets.png"))
    stock_row = next(tr for tr in row.find_elements(By.CSS_SELECTOR, "tbody tr.o_data_row")
                     if "WH/Stock" in tr.text and product in tr.text)
    stock_row.find_element(By.CSS_SELECTOR, "button.o_asset_serials").click()
    web.wait_idle()
    listing = web.wait_text(".o_list_view", serials[2])
    for serial in serials:
        assert serial in listing.text
    web.driver.save_screenshot(os.path.join(ARTIFACTS, "serials_asset_details.png"))
