"""Traceability > Scan in a real browser: type a scan, press Open, land on the lot's page; and a
phone that is not logged in opens a label URL and sees the lot's public page."""
import os
from urllib.parse import urlsplit

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from .conftest import ARTIFACTS
from .test_lot_labels_live import make_lot, random_gtin13

SCAN_MENU = "lot_traceability.stock_lot_scanner_menu"


def wait_lot_page(web, lot_name):
    web.wait_text(".o_control_panel .breadcrumb", lot_name, timeout=60)
    web.wait(".o_form_view", timeout=60)
    assert web.driver.find_element(By.CSS_SELECTOR, ".o_form_view .oe_title").text.strip() \
        .endswith(lot_name)


def test_type_a_scan_and_open_the_lot(web, admin, unique_name):
    _product_id, lot_id = make_lot(admin, unique_name, barcode=random_gtin13())
    lot = admin.execute("stock.production.lot", "read", [lot_id], ["name"])[0]
    code = admin.execute("stock.production.lot", "get_label_payload", [lot_id])[0]["text"]
    web.login("demo", "demo")
    web.click_text("#oe_main_menu_navbar a", "Inventory")
    web.wait_idle()
    web.click('a[data-menu-xmlid="%s"]' % SCAN_MENU)
    web.wait_idle()
    field = web.wait(".o_lot_scanner input.o_field_widget[name=code]")
    field.send_keys(code)  # a keyboard-wedge scanner types the code like this
    field.send_keys(Keys.TAB)
    web.wait_text(".o_lot_scanner_message", lot["name"])
    web.wait_idle()
    os.makedirs(ARTIFACTS, exist_ok=True)
    web.driver.save_screenshot(os.path.join(ARTIFACTS, "feature-labels-scan.png"))
    # target=inline: the header buttons move to the control panel (without their name)
    web.click_text(".o_control_panel button, .o_form_view button", "Open")
    wait_lot_page(web, lot["name"])
    web.wait_text(".o_control_panel .breadcrumb", "Scan")
    web.wait_idle()
    web.driver.save_screenshot(os.path.join(ARTIFACTS, "feature-labels-lot.png"))


def test_unknown_code_says_so(web):
    web.login("demo", "demo")
    web.open("/web#action=lot_traceability.stock_lot_scanner_action")
    field = web.wait(".o_lot_scanner input.o_field_widget[name=code]")
    field.send_keys("NO-SUCH-LOT-42", Keys.TAB)
    web.wait_text(".o_lot_scanner_message", "NO-SUCH-LOT-42")


def test_phone_not_logged_in_sees_the_public_page(web, admin, unique_name):
    """Anyone who scans a label gets the lot's public page: product, lot, recall status."""
    _product_id, lot_id = make_lot(admin, unique_name, barcode=random_gtin13())
    lot = admin.execute("stock.production.lot", "read", [lot_id], ["name", "product_id"])[0]
    uri = urlsplit(admin.execute("stock.production.lot", "get_label_payload", [lot_id])[0]["uri"])
    web.driver.get(web.url + uri.path + ("?" + uri.query if uri.query else ""))
    web.wait_text(".o_lt_lot", lot["name"])
    web.wait_text(".o_lt_clear", "No recall for this lot.")
    assert not web.driver.find_elements(By.CSS_SELECTOR, "input[name=login]")
