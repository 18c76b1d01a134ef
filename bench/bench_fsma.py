#!/usr/bin/env python3
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Benchmark: the FSMA 204 spreadsheet of a period of SCALE done move lines, time and memory.

Generates the supply chain of bench_trace (receipts, four levels of builds, deliveries, in
SQL in Odoo's shape), flags its products as foods on the Food Traceability List, then times
in one rolled-back transaction the FSMA 204 export of the whole period (every line is an
event row) against Odoo's own list export of the same done move lines (``export_data`` of
reference, lot, product, quantity, unit, date, from, to: *Inventory > Reports > Product
Moves > Export*), and prints ``BENCH fsma ...`` with the growth of the process's resident
memory during each (sampled every 5 ms) and, from a second run of ours under tracemalloc,
the peak of its Python allocations.

    python bench/bench_fsma.py --config .run/odoo.conf --db lot_bench [--scale 100k]
"""
import threading
import time
import tracemalloc

from odoo import fields

from bench_trace import Chain, run_scales

NATIVE_FIELDS = ["reference", "lot_id/name", "product_id/display_name", "qty_done",
                 "product_uom_id/name", "date", "location_id/display_name",
                 "location_dest_id/display_name"]


def rss_mb():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 1024.0 / 1024.0


class RssPeak(object):
    """Highest resident memory (MB) above the start, while the block runs."""

    def __enter__(self):
        self.start = self.peak = rss_mb()
        self.running = True
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def _sample(self):
        while self.running:
            self.peak = max(self.peak, rss_mb())
            time.sleep(0.005)

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()
        self.growth = max(self.peak, rss_mb()) - self.start


def bench_scale(env, scale):
    chain = Chain(env, scale)
    chain.generate()
    lines = len(chain.rows["line"])
    line_ids = [row[0] for row in chain.rows["line"]]
    del chain.rows
    env["product.product"].browse(chain.products).mapped("product_tmpl_id").write(
        {"fsma_food_traceability": True})
    today = fields.Date.context_today(env.user)
    wizard = env["stock.lot.fsma.export"].create({
        "date_from": fields.Date.to_string(
            fields.Date.from_string(today).replace(year=fields.Date.from_string(today).year - 1)),
        "date_to": today})
    report = env.ref("lot_traceability.stock_lot_fsma_xlsx_action")
    env["res.users"].invalidate_cache()
    with RssPeak() as ours:
        start = time.perf_counter()
        content, _kind = report.render_xlsx(wizard.ids, {})
        ours_ms = (time.perf_counter() - start) * 1000.0
    # Once more under tracemalloc: the peak of Python allocations, which freed memory the
    # process keeps from the data generation cannot hide (RSS growth can under-read).
    env["res.users"].invalidate_cache()
    tracemalloc.start()
    report.render_xlsx(wizard.ids, {})
    ours_py_peak = tracemalloc.get_traced_memory()[1] / 1024.0 / 1024.0
    tracemalloc.stop()
    env["res.users"].invalidate_cache()
    with RssPeak() as native:
        start = time.perf_counter()
        exported = env["stock.move.line"].browse(line_ids).export_data(NATIVE_FIELDS)
        native_ms = (time.perf_counter() - start) * 1000.0
    print("BENCH fsma lines=%d rows_native=%d bytes=%d ours_ms=%.0f ours_rss_growth_mb=%.0f "
          "ours_py_peak_mb=%.0f native_ms=%.0f native_rss_growth_mb=%.0f ratio=%.2f" % (
              lines, len(exported["datas"]), len(content), ours_ms, ours.growth, ours_py_peak,
              native_ms, native.growth, native_ms / ours_ms), flush=True)


def main():
    run_scales(__doc__, "100k", bench_scale)


if __name__ == "__main__":
    main()
