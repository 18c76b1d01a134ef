# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A receiving clerk (the demo user) receives a lot through Traceability > Receive Lots,
scanning a GS1 code; the lot is saved with its attribute's value."""
import random

from selenium.webdriver.common.keys import Keys

from .stories import open_menu


def gtin13(digits12):
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits12))
    return digits12 + str((10 - total % 10) % 10)


def make_product(admin, unique_name):
    """A lot-tracked juice with a GTIN and a required lot attribute that has a default."""
    attribute_id = admin.execute("stock.lot.attribute", "create", {
        "name": unique_name("Harvest Block"), "value_type": "text", "level": "lot",
        "required": True, "default_value": "North orchard"})
    name = unique_name("Pear Juice")
    barcode = gtin13("2%011d" % random.randrange(10 ** 11))
    admin.execute("product.product", "create", {
        "name": name, "type": "product", "tracking": "lot", "barcode": barcode,
        "use_time": 200, "life_time": 240, "lot_attribute_ids": [(6, 0, [attribute_id])]})
    return name, barcode, attribute_id


def test_receive_a_lot_with_attributes_from_menu(demo_desk, admin, unique_name):
    product, barcode, attribute_id = make_product(admin, unique_name)
    lot_name = unique_name("PJ")
    open_menu(demo_desk, "Receive Lots")
    demo_desk.wait(".modal .o_form_view")
    demo_desk.choose("product_id", product, within=".modal")
    demo_desk.choose("partner_id", "Valley Orchards", within=".modal")
    scan = demo_desk.field("scan", within=".modal")
    scan.send_keys("(01)0%s(10)%s(11)260301(30)18" % (barcode, lot_name), Keys.TAB)
    demo_desk.wait(".modal .o_list_view tbody tr.o_data_row", lot_name)
    rows = demo_desk.visible(".modal .o_list_view tbody tr.o_data_row")
    assert len(rows) == 1, "the scan fills the wizard's one row: %s" % [r.text for r in rows]
    demo_desk.screenshot("receive_lots_wizard")
    demo_desk.click(".modal-footer button", "Receive")
    demo_desk.wait_gone(".modal .o_form_view")
    lot = admin.execute("stock.production.lot", "search_read", [("name", "=", lot_name)],
                        ["production_date", "life_date", "product_qty"])
    assert len(lot) == 1, "one lot %s" % lot_name
    assert lot[0]["production_date"] == "2026-03-01"
    assert lot[0]["life_date"].startswith("2026-10-27"), "production date + 240 days"
    values = admin.execute("stock.lot.attribute.value", "search_read",
                           [("lot_id", "=", lot[0]["id"])], ["attribute_id", "value"])
    assert [(v["attribute_id"][0], v["value"]) for v in values] == [
        (attribute_id, "North orchard")]
