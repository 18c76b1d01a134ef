# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A recall on the demo's apple lot APL-0001, as a quality manager runs it and an auditor reads
it: the evidence PDF rendered by the live server (wkhtmltopdf), read back with poppler's
pdftotext and turned into PNG pages with pdftoppm; the recall form through the menus."""
import os
import re
import subprocess

import pytest
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


def _open_recalls(web):
    """Inventory, then Traceability > Recalls in the side menu, as a person clicks them."""
    web.open("/web")
    web.click_text("#oe_main_menu_navbar a", "Inventory")
    web.wait_idle()
    web.click('a[data-menu-xmlid="%s"]' % RECALLS_MENU)
    web.wait_idle()
    web.wait(".o_list_view")


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
