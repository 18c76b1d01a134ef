# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The ledger answers each fact for a SET of lots with one SQL query, whatever its size."""
import json

from odoo.exceptions import UserError

from ..models import stock_lot_sql_mixin as sql_mixin
from ..models.stock_lot_sql_mixin import IdArray
from .common import TraceabilityCase


class TestStockLotLedger(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        """Two apple lots received; apple 1 makes a juice batch, bottled into 3 lots;
        two bottles go to the customer (one partly comes back), one to a contact of a
        second customer; apple 2 is sold as it is."""
        super(TestStockLotLedger, cls).setUpClass()
        cls.Ledger = cls.env["stock.lot.ledger"]
        cls.apples = cls._create_product("Apples", uom=cls.uom_kg)
        cls.juice = cls._create_product("Juice")
        cls.apple1, cls.apple2 = cls._create_lot(cls.apples), cls._create_lot(cls.apples)
        cls._receive(cls.apples, [(cls.apple1, 40), (cls.apple2, 10)])
        cls.batch = cls._create_lot(cls.juice)
        cls._transform_as_mrp([(cls.apple1, 10)], [(cls.batch, 9)])
        cls.bottles = [cls._create_lot(cls.juice) for _i in range(3)]
        cls._transform_as_mrp([(cls.batch, 9)], [(bottle, 3) for bottle in cls.bottles])
        cls.delivery = cls._deliver(cls.juice, [(cls.bottles[0], 3), (cls.bottles[1], 2)])
        cls._return_lot(cls.delivery, cls.bottles[1], 1)
        cls.deli = cls._create_partner("Deli", customer=True)
        cls.buyer = cls.env["res.partner"].create({"name": "Buyer", "parent_id": cls.deli.id})
        cls.delivery2 = cls._deliver(cls.juice, [(cls.bottles[2], 1)], partner=cls.buyer)
        cls.sale = cls._deliver(cls.apples, [(cls.apple2, 4)])
        cls.all_ids = [cls.apple1.id, cls.apple2.id, cls.batch.id] + [b.id for b in cls.bottles]

    def _queries(self, method, *args):
        """The SQL statements ``method(*args)`` runs, caches warm (the real cursor's
        execute, wrapped to record them)."""
        method(*args)
        before = self.env.cr.sql_log_count
        with self._recorded_statements() as statements:
            result = method(*args)
        self.assertEqual(self.env.cr.sql_log_count - before, len(statements))
        return [one.query for one in statements], result

    def test_one_query_per_fact_whatever_the_set(self):
        """Every fact is one statement over the stock tables, for one lot as for all of
        them (the record rules' own lookups aside, the same for any set)."""
        ledger = self.Ledger.sudo(self.trace_user)
        for name in ("receipts", "deliveries", "delivery_totals", "stock", "history",
                     "lot_totals", "product_totals", "origins", "made_at"):
            method = getattr(ledger, name)
            one, _rows = self._queries(method, [self.apple1.id])
            many, rows = self._queries(method, self.all_ids)
            self.assertEqual(len(one), len(many), name)
            facts = [query for query in many
                     if "stock_move_line" in query or "stock_quant" in query]
            self.assertEqual(len(facts), 1, name)
            json.dumps(rows)

    def test_rows_read_in_pages_are_the_same(self):
        """The facts read their rows from the cursor a page at a time: pages of one row and
        of two give what one page gives, for every fact of the whole set."""
        names = ("receipts", "deliveries", "delivery_totals", "stock", "history",
                 "lot_totals", "product_totals", "balances", "origins")
        default, answers = sql_mixin.FETCH_PAGE, []
        try:
            for page in (default, 1, 2):
                sql_mixin.FETCH_PAGE = page
                answers.append([getattr(self.Ledger, name)(self.all_ids) for name in names])
        finally:
            sql_mixin.FETCH_PAGE = default
        self.assertEqual(answers[0], answers[1])
        self.assertEqual(answers[0], answers[2])
        self.assertGreater(len(answers[1][names.index("history")]), 10)

    def test_lot_ids_bound_as_one_array_literal(self):
        """A set of lots reaches PostgreSQL as one literal ('{1,2}'), not as an ARRAY[...]
        expression of one node per lot; ints only, whatever a caller puts in it."""
        cr = self.env.cr
        self.assertEqual(cr.mogrify("SELECT %s", [IdArray([3, 1, 2])]),
                         b"SELECT '{3,1,2}'::int[]")
        cr.execute("SELECT cardinality(%s), %s = '{}'", [IdArray([5, 6]), IdArray([])])
        self.assertEqual(cr.fetchone(), (2, True))
        for bad in (["1}'::int[]; DROP TABLE stock_quant; --"], [True], [1.5]):
            with self.assertRaises(TypeError):
                cr.mogrify("SELECT %s", [IdArray(bad)])
        with self._recorded_statements() as sent:
            rows = self.Ledger.stock(self.all_ids)
        fact = next(one.text for one in sent if "stock_quant quant" in one.text)
        self.assertIn("'{%s}'::int[]" % ",".join(map(str, sorted(self.all_ids))), fact)
        self.assertNotIn("ARRAY[", fact)
        self.assertTrue(rows)

    def test_planner_settings_restored_after_every_fact(self):
        """The facts are planned with their joins as written; after each, the transaction
        plans as configured again (PostgreSQL's 8)."""
        cr = self.env.cr
        ledger = self.Ledger.sudo(self.trace_user)
        for name in ("receipts", "deliveries", "delivery_totals", "stock", "history",
                     "lot_totals", "product_totals", "origins", "balances", "made_at"):
            statements, _rows = self._queries(getattr(ledger, name), self.all_ids)
            self.assertIn("SET LOCAL join_collapse_limit = 1", " ".join(statements), name)
            cr.execute("SHOW join_collapse_limit")
            self.assertEqual(cr.fetchone()[0], "8", name)
            cr.execute("SHOW from_collapse_limit")
            self.assertEqual(cr.fetchone()[0], "8", name)
            cr.execute("SHOW max_parallel_workers_per_gather")
            self.assertEqual(cr.fetchone()[0], "2", name)
            cr.execute("SHOW random_page_cost")
            self.assertEqual(cr.fetchone()[0], "4", name)

    def test_parallel_workers_only_for_big_sets(self):
        """A fact over a few lots runs without parallel workers (starting them costs more
        than the statement) and with index lookups costed as hot pages; over
        PARALLEL_MIN_LOTS lots and more it is planned with the defaults."""
        for lot_ids, parallel in ((self.all_ids, False),
                                  (list(range(1, sql_mixin.PARALLEL_MIN_LOTS + 1)), True)):
            with self._recorded_statements() as sent:
                self.Ledger.delivery_totals(lot_ids)
            settings = " ".join(one.text for one in sent if "SET LOCAL" in one.text)
            self.assertEqual("max_parallel_workers_per_gather = 0" in settings, not parallel)
            self.assertEqual("random_page_cost = 1.1" in settings, not parallel)
            self.assertIn("max_parallel_workers_per_gather TO DEFAULT", settings)
            self.assertIn("random_page_cost TO DEFAULT", settings)

    def test_receipts_of_a_set(self):
        rows = self.Ledger.receipts(self.all_ids)
        self.assertEqual({(row["lot_id"], row["qty"], row["uom"]) for row in rows},
                         {(self.apple1.id, 40.0, "kg"), (self.apple2.id, 10.0, "kg")})
        self.assertEqual({row["partner_id"] for row in rows}, {self.supplier.id})
        self.assertEqual(rows[0]["supplier"], self.supplier.display_name)

    def _summed_by_hand(self, lot_ids):
        """The customer summaries read from the deliveries row by row, as the call list
        was made before it was one statement."""
        summaries = {}
        for row in self.Ledger.deliveries(lot_ids):  # by (date, line)
            summary = summaries.setdefault(row["partner_id"], {
                "partner_id": row["partner_id"], "pickings": set(), "lines": 0,
                "date_first": False, "date_last": False, "last": None, "contact_ids": set()})
            summary["lines"] += 1
            if row["picking_id"]:
                summary["pickings"].add(row["picking_id"])
            if row["date"]:
                summary["date_first"] = min(summary["date_first"] or row["date"], row["date"])
                summary["date_last"] = max(summary["date_last"] or row["date"], row["date"])
            key = (row["date"] or "", row["line_id"])
            if summary["last"] is None or key > summary["last"][0]:
                summary["last"] = (key, row["contact_id"])
            if row["contact_id"]:
                summary["contact_ids"].add(row["contact_id"])
        return [{"partner_id": one["partner_id"], "delivery_count": len(one["pickings"]),
                 "line_count": one["lines"],
                 "date_first": one["date_first"], "date_last": one["date_last"],
                 "last_contact_id": one["last"][1], "contact_ids": one["contact_ids"]}
                for one in summaries.values()]

    def test_customer_summaries_sum_the_deliveries(self):
        """Per customer, in the order of its first delivery: its pickings, first and last
        dates, who received the last delivery and everyone delivered to, as the deliveries
        say row by row; two deliveries in the same second: the later line is the last."""
        deli_itself = self._deliver(self.juice, [(self.bottles[2], 1)], partner=self.deli)
        ledger = self.Ledger.sudo(self.trace_user)

        def summaries():
            return [dict(row, contact_ids=set(row["contact_ids"]))
                    for row in ledger._get_customer_summaries(self.all_ids)]
        self.assertEqual(summaries(), self._summed_by_hand(self.all_ids))
        deli = {row["partner_id"]: row for row in summaries()}[self.deli.id]
        self.assertEqual((deli["delivery_count"], deli["contact_ids"], deli["last_contact_id"]),
                         (2, {self.buyer.id, self.deli.id}, self.deli.id))
        # the same second, down to its fraction: the higher line decides
        lines = (self.delivery2 | deli_itself).mapped("move_line_ids")
        self.env.cr.execute("UPDATE stock_move_line SET date = '2026-01-05 10:00:00.5' "
                            "WHERE id = ANY(%s)", (lines.ids,))
        deli = {row["partner_id"]: row for row in summaries()}[self.deli.id]
        last_line = max(lines, key=lambda line: line.id)
        self.assertEqual(deli["last_contact_id"], last_line.picking_id.partner_id.id)
        self.assertEqual(deli["date_first"], deli["date_last"])
        self.assertEqual(summaries(), self._summed_by_hand(self.all_ids))
        self.assertEqual(ledger._get_customer_summaries([]), [])

    def test_deliveries_net_of_returns(self):
        """Per delivered lot: customer (the company) and contact, document, UTC date, the
        quantity in the product's unit, what came back and the net."""
        rows = {row["lot_id"]: row for row in self.Ledger.deliveries(self.all_ids)}
        self.assertEqual(set(rows), {self.bottles[0].id, self.bottles[1].id,
                                     self.bottles[2].id, self.apple2.id})
        returned = rows[self.bottles[1].id]
        self.assertEqual((returned["qty"], returned["returned_qty"], returned["net_qty"],
                          returned["uom"]), (2.0, 1.0, 1.0, "Unit(s)"))
        self.assertEqual((returned["partner_id"], returned["document"],
                          returned["picking_id"]),
                         (self.customer.id, self.delivery.name, self.delivery.id))
        contact = rows[self.bottles[2].id]
        self.assertEqual((contact["partner_id"], contact["contact_id"]),
                         (self.deli.id, self.buyer.id))
        self.assertEqual(contact["customer"], self.deli.display_name)
        self.assertEqual(contact["date"], self.delivery2.move_line_ids.date)
        self.assertEqual(len(self.Ledger.deliveries(self.all_ids, limit=2)), 2)

    def test_deliveries_in_pages(self):
        """The deliveries of a set page by page from a server-side cursor: the same rows in
        the same order as at once, planned as written, the settings restored after."""
        rows = self.Ledger.deliveries(self.all_ids)
        self.assertGreater(len(rows), 2)
        pages = list(self.Ledger._deliveries_pages(self.all_ids, page_size=2))
        self.assertEqual([len(page) for page in pages[:-1]], [2] * (len(pages) - 1))
        self.assertEqual([row for page in pages for row in page], rows)
        self.env.cr.execute("SHOW join_collapse_limit")
        self.assertEqual(self.env.cr.fetchone()[0], "8")
        self.assertEqual(list(self.Ledger._deliveries_pages([])), [])

    def test_delivery_totals_per_customer_product_and_unit(self):
        totals = {(row["partner_id"], row["product_id"]): row
                  for row in self.Ledger.delivery_totals(self.all_ids)}
        juice = totals[(self.customer.id, self.juice.id)]
        self.assertEqual((juice["lot_count"], juice["picking_count"], juice["qty"],
                          juice["net_qty"], juice["uom"]), (2, 1, 5.0, 4.0, "Unit(s)"))
        apples = totals[(self.customer.id, self.apples.id)]
        self.assertEqual((apples["qty"], apples["uom"]), (4.0, "kg"), "never summed with units")
        self.assertEqual(totals[(self.deli.id, self.juice.id)]["qty"], 1.0)

    def test_stock_history_totals_origins(self):
        stock = self.Ledger.stock(self.all_ids)
        self.assertEqual({(row["lot_id"], row["qty"]) for row in stock},
                         {(self.apple1.id, 30.0), (self.apple2.id, 6.0),
                          (self.bottles[1].id, 2.0), (self.bottles[2].id, 2.0)})
        history = self.Ledger.history([self.batch.id])
        self.assertEqual([(row["from_usage"], row["to_usage"]) for row in history],
                         [("production", "internal"), ("internal", "production")])
        totals = {row["lot_id"]: row for row in self.Ledger.lot_totals(self.all_ids)}
        self.assertEqual((totals[self.bottles[1].id]["shipped"],
                          totals[self.bottles[1].id]["on_hand"]), (1.0, 2.0))
        products = {row["product_id"]: row for row in self.Ledger.product_totals(self.all_ids)}
        self.assertEqual((products[self.juice.id]["lot_count"],
                          products[self.juice.id]["shipped_count"],
                          products[self.juice.id]["in_stock_count"]), (4, 3, 2))
        origins = {row["lot_id"]: row for row in self.Ledger.origins(self.all_ids)}
        self.assertEqual((origins[self.apple1.id]["partner_id"],
                          origins[self.apple1.id]["received_qty"]), (self.supplier.id, 40.0))
        self.assertTrue(origins[self.batch.id]["made_location_id"])
        self.assertFalse(origins[self.batch.id]["received"])
        # Where each lot was made: the batch and the bottles in stock, received apples not.
        # A bottle delivered and returned keeps where it was made (its first production).
        made = self.Ledger.made_at(self.all_ids)
        self.assertEqual(made, {lot.id: self.stock_location.id
                                for lot in [self.batch] + self.bottles})
        self.assertEqual(made[self.batch.id], origins[self.batch.id]["made_location_id"])

    def test_fan_totals_are_both_totals(self):
        """The lot page's one statement gives what delivery_totals and product_totals give,
        as the user who asks (rules inside), for the whole set and for a part, returns
        netted; units must be among the lots."""
        units = [b.id for b in self.bottles] + [self.batch.id]
        for user in (self.trace_user, self.trace_manager):
            ledger = self.Ledger.sudo(user)
            for lot_ids, unit_ids in ((self.all_ids, units), (self.all_ids, []),
                                      ([self.bottles[1].id], [self.bottles[1].id])):
                self.assertEqual(ledger._get_fan_totals(lot_ids, unit_ids), (
                    ledger.delivery_totals(lot_ids),
                    ledger.product_totals(unit_ids) if unit_ids else []))
        by_customer, by_product = self.Ledger._get_fan_totals(self.all_ids, units)
        self.assertEqual(len(by_customer), 3)
        self.assertEqual([row["shipped_count"] for row in by_product], [3])
        other = self.env["res.company"].create({"name": "Fan Other Ltd"})
        outsider = self._create_user("fan_outsider",
                                     "lot_traceability.lot_traceability_group_user")
        outsider.write({"company_ids": [(6, 0, other.ids)], "company_id": other.id})
        by_customer, by_product = self.Ledger.sudo(outsider)._get_fan_totals(
            self.all_ids, units)
        self.assertEqual(by_customer, [])
        self.assertEqual([(row["lot_count"], row["shipped_count"], row["on_hand"])
                          for row in by_product], [(4, 0, 0.0)])
        with self.assertRaisesRegex(UserError, "unit_ids"):
            self.Ledger._get_fan_totals([self.apple1.id], [self.apple2.id])

    def test_other_company_sees_nothing(self):
        """Record rules apply inside the queries: another company's user reads no move."""
        other = self.env["res.company"].create({"name": "Other Juices Ltd"})
        outsider = self._create_user("ledger_outsider",
                                     "lot_traceability.lot_traceability_group_user")
        outsider.write({"company_ids": [(6, 0, other.ids)], "company_id": other.id})
        ledger = self.Ledger.sudo(outsider)
        self.assertEqual(ledger.deliveries(self.all_ids), [])
        self.assertEqual(ledger.history(self.all_ids), [])
        self.assertEqual(ledger.stock(self.all_ids), [])
        self.assertEqual(ledger.made_at(self.all_ids), {})

    def test_bad_arguments_named(self):
        with self.assertRaisesRegex(UserError, "lot_ids"):
            self.Ledger.stock("APL-1")
        for bad in ([True], [self.apple1.id, "1); DROP TABLE stock_quant; --"], [1.0]):
            with self.assertRaisesRegex(UserError, "lot_ids"):
                self.Ledger.stock(bad)
        with self.assertRaisesRegex(UserError, "limit"):
            self.Ledger.deliveries([self.apple1.id], limit=-1)
        # ids and limits PostgreSQL cannot hold, and ids no record can have: each named
        for method in ("stock", "deliveries", "history", "receipts", "balances",
                       "delivery_totals", "product_totals", "lot_totals", "made_at",
                       "origins"):
            for bad in ([2 ** 31], [self.apple1.id, 2 ** 40], [0], [-1]):
                with self.assertRaisesRegex(UserError, "lot_ids: %d is not a lot id" % (
                        bad[-1])):
                    getattr(self.Ledger, method)(bad)
        for limit in (2 ** 31, 2 ** 63):
            with self.assertRaisesRegex(UserError, "limit must be a number of rows"):
                self.Ledger.deliveries([self.apple1.id], limit=limit)
