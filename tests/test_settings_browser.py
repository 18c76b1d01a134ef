# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A manager checks where the labels point: Inventory > Configuration > Settings > Label
Domain holds the demo's domain; a localhost domain gets a warning before it is saved."""
from selenium.webdriver.common.keys import Keys


def test_label_domain_warns_about_localhost(admin_desk):
    admin_desk.menu("Inventory", "Configuration", "Settings")
    field = admin_desk.field("lot_label_domain")
    assert field.get_attribute("value") == "https://trace.example.com", "the demo's domain"
    assert not admin_desk.visible(".o_lot_label_domain_warning")
    field.clear()
    field.send_keys("http://127.0.0.1:8069", Keys.TAB)
    warning = admin_desk.wait(".o_lot_label_domain_warning", "127.0.0.1")
    admin_desk.in_viewport(warning)
    admin_desk.screenshot("settings_label_domain")
    field.clear()
    field.send_keys("https://trace.example.com", Keys.TAB)
    admin_desk.wait_gone(".o_lot_label_domain_warning")
