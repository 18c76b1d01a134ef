# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The demo user (Traceability user) on the live server: saving a receipt and receiving
apples with their attributes over JSON-RPC, with the values the web client sends."""
from .odoo_client import OdooClient


def _demo(odoo_url, odoo_db):
    return OdooClient(odoo_url, odoo_db).login("demo", "demo")


def test_demo_user_saves_new_receipt(odoo_url, odoo_db, admin):
    """A new receipt of jar lids, with the values the transfer form sends (has_tracking
    included): saved, the product untouched."""
    demo = _demo(odoo_url, odoo_db)
    lid = admin.ref("lot_traceability_demo.product_lid_demo")
    receipts = admin.ref("stock.picking_type_in")
    supplier, stock = admin.ref("stock.stock_location_suppliers"), admin.ref(
        "stock.stock_location_stock")
    picking_id = demo.execute("stock.picking", "create", {
        "location_id": supplier, "location_dest_id": stock, "move_type": "direct",
        "partner_id": admin.ref("lot_traceability_demo.partner_valley_orchards_demo"),
        "picking_type_id": receipts, "priority": "1",
        "move_lines": [[0, "virtual_52", {
            "state": "draft", "picking_type_id": receipts, "location_id": supplier,
            "location_dest_id": stock, "additional": False, "name": "Jar Lid 70 mm",
            "product_id": lid, "product_uom": admin.ref("product.product_uom_unit"),
            "product_uom_qty": 100, "has_tracking": "none"}]]})
    moves = demo.execute("stock.move", "search_read", [("picking_id", "=", picking_id)],
                         ["product_id", "has_tracking"])
    assert [(m["product_id"][0], m["has_tracking"]) for m in moves] == [(lid, "none")]


def test_demo_user_receives_apples_with_attributes(odoo_url, odoo_db, admin, unique_name):
    """Receive Lots from the menu as the wizard's form sends it: the row with its attribute
    lines (attribute and value), a scanned expiry and the best before derived from it; the
    receipt is Ready and the lot carries the certificate."""
    demo = _demo(odoo_url, odoo_db)
    apples = admin.ref("lot_traceability_demo.product_apples_demo")
    certificate = admin.ref("lot_traceability_demo.lot_attribute_certificate_demo")
    brix = admin.ref("lot_traceability_demo.lot_attribute_brix_demo")
    lot_name = unique_name("APL")
    context = {"active_model": "product.product", "active_id": apples}
    wizard_id = demo.execute("stock.lot.receive", "create", {
        "warehouse_id": admin.ref("stock.warehouse0"), "product_id": apples,
        "partner_id": admin.ref("lot_traceability_demo.partner_valley_orchards_demo"),
        "scan": False, "validate_now": False,
        "line_ids": [[0, "virtual_20", {
            "value_ids": [[0, "virtual_25", {"attribute_id": brix, "value": False}],
                          [0, "virtual_28", {"attribute_id": certificate,
                                             "value": "CERT-LIVE"}]],
            "product_id": apples, "lot_name": lot_name, "quantity": 5,
            "uom_id": admin.ref("product.product_uom_kgm"), "supplier_lot_code": False,
            "production_date": False, "life_date": "2027-01-15", "use_date": "2026-12-31"}]]},
        context=context)
    action = demo.execute("stock.lot.receive", "action_apply", [wizard_id], context=context)
    picking = admin.execute("stock.picking", "read", [action["res_id"]], ["state"])[0]
    assert picking["state"] == "assigned"
    lot = admin.execute("stock.production.lot", "search_read", [("name", "=", lot_name)],
                        ["life_date", "use_date", "attribute_value_ids"])[0]
    assert (lot["life_date"][:10], lot["use_date"][:10]) == ("2027-01-15", "2026-12-31")
    values = admin.execute("stock.lot.attribute.value", "read", lot["attribute_value_ids"],
                           ["value"])
    assert [v["value"] for v in values] == ["CERT-LIVE"]
