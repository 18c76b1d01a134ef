"""Shop-floor scanners and phones drive builds and splits over JSON-RPC (demo chain)."""
import pytest

from .odoo_client import RPCError


def jam_list(admin):
    """A composition list of the demo apples and sugar (jam bulk product): tests leave the
    demo's jars, which the setup smoke tests count, alone."""
    kg = admin.ref("product.product_uom_kgm")
    product_id = admin.ref("lot_traceability_demo.product_apple_jam_demo")
    lines = [(admin.ref("lot_traceability_demo.product_apples_demo"), 8.0, "Fruit"),
             (admin.ref("lot_traceability_demo.product_sugar_demo"), 2.0, "Sweetener")]
    list_id = admin.execute("stock.composition", "create", {
        "name": "Test jam list", "product_id": product_id, "product_qty": 10.0,
        "line_ids": [(0, 0, {"product_id": p, "product_qty": q, "role": r,
                             "product_uom_id": kg}) for p, q, r in lines]})
    return {"id": list_id, "product_id": product_id}


def _lot_stock(admin, lot_id):
    quants = admin.execute("stock.quant", "search_read",
                           [("lot_id", "=", lot_id), ("location_id.usage", "=", "internal")],
                           ["quantity"])
    return sum(q["quantity"] for q in quants)


def test_build_scanned_over_rpc_then_split(admin, unique_name):
    """A 10 kg jam batch scanned by lot codes and the jar barcode, done, then split."""
    composition = jam_list(admin)
    lot_name = unique_name("JAM")
    build_id = admin.execute("stock.assembly", "create", {
        "composition_id": composition["id"], "product_id": composition["product_id"],
        "product_qty": 10.0, "lot_name": lot_name})
    with pytest.raises(RPCError) as refused:
        admin.execute("stock.assembly", "action_scan", [build_id], "NO-SUCH-CODE")
    assert "NO-SUCH-CODE" in refused.value.message
    for code in ("APL-0002", "SUG-0001"):
        result = admin.execute("stock.assembly", "action_scan", [build_id], code)
        assert result["status"] == "ok"
    admin.execute("stock.assembly", "action_done", [build_id])
    build = admin.execute("stock.assembly", "read", [build_id], ["state", "lot_id"])[0]
    assert build["state"] == "done"
    assert _lot_stock(admin, build["lot_id"][0]) == 10.0

    wizard_id = admin.execute("stock.lot.split", "create", {
        "unit_count": 4, "split_qty": 2.0,
        "unit_product_id": admin.ref("lot_traceability_demo.product_apple_jam_jar_demo")},
        context={"active_model": "stock.production.lot", "active_id": build["lot_id"][0]})
    action = admin.execute("stock.lot.split", "action_apply", [wizard_id])
    units = admin.execute("stock.production.lot", "search_read", action["domain"],
                          ["name", "parent_lot_id"], order="name")
    assert [u["name"] for u in units] == ["%s-%03d" % (lot_name, n) for n in range(1, 5)]
    assert {u["parent_lot_id"][0] for u in units} == {build["lot_id"][0]}
    assert _lot_stock(admin, build["lot_id"][0]) == 8.0
