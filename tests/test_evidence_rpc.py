"""Issue 13 over JSON-RPC, as the campaign's users: the demo Traceability user forges a build's
state, a plain Inventory user calls Split Into Units and Bulk Serial Entry, a portal user opens
a label URL. Each gets a refusal of the right kind, and nothing is written."""
import pytest

from .odoo_client import OdooClient, RPCError
from .test_assembly_rpc import jam_list
from .test_label_resolver import path_of, resolve
from .test_lot_labels_live import make_lot

ACCESS_ERROR = "odoo.exceptions.AccessError"


def make_user(admin, odoo_url, odoo_db, unique_name, *groups):
    login = unique_name("user").lower()
    admin.execute("res.users", "create", {
        "name": login, "login": login, "password": login,
        "groups_id": [(6, 0, [admin.ref(xmlid) for xmlid in groups])]},
        context={"no_reset_password": True})
    return OdooClient(odoo_url, odoo_db).login(login, login)


def counts(admin):
    return {model: admin.execute(model, "search_count", [])
            for model in ("stock.production.lot", "stock.move.line", "stock.quant")}


def test_forged_build_state(admin, odoo_url, odoo_db, unique_name):
    """The demo Traceability user writes state = done on a draft build: refused."""
    demo = OdooClient(odoo_url, odoo_db).login("demo", "demo")
    composition = jam_list(admin)
    build_id = demo.execute("stock.assembly", "create", {
        "composition_id": composition["id"], "product_id": composition["product_id"],
        "product_qty": 10.0})
    before = counts(admin)
    with pytest.raises(RPCError) as refused:
        demo.execute("stock.assembly", "write", [build_id], {"state": "done"})
    assert refused.value.name == ACCESS_ERROR
    assert "(state)" in refused.value.message
    assert admin.execute("stock.assembly", "read", [build_id], ["state"])[0]["state"] == "draft"
    assert counts(admin) == before


def test_plain_inventory_user_split_and_bulk_entry(admin, odoo_url, odoo_db, unique_name):
    """An Inventory user without the Traceability group: AccessError, nothing written."""
    user = make_user(admin, odoo_url, odoo_db, unique_name, "base.group_user",
                     "stock.group_stock_user", "stock.group_production_lot")
    lot_id = admin.execute("stock.production.lot", "search", [("name", "=", "APL-0002")])[0]
    before = counts(admin)
    # Refused at the first call the user can make (the wizard's defaults or its Apply).
    with pytest.raises(RPCError) as refused:
        split_id = user.execute("stock.lot.split", "create", {
            "location_id": admin.ref("stock.stock_location_stock"), "unit_count": 2},
            context={"active_model": "stock.production.lot", "active_id": lot_id})
        user.execute("stock.lot.split", "action_apply", [split_id])
    assert refused.value.name == ACCESS_ERROR
    product_id = admin.execute("product.product", "search", [("tracking", "=", "serial")],
                               limit=1)[0]
    with pytest.raises(RPCError) as refused:
        entry_id = user.execute("stock.serial.bulk.entry", "create", {
            "product_id": product_id, "serials_text": unique_name("SN"),
            "location_dest_id": admin.ref("stock.stock_location_stock")})
        user.execute("stock.serial.bulk.entry", "action_apply", [entry_id])
    assert refused.value.name == ACCESS_ERROR
    assert counts(admin) == before


def test_portal_user_label_url(admin, odoo_url, odoo_db, unique_name):
    """A portal user scanning a label gets the lot's public page (what any consumer reads,
    per the GS1 resolver rules), never a server error nor the backend."""
    portal = make_user(admin, odoo_url, odoo_db, unique_name, "base.group_portal")
    _product, lot_id = make_lot(admin, unique_name)
    lot_name = admin.execute("stock.production.lot", "read", [lot_id], ["name"])[0]["name"]
    path = path_of(admin.execute("stock.production.lot", "get_label_payload", [lot_id])[0]["uri"])
    response = resolve(portal, path)
    assert response.status_code == 200, response.text[:300]
    assert lot_name in response.text and "o_lt_lot" in response.text
    assert "/web#" not in response.text
