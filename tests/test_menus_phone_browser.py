# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Every Traceability menu the demo user sees opens on a 390x844 phone: no error dialog, no
console error, nothing that scrolls the page sideways; a screenshot of each.

The menus come from the server (the demo user's own menu tree over JSON-RPC), so a menu added
later is swept too, without a line here. Each screen is opened through the URL's hash, as the
web client itself does on a menu click, so the sweep costs one action load per menu.
"""
from .odoo_client import OdooClient

ROOT = "lot_traceability.lot_traceability_menu_root"


def _leaves(menu):
    """The menus of the tree under ``menu`` that open an action, in the menu's order."""
    for child in menu.get("children", []):
        if child.get("action"):
            yield child
        yield from _leaves(child)


def _demo_menus(odoo_url, odoo_db, root_id):
    demo = OdooClient(odoo_url, odoo_db).login("demo", "demo")
    tree = demo.execute("ir.ui.menu", "load_menus", False)

    def find(menu):
        if menu.get("id") == root_id:
            return menu
        return next((found for found in map(find, menu.get("children", [])) if found), None)
    root = find(tree)
    assert root, "the demo user does not see the Traceability menu"
    return list(_leaves(root))


def test_every_traceability_menu_opens_on_a_phone(demo_phone, admin, odoo_url, odoo_db):
    menus = _demo_menus(odoo_url, odoo_db, admin.ref(ROOT))
    assert len(menus) >= 10, [menu["name"] for menu in menus]
    for menu in menus:
        action_id = int(menu["action"].split(",")[1])
        with demo_phone.navigation():
            demo_phone.driver.execute_script(
                "window.location.hash = arguments[0];",
                "menu_id=%d&action=%d" % (menu["id"], action_id))
        demo_phone.until(lambda d: demo_phone.visible(
            ".o_main_content .o_content > *, .modal .o_form_view, .o_lot_scanner"),
            message="menu %s shows nothing" % menu["name"])
        demo_phone.wait_idle()
        demo_phone.check()
        demo_phone.assert_phone_layout()
        demo_phone.screenshot("phone_menu_%d_%s" % (
            menu["id"], "".join(c if c.isalnum() else "_" for c in menu["name"]).lower()))
        # A wizard in a dialog: close it before the next menu.
        for close in demo_phone.visible(".modal .modal-header .close"):
            close.click()
        demo_phone.wait_gone(".modal .o_form_view")
