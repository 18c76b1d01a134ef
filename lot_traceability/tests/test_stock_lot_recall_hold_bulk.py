# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Hold Stock and Release Stock through the sanctioned bulk writer leave what the ORM path
leaves (moves, lines, quants, hold lines), and take the ORM path where the stock is not one
free quant per lot and location (a package)."""
import re

from ..models.stock_lot_bulk_writer import BulkUnsupported
from ..tools.internal_context import internal_context
from .common import TraceabilityCase

TABLES = ("stock_move", "stock_move_line", "stock_quant", "stock_lot_recall_hold")
IGNORED = {"id", "create_date", "write_date", "date", "in_date", "date_expected", "date_done",
           "scheduled_date", "reference"}


class TestRecallHoldBulk(TraceabilityCase):
    BULK_NEW_REFERENCES = dict(TraceabilityCase.BULK_NEW_REFERENCES,
                               hold_move_id="stock_move")

    @classmethod
    def setUpClass(cls):
        """Jam lots J1, J2 in Stock, J3 on a shelf, J4 in both; tea T1 in Stock."""
        super(TestRecallHoldBulk, cls).setUpClass()
        cls.shelf = cls._create_location("Shelf 2", parent=cls.stock_location)
        cls.jam, cls.tea = cls._create_product("Jam"), cls._create_product("Tea")
        cls.lots = [cls._create_lot(cls.jam, name) for name in ("J1", "J2", "J3", "J4")]
        cls.tea_lot = cls._create_lot(cls.tea, "T1")
        j1, j2, j3, j4 = cls.lots
        cls._receive(cls.jam, [(j1, 5.0), (j2, 3.0), (j4, 2.0)])
        cls._receive(cls.jam, [(j3, 4.0), (j4, 6.0)], location=cls.shelf)
        cls._receive(cls.tea, [(cls.tea_lot, 8.0)])
        cls.recall = cls.env["stock.lot.recall"].sudo(cls.trace_manager).create({
            "lot_ids": [(6, 0, [lot.id for lot in cls.lots] + [cls.tea_lot.id])]})
        cls.recall.action_open()

    def _hold(self, bulk):
        self.recall.sudo(self.trace_user).with_context(
            **internal_context(lot_transform_bulk=bulk,
                               lot_transform_bulk_strict=bulk)).action_hold()

    def _release(self, bulk):
        self.recall.sudo(self.trace_manager).with_context(
            **internal_context(lot_transform_bulk=bulk,
                               lot_transform_bulk_strict=bulk)).action_release()

    def _quants(self):
        self.env.cr.execute("""
            SELECT lot.name, loc.name, q.quantity, q.reserved_quantity
              FROM stock_quant q JOIN stock_production_lot lot ON lot.id = q.lot_id
              JOIN stock_location loc ON loc.id = q.location_id
             WHERE q.product_id IN %s AND loc.usage = 'internal'""", [(self.jam.id, self.tea.id)])
        return sorted(self.env.cr.fetchall())

    def test_bulk_hold_equals_orm(self):
        since = self._max_ids(TABLES)
        orm, bulk = [self._dump_rolled_back(lambda: self._hold(path), since, IGNORED,
                                            extra=self._quants) for path in (False, True)]
        self.assertEqual(bulk, orm)
        quarantine = self.recall.quarantine_location_id.name
        self.assertEqual(orm["extra"], sorted(
            (name, quarantine, qty, 0.0) for name, qty in (
                ("J1", 5.0), ("J2", 3.0), ("J3", 4.0), ("J4", 8.0), ("T1", 8.0))))
        # One move per product and location: jam from Stock, jam from the shelf, tea.
        self.assertEqual(len(orm["stock_move"]), 3)
        self.assertEqual(len(orm["stock_move_line"]), 6)
        self.assertEqual({dict(row)["state"] for row in orm["stock_lot_recall_hold"]}, {"held"})

    def test_bulk_hold_reads_nothing_it_deleted(self):
        """The stock lines a hold replaces and the quants it empties are deleted; nothing
        reads them afterwards (their own related fields were left to recompute, and Odoo
        read every prefetched record to find them gone: 1.5 s and 110 MB each for the
        5,000 of a wide recall)."""
        self.env.cr.execute("SELECT id FROM stock_quant WHERE product_id IN %s",
                            [(self.jam.id, self.tea.id)])
        before = {row[0] for row in self.env.cr.fetchall()}
        with self._recorded_statements() as statements:
            self._hold(True)
        self.env.cr.execute("SELECT id FROM stock_quant WHERE id IN %s", [tuple(before)])
        deleted = before - {row[0] for row in self.env.cr.fetchall()}
        self.assertTrue(deleted, "the held stock emptied its quants")

        def ids_in(params):
            found = set()
            for param in params if isinstance(params, (list, tuple)) else [params]:
                if isinstance(param, (list, tuple)):
                    found |= ids_in(param)
                elif isinstance(param, int):
                    found.add(param)
            return found
        gone, reads = {}, []  # per table, the ids deleted so far
        for query, params, _text in statements:
            table = re.match(r'DELETE FROM "(\w+)"', query)
            if table:
                gone.setdefault(table.group(1), set()).update(ids_in(params))
            reads += [query for name, ids in gone.items()
                      if 'FROM "%s"' % name in query and not query.startswith("DELETE")
                      and ids_in(params or ()) & ids]
        self.assertEqual(gone["stock_quant"], deleted)
        self.assertTrue(gone["stock_lot_recall_hold"], "the stock lines replaced before")
        self.assertEqual(reads, [])

    def test_packed_stock_takes_the_orm_path(self):
        """J2 lies in a package: the writer refuses (strict), the hold still moves it all."""
        package = self.env["stock.quant.package"].create({"name": "PACK-J2"})
        self.env["stock.quant"].search([("lot_id", "=", self.lots[1].id)]).write(
            {"package_id": package.id})
        with self.env.cr.savepoint(), self.assertRaises(BulkUnsupported):
            self._hold(True)
        self.env.cache.invalidate()
        self.recall.sudo(self.trace_user).action_hold()
        quarantine = self.recall.quarantine_location_id
        self.assertEqual(self._on_hand(self.jam, self.lots[1], quarantine), 3.0)
        self.assertEqual(self._on_hand(self.jam, self.lots[3], quarantine), 8.0)
        self.assertEqual(set(self.recall.hold_line_ids.mapped("state")), {"held"})

    def test_bulk_release_equals_orm(self):
        """Held by the ORM, then 2 of J1's 5 and 2 of J4's 8 (held from two places) taken
        out of quarantine by hand: both ways of releasing move the rest back to where each
        lot was and say what is missing."""
        self._hold(False)
        quarantine = self.recall.quarantine_location_id
        self.env["stock.picking"]._create_done_transfer(
            self.warehouse.int_type_id, self.customer,
            [(self.jam, 2.0, self.lots[0]), (self.jam, 2.0, self.lots[3])],
            location=quarantine, location_dest=self.stock_location)
        since = self._max_ids(TABLES)
        orm, bulk = [self._dump_rolled_back(lambda: self._release(path), since, IGNORED,
                                            extra=self._quants) for path in (False, True)]
        self.assertEqual(bulk, orm)
        self.assertEqual([row for row in orm["extra"] if row[1] == quarantine.name], [])
        # J4's lines in their order: Stock's 2 back, the shelf's 4 of 6 (2 went to Stock).
        self.assertEqual(sorted(row for row in orm["extra"] if row[0] == "J4"), [
            ("J4", self.shelf.name, 4.0, 0.0), ("J4", self.stock_location.name, 4.0, 0.0)])
        self.assertEqual(len(orm["stock_move"]), 3)
        self._release(True)
        lines = self.recall.hold_line_ids
        self.assertEqual(set(lines.mapped("state")), {"released"})
        j1 = lines.filtered(lambda line: line.lot_id == self.lots[0])
        self.assertEqual((j1.qty, j1.qty_released), (5.0, 3.0))
        j4 = lines.filtered(lambda line: line.lot_id == self.lots[3])
        self.assertEqual((sum(j4.mapped("qty")), sum(j4.mapped("qty_released"))), (8.0, 6.0))
        self.assertIn("J1: 2.0", self.recall.message_ids[0].body)
        self.assertIn("J4: 2.0", self.recall.message_ids[0].body)
