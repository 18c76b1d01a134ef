#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark: a wide recall, at the size of a real one, inside a database of 1M move lines.

Generates with set-based SQL (INSERT ... SELECT over generate_series, in the shape Odoo writes
it) one ingredient lot used in SIZE batches (each batch: 1 unit of the ingredient in, 50 out),
each batch split into 40 units (10 of every batch stay on hand), the units delivered 10 to a
delivery, SIZE customers, every line at its own, increasing, past second. With SIZE=5000 (the
default): 5,000 batches, 200,000 units, 20,000 deliveries to 5,000 customers, 415,001 lines.
Background lines (receipts and deliveries of other lots, plus bench_trace's narrow chains)
bring the database to at least --lines done move lines (default 1,000,000).

Then times, from that ingredient lot, in the same rolled-back transaction (``--committed``:
the generated data committed and vacuumed first, as a real database holds it), with the growth of
the process's peak memory of each (benchlib.start_peak):
- ``engine``: ``stock.lot.trace.trace`` downstream;
- ``lot_page``: the lot page's server answer (``lot_details``, its JSON size) and its HTML;
- ``open``: Open Recall (affected lots, customers and call list, mass balance, stock);
- ``hold``: Hold Stock (everything on hand to quarantine); ``release``: Release Stock;
- ``xlsx``: the recall's trace XLSX; ``fsma``: the recall's FSMA 204 export;
- ``native``: Odoo's own traceability report unfolded completely on the same lot, stopped
  after --native-timeout seconds (``native_ms>=...`` when it did not finish).
Prints ``BENCH recall_wide step=... size=... ms=... peak_growth_mb=... native_ms=... ratio=``.
Several sizes (``--scale 500,1500,5000``) share one background: how cost grows with the size
of a recall. The native report runs at the largest size only; Hold and Release Stock up to
--hold-max.

    python bench/bench_recall.py --config .run/odoo.conf --db lot_bench [--scale 5000]
"""
import argparse
import json
import signal
import time
from contextlib import closing

import odoo
from odoo import SUPERUSER_ID, api, fields

from bench_trace import Chain, native_unfold
from benchlib import internal_context, peak_growth_mb, start_peak

UNITS_PER_BATCH = 40
UNITS_PER_DELIVERY = 10
BATCH_QTY, BATCH_LEFT = 50, 10
NARROW_LINES = 100000
STEPS = ("engine", "lot_page", "lot_html", "open", "xlsx", "fsma", "hold", "release")


class NativeTimeout(Exception):
    pass


class WideRecall(object):
    """The rows of one wide recall, written with a few INSERT ... SELECT statements."""

    def __init__(self, env, size, tag):
        self.env, self.cr, self.size, self.tag = env, env.cr, size, tag
        self.units = size * UNITS_PER_BATCH
        self.deliveries = self.units // UNITS_PER_DELIVERY
        self.lines = 1 + 3 * size + 2 * self.units
        self.stock = env.ref("stock.warehouse0").lot_stock_id.id
        self.supplier = env.ref("stock.stock_location_suppliers").id
        self.customer = env.ref("stock.stock_location_customers").id
        self.production = env.ref("stock.location_production").id
        self.uom = env.ref("product.product_uom_unit").id
        self.company = env.user.company_id.id
        self.out_type = env.ref("stock.picking_type_out").id

    def _reserve(self, table, count):
        self.cr.execute("SELECT coalesce(max(id), 0) + 1 FROM %s" % table)
        start = self.cr.fetchone()[0]
        self.cr.execute("SELECT setval(%s, %s)", ("%s_id_seq" % table, start + count))
        return start

    def _products(self):
        Product = self.env["product.product"]
        self.products = [Product.create({
            "name": "Wide %s %s" % (self.tag, name), "type": "product", "tracking": "lot",
        }).id for name in ("ingredient", "batch", "unit")]
        self.env["product.product"].browse(self.products).mapped("product_tmpl_id").write(
            {"fsma_food_traceability": True})
        self.cr.execute("""
            INSERT INTO res_partner (name, display_name, active, is_company, type, customer,
                                     supplier, picking_warn, company_id, email, phone)
            SELECT %s || n, %s || n, TRUE, TRUE, 'contact', TRUE, FALSE, 'no-message', %s,
                   'c' || n || '@example.com', '+1 555 ' || n
              FROM generate_series(1, %s) n RETURNING id
        """, ("Wide customer %s " % self.tag, "Wide customer %s " % self.tag, self.company,
              self.size))
        self.customers = [row[0] for row in self.cr.fetchall()]
        self.cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)",
                        (self.customers,))

    def generate(self, start_clock):
        """Line k (0-based) has move M0 + k, line L0 + k and date start + k seconds."""
        self._products()
        lot0 = self._reserve("stock_production_lot", 1 + self.size + self.units)
        move0 = self._reserve("stock_move", self.lines)
        line0 = self._reserve("stock_move_line", self.lines)
        pick0 = self._reserve("stock_picking", self.deliveries)
        self.ids = dict(lot=lot0, move=move0, line=line0, pick=pick0, clock=start_clock)
        ingredient, batch, unit = self.products
        b, u = self.size, self.units
        self._lots(lot0, ingredient, batch, unit)
        self._pickings(pick0)
        # (first k, count, product, qty, source, dest, lot of the n-th row, picking)
        self._lines(0, 1, ingredient, b + 1000, self.supplier, self.stock, "%(lot)s", None)
        self._lines(1, b, ingredient, 1, self.stock, self.production, "%(lot)s", None)
        self._lines(b + 1, b, batch, BATCH_QTY, self.production, self.stock, "%(lot)s + n",
                    None)
        self._lines(2 * b + 1, b, batch, UNITS_PER_BATCH, self.stock, self.production,
                    "%(lot)s + n", None)
        self._lines(3 * b + 1, u, unit, 1, self.production, self.stock,
                    "%(lot)s + %(b)s + n", None)
        self._lines(3 * b + u + 1, u, unit, 1, self.stock, self.customer,
                    "%(lot)s + %(b)s + n", "%(pick)s + (n - 1) / %(per)s")
        self._links()
        self._quants(ingredient, batch)
        return lot0

    def _lots(self, lot0, ingredient, batch, unit):
        self.cr.execute("""
            INSERT INTO stock_production_lot (id, name, product_id, quality_state, epcis_external)
            SELECT %(lot)s + n, 'W' || %(tag)s || '-' || n,
                   CASE WHEN n = 0 THEN %(i)s WHEN n <= %(b)s THEN %(ba)s ELSE %(u)s END,
                   'released', FALSE
              FROM generate_series(0, %(b)s + %(units)s) n
        """, dict(lot=lot0, tag=self.tag, i=ingredient, b=self.size, ba=batch, u=unit,
                  units=self.units))

    def _pickings(self, pick0):
        clock = self.ids["clock"]
        self.cr.execute("""
            INSERT INTO stock_picking (id, name, move_type, location_id, location_dest_id,
                                       picking_type_id, company_id, state, partner_id, date,
                                       date_done)
            SELECT %(pick)s + n - 1, 'WIDE/' || %(tag)s || '/' || n, 'direct', %(src)s, %(dst)s,
                   %(type)s, %(company)s, 'done', (%(customers)s)[1 + (n - 1) %% %(c)s],
                   %(clock)s, %(clock)s
              FROM generate_series(1, %(count)s) n
        """, dict(pick=pick0, tag=int(self.tag), src=self.stock, dst=self.customer,
                  type=self.out_type, company=self.company, customers=self.customers,
                  c=len(self.customers), clock=clock, count=self.deliveries))

    def _lines(self, first, count, product, qty, source, dest, lot_expr, pick_expr):
        """Rows n = 1..count (n = 0 for the one receipt) as moves and lines k = first + n - 1."""
        values = dict(self.ids, b=self.size, per=UNITS_PER_DELIVERY)
        lot = lot_expr % values
        picking = (pick_expr % values) if pick_expr else "NULL"
        low = 0 if count == 1 and first == 0 else 1
        offset = first - low
        params = dict(move=self.ids["move"], line=self.ids["line"], product=product,
                      qty=qty, src=source, dst=dest, uom=self.uom, company=self.company,
                      clock=self.ids["clock"], offset=offset, low=low, high=low + count - 1)
        # lot and picking are arithmetic on generated integers (no user input)
        self.cr.execute("""
            INSERT INTO stock_move (id, name, date, date_expected, company_id, product_id,
                                    product_uom_qty, product_qty, product_uom, location_id,
                                    location_dest_id, procure_method, state, picking_id)
            SELECT %(move)s + %(offset)s + n, 'wide',
                   %(clock)s::timestamp + (%(offset)s + n) * interval '1 second',
                   %(clock)s::timestamp + (%(offset)s + n) * interval '1 second', %(company)s,
                   %(product)s, %(qty)s, %(qty)s, %(uom)s, %(src)s, %(dst)s, 'make_to_stock',
                   'done', {picking}
              FROM generate_series(%(low)s, %(high)s) n
        """.format(picking=picking), params)
        self.cr.execute("""
            INSERT INTO stock_move_line (id, move_id, product_id, product_uom_id,
                                         product_uom_qty, product_qty, qty_done, location_id,
                                         location_dest_id, lot_id, state, date, picking_id,
                                         reference)
            SELECT %(line)s + %(offset)s + n, %(move)s + %(offset)s + n, %(product)s, %(uom)s,
                   0, 0, %(qty)s, %(src)s, %(dst)s, {lot}, 'done',
                   %(clock)s::timestamp + (%(offset)s + n) * interval '1 second', {picking},
                   'wide'
              FROM generate_series(%(low)s, %(high)s) n
        """.format(lot=lot, picking=picking), params)

    def _links(self):
        b, line = self.size, self.ids["line"]
        # batch n produced (line b + n) from the ingredient consumed at line n
        self.cr.execute("""
            INSERT INTO stock_move_line_consume_rel (consume_line_id, produce_line_id)
            SELECT %(line)s + %(b)s + n, %(line)s + n FROM generate_series(1, %(b)s) n
        """, dict(line=line, b=b))
        # unit n produced (line 3b + n) from its batch consumed at line 2b + batch
        self.cr.execute("""
            INSERT INTO stock_move_line_consume_rel (consume_line_id, produce_line_id)
            SELECT %(line)s + 3 * %(b)s + n, %(line)s + 2 * %(b)s + 1 + (n - 1) / %(per)s
              FROM generate_series(1, %(u)s) n
        """, dict(line=line, b=b, u=self.units, per=UNITS_PER_BATCH))

    def _quants(self, ingredient, batch):
        self.cr.execute("""
            INSERT INTO stock_quant (product_id, location_id, lot_id, quantity,
                                     reserved_quantity, in_date, company_id)
            SELECT CASE WHEN n = 0 THEN %(i)s ELSE %(ba)s END, %(stock)s, %(lot)s + n,
                   CASE WHEN n = 0 THEN 1000 ELSE %(left)s END, 0, %(clock)s, %(company)s
              FROM generate_series(0, %(b)s) n
        """, dict(i=ingredient, ba=batch, stock=self.stock, lot=self.ids["lot"],
                  left=BATCH_LEFT, clock=self.ids["clock"], company=self.company, b=self.size))


def background(env, lines):
    """Narrow chains (bench_trace) and receipts + deliveries of other lots: ``lines`` lines."""
    chain = Chain(env, NARROW_LINES)
    chain.generate()
    filler = max(0, lines - len(chain.rows["line"])) // 5
    del chain.rows
    wide = WideRecall(env, 1, "0")
    wide._products()
    lot0 = wide._reserve("stock_production_lot", filler)
    move0 = wide._reserve("stock_move", filler * 5)
    line0 = wide._reserve("stock_move_line", filler * 5)
    clock = fields.Datetime.to_string(fields.Datetime.from_string(fields.Datetime.now())
                                      .replace(year=2020))
    env.cr.execute("""
        INSERT INTO stock_production_lot (id, name, product_id, quality_state, epcis_external)
        SELECT %s + n, 'FILL-' || n, %s, 'released', FALSE FROM generate_series(0, %s - 1) n
    """, (lot0, wide.products[2], filler))
    params = dict(move=move0, line=line0, lot=lot0, clock=clock, company=wide.company,
                  product=wide.products[2], uom=wide.uom, supplier=wide.supplier,
                  stock=wide.stock, customer=wide.customer, count=filler * 5)
    # every fifth line receives a lot, the four after it deliver it
    ends = """CASE WHEN k %% 5 = 0 THEN %(supplier)s ELSE %(stock)s END,
              CASE WHEN k %% 5 = 0 THEN %(stock)s ELSE %(customer)s END"""
    env.cr.execute("""
        INSERT INTO stock_move (id, name, date, date_expected, company_id, product_id,
                                product_uom_qty, product_qty, product_uom, location_id,
                                location_dest_id, procure_method, state)
        SELECT %(move)s + k, 'fill', %(clock)s::timestamp + k * interval '1 second',
               %(clock)s::timestamp + k * interval '1 second', %(company)s, %(product)s, 1, 1,
               %(uom)s, {ends}, 'make_to_stock', 'done'
          FROM generate_series(0, %(count)s - 1) k
    """.format(ends=ends), params)
    env.cr.execute("""
        INSERT INTO stock_move_line (id, move_id, product_id, product_uom_id, product_uom_qty,
                                     product_qty, qty_done, location_id, location_dest_id,
                                     lot_id, state, date, reference)
        SELECT %(line)s + k, %(move)s + k, %(product)s, %(uom)s, 0, 0, 1, {ends},
               %(lot)s + k / 5, 'done', %(clock)s::timestamp + k * interval '1 second', 'fill'
          FROM generate_series(0, %(count)s - 1) k
    """.format(ends=ends), params)
    env.cr.execute("SELECT count(*) FROM stock_move_line WHERE state = 'done'")
    return env.cr.fetchone()[0]


def measure(env, func):
    """(result, ms, peak growth MB, queries) of ``func()``."""
    env.cache.invalidate()
    before, how = start_peak()
    queries = env.cr.sql_log_count
    start = time.perf_counter()
    result = func()
    ms = (time.perf_counter() - start) * 1000.0
    return result, ms, peak_growth_mb(before, how), env.cr.sql_log_count - queries


def run_native(env, lot_id, timeout):
    def stop(_signum, _frame):
        raise NativeTimeout()
    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(timeout)
    start = time.perf_counter()
    try:
        lots, _deliveries = native_unfold(env, lot_id, "downstream")
        return len(lots), (time.perf_counter() - start) * 1000.0, True
    except NativeTimeout:
        return None, timeout * 1000.0, False
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


#: The tables the generator writes (and the triggers fill), given fresh statistics.
TABLES = ("stock_production_lot", "stock_move", "stock_move_line", "stock_move_line_consume_rel",
          "lot_trace_edge", "stock_quant", "stock_picking")


def settle(env, committed):
    """Fresh statistics for what was generated. ``committed``: commit it and VACUUM it as
    autovacuum would in a real database (its visibility map is what lets index-only scans
    skip the table); else ANALYZE inside the transaction, rolled back at the end."""
    if not committed:
        for table in TABLES:
            env.cr.execute("ANALYZE %s" % table)
        return
    env.cr.commit()
    with closing(odoo.sql_db.db_connect(env.cr.dbname).cursor()) as vacuum:
        vacuum.autocommit(True)
        for table in TABLES:
            vacuum.execute("VACUUM ANALYZE %s" % table)


def bench_size(env, size, tag, clock, native_timeout, hold_max, names, committed=False):
    wide = WideRecall(env, size, tag)
    start = time.perf_counter()
    lot_id = wide.generate(clock)
    settle(env, committed)
    print("# size=%d: %d lines, %d units, %d deliveries, %d customers in %.1f s" % (
        size, wide.lines, wide.units, wide.deliveries, size, time.perf_counter() - start),
        flush=True)
    steps = run_steps(env, lot_id, size, wide.units, hold_max, names)
    if native_timeout:
        run_native_steps(env, lot_id, size, wide.units, native_timeout, steps)
    if committed:  # what the steps wrote (a recall, held stock) never reaches the next size
        env.cr.rollback()
        env.cache.invalidate()


def run_native_steps(env, lot_id, size, units, native_timeout, steps):
    lots, native_ms, finished = run_native(env, lot_id, native_timeout)
    sign = "=" if finished else ">="
    print("BENCH recall_wide step=native size=%d units=%d native_ms%s%.0f lots=%s" % (
        size, units, sign, native_ms, lots), flush=True)
    for name, (_result, ms, _peak, _queries) in steps:
        print("BENCH recall_wide step=%s size=%d ms=%.0f native_ms%s%.0f ratio%s%.0f" % (
            name, size, ms, sign, native_ms, sign, native_ms / ms), flush=True)


def measure_step(env, name, size, units, func):
    """Measure ``func`` (returns a text of figures), print its line, return the figures."""
    figures = measure(env, func)
    result, ms, peak, queries = figures
    print("BENCH recall_wide step=%s size=%d units=%d ms=%.0f peak_growth_mb=%.0f "
          "queries=%d %s" % (name, size, units, ms, peak, queries, result), flush=True)
    return name, figures


def run_steps(env, lot_id, size, units, hold_max, steps):
    trace = env["stock.lot.trace"]
    lot = env["stock.production.lot"].browse(lot_id)
    # The work itself, timed in this process (from its size, Open Recall would queue a job).
    recall = env["stock.lot.recall"].with_context(
        **internal_context(lot_traceability_sync=True)).create({
            "lot_ids": [(6, 0, [lot_id])], "reason": "bench"})
    report = env.ref("lot_traceability.stock_lot_recall_trace_xlsx_action")
    todo = [
        ("engine", lambda: "lots=%d" % len(trace.trace([lot_id], "downstream")["lots"])),
        ("lot_page", lambda: "answer_bytes=%d" % len(json.dumps(trace.lot_details(lot_id)))),
        ("lot_html", lambda: "html_bytes=%d" % len(lot.trace_html)),
        ("open", lambda: recall.action_open() and "lots=%d customers=%d" % (
            recall.affected_lot_count, recall.customer_count)),
        ("xlsx", lambda: "bytes=%d" % len(report.render_xlsx(recall.ids, {})[0])),
        ("fsma", lambda: fsma_export(env, recall)),
        ("hold", lambda: recall.action_hold() and "held=%d" % recall.held_count),
        ("release", lambda: recall.action_release() and "released=%d" % env[
            "stock.lot.recall.hold"].search_count([("recall_id", "=", recall.id),
                                                   ("state", "=", "released")])),
    ]
    return [measure_step(env, name, size, units, func) for name, func in todo
            if name in steps and (name not in ("hold", "release") or size <= hold_max)]


def fsma_export(env, recall):
    context = recall.action_fsma_export()["context"]
    wizard = env["stock.lot.fsma.export"].with_context(context).create({})
    report = env.ref("lot_traceability.stock_lot_fsma_xlsx_action")
    return "bytes=%d" % len(report.render_xlsx(wizard.ids, {})[0])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--scale", "--size", dest="size", default="5000",
                        help="batches of the recall (comma-separated for several sizes)")
    parser.add_argument("--lines", type=int, default=1000000,
                        help="done move lines of the database at least")
    parser.add_argument("--native-timeout", type=int, default=600,
                        help="seconds after which Odoo's own report is stopped (0: skip it)")
    parser.add_argument("--hold-max", type=int, default=100000,
                        help="largest size whose Hold Stock is timed (it moves every lot)")
    parser.add_argument("--steps", default=",".join(STEPS), help="steps to time")
    parser.add_argument("--committed", action="store_true",
                        help="commit and vacuum the generated data before timing, as a real "
                             "database holds it (it stays in --db: use a throwaway copy); "
                             "by default everything is rolled back")
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.size.split(","))
    odoo.tools.config.parse_config(["-c", args.config, "--log-level=warn"])
    registry = odoo.registry(args.db)
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        try:
            start = time.perf_counter()
            wide_lines = sum(WideRecall(env, size, "x").lines for size in sizes)
            total = background(env, args.lines - wide_lines)
            settle(env, args.committed)
            print("# background: %d done lines in %.1f s" % (total, time.perf_counter() - start),
                  flush=True)
            clock = "2025-01-01 00:00:00"
            for index, size in enumerate(sizes):
                bench_size(env, size, str(index + 1), clock,
                           args.native_timeout if size == sizes[-1] else 0, args.hold_max,
                           args.steps.split(","), args.committed)
            env.cr.execute("SELECT count(*) FROM stock_move_line WHERE state = 'done'")
            print("# database: %d done move lines" % env.cr.fetchone()[0], flush=True)
        finally:
            cr.rollback()


if __name__ == "__main__":
    main()
