"""A person logs in and opens Inventory > Traceability in a real (headless) Chromium."""
import os

from .conftest import ARTIFACTS

ROOT_MENU = "lot_traceability.lot_traceability_menu_root"
LOTS_MENU = "lot_traceability.lot_traceability_menu_lots"


def open_traceability(web):
    web.click_text("#oe_main_menu_navbar a", "Inventory")
    web.wait_idle()
    section = web.wait('.oe_secondary_menu_section[data-menu-xmlid="%s"]' % ROOT_MENU)
    assert section.text.strip() == "Traceability"
    web.click('a[data-menu-xmlid="%s"]' % LOTS_MENU)
    web.wait_idle()
    web.wait_text(".o_control_panel .breadcrumb", "Lots")


def test_login_and_open_traceability_menu(web):
    web.login("admin", "admin")
    open_traceability(web)
    web.wait(".o_list_view")
    # A list grouped by product: unfold the apples to find the demo lot.
    groups = [g for g in web.driver.find_elements("css selector", ".o_list_view tr.o_group_header")
              if "Organic Apples" in g.text]
    if groups:
        groups[0].click()
    web.wait_text(".o_list_view", "APL-0001")
    os.makedirs(ARTIFACTS, exist_ok=True)
    web.driver.save_screenshot(os.path.join(ARTIFACTS, "traceability_menu.png"))


def test_demo_user_sees_traceability(web):
    """The demo user (a Traceability user, not a manager) has the menu too."""
    web.login("demo", "demo")
    open_traceability(web)
