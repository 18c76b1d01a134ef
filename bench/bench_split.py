#!/usr/bin/env python
"""Split benchmark: split one batch into N units through ``stock.lot.split`` (one
transformation, N new lots) against Odoo's own way of making N lots out of a batch: one
internal transfer per unit is not a split, so the native figure is the same N lots and move
lines written through a plain stock move (``lot_name`` lines, ``_action_done``), without the
genealogy links, lock and checks.

Runs inside Odoo on a database you create (never the demo one), e.g.::

    bash scripts/db.sh ensure lot_bench nodemo
    .venv/bin/python bench/bench_split.py --db lot_bench --units 1000

Rolled back at the end. Prints ``BENCH split units=... ours=...s native=...s ratio=...``;
the goal for 1,000 units is under 20 s on a 2-core machine.
"""
import time
import uuid

from benchlib import bench_env, internal_context, parse_args

GOAL_S = 20.0


def make_batch(env, units, tag):
    warehouse = env.ref("stock.warehouse0")
    kg = env.ref("product.product_uom_kgm")
    product = env["product.product"].create({
        "name": "Bench sauce %s" % tag, "type": "product", "tracking": "lot",
        "uom_id": kg.id, "uom_po_id": kg.id})
    batch = env["stock.production.lot"].create({"name": "BS" + tag, "product_id": product.id})
    partner = env["res.partner"].create({"name": "Bench vendor %s" % tag, "supplier": True})
    env["stock.picking"]._create_done_transfer(warehouse.in_type_id, partner,
                                               [(product, units * 0.5, batch)])
    jar = env["product.product"].create({
        "name": "Bench jar %s" % tag, "type": "product", "tracking": "lot",
        "net_content_qty": 0.5, "net_content_uom_id": kg.id})
    return batch, jar


def ours(env, units, tag):
    batch, jar = make_batch(env, units, "O" + tag)
    start = time.time()
    wizard = env["stock.lot.split"].with_context(
        active_model="stock.production.lot", active_id=batch.id).create(
        {"unit_product_id": jar.id, "unit_count": units})
    # The work itself, timed in this process (not handed to a background job).
    action = wizard.with_context(**internal_context(lot_traceability_sync=True)).action_apply()
    elapsed = time.time() - start
    assert len(env["stock.production.lot"].search(action["domain"])) == units
    return elapsed


def native(env, units, tag):
    """Odoo's own way to create N lots with stock: one done move with N ``lot_name`` lines
    (a receipt type creates the lots), from the production location."""
    batch, jar = make_batch(env, units, "N" + tag)
    picking_type = env.ref("stock.warehouse0").in_type_id
    start = time.time()
    move = env["stock.move"].create({
        "name": "native", "product_id": jar.id, "product_uom": jar.uom_id.id,
        "product_uom_qty": units, "picking_type_id": picking_type.id,
        "location_id": jar.property_stock_production.id,
        "location_dest_id": picking_type.default_location_dest_id.id})
    move._action_confirm()
    for n in range(units):
        env["stock.move.line"].create({
            "move_id": move.id, "product_id": jar.id, "product_uom_id": jar.uom_id.id,
            "lot_name": "%s-%04d" % (batch.name, n), "qty_done": 1.0,
            "location_id": move.location_id.id, "location_dest_id": move.location_dest_id.id})
    move._action_done()
    elapsed = time.time() - start
    assert move.state == "done"
    return elapsed


def main():
    args = parse_args(__doc__, "units", 1000)
    tag = uuid.uuid4().hex[:6].upper()
    with bench_env(args) as env:
        native_s = native(env, args.units, tag)
        ours_s = ours(env, args.units, tag)
    print("BENCH split units=%d ours=%.2fs native=%.2fs ratio=%.2f goal=%.0fs met=%s" % (
        args.units, ours_s, native_s, native_s / ours_s, GOAL_S,
        "yes" if ours_s < GOAL_S else "no"))


if __name__ == "__main__":
    main()
