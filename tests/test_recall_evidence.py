# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A recall on the demo's apple lot APL-0001, as a quality manager runs it and an auditor reads
it: the evidence PDF rendered by the live server (wkhtmltopdf), read back with poppler's
pdftotext and turned into PNG pages with pdftoppm; the recall form through the menus."""
import os
import re
import subprocess

import pytest
from selenium.webdriver.common.by import By

from . import stories
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


def _open_recall(client, name):
    """Inventory > Traceability > Recalls, search the recall, open it."""
    stories.open_menu(client, "Recalls")
    client.wait(".o_list_view")
    stories.search(client, name)
    stories.open_row(client, name)
    client.wait(".o_form_view .o_form_statusbar")


def test_recall_form_screens(admin_desk, admin, held_recall):
    """A manager opens the recall from the menus: the call list, one customer's lots, the
    stock held and the mass balance; screenshots for the README."""
    name = admin.execute("stock.lot.recall", "read", [held_recall], ["name"])[0]["name"]
    client = admin_desk
    _open_recall(client, name)
    client.wait(".o_form_view .o_notebook", "Green Grocer Ltd")
    buttons = client.wait(".o_form_statusbar").text
    assert "Release Stock" in buttons and "Hold Stock" not in buttons
    client.screenshot("recall_call_list")
    client.click(".o_notebook .o_list_view td", "Green Grocer Ltd")
    assert "kg" in client.wait(".modal .o_form_view", "APL-0001").text
    client.screenshot("recall_customer_lots")
    client.click(".modal .modal-footer .btn")
    client.click(".o_notebook .nav-tabs a", "Stock on Hold")
    client.wait(".o_notebook .tab-pane.active", "In quarantine")
    client.screenshot("recall_stock_on_hold")
    client.click(".o_notebook .nav-tabs a", "Mass Balance")
    client.wait(".o_notebook .tab-pane.active", "kg")
    client.screenshot("recall_mass_balance")


def test_recall_tabs_on_a_phone(demo_phone, admin, held_recall):
    """On a phone the demo user sees a held recall without Release Stock (a manager's), and
    every tab of the recall lists its lines with their columns (lot, product, quantities), as
    on a desk: Odoo 11 would draw them as cards holding the line's display
    name alone ("1", "2", ...) for lines that have no name."""
    name = admin.execute("stock.lot.recall", "read", [held_recall], ["name"])[0]["name"]
    client = demo_phone
    _open_recall(client, name)
    # stock is held, but releasing it is a Traceability manager's: no button for the user
    client.wait(".o_form_statusbar")
    releases = client.driver.find_elements(
        By.CSS_SELECTOR, ".o_form_statusbar button[name=action_release]")
    # (a button the user may not press is left out of the form, or drawn invisible)
    assert all("o_invisible_modifier" in button.get_attribute("class")
               for button in releases), "Release Stock is shown to a user"
    expected = {"Customers": "Green Grocer Ltd", "Affected Lots": "APL-0001",
                "Stock on Hold": "In quarantine", "Mass Balance": "APL-0001"}
    for tab, text in expected.items():
        client.driver.execute_script(  # the tabs, above the last tab's screenshot
            "document.querySelector('.o_notebook .nav-tabs').scrollIntoView({block: 'center'});")
        client.click(".o_notebook .nav-tabs a", tab)
        pane = client.wait(".o_notebook .tab-pane.active .o_list_view", text)
        assert not client.visible(".o_notebook .tab-pane.active .o_kanban_view"), tab
        assert "Apple" in pane.text or tab == "Customers", (tab, pane.text)
        client.assert_phone_layout()
        client.driver.execute_script("arguments[0].scrollIntoView();", pane)
        client.screenshot("phone_recall_" + tab.lower().replace(" ", "_"))


def test_draft_recall_tells_user_who_opens_it(demo_desk, admin, unique_name):
    """The demo user opens a draft recall: the form says a manager opens it; no Open button."""
    lot_ids = admin.execute("stock.production.lot", "search", [("name", "=", "APL-0002")])
    recall_id = admin.execute("stock.lot.recall", "create", {
        "lot_ids": [(6, 0, lot_ids)], "is_mock": True, "reason": unique_name("Draft drill")})
    name = admin.execute("stock.lot.recall", "read", [recall_id], ["name"])[0]["name"]
    client = demo_desk
    _open_recall(client, name)
    alert = client.wait(".o_form_view .alert-info", "Traceability manager")
    assert "opens it" in alert.text
    buttons = client.wait(".o_form_statusbar").text
    for absent in ("Open Recall", "Hold Stock", "Release Stock", "Print Evidence"):
        assert absent not in buttons
    client.screenshot("recall_draft_user")


def test_start_recall_from_lot_list(demo_desk):
    """The demo user selects APL-0001 in the lot list, Action > Start Recall: a draft recall
    of that lot opens, saved by the user, with the hint that a manager opens it."""
    client = demo_desk
    stories.open_menu(client, "Lots/Serial Numbers")
    client.wait(".o_list_view")
    stories.search(client, "APL-0001")

    def selector(driver):
        for header in client.visible(".o_list_view tbody tr.o_group_header:not(.o_group_open)"):
            client.try_click(header)
            return False
        for row in client.visible(".o_list_view tr.o_data_row"):
            if "APL-0001" in row.text:
                return row.find_element("css selector", ".o_list_record_selector input")
        return False
    client.until(selector, message="no row APL-0001 in the list").click()
    client.click(".o_cp_sidebar .btn", "Action")
    with client.navigation():
        client.click(".o_cp_sidebar .dropdown-menu a", "Start Recall")
    client.wait(".o_form_view .o_field_many2manytags", "APL-0001")
    client.click(".o_form_button_save")
    client.wait(".o_statusbar_status .btn-primary", "Draft")
    client.wait(".o_form_view .alert-info", "Traceability manager")
