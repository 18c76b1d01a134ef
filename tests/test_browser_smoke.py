# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A person logs in and finds Inventory > Traceability in a real (headless) Chromium."""


def test_demo_user_finds_traceability_menu(demo_desk):
    """The demo user (a Traceability user, not a manager) opens the Traceability menu from the
    Inventory app and its list of lots."""
    demo_desk.menu("Inventory")
    demo_desk.click(".oe_secondary_menu a.dropdown-toggle", "Traceability")
    items = [a.text.strip() for a in demo_desk.visible(".oe_secondary_menu .dropdown-menu a")]
    for name in ("Scan", "Lots/Serial Numbers", "Receive Lots", "Bulk Serial Entry",
                 "Assembly Builds", "Recalls", "FSMA 204 Export"):
        assert name in items, "%s missing from Traceability: %s" % (name, items)
    assert "Lot Attributes" not in items, "a manager's menu"
    demo_desk.screenshot("traceability_menu")
    demo_desk.click(".oe_secondary_menu .dropdown-menu a", "Lots/Serial Numbers")
    demo_desk.breadcrumb("Lots")
    demo_desk.wait(".o_list_view", "Organic Apples")
