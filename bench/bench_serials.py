#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Bulk serial entry against Odoo's native receipt of the same serials.

    .venv/bin/python bench/bench_serials.py [N] [--db NAME] [--native-max M]

N serials (default 1000) are received into WH/Stock, in the same run on generated data:
  ours:   Bulk Serial Entry (stock.serial.bulk.entry) create + action_apply();
  native: Odoo's own receipt: a picking with one move of N units, confirmed (Odoo makes one
          move line per unit), every line given its lot_name and qty_done=1 in one write (as
          the transfer form saves), then button_validate (lots created from lot_name).
Both run as the admin user in one transaction that is rolled back, on a database made for
benchmarks (default lot_bench: created without demo data by scripts/db.sh if missing, and
the addon updated to this checkout; a database given with --db is used as it is).
Prints ``BENCH serials n=... ours=...s native=...s ratio=...`` (ratio = native / ours).
"""
import argparse
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", nargs="?", type=int, default=1000, help="serials per receipt")
    parser.add_argument("--scale", type=int, help="serials per receipt (as `make bench SCALE=`)")
    parser.add_argument("--db", default="lot_bench", help="database (created if missing)")
    parser.add_argument("--config", default=os.path.join(ROOT, ".run", "odoo.conf"))
    args = parser.parse_args()
    args.n = args.scale or args.n
    return args


def ensure_database(name):
    """Create the database if missing, then bring the addon up to this checkout's code."""
    subprocess.check_call(["bash", os.path.join(ROOT, "scripts", "db.sh"), "ensure", name,
                           "nodemo"])
    subprocess.check_call(["bash", "-c", 'source scripts/common.sh && odoo_cmd -d "$0" '
                           "-u lot_traceability --stop-after-init --log-level=warn", name],
                          cwd=ROOT)


def make_product(env, name):
    return env["product.product"].create({
        "name": name, "type": "product", "tracking": "serial"})


def run_ours(env, product, serials, location, vendor):
    wizard = env["stock.serial.bulk.entry"].create({
        "product_id": product.id, "location_dest_id": location.id, "partner_id": vendor.id,
        "origin": "BENCH-OURS", "warranty_date": "2030-12-31",
        "serials_text": "\n".join(serials)})
    # The work itself, timed in this process (not handed to a background job).
    from odoo.addons.lot_traceability.tools.internal_context import internal_context
    wizard.with_context(**internal_context(lot_traceability_sync=True)).action_apply()


def run_native(env, product, serials, location, vendor):
    picking_type = env.ref("stock.picking_type_in")
    picking = env["stock.picking"].create({
        "picking_type_id": picking_type.id, "partner_id": vendor.id, "origin": "BENCH-NATIVE",
        "location_id": env.ref("stock.stock_location_suppliers").id,
        "location_dest_id": location.id,
        "move_lines": [(0, 0, {
            "name": product.name, "product_id": product.id, "product_uom": product.uom_id.id,
            "picking_type_id": picking_type.id,
            "product_uom_qty": len(serials),
            "location_id": env.ref("stock.stock_location_suppliers").id,
            "location_dest_id": location.id})]})
    picking.action_confirm()
    lines = picking.move_line_ids.sorted("id")
    assert len(lines) == len(serials), "Odoo made %d lines for %d units" % (
        len(lines), len(serials))
    picking.write({"move_line_ids": [(1, line.id, {"lot_name": serial, "qty_done": 1.0})
                                     for line, serial in zip(lines, serials)]})
    picking.button_validate()
    assert picking.state == "done", picking.state


def timed(env, function, *args):
    env.cr.execute("SAVEPOINT bench")
    start = time.time()
    function(env, *args)
    env.cr.execute("SELECT 1")  # every pending write reached the database
    elapsed = time.time() - start
    env.cr.execute("ROLLBACK TO SAVEPOINT bench")
    env["stock.production.lot"].invalidate_cache()
    return elapsed


def main():
    args = parse_args()
    if args.db == "lot_bench":
        ensure_database(args.db)
    import odoo
    from odoo.api import Environment
    odoo.tools.config.parse_config(["-c", args.config])
    registry = odoo.registry(args.db)
    serials = ["BN-%07d" % number for number in range(1, args.n + 1)]
    with Environment.manage(), registry.cursor() as cr:
        env = Environment(cr, odoo.SUPERUSER_ID, {})
        vendor = env["res.partner"].create({"name": "Bench Vendor", "supplier": True})
        location = env.ref("stock.stock_location_stock")
        ours = timed(env, run_ours, make_product(env, "Bench asset ours"), serials, location,
                     vendor)
        native = timed(env, run_native, make_product(env, "Bench asset native"), serials,
                       location, vendor)
        cr.rollback()
    print("BENCH serials n=%d ours=%.2fs native=%.2fs ratio=%.1f"
          % (args.n, ours, native, native / ours))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
