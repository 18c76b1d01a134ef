# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The Scan screen and the lot page on a 390x844 phone (OCA's web_responsive): the field, its
buttons and the page's values are inside the screen, nothing scrolls sideways."""
from .stories import open_lot, open_menu, open_row
from .test_lot_scan_browser import JAR, scan, wait_lot_page


def test_phone_scan_screen_fits(demo_phone):
    field = scan(demo_phone, JAR)
    demo_phone.wait(".o_lot_scanner_message", JAR)
    demo_phone.assert_phone_layout()
    demo_phone.in_viewport(field)
    open_button = demo_phone.wait(".o_lot_scanner button", "Open")
    demo_phone.in_viewport(open_button)
    demo_phone.in_viewport(demo_phone.wait(".o_lot_scanner_message"))
    demo_phone.screenshot("phone_scan")
    with demo_phone.navigation():
        open_button.click()
    page = wait_lot_page(demo_phone, JAR)
    demo_phone.assert_phone_layout()
    demo_phone.in_viewport(demo_phone.wait(".o_form_view .oe_title"))
    assert page.size["width"] <= 390


def test_phone_lot_page_values_fit(demo_phone):
    open_lot(demo_phone, "APL-0001")
    page = demo_phone.wait(".o_form_view .o_lot_trace_page")
    demo_phone.assert_phone_layout()
    demo_phone.in_viewport(demo_phone.wait(".o_form_view .oe_title"))
    cells = demo_phone.visible(".o_lot_trace_page td, .o_form_view .o_group .o_field_widget")
    assert cells, "the lot page shows values"
    for cell in cells[:40]:
        box = cell.rect
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390.5, \
            "%r is cut off at the right: %s" % (cell.text[:30], box)
    assert "Corner Deli Co." in page.text
    demo_phone.screenshot("phone_lot_page")


def test_phone_main_buttons_in_sight(demo_phone):
    """web_responsive folds a form's header buttons into one menu on a phone; on the
    addon's screens the main action stays a button in sight (Split Into Units: Split, its
    only one, so no menu is left; Check Out / Check In: Apply)."""
    for menu, label in (("Split Into Units", "Split"), ("Check Out / Check In", "Apply")):
        open_menu(demo_phone, menu)
        button = demo_phone.wait(".o_form_view .o_lot_phone_buttons button", label)
        demo_phone.in_viewport(button)
        assert not demo_phone.visible(".o_form_view .o_statusbar_buttons_base button"), \
            "the desk's buttons show on a phone"
        demo_phone.assert_phone_layout()
        demo_phone.screenshot("phone_main_button_%s" % label.lower())
    # Split Into Units had one button: no menu left beside it
    open_menu(demo_phone, "Split Into Units")
    demo_phone.wait(".o_form_view .o_lot_phone_buttons button", "Split")
    assert not demo_phone.visible(".o_form_view .o_statusbar_buttons_dropdown")


def test_phone_recall_buttons_on_one_line(demo_phone):
    """The demo drill's form: Hold Stock in sight, and the menu of the other buttons beside
    it on the same line, not dropped into the form."""
    open_menu(demo_phone, "Recalls")
    open_row(demo_phone, "RCL/2026/0001")
    main = demo_phone.wait(".o_form_view .o_lot_phone_buttons button", "Hold Stock")
    menu = demo_phone.wait(".o_form_view .o_statusbar_buttons_dropdown > button")
    assert abs(main.rect["y"] - menu.rect["y"]) < 20, (main.rect, menu.rect)
    demo_phone.in_viewport(main)
    demo_phone.assert_phone_layout()
    demo_phone.screenshot("phone_recall_buttons")


def test_phone_lot_deliveries_list(demo_phone):
    """A lot's Deliveries list on a phone: Odoo folds the form's smart buttons behind
    More, Deliveries among them; the screen keeps the phone's width, the list scrolls
    sideways within it, and the customer and the lot are there."""
    open_lot(demo_phone, "APL-0001")
    demo_phone.click(".o_form_view .oe_button_box .o_button_more")
    with demo_phone.navigation():
        demo_phone.button("Deliveries")
    listing = demo_phone.wait(".o_list_view", "Green Grocer Ltd")
    demo_phone.assert_phone_layout()
    assert "APL-0001" in listing.text
    demo_phone.screenshot("phone_lot_deliveries")
