#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark: the FSMA 204 spreadsheet of a period of SCALE done move lines, time and memory.

Generates the supply chain of bench_trace (receipts, four levels of builds, deliveries, in
SQL in Odoo's shape), flags its products as foods on the Food Traceability List, then times
in one rolled-back transaction the FSMA 204 export of the whole period (every line is an
event row) against Odoo's own list export of the same done move lines (``export_data`` of
reference, lot, product, quantity, unit, date, from, to: *Inventory > Reports > Product
Moves > Export*), and prints ``BENCH fsma ...`` with the growth of the process's peak
resident memory during each (benchlib.start_peak: the peak is reset just before).

    python bench/bench_fsma.py --config .run/odoo.conf --db lot_bench [--scale 100k]
"""
import time

from odoo import fields

from bench_trace import Chain, run_scales
from benchlib import peak_growth_mb, start_peak

NATIVE_FIELDS = ["reference", "lot_id/name", "product_id/display_name", "qty_done",
                 "product_uom_id/name", "date", "location_id/display_name",
                 "location_dest_id/display_name"]


def bench_scale(env, scale):
    chain = Chain(env, scale)
    chain.generate()
    lines = len(chain.rows["line"])
    line_ids = [row[0] for row in chain.rows["line"]]
    del chain.rows
    env["product.product"].browse(chain.products).mapped("product_tmpl_id").write(
        {"fsma_food_traceability": True})
    today = env["stock.lot.fsma.export"].default_get(["date_to"])["date_to"]
    wizard = env["stock.lot.fsma.export"].create({
        "date_from": fields.Date.to_string(
            fields.Date.from_string(today).replace(year=fields.Date.from_string(today).year - 1)),
        "date_to": today})
    report = env.ref("lot_traceability.stock_lot_fsma_xlsx_action")
    env.cache.invalidate()
    before, how = start_peak()
    start = time.perf_counter()
    content, _kind = report.render_xlsx(wizard.ids, {})
    ours_ms = (time.perf_counter() - start) * 1000.0
    ours_peak = peak_growth_mb(before, how)
    env.cache.invalidate()
    before, how = start_peak()
    start = time.perf_counter()
    exported = env["stock.move.line"].browse(line_ids).export_data(NATIVE_FIELDS)
    native_ms = (time.perf_counter() - start) * 1000.0
    native_peak = peak_growth_mb(before, how)
    print("BENCH fsma lines=%d rows_native=%d bytes=%d file_mb=%.1f ours_ms=%.0f "
          "ours_peak_growth_mb=%.0f native_ms=%.0f native_peak_growth_mb=%.0f peak=%s "
          "ratio=%.2f" % (lines, len(exported["datas"]), len(content),
                          len(content) / 1048576.0, ours_ms, ours_peak, native_ms,
                          native_peak, how, native_ms / ours_ms), flush=True)


def main():
    run_scales(__doc__, "100k", bench_scale)


if __name__ == "__main__":
    main()
