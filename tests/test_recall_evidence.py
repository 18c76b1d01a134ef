# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A recall on the demo's apple lot APL-0001, as a quality manager runs it and an auditor reads
it: the evidence PDF rendered by the live server (wkhtmltopdf), read back with poppler's
pdftotext and turned into PNG pages with pdftoppm; the recall form through the menus."""
import os
import re
import subprocess

import pytest
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from .conftest import ARTIFACTS


@pytest.fixture
def held_recall(admin, unique_name):
    """An opened recall of APL-0001 whose stock is held; released again afterwards, so the
    demo stock other tests read is where it was."""
    lot_ids = admin.execute("stock.production.lot", "search", [("name", "=", "APL-0001")])
    recall_id = admin.execute("stock.lot.recall", "create", {
        "lot_ids": [(6, 0, lot_ids)], "is_mock": True,
        "reason": unique_name("Evidence drill: supplier reports a foreign body in APL-0001")})
    admin.execute("stock.lot.recall", "action_open", [recall_id])
    admin.execute("stock.lot.recall", "action_hold", [recall_id])
    yield recall_id
    admin.execute("stock.lot.recall", "action_release", [recall_id])


def _pdf_to_text(path):
    return subprocess.run(["pdftotext", "-layout", path, "-"], check=True,
                          stdout=subprocess.PIPE).stdout.decode()


def _pdf_to_png(path, prefix):
    subprocess.run(["pdftoppm", "-png", "-r", "80", path, prefix], check=True)
    return sorted(name for name in os.listdir(os.path.dirname(prefix))
                  if name.startswith(os.path.basename(prefix)) and name.endswith(".png"))


def test_recall_evidence_pdf(admin, held_recall):
    """The evidence has the company header, the drill summary, units beside quantities,
    numbers apart, the call list, page numbers and signature lines."""
    recall = admin.execute("stock.lot.recall", "read", [held_recall],
                           ["name", "customer_qty_display", "company_id"])[0]
    response = admin.get("/report/pdf/lot_traceability.stock_lot_recall_report/%d" % held_recall)
    assert response.headers["Content-Type"].startswith("application/pdf")
    os.makedirs(ARTIFACTS, exist_ok=True)
    path = os.path.join(ARTIFACTS, "recall_evidence.pdf")
    with open(path, "wb") as pdf:
        pdf.write(response.content)
    text = _pdf_to_text(path)
    company = admin.execute("res.company", "read", [recall["company_id"][0]], ["name"])[0]
    for expected in (company["name"], recall["name"], "Drill summary", "Customers to call",
                     "Green Grocer Ltd", "Dana Reyes", "+1 503 555 0171",
                     "Affected lots and mass balance", "Stock held in quarantine",
                     "Prepared by", "Approved by"):
        assert expected in text, expected
    pages = re.findall(r"Page:? (\d+) / (\d+)", text)
    assert pages and pages[0] == ("1", pages[-1][1]) and pages[-1][0] == pages[-1][1], pages
    assert recall["customer_qty_display"].split(" + ")[0] in " ".join(text.split())
    assert re.search(r"APL-0001 .* kg ", text), "the apple lot's balance line has its unit"
    assert re.search(r"JAM-0001-\d{3} .* Unit\(s\)", text), "the jars' lines have theirs"
    assert not re.search(r"\d\.\d{3}\d+\.\d{3}", text), "numbers do not run together"
    images = _pdf_to_png(path, os.path.join(ARTIFACTS, "recall_evidence"))
    assert len(images) == int(pages[-1][1]), "pdftoppm made one PNG per page"


RECALLS_MENU = "lot_traceability.stock_lot_recall_menu"


def _open_menu(web, xmlid):
    """Inventory, then the side menu entry ``xmlid``, as a person clicks them (a click on
    Inventory while the web client is still starting is lost: click it again)."""
    web.open("/web")
    for attempt in range(3):
        web.click_text("#oe_main_menu_navbar a", "Inventory")
        web.wait_idle()
        try:
            web.wait('a[data-menu-xmlid="%s"]' % xmlid, timeout=15)
            break
        except TimeoutException:
            if attempt == 2:
                raise
    web.click('a[data-menu-xmlid="%s"]' % xmlid)
    web.wait_idle()
    web.wait(".o_list_view")


def _click_retrying(web, css, text):
    """Click the element holding ``text`` in a list that the web client may still redraw."""
    for attempt in range(10):
        try:
            web.click_text(css, text)
            break
        except StaleElementReferenceException:
            if attempt == 9:
                raise
            web.wait_idle()
    web.wait_idle()


def _open_recalls(web):
    _open_menu(web, RECALLS_MENU)


def _click_row(web, *texts):
    """Click the first list row holding every one of ``texts``."""
    def find(driver):
        for row in driver.find_elements("css selector", ".o_list_view tbody tr.o_data_row"):
            if row.is_displayed() and all(text in row.text for text in texts):
                return row
        return False
    WebDriverWait(web.driver, 30).until(find).find_elements("css selector", "td")[1].click()
    web.wait_idle()


def test_recall_form_screens(web, admin, held_recall):
    """A manager opens the recall from the menus: the call list, one customer's lots, the
    stock held and the mass balance; screenshots for the README."""
    name = admin.execute("stock.lot.recall", "read", [held_recall], ["name"])[0]["name"]
    web.login("admin", "admin")
    _open_recalls(web)
    _click_row(web, name)
    web.wait_text(".o_form_view .o_notebook", "Green Grocer Ltd")
    buttons = web.wait(".o_form_statusbar").text
    assert "Release Stock" in buttons and "Hold Stock" not in buttons
    os.makedirs(ARTIFACTS, exist_ok=True)
    web.driver.save_screenshot(os.path.join(ARTIFACTS, "recall_call_list.png"))
    web.click_text(".o_notebook .o_list_view td", "Green Grocer Ltd")
    web.wait_text(".modal .o_form_view", "APL-0001")
    assert "kg" in web.wait(".modal .o_form_view").text
    web.driver.save_screenshot(os.path.join(ARTIFACTS, "recall_customer_lots.png"))
    web.click(".modal .modal-footer .btn")
    web.click_text(".o_notebook .nav-tabs a", "Stock on Hold")
    web.wait_text(".o_notebook .tab-pane.active", "In quarantine")
    web.driver.save_screenshot(os.path.join(ARTIFACTS, "recall_stock_on_hold.png"))
    web.click_text(".o_notebook .nav-tabs a", "Mass Balance")
    web.wait_text(".o_notebook .tab-pane.active", "kg")
    web.driver.save_screenshot(os.path.join(ARTIFACTS, "recall_mass_balance.png"))


def test_draft_recall_tells_user_who_opens_it(web, admin):
    """The demo user opens the demo's draft recall: a manager opens it; no Open button."""
    web.login("demo", "demo")
    _open_recalls(web)
    _click_row(web, "APL-0005", "Draft")
    alert = web.wait_text(".o_form_view .alert-info", "Traceability manager")
    assert "opens it" in alert.text
    buttons = web.wait(".o_form_statusbar").text
    for absent in ("Open Recall", "Hold Stock", "Release Stock", "Print Evidence"):
        assert absent not in buttons
    os.makedirs(ARTIFACTS, exist_ok=True)
    web.driver.save_screenshot(os.path.join(ARTIFACTS, "recall_draft_user.png"))


def test_start_recall_from_lot_list(web):
    """The demo user selects APL-0001 in the lot list, Action > Start Recall: a draft recall
    of that lot opens, saved by the user, with the hint that a manager opens it."""
    web.login("demo", "demo")
    _open_menu(web, "lot_traceability.lot_traceability_menu_lots")
    search = web.wait(".o_searchview_input")
    search.send_keys("APL-0001")
    search.send_keys(Keys.ENTER)
    web.wait_idle()
    _click_retrying(web, ".o_list_view tr.o_group_header", "Organic Apples")  # by product
    row = WebDriverWait(web.driver, 30).until(lambda d: next((
        r for r in d.find_elements("css selector", ".o_list_view tr.o_data_row")
        if "APL-0001" in r.text), False))
    row.find_element("css selector", ".o_list_record_selector input").click()
    web.click_text(".o_cp_sidebar .btn", "Action")
    web.click_text(".o_cp_sidebar .dropdown-menu a", "Start Recall")
    web.wait_idle()
    web.wait_text(".o_form_view .o_field_many2manytags", "APL-0001")
    web.click(".o_form_button_save")
    web.wait_idle()
    web.wait_text(".o_statusbar_status .btn-primary", "Draft")
    web.wait_text(".o_form_view .alert-info", "Traceability manager")
