"""BENCH labels: QR label PDFs and label scans, against Odoo's own lot barcode label and lot search.

Runs in-process on a database made for it (``make bench`` recreates lot_bench), on generated
data (made fresh on each run). Prints one line per figure::

    BENCH <name> <key>=<value> ... ours=<s> native=<s> ratio=<native/ours>

* label_pdf_*: our QR label report vs ``stock.report_lot_barcode`` (Code128) for the same lots,
  both through wkhtmltopdf (no server runs: the CSS links of both fail the same way, and so do
  the Code128 images of Odoo's label, fetched from /report/barcode/: native_barcodes= is the
  time its server would take to draw them).
* label_payload: get_label_payload + QR PNG per lot (no native equivalent: native= the read
  of name/product/dates that Odoo's label does).
* label_scan: stock.lot.scan._match of each label's Digital Link vs Odoo's name_search of the
  bare lot code (what a lot field does with a typed code).
"""
import argparse
import time

import odoo
from odoo import SUPERUSER_ID, api


def timed(function, repeat=1):
    best = None
    for _index in range(repeat):
        start = time.perf_counter()
        function()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best


def report(name, ours, native, **keys):
    fields = " ".join("%s=%s" % item for item in keys.items())
    print("BENCH %s %s ours=%.4f native=%.4f ratio=%.2f" % (
        name, fields, ours, native, native / ours if ours else 0.0), flush=True)


def make_lots(env, count):
    """A product with a fresh GTIN and ``count`` lots (the PDF rendering commits its assets
    bundle, so a run may leave them in the bench database: every run uses new codes)."""
    digits = "20%010d" % (int(time.time() * 10) % 10 ** 10)
    gtin = digits + str(-sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10)
    product = env["product.product"].create({
        "name": "Bench Jam", "type": "product", "tracking": "lot", "barcode": gtin})
    Lot = env["stock.production.lot"]
    lots = Lot.browse([Lot.create({"name": "B%s-%05d" % (gtin[-6:], index),
                                   "product_id": product.id,
                                   "life_date": "2027-12-31 00:00:00"}).id
                       for index in range(count)])
    return product, lots


def bench_pdf(env, lots, sheet_size):
    ours_small = env.ref("lot_traceability.action_report_lot_label_small")
    ours_sheet = env.ref("lot_traceability.action_report_lot_label_sheet")
    native = env.ref("stock.action_report_lot_barcode")
    one = lots[:1]
    report("label_pdf_single", timed(lambda: ours_small.render_qweb_pdf(one.ids), 3),
           timed(lambda: native.render_qweb_pdf(one.ids), 3), lots=1)
    many = lots[:sheet_size]
    # Odoo's sheet links each Code128 image to /report/barcode/, which points nowhere here:
    # its PDF is timed without them. barcodes= is what its server spends drawing them for a
    # real print (one request each), beside our sheet's 63 QR codes drawn in the report.
    Report = env["ir.actions.report"]
    barcodes = timed(lambda: [Report.barcode("Code128", lot.name, width=600, height=100)
                              for lot in many])
    # Best of 3, like the single label: a first run would charge our sheet's one-time QWeb
    # compilation (Odoo's sheet is its single-label template, compiled by the line above).
    report("label_pdf_sheet", timed(lambda: ours_sheet.render_qweb_pdf(many.ids), 3),
           timed(lambda: native.render_qweb_pdf(many.ids), 3), lots=len(many),
           native_barcodes="%.4f" % barcodes)


def bench_payload_and_scan(env, lots):
    def payloads():
        report = env["report.lot_traceability.report_lot_label_small"]
        for payload in lots.get_label_payload():
            report._get_qr_data_uri(payload["uri"])

    def native_read():
        lots.invalidate_cache()
        lots.read(["name", "product_id", "life_date"])

    lots.invalidate_cache()
    report("label_payload", timed(payloads), timed(native_read), lots=len(lots))
    uris = [payload["uri"] for payload in lots.get_label_payload()]
    scan, Lot = env["stock.lot.scan"], env["stock.production.lot"]
    report("label_scan", timed(lambda: [scan._match(uri) for uri in uris]),
           timed(lambda: [Lot.name_search(lot.name, operator="=") for lot in lots]),
           codes=len(uris))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--scale", type=int, default=200, help="number of lots")
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.db])
    registry = odoo.registry(args.db)
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        # wkhtmltopdf would fetch the report CSS from this URL: point it nowhere (same for both).
        for key in ("web.base.url", "report.url"):
            env["ir.config_parameter"].set_param(key, "http://127.0.0.1:1")
        _product, lots = make_lots(env, args.scale)
        bench_payload_and_scan(env, lots)
        bench_pdf(env, lots, min(args.scale, 63))
        cr.rollback()


if __name__ == "__main__":
    main()
