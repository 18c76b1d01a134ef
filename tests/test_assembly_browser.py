"""An operator scans a build to done in the web client (headless Chromium)."""
import os

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from .conftest import ARTIFACTS
from .test_assembly_rpc import jam_list


def _open(web, path):
    """Open ``path`` in a fresh page load (after login the client sits on Discuss, and a
    hash-only change would stack the form on top of it)."""
    web.open(path)
    web.driver.refresh()
    web.wait(".o_web_client", timeout=90, visible=False)
    web.wait_idle()


def _click_text(web, css, text, tries=3):
    """Click, again if the web client redrew the element meanwhile."""
    for attempt in range(tries):
        try:
            return web.click_text(css, text, timeout=90)
        except StaleElementReferenceException:
            if attempt == tries - 1:
                raise
            web.wait_idle()
    return None


def _scan(web, code):
    """A keyboard-wedge scanner: fast keystrokes ending with Enter, on the page body."""
    body = web.driver.find_element(By.TAG_NAME, "body")
    ActionChains(web.driver).move_to_element(body).send_keys(code + Keys.ENTER).perform()
    web.wait_idle()


def test_scan_build_to_done(web, admin, unique_name):
    composition = jam_list(admin)
    lot_name = unique_name("JAM")
    build_id = admin.execute("stock.assembly", "create", {
        "composition_id": composition["id"], "product_id": composition["product_id"],
        "product_qty": 5.0, "lot_name": lot_name})
    web.login("admin", "admin")
    _open(web, "/web#id=%d&model=stock.assembly&view_type=form" % build_id)
    web.wait_text(".o_form_view", "Fruit", timeout=90)
    web.click(".o_form_button_edit")  # Odoo 11 takes scans on a form in edit mode
    web.wait(".o_form_button_save")
    for code in ("APL-0002", "SUG-0001"):
        _scan(web, code)
        web.wait_text(".o_form_view .o_field_one2many", code)
    os.makedirs(ARTIFACTS, exist_ok=True)
    web.driver.save_screenshot(os.path.join(ARTIFACTS, "assembly_scan.png"))
    save = web.driver.find_elements(By.CSS_SELECTOR, ".o_form_button_save")
    if save and save[0].is_displayed():
        save[0].click()
        web.wait_idle()
        web.wait(".o_form_button_edit")  # saved: the header is drawn again
    _click_text(web, ".o_form_statusbar button", "Done")
    web.wait_idle()
    web.wait_text(".o_form_statusbar .o_statusbar_status .btn-primary", "Done")
    web.driver.save_screenshot(os.path.join(ARTIFACTS, "assembly_done.png"))
    build = admin.execute("stock.assembly", "read", [build_id], ["state", "lot_id"])[0]
    assert build["state"] == "done"
    assert build["lot_id"][1] == lot_name


def _build_batch(admin, lot_name, qty):
    """A fresh jam batch, built and done over JSON-RPC."""
    composition = jam_list(admin)
    build_id = admin.execute("stock.assembly", "create", {
        "composition_id": composition["id"], "product_id": composition["product_id"],
        "product_qty": qty, "lot_name": lot_name})
    for code in ("APL-0002", "SUG-0001"):
        admin.execute("stock.assembly", "action_scan", [build_id], code)
    admin.execute("stock.assembly", "action_done", [build_id])
    return admin.execute("stock.assembly", "read", [build_id], ["lot_id"])[0]["lot_id"][0]


def test_split_batch_from_lot_form(web, admin, unique_name):
    """Split Into Units from the lot's form: 4 kg into 4 units, preview, Split."""
    lot_name = unique_name("JAM")
    lot_id = _build_batch(admin, lot_name, 4.0)
    web.login("admin", "admin")
    _open(web, "/web#id=%d&model=stock.production.lot&view_type=form&action=%d" % (
        lot_id, admin.ref("stock.action_production_lot_form")))
    web.wait_text(".o_form_view", lot_name, timeout=90)
    _click_text(web, ".o_form_statusbar button", "Split Into Units")
    web.wait_text(".o_form_view", "Units Tracked By")
    count = web.wait(".o_form_view input[name=unit_count]")
    count.clear()
    count.send_keys("4")
    web.click_text(".o_form_view label", "Stays in the Batch")  # leave the field: recompute
    web.wait_idle()
    web.wait_text(".o_form_view", "%s-004" % lot_name)
    web.driver.save_screenshot(os.path.join(ARTIFACTS, "split_preview.png"))
    _click_text(web, ".o_form_statusbar button", "Split")
    web.wait_idle()
    web.wait_text(".o_list_view", "%s-004" % lot_name)
    units = admin.execute("stock.production.lot", "search_read",
                          [("parent_lot_id", "=", lot_id)], ["name"])
    assert sorted(u["name"] for u in units) == ["%s-%03d" % (lot_name, n) for n in range(1, 5)]
