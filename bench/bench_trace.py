#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark: the genealogy engine against Odoo's native traceability report.

Generates, straight in SQL and in the shape Odoo writes it, a supply chain of about SCALE done
move lines: receipts of ingredient lots, four levels of builds (3-5 input lots each, each lot
used in about 5 builds, inputs taken from lots made at about the same time), then about 4
deliveries per finished lot, every line at its own, increasing, past second. Then times, on the
same data and in the same run:
- a full downstream recall from an ingredient lot (affected lots, delivery lines, customers):
  ``stock.lot.trace.trace`` + one search of the delivery lines, against the native report
  unfolded completely (every line once);
- a full upstream trace from a finished lot, both ways.
Each scale runs in one transaction that is rolled back, so scales do not pile up.

    python bench/bench_trace.py --config .run/odoo.conf --db lot_bench [--scale 10k,100k,1M]
"""
import argparse
import io
import random
import statistics
import time
from datetime import datetime, timedelta

import odoo
from odoo import SUPERUSER_ID, api

LEVELS = 4
LINES_PER_INGREDIENT = 47  # receipts + builds + deliveries per ingredient lot (see _plan)
REPEAT = 5


def parse_scale(text):
    scales = []
    for part in text.split(","):
        part = part.strip().lower()
        factor = {"k": 1000, "m": 1000000}.get(part[-1:], 1)
        scales.append(int(float(part.rstrip("km")) * factor))
    return scales


class Chain(object):
    """Rows of a generated chain, written with COPY."""

    def __init__(self, env, scale, seed=42):
        self.env, self.cr, self.rng = env, env.cr, random.Random(seed)
        self.scale = scale
        self.stock = env.ref("stock.warehouse0").lot_stock_id.id
        self.locations = {
            "supplier": env.ref("stock.stock_location_suppliers").id,
            "customer": env.ref("stock.stock_location_customers").id,
            "production": env.ref("stock.location_production").id,
        }
        self.uom = env.ref("product.product_uom_unit").id
        self.company = env.user.company_id.id
        self.rows = {"lot": [], "picking": [], "move": [], "line": [], "rel": []}
        self.ids = {}
        self.clock = datetime.utcnow() - timedelta(days=2, seconds=scale * 2)

    # --- ids, dates ----------------------------------------------------------------
    def _reserve_ids(self, table, count):
        self.cr.execute("SELECT coalesce(max(id), 0) FROM %s" % table)
        start = self.cr.fetchone()[0] + 1
        self.cr.execute("SELECT setval(%s, %s)", ("%s_id_seq" % table, start + count))
        self.ids[table] = iter(range(start, start + count + 1))

    def _tick(self):
        self.clock += timedelta(seconds=1)
        return self.clock.strftime("%Y-%m-%d %H:%M:%S")

    # --- master data -------------------------------------------------------------
    def _master_data(self):
        Product = self.env["product.product"]
        self.products = [Product.create({
            "name": "Bench level %d" % level, "type": "product", "tracking": "lot",
        }).id for level in range(LEVELS + 1)]
        self.suppliers = self._partners("Bench supplier", 20)
        self.customers = self._partners("Bench customer", 200)
        self.types = {"in": self.env.ref("stock.picking_type_in").id,
                      "out": self.env.ref("stock.picking_type_out").id}

    def _partners(self, name, count):
        self.cr.execute("""
            INSERT INTO res_partner (name, display_name, active, is_company, type, customer,
                                     supplier, picking_warn, company_id)
            SELECT %s || ' ' || n, %s || ' ' || n, TRUE, TRUE, 'contact', TRUE, TRUE,
                   'no-message', %s
              FROM generate_series(1, %s) n RETURNING id
        """, (name, name, self.company, count))
        return [row[0] for row in self.cr.fetchall()]

    # --- rows ----------------------------------------------------------------------
    def _lot(self, level, index):
        lot_id = next(self.ids["stock_production_lot"])
        self.rows["lot"].append((lot_id, "B%d-%d-%d" % (self.scale, level, index),
                                 self.products[level], "released"))
        return lot_id

    def _line(self, lot_id, product, qty, source, dest, picking=None):
        move_id, line_id = next(self.ids["stock_move"]), next(self.ids["stock_move_line"])
        date = self._tick()
        self.rows["move"].append((move_id, "bench", date, date, self.company, product, qty, qty,
                                  self.uom, source, dest, "make_to_stock", "done",
                                  picking and picking[0], picking and picking[1]))
        self.rows["line"].append((line_id, move_id, product, self.uom, 0, 0, qty, source, dest,
                                  lot_id, "done", date, picking and picking[0],
                                  picking and picking[2]))
        return line_id

    def _picking(self, kind, partner, source, dest):
        picking_id = next(self.ids["stock_picking"])
        date = self.clock.strftime("%Y-%m-%d %H:%M:%S")
        name = "BENCH/%s/%d" % (kind, picking_id)
        self.rows["picking"].append((picking_id, name, "direct", source, dest, self.types[kind],
                                     self.company, "done", partner, date, date))
        return (picking_id, self.types[kind], name)

    def _plan(self):
        """Lots per level: each level about 1.25x the one below (5 uses / 4 inputs)."""
        ingredients = max(20, self.scale // LINES_PER_INGREDIENT)
        return [int(ingredients * 1.25 ** level) for level in range(LEVELS + 1)]

    def _build_level(self, level, inputs, count):
        made = []
        for index in range(count):
            center = index * len(inputs) // count
            window = inputs[max(0, center - 3):center + 4]
            chosen = self.rng.sample(window, min(len(window), self.rng.randint(3, 5)))
            product = self.products[level]
            consumed = [self._line(lot, self.products[level - 1], 1, self.stock,
                                   self.locations["production"]) for lot in chosen]
            lot = self._lot(level, index)
            produced = self._line(lot, product, 10, self.locations["production"], self.stock)
            self.rows["rel"].extend((produced, line) for line in consumed)
            made.append(lot)
        return made

    def generate(self):
        self._master_data()
        plan = self._plan()
        total_lines = plan[0] + sum(plan[1:]) * 6 + plan[-1] * 5
        for table, count in (("stock_production_lot", sum(plan)), ("stock_picking",
                             plan[0] + plan[-1] * 5), ("stock_move", total_lines),
                             ("stock_move_line", total_lines)):
            self._reserve_ids(table, count)
        levels = [[]]
        for index in range(plan[0]):
            lot = self._lot(0, index)
            picking = self._picking("in", self.rng.choice(self.suppliers),
                                    self.locations["supplier"], self.stock)
            self._line(lot, self.products[0], 100, self.locations["supplier"], self.stock,
                       picking)
            levels[0].append(lot)
        for level in range(1, LEVELS + 1):
            levels.append(self._build_level(level, levels[-1], plan[level]))
        for lot in levels[-1]:
            for _delivery in range(self.rng.randint(3, 5)):
                picking = self._picking("out", self.rng.choice(self.customers), self.stock,
                                        self.locations["customer"])
                self._line(lot, self.products[-1], 2, self.stock, self.locations["customer"],
                           picking)
        self._copy()
        return levels

    def _copy(self):
        columns = {
            # quality_state: required (lot hold), Odoo's default written as create would.
            "lot": ("stock_production_lot", "id, name, product_id, quality_state"),
            "picking": ("stock_picking", "id, name, move_type, location_id, location_dest_id, "
                        "picking_type_id, company_id, state, partner_id, date, date_done"),
            "move": ("stock_move", "id, name, date, date_expected, company_id, product_id, "
                     "product_uom_qty, product_qty, product_uom, location_id, location_dest_id, "
                     "procure_method, state, picking_id, picking_type_id"),
            "line": ("stock_move_line", "id, move_id, product_id, product_uom_id, "
                     "product_uom_qty, product_qty, qty_done, location_id, location_dest_id, "
                     "lot_id, state, date, picking_id, reference"),
            "rel": ("stock_move_line_consume_rel", "consume_line_id, produce_line_id"),
        }
        for key in ("lot", "picking", "move", "line", "rel"):
            table, cols = columns[key]
            buf = io.StringIO("".join(
                "\t".join("\\N" if value is None else str(value) for value in row) + "\n"
                for row in self.rows[key]))
            self.cr._obj.copy_expert("COPY %s (%s) FROM STDIN" % (table, cols), buf)
        for table in ("stock_production_lot", "stock_picking", "stock_move", "stock_move_line",
                      "stock_move_line_consume_rel", "lot_trace_edge"):
            self.cr.execute("ANALYZE %s" % table)
        self.env["res.users"].invalidate_cache()
        return len(self.rows["line"])


# --- the two ways of answering ---------------------------------------------------------
def ours_recall(env, lot_id):
    engine = env["stock.lot.trace"]
    lots = [row["lot_id"] for row in engine.trace([lot_id], "downstream")["lots"]]
    deliveries = env["stock.lot.ledger"].deliveries(lots)
    customers = {row["contact_id"] for row in deliveries}
    return set(lots), len(deliveries), len(customers)


def ours_upstream(env, lot_id):
    return {row["lot_id"] for row in env["stock.lot.trace"].trace([lot_id], "upstream")["lots"]}


def native_unfold(env, lot_id, stream):
    """The native report unfolded completely, every line once (it has no cycle guard)."""
    report = env["stock.traceability.report"]
    todo = report.with_context(active_id=lot_id, ttype=stream).get_lines()
    seen, lots, deliveries = set(), set(), set()
    while todo:
        line = todo.pop()
        record = env[line["model"]].browse(line["model_id"])
        lots.add(record.lot_id.id)
        if line["model"] == "stock.move.line" and record.location_dest_id.usage == "customer":
            deliveries.add(record.id)
        key = (line["model"], line["model_id"])
        if not line["unfoldable"] or key in seen:
            continue
        seen.add(key)
        todo += report.get_lines(line_id=line["id"], model_name=line["model"],
                                 model_id=line["model_id"], level=line["level"] + 1,
                                 stream=stream, parent_quant=line["parent_quant"])
    return lots - {False}, deliveries


def timed(env, func, *args):
    env["res.users"].invalidate_cache()
    queries = env.cr.sql_log_count
    start = time.perf_counter()
    result = func(env, *args)
    return result, (time.perf_counter() - start) * 1000.0, env.cr.sql_log_count - queries


def bench_scale(env, scale):
    gen_start = time.perf_counter()
    chain = Chain(env, scale)
    levels = chain.generate()
    lines = len(chain.rows["line"])
    print("# scale=%d generated %d done move lines, %d lots in %.1f s" % (
        scale, lines, len(chain.rows["lot"]), time.perf_counter() - gen_start), flush=True)
    start_down, start_up = levels[0][len(levels[0]) // 2], levels[-1][len(levels[-1]) // 2]
    runs = [timed(env, ours_recall, start_down) for _i in range(REPEAT)]
    (lots, n_deliveries, n_customers), _ms, queries = runs[0]
    ours_ms = statistics.median(run[1] for run in runs)
    (native_lots, native_deliveries), native_ms, native_queries = timed(
        env, native_unfold, start_down, "downstream")
    print("BENCH trace scale=%d lines=%d direction=downstream lots=%d deliveries=%d "
          "customers=%d ours_ms=%.2f ours_queries=%d native_ms=%.0f native_queries=%d "
          "same_lots=%s ratio=%.0f" % (
              scale, lines, len(lots), n_deliveries, n_customers, ours_ms, queries, native_ms,
              native_queries, lots == native_lots and n_deliveries == len(native_deliveries),
              native_ms / ours_ms), flush=True)
    runs = [timed(env, ours_upstream, start_up) for _i in range(REPEAT)]
    ours_ms = statistics.median(run[1] for run in runs)
    native_lots, native_ms, native_queries = timed(
        env, lambda e, lot: native_unfold(e, lot, "upstream")[0], start_up)
    print("BENCH trace scale=%d lines=%d direction=upstream lots=%d ours_ms=%.2f "
          "ours_queries=%d native_ms=%.0f native_queries=%d same_lots=%s ratio=%.0f" % (
              scale, lines, len(runs[0][0]), ours_ms, runs[0][2], native_ms, native_queries,
              runs[0][0] == native_lots, native_ms / ours_ms), flush=True)


def run_scales(doc, default_scale, bench_scale):
    """Command line of the scale benchmarks: one rolled-back run of ``bench_scale`` per scale."""
    parser = argparse.ArgumentParser(description=doc.split("\n")[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--scale", default=default_scale)
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "--log-level=warn"])
    registry = odoo.registry(args.db)
    for scale in parse_scale(args.scale):
        with api.Environment.manage(), registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            try:
                bench_scale(env, scale)
            finally:
                cr.rollback()


def main():
    run_scales(__doc__, "10k,100k", bench_scale)


if __name__ == "__main__":
    main()
