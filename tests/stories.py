# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Steps the README's stories share, done the way a person does them in the web client."""
from selenium.webdriver.common.keys import Keys

TRACEABILITY = ("Inventory", "Traceability")


def open_menu(client, name):
    """Inventory > Traceability > name, from wherever the client is."""
    client.menu(*(TRACEABILITY + (name,)))


def search(client, text):
    """Type text in the control panel's search box and press Enter (its first filter)."""
    box = client.wait(".o_control_panel .o_searchview_input")
    box.send_keys(text)
    with client.navigation_free():
        box.send_keys(Keys.ENTER)


def open_row(client, text):
    """Click the list row whose cell reads text, unfolding the groups it may sit in."""
    def row(driver):
        for cell in client.visible(".o_list_view tbody tr.o_data_row td"):
            if cell.text.strip() == text:
                return cell
        for header in client.visible(".o_list_view tbody tr.o_group_header:not(.o_group_open)"):
            client.try_click(header)
            return False
        return False
    cell = client.until(row, message="no row %s in the list" % text)
    with client.navigation():
        cell.click()


def open_lot(client, lot_name):
    """Inventory > Traceability > Lots/Serial Numbers, search the lot, open its page."""
    open_menu(client, "Lots/Serial Numbers")
    client.wait(".o_list_view")
    search(client, lot_name)
    open_row(client, lot_name)
    client.wait(".o_form_view .oe_title", lot_name)
    return client.wait(".o_form_view")


def edit(client):
    """Put the form in edit mode if it is not."""
    if client.visible(".o_form_buttons_view .o_form_button_edit"):
        client.click(".o_form_buttons_view .o_form_button_edit")
    client.wait(".o_form_buttons_edit .o_form_button_save")


def save(client):
    client.click(".o_form_buttons_edit .o_form_button_save")
    client.wait(".o_form_buttons_view .o_form_button_edit")
