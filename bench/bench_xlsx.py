#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark: exporting a trace of SCALE lots to XLSX, time and peak memory.

Writes, straight in SQL in the shape Odoo writes it, one lot split into SCALE lots (one
consumed line, SCALE produced lines linked to it), then times the trace export of that lot
(its Downstream sheet has SCALE rows) against Odoo's own list export of the same lots
(``export_data`` of name and product, what *Action > Export* runs), in one rolled-back
transaction, and prints ``BENCH xlsx ...`` with the file's size and the growth of the
process's peak memory during the export: the peak resident size (VmHWM, reset just before
through /proc/self/clear_refs) minus the resident size before, after the generated rows were
freed and handed back to the system. Where /proc cannot reset the peak, the growth of
``ru_maxrss`` is printed instead (it can hide growth below an earlier peak).

    python bench/bench_xlsx.py --config .run/odoo.conf --db lot_bench [--scale 100k]
"""
import time

from bench_trace import Chain, run_scales
from benchlib import peak_growth_mb, start_peak


def build_split(env, scale):
    """One source lot consumed once, SCALE lots produced from it."""
    chain = Chain(env, scale)
    chain._master_data()
    for table, count in (("stock_production_lot", scale + 1), ("stock_picking", 1),
                         ("stock_move", scale + 1), ("stock_move_line", scale + 1)):
        chain._reserve_ids(table, count)
    source = chain._lot(0, 0)
    consumed = chain._line(source, chain.products[0], scale, chain.stock,
                           chain.locations["production"])
    for index in range(scale):
        lot = chain._lot(1, index)
        produced = chain._line(lot, chain.products[1], 1, chain.locations["production"],
                               chain.stock)
        chain.rows["rel"].append((produced, consumed))
    chain._copy()
    return source, [row[0] for row in chain.rows["lot"][1:]]


def bench_scale(env, scale):
    source, lots = build_split(env, scale)
    report = env.ref("lot_traceability.stock_lot_trace_xlsx_action")
    env.cache.invalidate()
    before, how = start_peak()
    start = time.perf_counter()
    content, _kind = report.render_xlsx([source], {})
    ours_ms = (time.perf_counter() - start) * 1000.0
    ours_peak = peak_growth_mb(before, how)
    env["res.users"].invalidate_cache()
    start = time.perf_counter()
    env["stock.production.lot"].browse(lots).export_data(["name", "product_id/name"])
    native_ms = (time.perf_counter() - start) * 1000.0
    print("BENCH xlsx rows=%d bytes=%d file_mb=%.1f ours_ms=%.0f peak_growth_mb=%.0f peak=%s "
          "rss_before_mb=%.0f native_ms=%.0f ratio=%.2f" % (
              scale, len(content), len(content) / 1048576.0, ours_ms, ours_peak, how, before,
              native_ms, native_ms / ours_ms), flush=True)


def main():
    run_scales(__doc__, "100k", bench_scale)


if __name__ == "__main__":
    main()
