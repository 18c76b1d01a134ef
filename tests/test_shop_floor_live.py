# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The demo user (Traceability user) on the live server: saving a receipt and receiving
apples with their attributes over JSON-RPC with the values the web client sends, then the
shop-floor screens in headless Chromium, reached through the menus."""
import os
import time

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from .conftest import ARTIFACTS
from .odoo_client import OdooClient


def _demo(odoo_url, odoo_db):
    return OdooClient(odoo_url, odoo_db).login("demo", "demo")


def test_demo_user_saves_new_receipt(odoo_url, odoo_db, admin):
    """A new receipt of jar lids, with the values the transfer form sends (has_tracking
    included): saved, the product untouched."""
    demo = _demo(odoo_url, odoo_db)
    lid = admin.ref("lot_traceability_demo.product_lid_demo")
    receipts = admin.ref("stock.picking_type_in")
    supplier, stock = admin.ref("stock.stock_location_suppliers"), admin.ref(
        "stock.stock_location_stock")
    picking_id = demo.execute("stock.picking", "create", {
        "location_id": supplier, "location_dest_id": stock, "move_type": "direct",
        "partner_id": admin.ref("lot_traceability_demo.partner_valley_orchards_demo"),
        "picking_type_id": receipts, "priority": "1",
        "move_lines": [[0, "virtual_52", {
            "state": "draft", "picking_type_id": receipts, "location_id": supplier,
            "location_dest_id": stock, "additional": False, "name": "Jar Lid 70 mm",
            "product_id": lid, "product_uom": admin.ref("product.product_uom_unit"),
            "product_uom_qty": 100, "has_tracking": "none"}]]})
    moves = demo.execute("stock.move", "search_read", [("picking_id", "=", picking_id)],
                         ["product_id", "has_tracking"])
    assert [(m["product_id"][0], m["has_tracking"]) for m in moves] == [(lid, "none")]


def test_demo_user_receives_apples_with_attributes(odoo_url, odoo_db, admin, unique_name):
    """Receive Lots from the menu as the wizard's form sends it: the row with its attribute
    lines (attribute and value), a scanned expiry and the best before derived from it; the
    receipt is Ready and the lot carries the certificate."""
    demo = _demo(odoo_url, odoo_db)
    apples = admin.ref("lot_traceability_demo.product_apples_demo")
    certificate = admin.ref("lot_traceability_demo.lot_attribute_certificate_demo")
    brix = admin.ref("lot_traceability_demo.lot_attribute_brix_demo")
    lot_name = unique_name("APL")
    context = {"active_model": "product.product", "active_id": apples}
    wizard_id = demo.execute("stock.lot.receive", "create", {
        "warehouse_id": admin.ref("stock.warehouse0"), "product_id": apples,
        "partner_id": admin.ref("lot_traceability_demo.partner_valley_orchards_demo"),
        "scan": False, "validate_now": False,
        "line_ids": [[0, "virtual_20", {
            "value_ids": [[0, "virtual_25", {"attribute_id": brix, "value": False}],
                          [0, "virtual_28", {"attribute_id": certificate,
                                             "value": "CERT-LIVE"}]],
            "product_id": apples, "lot_name": lot_name, "quantity": 5,
            "uom_id": admin.ref("product.product_uom_kgm"), "supplier_lot_code": False,
            "production_date": False, "life_date": "2027-01-15", "use_date": "2026-12-31"}]]},
        context=context)
    action = demo.execute("stock.lot.receive", "action_apply", [wizard_id], context=context)
    picking = admin.execute("stock.picking", "read", [action["res_id"]], ["state"])[0]
    assert picking["state"] == "assigned"
    lot = admin.execute("stock.production.lot", "search_read", [("name", "=", lot_name)],
                        ["life_date", "use_date", "attribute_value_ids"])[0]
    assert (lot["life_date"][:10], lot["use_date"][:10]) == ("2027-01-15", "2026-12-31")
    values = admin.execute("stock.lot.attribute.value", "read", lot["attribute_value_ids"],
                           ["value"])
    assert [v["value"] for v in values] == ["CERT-LIVE"]


# --- the screens, through the menus --------------------------------------------------------
def _menu(web, *names):
    """Inventory, then the sidebar entry ``names[-1]`` (as a person clicks)."""
    web.click_text("#oe_main_menu_navbar a", "Inventory", timeout=90)
    web.wait_idle()
    web.click_text(".o_sub_menu a.oe_menu_leaf", names[-1], timeout=90)
    time.sleep(1)
    web.wait_idle()


def _shot(web, name):
    os.makedirs(ARTIFACTS, exist_ok=True)
    web.driver.save_screenshot(os.path.join(ARTIFACTS, name + ".png"))


def _focused_name(web):
    return web.driver.execute_script(
        "return document.activeElement && document.activeElement.getAttribute('name')")


def _many2one(web, css, text, tries=3):
    """Type ``text`` into a many2one and pick it (again if the client redrew it meanwhile)."""
    for attempt in range(tries):
        web.wait_idle()
        try:
            field = web.wait(css)
            field.click()
            field.clear()
            field.send_keys(text)
            web.wait_idle()
            web.click_text("ul.ui-autocomplete li a", text)
            break
        except StaleElementReferenceException:
            if attempt == tries - 1:
                raise
    web.wait_idle()


def _no_error_dialog(web):
    dialogs = [d.text for d in web.driver.find_elements(By.CSS_SELECTOR, ".modal .modal-title")
               if d.is_displayed()]
    assert not [t for t in dialogs if "Error" in t or "Warning" in t], dialogs


def test_menu_and_scan_screen(web):
    """The Traceability menu reads daily work first; Scan opens with the cursor in Code."""
    web.login("demo", "demo")
    _menu(web, "Scan")
    web.wait('input[name="code"]')
    WebDriverWait(web.driver, 30).until(lambda d: _focused_name(web) == "code")
    entries = [a.text for a in web.driver.find_elements(By.CSS_SELECTOR, ".o_sub_menu a")
               if a.is_displayed()]
    assert entries.index("Scan") < entries.index("Receive Lots") < entries.index(
        "Lots/Serial Numbers") < entries.index("Composition Lists"), entries
    _shot(web, "traceability_menu")


def test_receive_apples_from_the_menu(web, admin, unique_name):
    """Receive Lots from the menu: no empty row, the cursor in Scan, a GS1 scan with an
    expiry fills a row with the best before derived from it, the certificate entered on
    the row's form, Receive opens the transfer Ready."""
    web.login("demo", "demo")
    _menu(web, "Receive Lots")
    web.wait('.modal input[name="scan"]')
    WebDriverWait(web.driver, 30).until(lambda d: _focused_name(web) == "scan")
    _many2one(web, ".modal .o_field_widget[name=product_id] input", "Organic Apples")
    assert not web.driver.find_elements(By.CSS_SELECTOR, ".modal .o_data_row")
    _many2one(web, ".modal .o_field_widget[name=partner_id] input", "Valley Orchards")
    lot_name = unique_name("APL")
    scan = web.wait('.modal input[name="scan"]')
    scan.send_keys("(01)09506000134352(10)%s(17)270115(30)5" % lot_name + Keys.TAB)
    web.wait_idle()
    row = web.wait_text(".modal .o_data_row", lot_name)
    assert "12/31/2026" in row.text and "01/15/2027" in row.text, row.text
    _shot(web, "receive_lots_from_menu")
    web.click_text(".modal .o_data_row td", lot_name)
    web.wait_idle()
    row_form = WebDriverWait(web.driver, 60).until(lambda d: [
        modal for modal in d.find_elements(By.CSS_SELECTOR, ".modal")
        if modal.is_displayed() and modal.find_elements(By.CSS_SELECTOR, "[name=value_ids]")])[0]
    [cell for cell in row_form.find_elements(By.CSS_SELECTOR, "td")
     if cell.text.strip() == "Certificate Number"][0].click()
    value = web.wait(".modal .o_selected_row input[name=value]")
    value.send_keys("CERT-UI")
    web.click_text(".modal-footer button", "Save")
    web.wait_idle()
    web.wait_text(".modal .o_data_row", "CERT-UI")
    web.click_text(".modal-footer button", "Receive")
    WebDriverWait(web.driver, 90).until(
        lambda d: not d.find_elements(By.CSS_SELECTOR, ".modal .o_form_view"))
    web.wait_idle()
    _no_error_dialog(web)
    web.wait_text(".o_statusbar_status .btn-primary", "Ready")
    breadcrumb = web.driver.find_element(By.CSS_SELECTOR, ".breadcrumb").text
    assert breadcrumb.count("WH/IN/") == 1, breadcrumb
    lot = admin.execute("stock.production.lot", "search_read", [("name", "=", lot_name)],
                        ["use_date"])[0]
    assert lot["use_date"][:10] == "2026-12-31"


def test_split_from_the_menu(web):
    """Split Into Units from the menu: a full page with Split and no Save/Discard; Whole
    Batch shows the quantity it would split."""
    web.login("demo", "demo")
    _menu(web, "Split Into Units")
    web.wait(".o_form_view .o_field_widget[name=lot_id]")
    assert not [b for b in web.driver.find_elements(By.CSS_SELECTOR, ".o_form_button_save")
                if b.is_displayed()]
    _many2one(web, ".o_field_widget[name=lot_id] input", "JAM-0001")
    WebDriverWait(web.driver, 60).until(lambda d: d.find_element(
        By.CSS_SELECTOR, "input[name=name_prefix]").get_attribute("value") == "JAM-0001-")
    web.wait_idle()
    planned = web.wait(".o_field_widget[name=planned_qty]").text
    assert float(planned.replace(",", "")) > 0, planned
    _shot(web, "split_from_menu")
    _no_error_dialog(web)


def test_builds_list_and_refused_scan(web, admin, unique_name):
    """Assembly Builds from the menu lists past builds; a new one is titled New; a refused
    scan on a draft build says why on the form, in red, without a dialog."""
    product = admin.ref("lot_traceability_demo.product_apple_jam_demo")
    lot_name = unique_name("JAM")
    admin.execute("stock.assembly", "create", {"product_id": product, "product_qty": 1.0,
                                               "lot_name": lot_name})
    web.login("demo", "demo")
    _menu(web, "Assembly Builds")
    web.wait_text(".o_list_view", "BUILD/00001")
    _shot(web, "assembly_builds_list")
    web.click(".o_list_button_add")
    web.wait_idle()
    assert web.wait(".o_form_view .oe_title h1").text.strip() == "New"
    web.click(".o_form_button_cancel")
    web.wait_idle()
    web.click_text(".o_list_view td", lot_name)
    web.wait_idle()
    web.click(".o_form_button_edit")
    web.wait(".o_form_button_save")
    body = web.driver.find_element(By.TAG_NAME, "body")
    ActionChains(web.driver).move_to_element(body).send_keys("NO-SUCH-CODE" + Keys.ENTER).perform()
    web.wait_idle()
    refused = web.wait_text(".o_assembly_scan_refused", "NO-SUCH-CODE")
    assert "Refused" in refused.text
    assert not [m for m in web.driver.find_elements(By.CSS_SELECTOR, ".modal")
                if m.is_displayed()]
    _shot(web, "assembly_scan_refused")
