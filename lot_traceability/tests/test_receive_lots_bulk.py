# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Receive Lots through the sanctioned bulk path (stock.lot.bulk.writer) against the ORM path."""
import copy

from ..models.stock_lot_bulk_writer import BulkUnsupported
from ..tools.internal_context import internal_context
from .common import TraceabilityCase, unique

#: Tables a receipt writes, and the columns that differ by nature between two runs.
TABLES = ("stock_production_lot", "stock_picking", "stock_move", "stock_move_line",
          "stock_quant", "stock_lot_attribute_value")
IGNORED = {"id", "create_date", "write_date", "date", "date_done", "in_date", "scheduled_date",
           "date_expected", "reference", "name", "origin", "backorder_id"}


class TestReceiveLotsBulk(TraceabilityCase):
    """A validated receipt of many lots leaves the database as the ORM path does."""

    @classmethod
    def setUpClass(cls):
        super(TestReceiveLotsBulk, cls).setUpClass()
        cls.juice = cls._create_product("Juice", uom=cls.uom_kg, life_time=365, use_time=300)
        cls.origin = cls._create_attribute("Origin")
        cls.juice.product_tmpl_id.lot_attribute_ids = cls.origin

    def _rows(self, count, tag):
        return [{"product_id": self.juice.id, "lot_name": "%s-%04d" % (tag, number),
                 "quantity": 1.0 + number % 3, "supplier_lot_code": "S%04d" % number,
                 "production_date": "2026-01-10",
                 "value_ids": [(0, 0, {"attribute_id": self.origin.id,
                                       "value": "Farm %d" % (number % 5)})]}
                for number in range(count)]

    def _run(self, path, demand, rows):
        """Receive ``rows`` on a receipt expecting ``demand`` (None: on the receipt the
        wizard makes, from the product)."""
        def receive():
            picking = self._create_incoming([(self.juice, demand)]) if demand else None
            # The wizard's create fills the commands it is given: each run gets its copy.
            self._receive_wizard(copy.deepcopy(rows), picking=picking, user=self.trace_user,
                                 validate_now=True, product=None if picking else self.juice,
                                 partner=None if picking else self.supplier).with_context(
                **internal_context(lot_receipt_path=path)).action_apply()
        return self._dump_rolled_back(receive, self._max_ids(TABLES), IGNORED)

    def _assert_same(self, demand, rows):
        orm = self._run("orm", demand, rows)
        bulk = self._run("bulk", demand, rows)
        for table in TABLES:
            self.assertEqual(bulk[table], orm[table], table)
        return orm

    def test_bulk_equals_orm_with_a_backorder(self):
        """250 lots (one received and delivered before), less than expected: same lots,
        attribute values, done lines, quants, and the same backorder of the rest."""
        tag = unique("BK")
        known = self._receive(self.juice, [("%s-0000" % tag, 2.0)])
        lot = known.move_line_ids.lot_id
        self._deliver(self.juice, [(lot, 2.0)])
        rows = self._rows(250, tag)
        orm = self._assert_same(600.0, rows)
        self.assertEqual(len(orm["stock_production_lot"]), 249)
        self.assertEqual(len(orm["stock_picking"]), 2)  # the receipt and its backorder
        # 250 done lines and the backorder's reserved line of the rest.
        self.assertEqual(len(orm["stock_move_line"]), 251)
        self.assertEqual(len(orm["stock_quant"]), 2 * 249 + 1)

    def test_bulk_equals_orm_beyond_the_demand(self):
        """More received than expected: the lines past the demand reserve nothing."""
        rows = self._rows(210, unique("OV"))
        orm = self._assert_same(300.0, rows)
        self.assertEqual(len(orm["stock_picking"]), 1)
        self.assertEqual(len(orm["stock_move_line"]), 210)

    def test_bulk_equals_orm_on_a_new_receipt(self):
        """From the product, no receipt yet: both paths make a receipt whose move expects
        (ordered_qty) what the rows bring, 420 kg, and every lot's line reserved its own
        quantity of it; no backorder. (Validating raises a smaller demand to what is done:
        the initial demand stays in ordered_qty.)"""
        rows = self._rows(210, unique("NW"))
        self.assertEqual(sum(row["quantity"] for row in rows), 420.0)
        orm = self._assert_same(None, rows)
        self.assertEqual(len(orm["stock_picking"]), 1)
        (move,) = [dict(row) for row in orm["stock_move"]]  # rows of (column, text) pairs
        self.assertEqual((float(move["ordered_qty"]), float(move["product_uom_qty"])),
                         (420.0, 420.0))
        lines = [dict(row) for row in orm["stock_move_line"]]
        self.assertEqual([float(line["ordered_qty"]) for line in lines],
                         [float(line["qty_done"]) for line in lines])

    def test_bulk_refused_for_two_products(self):
        """Two products on one receipt: the bulk path says no and the ORM path receives."""
        sugar = self._create_product("Sugar", uom=self.uom_kg)
        tag = unique("TP")
        rows = [{"product_id": product.id, "lot_name": "%s-%d" % (tag, number),
                 "quantity": 1.0} for number, product in enumerate((sugar, sugar, sugar))]
        rows[0]["product_id"] = self.juice.id
        rows[0]["value_ids"] = [(0, 0, {"attribute_id": self.origin.id, "value": "X"})]
        picking = self._create_incoming([(self.juice, 1.0), (sugar, 2.0)])
        wizard = self._receive_wizard(rows, picking=picking, validate_now=True)
        with self.assertRaises(BulkUnsupported):
            wizard.with_context(**internal_context(lot_receipt_path="bulk")).action_apply()
        wizard.action_apply()
        self.assertEqual(picking.state, "done")
        self.assertEqual(len(picking.move_line_ids.mapped("lot_id")), 3)
