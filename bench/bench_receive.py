#!/usr/bin/env python
"""Receive Lots benchmark: apply N rows (one new lot each) through ``stock.lot.receive``
against Odoo's own receipt of the same rows through move lines (``lot_name`` + ``qty_done``,
then ``action_done``, where Odoo creates the lots).

Runs inside Odoo on a database you create (never the demo one), e.g.::

    bash scripts/db.sh ensure lot_bench nodemo
    .venv/bin/python bench/bench_receive.py --db lot_bench --rows 500

Everything is rolled back at the end. Prints ``BENCH receive_lots rows=... ours=...s
native=...s ratio=...`` (ratio = native / ours) and per-line milliseconds.
"""
import time
import uuid

from benchlib import bench_env, parse_args


def make_product(env, tag):
    return env["product.product"].create({
        "name": "Bench %s" % tag, "type": "product", "tracking": "lot",
        "life_time": 365, "use_time": 300})


def make_receipt(env, product, qty):
    picking_type = env.ref("stock.warehouse0").in_type_id
    Picking = env["stock.picking"]
    partner = env["res.partner"].create({"name": "Bench vendor", "supplier": True})
    picking = Picking.create(Picking._prepare_transfer_vals(picking_type, partner))
    env["stock.move"].create({
        "name": product.name, "picking_id": picking.id, "product_id": product.id,
        "product_uom": product.uom_id.id, "product_uom_qty": qty,
        "picking_type_id": picking_type.id, "location_id": picking.location_id.id,
        "location_dest_id": picking.location_dest_id.id})
    picking.action_confirm()
    return picking


def ours(env, rows, tag):
    product = make_product(env, "ours " + tag)
    picking = make_receipt(env, product, float(rows))
    start = time.time()
    wizard = env["stock.lot.receive"].create({
        "picking_id": picking.id, "validate_now": True,
        "line_ids": [(0, 0, {"product_id": product.id, "lot_name": "O%s-%05d" % (tag, n),
                             "quantity": 1.0, "supplier_lot_code": "S%05d" % n,
                             "production_date": "2026-01-01"})
                     for n in range(rows)]})
    wizard.action_apply()
    elapsed = time.time() - start
    assert picking.state == "done" and len(picking.move_line_ids.mapped("lot_id")) == rows
    return elapsed


def native(env, rows, tag):
    product = make_product(env, "native " + tag)
    picking = make_receipt(env, product, float(rows))
    start = time.time()
    move = picking.move_lines
    move.move_line_ids.unlink()
    for n in range(rows):
        env["stock.move.line"].create({
            "move_id": move.id, "picking_id": picking.id, "product_id": product.id,
            "product_uom_id": product.uom_id.id, "lot_name": "N%s-%05d" % (tag, n),
            "qty_done": 1.0, "location_id": move.location_id.id,
            "location_dest_id": move.location_dest_id.id})
    picking.action_done()
    elapsed = time.time() - start
    assert picking.state == "done" and len(picking.move_line_ids.mapped("lot_id")) == rows
    return elapsed


def main():
    args = parse_args(__doc__, "rows", 500)
    tag = uuid.uuid4().hex[:6].upper()
    with bench_env(args) as env:
        native_s = native(env, args.rows, tag)
        ours_s = ours(env, args.rows, tag)
    print("BENCH receive_lots rows=%d ours=%.2fs native=%.2fs ratio=%.2f "
          "ours_ms_per_line=%.1f native_ms_per_line=%.1f" % (
              args.rows, ours_s, native_s, native_s / ours_s,
              1000 * ours_s / args.rows, 1000 * native_s / args.rows))


if __name__ == "__main__":
    main()
