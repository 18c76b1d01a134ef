"""A receiving clerk receives two lots on an incoming transfer through Receive Lots,
scanning two GS1 codes into the wizard, in a real (headless) Chromium."""
import os
import random

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from .conftest import ARTIFACTS


def gtin13(digits12):
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits12))
    return digits12 + str((10 - total % 10) % 10)


def make_receipt(admin, unique_name, barcode):
    product_id = admin.execute("product.product", "create", {
        "name": unique_name("Pear Juice"), "type": "product", "tracking": "lot",
        "barcode": barcode, "use_time": 200, "life_time": 240})
    receipt_type = admin.ref("stock.picking_type_in")
    picking_type = admin.execute("stock.picking.type", "read", [receipt_type],
                                 ["default_location_dest_id"])[0]
    picking_id = admin.execute("stock.picking", "create", {
        "picking_type_id": receipt_type,
        "partner_id": admin.ref("lot_traceability_demo.partner_valley_orchards_demo"),
        "location_id": admin.ref("stock.stock_location_suppliers"),
        "location_dest_id": picking_type["default_location_dest_id"][0],
        "move_lines": [(0, 0, {"name": "Pear Juice", "product_id": product_id,
                               "product_uom_qty": 30.0, "product_uom": admin.ref(
                                   "product.product_uom_unit")})]})
    admin.execute("stock.picking", "action_confirm", [picking_id])
    return picking_id


def scan(web, code, lot):
    field = web.wait('.modal input[name="scan"]')
    field.clear()
    field.send_keys(code + Keys.TAB)
    web.wait_idle()
    web.wait_text(".modal .o_list_view", lot)


def test_receive_two_lots_through_wizard(web, admin, unique_name):
    barcode = gtin13("2%011d" % random.randrange(10 ** 11))
    picking_id = make_receipt(admin, unique_name, barcode)
    lots = [unique_name("PJ"), unique_name("PJ")]
    web.login("admin", "admin")
    web.open("/web#id=%d&model=stock.picking&view_type=form" % picking_id)
    web.click_text(".o_form_statusbar button", "Receive Lots")
    web.wait(".modal .o_form_view")
    scan(web, "(01)0%s(10)%s(17)271231(30)18" % (barcode, lots[0]), lots[0])
    scan(web, "(01)0%s(10)%s(11)260301(30)12" % (barcode, lots[1]), lots[1])
    rows = web.driver.find_elements(By.CSS_SELECTOR, ".modal .o_list_view tbody tr.o_data_row")
    assert len(rows) == 2
    os.makedirs(ARTIFACTS, exist_ok=True)
    shot = os.path.join(ARTIFACTS, "receive_lots_wizard.png")
    web.driver.save_screenshot(shot)
    web.click_text(".modal-footer button", "Receive")
    WebDriverWait(web.driver, 60).until(
        lambda driver: not driver.find_elements(By.CSS_SELECTOR, ".modal .o_form_view"))
    web.wait_idle()
    lines = admin.execute("stock.move.line", "search_read", [("picking_id", "=", picking_id)],
                          ["lot_id", "qty_done"], order="id")
    received = {line["lot_id"][1]: line["qty_done"] for line in lines if line["lot_id"]}
    assert received == {lots[0]: 18.0, lots[1]: 12.0}
    lot = admin.execute("stock.production.lot", "search_read", [("name", "=", lots[1])],
                        ["production_date", "life_date"])[0]
    assert lot["production_date"] == "2026-03-01"
    assert lot["life_date"].startswith("2026-10-27")  # production date + 240 days
