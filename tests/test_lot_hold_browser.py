# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A lot on hold, as the demo Traceability user does it: the lot's page, Put On Hold with a
reason, the badge and the banner; the Scan screen says the lot is held; a delivery of it is
refused over JSON-RPC with the hold's reason. The lot is released afterwards (a manager)."""
import pytest

from .odoo_client import RPCError
from .stock_steps import transfer
from .stories import open_lot
from .test_lot_scan_browser import scan


@pytest.fixture
def stocked_lot(admin, unique_name):
    """A lot of a new product with 10 units in WH/Stock; released again afterwards."""
    product_id = admin.execute("product.product", "create", {
        "name": unique_name("Goat Cheese"), "type": "product", "tracking": "lot"})
    lot_id = admin.execute("stock.production.lot", "create", {
        "product_id": product_id, "name": unique_name("GC")})
    transfer(admin, "in", False, product_id, lot_id, 10)
    lot = admin.execute("stock.production.lot", "read", [lot_id], ["name"])[0]
    yield dict(lot, product_id=product_id)
    state = admin.execute("stock.production.lot", "read", [lot_id], ["quality_state"])[0]
    if state["quality_state"] != "released":
        admin.execute("stock.production.lot", "action_quality_release", [lot_id])


def test_put_lot_on_hold(demo_desk, admin, stocked_lot):
    client = demo_desk
    open_lot(client, stocked_lot["name"])
    client.click(".o_form_statusbar button", "Put On Hold")
    client.wait(".modal .o_form_view")
    reason = client.wait(".modal textarea.o_field_widget[name=reason]")
    reason.send_keys("Listeria swab positive on line 2")
    client.click(".modal-footer .btn-primary", "Apply")
    client.wait_gone(".modal .o_form_view")
    client.wait(".o_form_view .o_lot_quality_badge", "On hold")
    banner = client.wait(".o_form_view .o_lot_quality_alert", "Listeria swab positive")
    assert "Nothing reserves or ships this lot" in banner.text
    client.screenshot("lot_on_hold")
    scan(client, stocked_lot["name"])
    client.wait(".o_lot_scanner_hold", "Listeria swab positive")
    client.screenshot("scan_on_hold")
    with pytest.raises(RPCError) as refused:
        transfer(admin, "out", False, stocked_lot["product_id"], stocked_lot["id"], 1)
    assert "is on hold (Listeria swab positive" in refused.value.message


def test_a_caller_cannot_forge_the_bulk_writers_context(admin, stocked_lot):
    """The bulk writer tells Odoo which lines it completed itself through an internal
    context key; sent by a caller over JSON-RPC, the same key changes nothing: the delivery
    of the held lot is refused, and its stock stays where it is."""
    lot_id = stocked_lot["id"]
    admin.execute("stock.production.lot", "action_quality_hold", [lot_id], "Forged key test")
    last = admin.execute("stock.move.line", "search", [], limit=1, order="id desc")[0]
    # the delivery's line is one of the next ids
    forged = {"lot_bulk_done_line_ids": list(range(last + 1, last + 20)),
              "lot_traceability_sync": True, "lot_transform_bulk": True}
    with pytest.raises(RPCError) as refused:
        transfer(admin, "out", False, stocked_lot["product_id"], lot_id, 1, context=forged)
    assert "is on hold (Forged key test" in refused.value.message
    quants = admin.execute("stock.quant", "search_read", [
        ("lot_id", "=", lot_id), ("location_id.usage", "=", "internal")], ["quantity"])
    assert sum(quant["quantity"] for quant in quants) == 10
