# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The genealogy engine on hand-made graphs, against Odoo's native report, and per company."""
import json
import random
from datetime import datetime, timedelta

from odoo import fields
from odoo.exceptions import UserError

from ..models import stock_lot_trace as trace_module
from ..models.stock_lot_page import TREE_NODE_LIMIT
from .common import TraceabilityCase


def _lots(result):
    return {row["lot_id"]: row["depth"] for row in result["lots"]}


def _edges(result):
    return {(e["from_lot_id"], e["to_lot_id"], e["depth"]) for e in result["edges"]}


class TestLotTrace(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        super(TestLotTrace, cls).setUpClass()
        cls.Trace = cls.env["stock.lot.trace"]
        cls.apples = cls._create_product("Apples")
        cls.sugar = cls._create_product("Sugar")
        cls.juice = cls._create_product("Juice")
        cls.start = datetime.now() - timedelta(days=30)

    def _day(self, hours):
        return self.start + timedelta(hours=hours)

    def _lot(self, product=None, qty=100.0, hours=0):
        """A lot received from the supplier with ``qty`` in stock."""
        lot = self._create_lot(product or self.apples)
        picking = self._receive(lot.product_id, [(lot, qty)])
        self._backdate(picking.move_line_ids, self._day(hours))
        return lot

    def test_chain_down_and_up(self):
        """Apples and sugar make juice, juice makes two bottles: each way finds the chain."""
        apple, sugar = self._lot(hours=0), self._lot(self.sugar, hours=1)
        juice, bottle1, bottle2 = (self._create_lot(self.juice) for _i in range(3))
        self._transform_as_mrp([(apple, 10), (sugar, 2)], [(juice, 12)], date=self._day(2))
        self._transform_as_mrp([(juice, 5)], [(bottle1, 5)], date=self._day(3))
        self._transform_as_mrp([(juice, 5)], [(bottle2, 5)], date=self._day(4))
        down = self.Trace.trace([apple.id], "downstream")
        self.assertEqual(_lots(down), {apple.id: 0, juice.id: 1, bottle1.id: 2, bottle2.id: 2})
        self.assertEqual([row["lot_id"] for row in down["lots"]],
                         [apple.id, juice.id, bottle1.id, bottle2.id],
                         "ordered by depth, then date (bottle 1 was made first)")
        up = self.Trace.trace([bottle2.id], "upstream")
        self.assertEqual(_lots(up), {bottle2.id: 0, juice.id: 1, apple.id: 2, sugar.id: 2})
        self.assertEqual(_edges(up), {(bottle2.id, juice.id, 1), (juice.id, apple.id, 2),
                                      (juice.id, sugar.id, 2)})
        json.dumps(down)
        json.dumps(up)

    def test_diamond_listed_once_both_edges(self):
        """A -> X, A -> Y, X + Y -> Z: Z once at depth 2, reached through both edges."""
        lot_a = self._lot()
        lot_x, lot_y, lot_z = (self._create_lot(self.juice) for _i in range(3))
        self._transform_as_mrp([(lot_a, 1)], [(lot_x, 1)], date=self._day(1))
        self._transform_as_mrp([(lot_a, 1)], [(lot_y, 1)], date=self._day(2))
        self._transform_as_mrp([(lot_x, 1), (lot_y, 1)], [(lot_z, 1)], date=self._day(3))
        down = self.Trace.trace([lot_a.id], "downstream")
        self.assertEqual(_lots(down), {lot_a.id: 0, lot_x.id: 1, lot_y.id: 1, lot_z.id: 2})
        self.assertEqual(len(down["lots"]), 4)
        self.assertEqual(_edges(down), {(lot_a.id, lot_x.id, 1), (lot_a.id, lot_y.id, 1),
                                        (lot_x.id, lot_z.id, 2), (lot_y.id, lot_z.id, 2)})
        self.assertEqual(self.Trace.count_lots([lot_a.id], "downstream"), 4,
                         "counted as listed: the lot reached twice once")

    def _ordered_sql_trace(self, lot_ids, direction, max_depth):
        """The answer of :meth:`trace` as PostgreSQL gives it: the rows of _get_trace_sql,
        edges first, by depth, date to the second (none first), line (none first), lot
        and lot."""
        sql, params = self.Trace._get_trace_sql(
            trace_module.IdArray(sorted(lot_ids)), direction, max_depth)
        self.env.cr.execute("""
            WITH result(kind, from_lot, to_lot, depth, date, line_id) AS ({trace})
            SELECT kind = 'edge', from_lot, to_lot, depth,
                   to_char(date, 'YYYY-MM-DD HH24:MI:SS'), line_id
              FROM result
             ORDER BY kind, depth, date_trunc('second', date) NULLS FIRST,
                      CASE WHEN kind = 'edge' THEN line_id ELSE to_lot END NULLS FIRST,
                      from_lot, to_lot""".format(trace=sql), params)
        result = {"direction": direction, "max_depth": max_depth, "lots": [], "edges": []}
        for is_edge, from_lot, to_lot, depth, date, line_id in self.env.cr.fetchall():
            if is_edge:
                result["edges"].append({"from_lot_id": from_lot, "to_lot_id": to_lot,
                                        "depth": depth, "date": date or False,
                                        "line_id": line_id})
            else:
                result["lots"].append({"lot_id": to_lot, "depth": depth,
                                       "date": date or False})
        return result

    def test_trace_is_the_ordered_sql(self):
        """trace() makes the walk's hops unique, dates and orders them itself: its answer is
        the rows of _get_trace_sql ordered by PostgreSQL, on random graphs with pairs of
        lots linked by several lines, cycles, self loops, lots of one second with fractions,
        dates before 1970, and depth limits (0 included)."""
        rand = random.Random(20261205)
        lots = [self._lot(hours=index) for index in range(4)]
        lots += [self._create_lot(self.juice) for _index in range(26)]
        for index in range(30):
            outputs = rand.sample(lots[4:], rand.randint(1, 2))
            inputs = rand.sample(lots, rand.randint(1, 3))
            if index % 4 == 0:  # the same lot consumed on two lines: two links per pair
                inputs.append(inputs[0])
            self._transform_as_mrp([(lot, 1) for lot in inputs],
                                   [(lot, 1) for lot in outputs], date=self._day(10 + index))
        dates = ["1969-12-31 23:59:59.5", "1969-12-31 23:59:59", "2026-01-01 00:00:00.9",
                 "2026-01-01 00:00:00", "2026-01-01 00:00:00.1", "2026-03-01 12:00:00"]
        self.env.cr.execute("""
            SELECT id FROM stock_move_line WHERE lot_id IN %s ORDER BY id""",
                            [tuple(lot.id for lot in lots)])
        line_ids = [row[0] for row in self.env.cr.fetchall()]
        for line_id in line_ids:  # the edge table follows the lines' dates (its triggers)
            self.env.cr.execute("UPDATE stock_move_line SET date = %s WHERE id = %s",
                                [rand.choice(dates), line_id])
        self.env.cr.execute("""
            SELECT count(*) FROM (SELECT 1 FROM lot_trace_edge
                                   GROUP BY produced_lot_id, consumed_lot_id
                                  HAVING count(*) > 1) pairs""")
        self.assertTrue(self.env.cr.fetchone()[0], "some pairs are linked by two lines")
        compared = 0
        for direction in ("downstream", "upstream"):
            for max_depth in (None, 0, 1, 2):
                for start in ([lots[0].id], [lots[1].id, lots[2].id], [lots[-1].id]):
                    answer = self.Trace.trace(start, direction, max_depth)
                    self.assertEqual(answer, self._ordered_sql_trace(start, direction, max_depth),
                                     (direction, max_depth, start))
                    compared += len(answer["edges"])
        self.assertGreater(compared, 100)

    def test_cycle_and_self_loop_terminate(self):
        """Unbuild writes B -> A back; rework consumes C into C: the walk stops anyway."""
        lot_a = self._lot()
        lot_b, lot_c = self._create_lot(self.juice), self._create_lot(self.juice)
        self._transform_as_mrp([(lot_a, 5)], [(lot_b, 5)], date=self._day(1))
        self._transform_as_mrp([(lot_b, 5)], [(lot_a, 5)], date=self._day(2))
        self._transform_as_mrp([(lot_b, 1)], [(lot_c, 1)], date=self._day(3))
        self._transform_as_mrp([(lot_c, 1)], [(lot_c, 1)], date=self._day(4))
        down = self.Trace.trace([lot_a.id], "downstream")
        self.assertEqual(_lots(down), {lot_a.id: 0, lot_b.id: 1, lot_c.id: 2})
        self.assertIn((lot_b.id, lot_a.id, 2), _edges(down), "the back edge is reported")
        self.assertIn((lot_c.id, lot_c.id, 3), _edges(down), "the self loop is reported")
        up = self.Trace.trace([lot_c.id], "upstream")
        self.assertEqual(_lots(up), {lot_c.id: 0, lot_b.id: 1, lot_a.id: 2})
        self.assertEqual([self.Trace.count_lots([lot_a.id], "downstream"),
                          self.Trace.count_lots([lot_c.id], "upstream")], [3, 3])

    def test_summary_is_the_trace_summed_up(self):
        """The page's summary of a walk, and a recall's lots and depths (diamond, two links
        between the same two lots at different dates, a back edge, a self loop, equal
        dates), say what the trace says:
        its count and ids, its first lots and the edges between them in the trace's order,
        and for each lot a parent one link nearer the start lot (the lowest id of them)."""
        lot_a = self._lot()
        made = [self._create_lot(self.juice) for _i in range(6)]
        x, y, z, w, v, u = made
        self._transform_as_mrp([(lot_a, 1)], [(x, 1)], date=self._day(2))
        self._transform_as_mrp([(lot_a, 1)], [(y, 1)], date=self._day(1))
        self._transform_as_mrp([(lot_a, 1)], [(w, 1)], date=self._day(1))
        self._transform_as_mrp([(x, 1), (y, 1)], [(z, 1)], date=self._day(3))
        self._transform_as_mrp([(y, 1)], [(z, 1)], date=self._day(6))  # y -> z again, later
        self._transform_as_mrp([(z, 1)], [(lot_a, 1)], date=self._day(4))  # back edge
        self._transform_as_mrp([(w, 1)], [(w, 1)], date=self._day(5))  # self loop
        self._transform_as_mrp([(z, 1), (w, 1)], [(v, 1), (u, 1)], date=self._day(7))
        for direction, start in (("downstream", lot_a), ("upstream", v)):
            full = self.Trace.trace(start.ids, direction)
            for head in (1, 3, 4, 500):
                summary = self.Trace._get_summary(start.ids, direction, head)
                self.assertEqual(summary["count"], len(full["lots"]))
                self.assertEqual(sorted(summary["lot_ids"]),
                                 sorted(row["lot_id"] for row in full["lots"]))
                self.assertEqual(summary["lots"], full["lots"][:head], (direction, head))
                kept = {row["lot_id"] for row in summary["lots"]}
                self.assertEqual(summary["edges"], [
                    edge for edge in full["edges"]
                    if edge["from_lot_id"] in kept and edge["to_lot_id"] in kept])
                depth = {row["lot_id"]: row["depth"] for row in full["lots"]}
                expected = {}
                for edge in full["edges"]:
                    if edge["depth"] == depth[edge["to_lot_id"]]:
                        expected[edge["to_lot_id"]] = min(
                            expected.get(edge["to_lot_id"], edge["from_lot_id"]),
                            edge["from_lot_id"])
                self.assertEqual(summary["parents"], expected)
                self.assertEqual(set(expected), set(depth) - set(start.ids))
        self.assertEqual(self.Trace._get_summary([], "downstream", 5)["count"], 0)
        for direction, start in (("downstream", lot_a), ("upstream", v)):
            self.assertEqual(self.Trace._get_depths(start.ids, direction), _lots(
                self.Trace.trace(start.ids, direction)), "the depths of the trace's lots")
        self.assertEqual(self.Trace._get_depths([], "upstream"), {})

    def test_depth_limit(self):
        """A -> B -> C -> D limited to depth 2 stops at C, with the edges up to it."""
        lots = [self._lot()] + [self._create_lot(self.juice) for _i in range(3)]
        for index in range(3):
            self._transform_as_mrp([(lots[index], 1)], [(lots[index + 1], 1)],
                                   date=self._day(index + 1))
        down = self.Trace.trace([lots[0].id], "downstream", max_depth=2)
        self.assertEqual(_lots(down), {lots[0].id: 0, lots[1].id: 1, lots[2].id: 2})
        self.assertEqual(len(down["edges"]), 2)
        self.assertEqual(self.Trace.trace([lots[0].id], "downstream", max_depth=0)["lots"],
                         [{"lot_id": lots[0].id, "depth": 0, "date": False}])
        self.assertEqual(len(self.Trace.trace([lots[0].id], "downstream")["lots"]), 4)
        self.assertEqual([self.Trace.count_lots(lots[0].ids, "downstream", max_depth=depth)
                          for depth in (0, 2, None)], [1, 3, 4])
        self.assertEqual(self.Trace.count_lots([], "upstream"), 0)

    def test_indexes_created(self):
        """init() adds the partial indexes the engine needs and Odoo lacks."""
        self.env.cr.execute("SELECT indexname FROM pg_indexes WHERE indexname IN %s",
                            (("stock_move_line_lot_done_index",
                              "stock_move_origin_returned_move_index"),))
        self.assertEqual(len(self.env.cr.fetchall()), 2)

    def test_bad_direction_refused(self):
        """An unknown direction is an error naming it, not an empty answer."""
        with self.assertRaisesRegex(Exception, "sideways"):
            self.Trace.trace(self._create_lot(self.apples).ids, "sideways")

    def test_returns_in_details_and_trace(self):
        """A shipped bottle comes back: the page nets the return; the trace is unchanged."""
        apple = self._lot()
        bottle = self._create_lot(self.juice)
        self._transform_as_mrp([(apple, 10)], [(bottle, 10)], date=self._day(1))
        delivery = self._deliver(self.juice, [(bottle, 6)])
        self._return_lot(delivery, bottle, 2)
        details = self.Trace.lot_details(bottle.id)
        self.assertEqual(len(details["shipped_to"]), 1)
        shipped = details["shipped_to"][0]
        self.assertEqual(shipped["partner_id"], self.customer.id)
        self.assertEqual((shipped["qty"], shipped["returned_qty"], shipped["net_qty"]),
                         (6.0, 2.0, 4.0))
        self.assertEqual(shipped["document"], delivery.name)
        self.assertEqual(_lots(self.Trace.trace([apple.id], "downstream")),
                         {apple.id: 0, bottle.id: 1})
        self.assertEqual([row["qty"] for row in details["in_stock"]], [6.0])
        json.dumps(details)

    def test_lot_details_chain(self):
        """The page of a juice lot: its apples and their supplier, its bottle, stock, history."""
        apple = self._lot(qty=50, hours=0)
        juice, bottle = self._create_lot(self.juice), self._create_lot(self.juice)
        self._transform_as_mrp([(apple, 10)], [(juice, 8)], date=self._day(2))
        self._transform_as_mrp([(juice, 3)], [(bottle, 3)], date=self._day(3))
        details = self.Trace.lot_details(juice.id)
        self.assertEqual(details["lot"]["name"], juice.name)
        made_from = {row["id"]: row for row in details["made_from"]["lots"]}
        self.assertEqual(set(made_from), {juice.id, apple.id})
        receipt = made_from[apple.id]["receipts"][0]
        self.assertEqual(receipt["supplier"], self.supplier.display_name)
        self.assertEqual(receipt["qty"], 50.0)
        self.assertEqual([row["id"] for row in details["used_in"]["lots"]], [juice.id, bottle.id])
        self.assertEqual([(row["qty"], row["reserved"]) for row in details["in_stock"]],
                         [(5.0, 0.0)])
        self.assertEqual(len(details["history"]), 2, "made, then consumed")
        self.assertEqual(details["shipped_to"], [])

    def test_user_time_zone(self):
        """The page's data is UTC; the page shows history dates in the user's time zone."""
        apple = self._lot(hours=0)
        utc = self.Trace.lot_details(apple.id)["history"][0]["date"]
        self.assertEqual(utc, self.Trace.with_context(tz="Asia/Tokyo").lot_details(
            apple.id)["history"][0]["date"], "the data does not depend on the time zone")
        tokyo = fields.Datetime.from_string(utc) + timedelta(hours=9)
        html = apple.with_context(tz="Asia/Tokyo", lang="en_US").trace_html
        self.assertIn(tokyo.strftime("%m/%d/%Y %H:%M"), html)
        self.assertNotIn(fields.Datetime.from_string(utc).strftime("%m/%d/%Y %H:%M"), html)

    def test_other_company_sees_nothing(self):
        """A traceability user of another company gets only the start lot, no edge."""
        apple = self._lot()
        juice = self._create_lot(self.juice)
        self._transform_as_mrp([(apple, 1)], [(juice, 1)], date=self._day(1))
        other = self.env["res.company"].create({"name": "Other Foods Ltd"})
        outsider = self._create_user("outsider", "lot_traceability.lot_traceability_group_user")
        outsider.write({"company_ids": [(6, 0, other.ids)], "company_id": other.id})
        down = self.Trace.sudo(outsider).trace([apple.id], "downstream")
        self.assertEqual(_lots(down), {apple.id: 0})
        self.assertEqual(down["edges"], [])
        self.assertEqual(self.Trace.sudo(outsider).lot_details(apple.id)["history"], [])
        insider = self.Trace.sudo(self.trace_user).trace([apple.id], "downstream")
        self.assertEqual(_lots(insider), {apple.id: 0, juice.id: 1})

    # --- equality with Odoo's own report ----------------------------------------------
    def _native_lots(self, lot, stream):
        """Lots of the native report fully unfolded (each line once: it has no cycle guard)."""
        report = self.env["stock.traceability.report"]
        todo = report.with_context(active_id=lot.id, ttype=stream).get_lines()
        seen, lots = set(), set()
        while todo:
            line = todo.pop()
            lots.add(self.env[line["model"]].browse(line["model_id"]).lot_id.id)
            key = (line["model"], line["model_id"])
            if not line["unfoldable"] or key in seen:
                continue
            seen.add(key)
            todo += report.get_lines(
                line_id=line["id"], model_name=line["model"], model_id=line["model_id"],
                level=line["level"] + 1, stream=stream, parent_quant=line["parent_quant"])
        return lots - {False}

    def test_same_second_differs_from_native(self):
        """Received and consumed in the same second: the native report, which needs a
        strictly later date, loses the juice; the engine follows the link and finds it."""
        apple = self._lot(hours=5)
        juice = self._create_lot(self.juice)
        self._transform_as_mrp([(apple, 1)], [(juice, 1)], date=self._day(5))
        self.assertEqual(set(_lots(self.Trace.trace([apple.id], "downstream"))),
                         {apple.id, juice.id})
        self.assertEqual(self._native_lots(apple, "downstream"), {apple.id})

    def _random_chain(self, seed):
        """Receipts of 6 ingredient lots, then 3 levels of builds, at distinct hours."""
        rng, hours = random.Random(seed), iter(range(1, 1000))
        levels = [[self._lot(rng.choice([self.apples, self.sugar]), hours=next(hours))
                   for _i in range(6)]]
        for _level in range(3):
            made = []
            for _build in range(4):
                inputs = rng.sample(levels[-1] + levels[0], 3)
                lot = self._create_lot(self.juice)
                self._transform_as_mrp([(i, 1) for i in inputs], [(lot, 5)],
                                       date=self._day(next(hours)))
                made.append(lot)
            levels.append(made)
        return levels

    def test_same_lots_as_native_report(self):
        """On generated chains, every lot's up and down sets equal the native report's."""
        levels = self._random_chain(7)
        sizes = []
        for lot in levels[0] + levels[1] + levels[-1]:
            for stream in ("downstream", "upstream"):
                ours = set(_lots(self.Trace.trace([lot.id], stream)))
                self.assertEqual(ours, self._native_lots(lot, stream),
                                 "%s %s" % (lot.name, stream))
                sizes.append(len(ours))
        self.assertGreater(max(sizes), 5, "the chains are deep enough to compare")


class TestLotTracePage(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        super(TestLotTracePage, cls).setUpClass()
        cls.apples = cls._create_product("Apples")
        cls.juice = cls._create_product("Juice")
        cls.apple = cls._create_lot(cls.apples)
        cls._receive(cls.apples, [(cls.apple, 20)])
        cls.juice1, cls.juice2, cls.blend = (cls._create_lot(cls.juice) for _i in range(3))
        cls._transform_as_mrp([(cls.apple, 5)], [(cls.juice1, 5)])
        cls._transform_as_mrp([(cls.apple, 5)], [(cls.juice2, 5)])
        cls._transform_as_mrp([(cls.juice1, 1), (cls.juice2, 1)], [(cls.blend, 2)])
        cls.bottle = cls._create_lot(cls.juice)
        cls._transform_as_mrp([(cls.blend, 1)], [(cls.bottle, 1)])

    def test_page_folds_both_trees(self):
        """The apple lot's page: nested details, the blend unfolded once though reached twice."""
        html = self.apple.sudo(self.trace_user).trace_html
        self.assertIn("<details", html)
        for lot in (self.juice1, self.juice2, self.blend):
            self.assertIn(lot.name, html)
        self.assertEqual(html.count("<b>%s</b>" % self.blend.name), 2, "once per parent")
        self.assertEqual(html.count("<b>%s</b>" % self.bottle.name), 1, "blend unfolded once")
        self.assertIn("(see above)", html, "the second blend occurrence is not unfolded")
        self.assertIn(self.supplier.name, html, "the apple's receipt shows its supplier")
        blend_html = self.blend.sudo(self.trace_user).trace_html
        self.assertEqual(blend_html.count("<b>%s</b>" % self.apple.name), 2, "a leaf per path")

    def test_buttons_open_lists(self):
        """Made From / Used In open lot lists of the other lots, at every level."""
        lots = self.env["stock.production.lot"].sudo(self.trace_user)
        down = self.apple.sudo(self.trace_user).action_open_downstream()
        self.assertEqual(set(lots.search(down["domain"]).ids),
                         {self.juice1.id, self.juice2.id, self.blend.id, self.bottle.id})
        up = self.blend.sudo(self.trace_user).action_open_upstream()
        self.assertEqual(set(lots.search(up["domain"]).ids),
                         {self.juice1.id, self.juice2.id, self.apple.id})
        # the title the web client shows (Odoo 11: display_name before name), not the
        # generic "Lots/Serial Numbers" of the action they are made from
        self.assertEqual((down["display_name"], up["display_name"]),
                         ("Used in %s" % self.apple.name, "Made from %s" % self.blend.name))
        for bad in (("traced_from_lot_id", "!=", self.apple.id),
                    ("traced_from_lot_id", "=", "x")):
            with self.assertRaisesRegex(UserError, r"Made from lot \(any level\)"):
                lots.search([bad])

    def test_form_view_loads(self):
        """The lot form with the page and buttons loads for a traceability user."""
        arch = self.env["stock.production.lot"].sudo(self.trace_user).fields_view_get(
            self.env.ref("stock.view_production_lot_form").id, "form")["arch"]
        self.assertIn("trace_html", arch)
        self.assertIn("action_open_upstream", arch)

    def test_page_caps_big_trees(self):
        """A batch split into more units than the page draws: the tree stops and says so."""
        batch = self._create_lot(self.juice)
        self._receive(self.juice, [(batch, TREE_NODE_LIMIT + 5)])
        self._split(batch, unit_count=TREE_NODE_LIMIT + 5)
        details = self.env["stock.lot.trace"].sudo(self.trace_user).lot_details(batch.id)
        used_in = details["used_in"]
        self.assertEqual(used_in["count"], TREE_NODE_LIMIT + 6)
        self.assertEqual(len(used_in["lots"]), TREE_NODE_LIMIT)
        self.assertTrue(used_in["truncated"])
        html = batch.sudo(self.trace_user).trace_html
        self.assertIn("%d lots: the tree shows the first ones only" % used_in["count"], html)
