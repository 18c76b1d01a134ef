#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark: EPCIS 2.0 export of SCALE done move lines and import of EVENTS events.

Generates the supply chain of bench_trace (receipts, four levels of builds, deliveries, in
SQL in Odoo's shape), gives its products GTINs and flags them as FSMA foods, then in one
rolled-back transaction times:

- ``BENCH epcis_export``: the EPCIS document of the whole period written into a temporary file
  (events per second, growth of the peak resident memory), beside the FSMA 204 spreadsheet of
  the same lines (the addon's other paged export) as the reference (``native_ms``);
- ``BENCH epcis_import``: the import of the first EVENTS events of that document (validated,
  stored, lots matched, transformations linked), beside the same FSMA 204 reference.

    python bench/bench_epcis.py --config .run/odoo.conf --db lot_bench [--scale 100k]
        [--events 10000]
"""
import json
import sys
import tempfile
import time

from odoo import fields

from bench_trace import Chain, run_scales
from benchlib import peak_growth_mb, start_peak

EVENTS = 10000


def _gtin(index):
    body = "095060001%03d" % index
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)


def _fsma_reference(env):
    today = env["stock.lot.fsma.export"].default_get(["date_to"])["date_to"]
    year_ago = fields.Date.from_string(today).replace(
        year=fields.Date.from_string(today).year - 1)
    wizard = env["stock.lot.fsma.export"].create({
        "date_from": fields.Date.to_string(year_ago), "date_to": today})
    env.cache.invalidate()
    start = time.perf_counter()
    env.ref("lot_traceability.stock_lot_fsma_xlsx_action").render_xlsx(wizard.ids, {})
    return (time.perf_counter() - start) * 1000.0, fields.Date.to_string(year_ago), today


def bench_scale(env, scale):
    chain = Chain(env, scale)
    chain.generate()
    lines = len(chain.rows["line"])
    del chain.rows
    for index, product in enumerate(env["product.product"].browse(chain.products)):
        product.write({"barcode": _gtin(index)})
        product.product_tmpl_id.fsma_food_traceability = True
    native_ms, date_from, date_to = _fsma_reference(env)
    with tempfile.TemporaryFile() as stream:
        env.cache.invalidate()
        before, how = start_peak()
        start = time.perf_counter()
        summary = env["stock.lot.epcis"].export_document(stream, None, date_from, date_to)
        ours_ms = (time.perf_counter() - start) * 1000.0
        peak = peak_growth_mb(before, how)
        size = stream.tell()
        stream.seek(0)
        document = json.load(stream)
    print("BENCH epcis_export lines=%d events=%d file_mb=%.1f ours_ms=%.0f events_per_s=%.0f "
          "ours_peak_growth_mb=%.0f native_ms=%.0f peak=%s ratio=%.2f" % (
              lines, summary["event_count"], size / 1048576.0, ours_ms,
              summary["event_count"] / (ours_ms / 1000.0), peak, native_ms, how,
              native_ms / ours_ms), flush=True)
    count = EVENTS
    document["epcisBody"]["eventList"] = document["epcisBody"]["eventList"][:count]
    data = json.dumps(document).encode("utf-8")
    del document
    env.cache.invalidate()
    before, how = start_peak()
    start = time.perf_counter()
    result = env["stock.lot.epcis.document"].import_document(data, name="bench")
    import_ms = (time.perf_counter() - start) * 1000.0
    print("BENCH epcis_import events=%d stored=%d doc_mb=%.1f ours_ms=%.0f events_per_s=%.0f "
          "ours_peak_growth_mb=%.0f native_ms=%.0f peak=%s ratio=%.2f" % (
              count, result["event_count"], len(data) / 1048576.0, import_ms,
              result["event_count"] / (import_ms / 1000.0), peak_growth_mb(before, how),
              native_ms, how, native_ms / import_ms), flush=True)


def main():
    global EVENTS
    if "--events" in sys.argv:
        index = sys.argv.index("--events")
        EVENTS = int(sys.argv[index + 1])
        del sys.argv[index:index + 2]
    run_scales(__doc__, "100k", bench_scale)


if __name__ == "__main__":
    main()
