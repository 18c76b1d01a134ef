#!/usr/bin/env python
"""Assembly benchmark: a build of N lot-tracked component lines (composition list, one scan
per lot, Done) against mrp producing the same N-line bill of materials (manufacturing order,
reservation, produce wizard with the lots, Mark as Done).

mrp is not a dependency of lot_traceability: the benchmark installs it into its own bench
database, which you create (never the demo one), e.g.::

    bash scripts/db.sh ensure lot_bench_mrp nodemo
    .venv/bin/python bench/bench_assembly.py --db lot_bench_mrp --lines 200

The data is generated and rolled back at the end. Prints ``BENCH assembly lines=...
ours=...s ours_done=...s native=...s ratio=...`` (ratio = native / ours; ``ours`` includes
the N scans, ``ours_done`` is Done alone).
"""
import argparse
import os
import time
import uuid

import odoo

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def ensure_mrp(registry):
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        module = env["ir.module.module"].search([("name", "=", "mrp")])
        if module.state != "installed":
            print("installing mrp into the bench database (once)")
            module.button_immediate_install()
            cr.commit()


def make_components(env, lines, tag):
    """N lot-tracked components with one lot of 10 units each, in stock."""
    Picking = env["stock.picking"]
    warehouse = env.ref("stock.warehouse0")
    partner = env["res.partner"].create({"name": "Bench vendor %s" % tag, "supplier": True})
    rows = []
    for n in range(lines):
        product = env["product.product"].create({
            "name": "Bench part %s-%03d" % (tag, n), "type": "product", "tracking": "lot"})
        lot = env["stock.production.lot"].create({"name": "BP%s-%03d" % (tag, n),
                                                  "product_id": product.id})
        rows.append((product, 10.0, lot))
    Picking._create_done_transfer(warehouse.in_type_id, partner, rows)
    final = env["product.product"].create({"name": "Bench assembly %s" % tag,
                                           "type": "product", "tracking": "lot"})
    return final, rows


def ours(env, final, rows, tag):
    composition = env["stock.composition"].create({
        "name": "Bench list %s" % tag, "product_id": final.id, "product_qty": 1.0,
        "line_ids": [(0, 0, {"product_id": p.id, "product_qty": 1.0,
                             "product_uom_id": p.uom_id.id}) for p, _q, _l in rows]})
    start = time.time()
    build = env["stock.assembly"].create({"composition_id": composition.id,
                                          "product_id": final.id, "lot_name": "O" + tag})
    for _product, _qty, lot in rows:
        build.action_scan(lot.name)
    done_start = time.time()
    build.action_done()
    end = time.time()
    assert build.state == "done" and len(build.line_ids.mapped("lot_id")) == len(rows)
    return end - start, end - done_start


def native(env, final, rows, tag):
    bom = env["mrp.bom"].create({
        "product_tmpl_id": final.product_tmpl_id.id, "product_qty": 1.0,
        "bom_line_ids": [(0, 0, {"product_id": p.id, "product_qty": 1.0})
                         for p, _q, _l in rows]})
    start = time.time()
    production = env["mrp.production"].create({
        "product_id": final.id, "product_qty": 1.0, "bom_id": bom.id,
        "product_uom_id": final.uom_id.id})
    production.action_assign()
    lot = env["stock.production.lot"].create({"name": "N" + tag, "product_id": final.id})
    produce = env["mrp.product.produce"].with_context(
        active_id=production.id, active_ids=[production.id]).create(
        {"product_qty": 1.0, "lot_id": lot.id})
    for line in produce.produce_line_ids:
        line.qty_done = line.qty_to_consume
    produce.do_produce()
    production.button_mark_done()
    elapsed = time.time() - start
    assert production.state == "done"
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="lot_bench_mrp")
    parser.add_argument("--scale", "--lines", dest="lines", type=int, default=200,
                        help="component lines of the assembly")
    parser.add_argument("--config", default=os.path.join(ROOT, ".run", "odoo.conf"))
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "--log-level=warn"])
    ensure_mrp(odoo.registry(args.db))
    registry = odoo.modules.registry.Registry.new(args.db)
    tag = uuid.uuid4().hex[:6].upper()
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        final, rows = make_components(env, args.lines, tag)
        native_s = native(env, final, rows, tag)
        ours_s, ours_done_s = ours(env, final, rows, tag)
        cr.rollback()
    print("BENCH assembly lines=%d ours=%.2fs ours_done=%.2fs native=%.2fs ratio=%.2f "
          "ours_ms_per_scan=%.1f" % (args.lines, ours_s, ours_done_s, native_s,
                                     native_s / ours_s, 1000 * (ours_s - ours_done_s)
                                     / args.lines))


if __name__ == "__main__":
    main()
