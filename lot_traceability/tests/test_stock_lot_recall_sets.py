# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Recalls work on sets, not lots: opening one costs the same number of queries for 3 lots
as for 30, Hold Stock writes one move per product and location, and the lot page of a lot
with thousands of descendants stays small, its full list one click away."""
import json

from ..models import stock_lot_recall as recall_module
from .common import TraceabilityCase

SCOPE_FIELDS = ["lot_id", "product_id", "depth", "reason", "qty_in", "qty_consumed",
                "qty_shipped", "qty_ledger", "qty_on_hand", "qty_difference"]
CALL_FIELDS = ["partner_id", "partner_name", "contact_id", "contact_name", "phone", "email",
               "address", "delivery_count", "date_first", "date_last"]


class TestStockLotRecallSets(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        super(TestStockLotRecallSets, cls).setUpClass()
        cls.spice = cls._create_product("Spice")
        cls.quarantine = cls._create_location("Quarantine")

    @classmethod
    def _wide_chain(cls, units):
        """A spice lot split into ``units`` lots; every other unit shipped to its own
        customer, the others left on the shelf. Returns (spice lot, units)."""
        lot = cls._create_lot(cls.spice)
        cls._receive(cls.spice, [(lot, units + 5)])
        made = cls._split(lot, unit_count=units, split_all=False, split_qty=units)
        for index, unit in enumerate(made):
            if index % 2 == 0:
                partner = cls._create_partner("Shop %s" % index, customer=True)
                cls.env["res.partner"].create({"name": "Buyer %s" % index, "type": "contact",
                                               "parent_id": partner.id, "phone": "555"})
                cls._deliver(cls.spice, [(unit, 1)], partner=partner)
        return lot, made

    def _open(self, lot):
        """Open a recall of ``lot``: (recall, queries of action_open)."""
        recall = self.env["stock.lot.recall"].sudo(self.trace_manager).create({
            "lot_ids": [(6, 0, lot.ids)], "quarantine_location_id": self.quarantine.id})
        self.env.cache.invalidate()
        before = self.env.cr.sql_log_count
        recall.action_open()
        return recall, self.env.cr.sql_log_count - before

    def test_open_recall_queries_do_not_grow(self):
        """Opening a recall of 3 lots and of 30 lots runs the same number of queries: the
        scope, its mass balance, the deliveries, the call list and the stock are each read
        over the whole set and written in bulk."""
        self._open(self._wide_chain(2)[0])  # warm the caches Odoo fills once
        small, small_queries = self._open(self._wide_chain(2)[0])
        big, big_queries = self._open(self._wide_chain(29)[0])
        self.assertEqual((small.affected_lot_count, big.affected_lot_count), (3, 30))
        self.assertEqual((small.customer_count, big.customer_count), (1, 15))
        self.assertEqual(len(big.hold_line_ids), 14 + 1, "14 units and the spice on hand")
        self.assertEqual(big_queries, small_queries,
                         "queries of a recall of 30 lots against 3 lots")

    def test_open_recall_stores_what_the_orm_would(self):
        """The lines written in bulk read back like records the ORM made: related
        fields, call list entries holding their deliveries, mass balance, drill dates."""
        lot, units = self._wide_chain(4)
        recall = self._open(lot)[0]
        shipped = recall.scope_line_ids.filtered(lambda line: line.lot_id == units[0])
        self.assertEqual((shipped.product_id, shipped.uom_id, shipped.company_id),
                         (self.spice, self.spice.uom_id, recall.company_id))
        self.assertEqual((shipped.qty_in, shipped.qty_shipped, shipped.qty_ledger,
                          shipped.qty_on_hand), (1.0, 1.0, 0.0, 0.0))
        origin = recall.scope_line_ids.filtered(lambda line: line.lot_id == lot)
        self.assertEqual((origin.reason, origin.qty_in, origin.qty_consumed,
                          origin.qty_ledger, origin.qty_on_hand), ("origin", 9.0, 4.0, 5.0, 5.0))
        self.assertEqual(len(recall.call_line_ids), 2)
        for call in recall.call_line_ids:
            self.assertEqual(len(call.delivery_line_ids), 1)
            self.assertEqual(call.contact_name[:5], "Buyer")
            self.assertEqual(call.phone, "555")
            line = call.delivery_line_ids
            self.assertEqual((line.net_qty, line.recall_id, line.uom_id),
                             (line.qty, recall, self.spice.uom_id))
        self.assertEqual(recall.customer_qty_display, "2 Unit(s)")
        self.assertTrue(recall.date_scope and recall.date_customers and recall.date_balance)
        self.assertEqual(recall.balance_difference_count, 0)

    def test_open_recall_in_pages_stores_the_same(self):
        """Open Recall reads and writes its evidence a page at a time: with pages of one
        row and of three it stores the same affected lots, call list and delivery lines, in
        the same order, as in one page."""
        lot = self._wide_chain(9)[0]
        stored, default = [], recall_module.PAGE
        try:
            for page in (default, 1, 3):
                recall_module.PAGE = page
                recall = self._open(lot)[0]
                stored.append([
                    [[line[name] for name in SCOPE_FIELDS]
                     for line in recall.scope_line_ids.sorted("id").read(SCOPE_FIELDS)],
                    [[call[name] for name in CALL_FIELDS]
                     for call in recall.call_line_ids.sorted("id").read(CALL_FIELDS)],
                    [(line.call_id.partner_id.id,) + tuple(line[name] for name in (
                        "lot_id", "picking_id", "partner_id", "contact_id", "date", "qty",
                        "returned_qty", "net_qty", "address", "phone"))
                     for line in recall.customer_line_ids.sorted("id")]])
        finally:
            recall_module.PAGE = default
        for other in stored[1:]:
            self.assertEqual(other, stored[0])
        self.assertEqual([len(part) for part in stored[1]], [10, 5, 5])

    def test_hold_one_move_per_product_and_location(self):
        """Hold Stock moves everything on hand with one move per product and location, one
        line per lot, and conserves stock."""
        lot, units = self._wide_chain(6)
        shelf = self._create_location("Shelf")
        self._transfer_internal(units[1], shelf)
        recall = self._open(lot)[0]
        recall.sudo(self.trace_user).action_hold()
        held = recall.hold_line_ids
        self.assertEqual(set(held.mapped("state")), {"held"})
        moves = held.mapped("hold_move_id")
        self.assertEqual(len(moves), 2, "WH/Stock and the shelf")
        self.assertEqual(sorted(len(move.move_line_ids) for move in moves), [1, 3])
        self.assertEqual(set(moves.mapped("state")), {"done"})
        Quant = self.env["stock.quant"]
        for line in held:
            for location, qty in ((self.quarantine, line.qty), (line.location_id, 0.0)):
                self.assertEqual(Quant._get_available_quantity(
                    self.spice, location, lot_id=line.lot_id, strict=True), qty)

    @classmethod
    def _transfer_internal(cls, lot, location):
        cls._done_moves([(lot, 1)], cls.stock_location, location)

    def test_lot_page_of_thousands_of_descendants(self):
        """A lot split into 1,500 units: its page answers in under 250 KB (the tree's first
        500 lots, whatever the number of units) with the units counted per product; Used In
        lists the 1,500 lots with a domain of a few bytes."""
        lot = self._create_lot(self.spice)
        self._receive(self.spice, [(lot, 1500)])
        self._split(lot, unit_count=1500)
        self._analyze()
        user_lot = lot.sudo(self.trace_user)
        details = self.env["stock.lot.trace"].sudo(self.trace_user).lot_details(lot.id)
        self.assertLess(len(json.dumps(details)), 250000)
        [group] = details["units"]
        self.assertEqual((group["lot_count"], group["in_stock_count"]), (1500, 1500))
        html = user_lot.trace_html
        self.assertLess(len(html), 250000)
        self.assertIn("the Used In button lists every lot made from it", html)
        action = user_lot.action_open_downstream()
        self.assertLess(len(json.dumps(action["domain"])), 100)
        lots = self.env["stock.production.lot"].sudo(self.trace_user)
        self.assertEqual(lots.search_count(action["domain"]), 1500)
        self.assertNotIn(lot, lots.search(action["domain"]))
        upstream = lots.search(lots.browse(lots.search(action["domain"], limit=1).id)
                               .action_open_upstream()["domain"])
        self.assertEqual(upstream, user_lot)

    def test_line_lists_read_in_one_query(self):
        """A recall's line lists (affected lots, mass balance, customers, call list, stock)
        are the lines ``search`` finds, in their order, under the user's rules, each read in
        one query however many lines: Odoo's own read made each line's record (a minute for
        the form of a 205,001-lot recall)."""
        lot, _units = self._wide_chain(12)
        recall, _queries = self._open(lot)
        recall.sudo(self.trace_user).action_hold()
        for user in (self.trace_user, self.trace_manager):
            mine = self.env["stock.lot.recall"].sudo(user).browse(recall.id)
            for name in ("scope_line_ids", "balance_line_ids", "customer_line_ids",
                         "call_line_ids", "hold_line_ids", "held_line_ids"):
                field = mine._fields[name]
                lines = self.env[field.comodel_name].sudo(user).search(
                    list(field.domain) + [("recall_id", "=", recall.id)])
                self.assertTrue(lines, name)
                self.env.cache.invalidate()
                before = self.env.cr.sql_log_count
                read = mine.read([name])[0][name]
                self.assertEqual(read, lines.ids, name)
                self.assertLessEqual(self.env.cr.sql_log_count - before, 6, name)
        call = recall.call_line_ids[0]
        self.assertEqual(call.delivery_line_ids.ids, self.env["stock.lot.recall.customer"].search(
            [("call_id", "=", call.id)]).ids)
