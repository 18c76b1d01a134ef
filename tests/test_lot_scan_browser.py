# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Traceability > Scan in a real browser: scan a jar of the demo, Open, land on its page; an
unknown code says so; a phone that is not logged in opens a label URL and sees the lot's public
page; a lot's label prints from its page."""
from urllib.parse import urlsplit

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from .stories import open_lot, open_menu

JAR = "JAM-0001-001"


def scan(client, code):
    """Traceability > Scan, then type the code as a keyboard-wedge scanner does (Tab ends it)."""
    open_menu(client, "Scan")
    field = client.wait(".o_lot_scanner input.o_field_widget[name=code]")
    field.send_keys(code, Keys.TAB)
    client.wait_idle()
    return field


def wait_lot_page(client, lot_name):
    client.wait(".o_form_view .oe_title", lot_name)
    return client.wait(".o_form_view .o_lot_trace_page")


def test_scan_a_jar_and_open_its_page(demo_desk):
    scan(demo_desk, JAR)
    demo_desk.wait(".o_lot_scanner_message", JAR)
    lot = demo_desk.wait(".o_lot_scanner .o_field_widget[name=lot_id] input")
    assert lot.get_attribute("value") == JAR
    demo_desk.screenshot("feature-labels-scan")
    with demo_desk.navigation():
        demo_desk.button("Open")
    page = wait_lot_page(demo_desk, JAR)
    assert "JAM-0001" in page.text, "the jar's batch, upstream"
    demo_desk.breadcrumb("Scan")
    demo_desk.screenshot("feature-labels-lot")


def test_unknown_code_says_so(demo_desk):
    scan(demo_desk, "NO-SUCH-LOT-42")
    demo_desk.wait(".o_lot_scanner_message", "NO-SUCH-LOT-42")


def test_print_label_from_lot_page(demo_desk):
    """Print > Lot Label on the lot's page downloads a one-page PDF."""
    open_lot(demo_desk, "APL-0001")
    demo_desk.click(".o_cp_sidebar .o_dropdown_toggler_btn", "Print")
    with demo_desk.download() as files:
        demo_desk.click(".o_cp_sidebar .dropdown-menu a", "Lot Label (QR, 100 x 50 mm)")
    with open(files[0], "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_phone_not_logged_in_sees_the_public_page(demo_phone, admin):
    """The demo label of APL-0001 opened on a logged-out phone: the lot's public page (product,
    lot, recall status), no login."""
    lot_id = admin.execute("stock.production.lot", "search", [("name", "=", "APL-0001")])[0]
    uri = urlsplit(admin.execute("stock.production.lot", "get_label_payload", [lot_id])[0]["uri"])
    demo_phone.logout()
    demo_phone.driver.get(demo_phone.url + uri.path + ("?" + uri.query if uri.query else ""))
    demo_phone.wait(".o_lt_lot", "APL-0001")
    demo_phone.wait(".o_lt_clear", "No recall for this lot.")
    assert not demo_phone.driver.find_elements(By.CSS_SELECTOR, "input[name=login]")
