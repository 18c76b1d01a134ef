#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark: the lot page's answer for a lot with SCALE descendants, size and time.

Writes, straight in SQL in the shape Odoo writes it, one lot split into SCALE lots (as
bench_xlsx.py does), then times ``stock.lot.trace.lot_details`` of that lot and measures its
JSON size, against Odoo's own list export (``export_data`` of name and product) of the same
lots, what a user would otherwise read; one rolled-back transaction per scale. Prints
``BENCH lot_page ...``.

    python bench/bench_lot_page.py --config .run/odoo.conf --db lot_bench [--scale 200k]
"""
import json
import time

from bench_xlsx import build_split

from bench_trace import run_scales

# Odoo's list export of 200,000 lots takes half an hour on a shared 2-core machine: the
# native figure is measured up to this scale (10k: 106 s).
NATIVE_MAX = 20000


def bench_scale(env, scale):
    source, lots = build_split(env, scale)
    env.cache.invalidate()
    before = env.cr.sql_log_count
    start = time.perf_counter()
    details = env["stock.lot.trace"].lot_details(source)
    ours_ms = (time.perf_counter() - start) * 1000.0
    queries = env.cr.sql_log_count - before
    size = len(json.dumps(details))
    print("BENCH lot_page descendants=%d answer_bytes=%d queries=%d ours_ms=%.0f" % (
        scale, size, queries, ours_ms), flush=True)
    if scale > NATIVE_MAX:
        return
    env.cache.invalidate()
    start = time.perf_counter()
    native = env["stock.production.lot"].browse(lots).export_data(["name", "product_id/name"])
    native_ms = (time.perf_counter() - start) * 1000.0
    print("BENCH lot_page_native descendants=%d native_bytes=%d native_ms=%.0f ratio=%.2f" % (
        scale, len(json.dumps(native)), native_ms, native_ms / ours_ms), flush=True)


def main():
    run_scales(__doc__, "10k,200k", bench_scale)


if __name__ == "__main__":
    main()
