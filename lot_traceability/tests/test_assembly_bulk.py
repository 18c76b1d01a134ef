# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Assembly Done through the sanctioned bulk path (stock.lot.bulk.writer, the consumed side)
leaves the database exactly as the ORM path does, and keeps every check."""
from odoo.exceptions import UserError

from ..models.stock_lot_bulk_writer import BulkUnsupported
from ..tools.internal_context import internal_context
from .common import TraceabilityCase, unique

#: Tables a build writes, and the columns that differ by nature between two builds.
TABLES = ("stock_production_lot", "stock_move", "stock_move_line", "stock_quant")
IGNORED = {"id", "create_date", "write_date", "date", "date_expected", "in_date", "reference",
           "name", "origin", "transform_ref", "transform_res_id"}


class TestAssemblyBulk(TraceabilityCase):
    """Scenario: a build takes a lot partly (its quant shrinks), a lot whole from a shelf
    (its quant goes), one lot on two lines, a lot already partly used before (its quant in
    production grows) while a delivery holds a reservation on it, a serial and lot-less
    jars: Done writes the same moves, lines, quants and links whichever path takes it."""

    maxDiff = None

    @classmethod
    def setUpClass(cls):
        super(TestAssemblyBulk, cls).setUpClass()
        cls.shelf = cls._create_location("Shelf")
        cls.sugar = cls._create_product("Sugar", uom=cls.uom_kg)
        cls.apple = cls._create_product("Apple")
        cls.motor = cls._create_product("Motor", tracking="serial")
        cls.jar = cls._create_product("Jar", tracking="none")
        cls.jam = cls._create_product("Jam")
        cls.sugar_a = cls._create_lot(cls.sugar, unique("SA"))
        cls.sugar_b = cls._create_lot(cls.sugar, unique("SB"))
        cls.apple_a = cls._create_lot(cls.apple, unique("AA"))
        cls.motor_a = cls._create_lot(cls.motor, unique("MA"))
        cls._receive(cls.sugar, [(cls.sugar_a, 10.0)])
        cls._receive(cls.sugar, [(cls.sugar_b, 3.0)], location=cls.shelf)
        cls._receive(cls.apple, [(cls.apple_a, 9.0)])
        cls._receive(cls.motor, [(cls.motor_a, 1.0)])
        cls._receive(cls.jar, [(None, 20.0)])
        cls._transform([(cls.apple, cls.apple_a, 2.0)], [(cls.jam, unique("OLD"), 1.0)])
        delivery = cls.env["stock.picking"].create(cls.env["stock.picking"]._prepare_transfer_vals(
            cls.delivery_type, cls.customer, None, None, False))
        cls.env["stock.move"].create({
            "name": "Apple", "picking_id": delivery.id, "product_id": cls.apple.id,
            "product_uom": cls.apple.uom_id.id, "product_uom_qty": 3.0,
            "location_id": cls.stock_location.id, "picking_type_id": cls.delivery_type.id,
            "location_dest_id": cls.customer_location.id})
        delivery.action_confirm()
        delivery.action_assign()

    def _build(self, lines, **context):
        """Done on a build of ``lines`` [(product, lot, qty, role)], as the trace user."""
        build = self.env["stock.assembly"].sudo(self.trace_user).create({
            "product_id": self.jam.id, "lot_name": "JAM-BULK",
            "line_ids": [(0, 0, {"product_id": product.id, "lot_id": lot.id,
                                 "qty_done": qty, "role": role,
                                 "product_uom_id": product.uom_id.id})
                         for product, lot, qty, role in lines]})
        build.with_context(**internal_context(**context)).action_done()
        return build

    def _quants(self):
        """Every quant of the components (new, changed and removed alike), by lot name."""
        self.env.cr.execute("""
            SELECT q.product_id, q.location_id, l.name, q.quantity, q.reserved_quantity,
                   q.in_date, q.company_id, q.write_uid
              FROM stock_quant q LEFT JOIN stock_production_lot l ON l.id = q.lot_id
             WHERE q.product_id IN %s ORDER BY 1, 2, 3, 4""", [
            (self.sugar.id, self.apple.id, self.motor.id, self.jar.id)])
        return self.env.cr.fetchall()

    def _links(self):
        """The genealogy of the built lot: (product, lot, quantity) of each line it consumed."""
        self.env.cr.execute("""
            SELECT used.product_id, lot.name, used.qty_done
              FROM stock_move_line_consume_rel rel
              JOIN stock_move_line made ON made.id = rel.consume_line_id
              JOIN stock_production_lot built ON built.id = made.lot_id
              JOIN stock_move_line used ON used.id = rel.produce_line_id
              LEFT JOIN stock_production_lot lot ON lot.id = used.lot_id
             WHERE built.name = 'JAM-BULK' ORDER BY 1, 2, 3""")
        return self.env.cr.fetchall()

    def _run(self, bulk, lines):
        def build():
            self._build(lines, lot_transform_bulk=bulk, lot_transform_bulk_strict=bulk)
        return self._dump_rolled_back(build, self._max_ids(TABLES), IGNORED,
                                      extra=lambda: (self._quants(), self._links()))

    def test_bulk_equals_orm(self):
        """Moves, done lines (one per lot taken, the shelf's where it came from), the built
        lot, new quants, and every component quant after Done are the same either way."""
        lines = [(self.sugar, self.sugar_a, 4.0, "base"), (self.sugar, self.sugar_b, 3.0, "base"),
                 (self.sugar, self.sugar_a, 1.0, "glaze"), (self.apple, self.apple_a, 2.0, ""),
                 (self.motor, self.motor_a, 1.0, ""), (self.jar, self.env["stock.production.lot"],
                                                       5.0, "")]
        before = self._quants()
        orm = self._run(False, lines)
        bulk = self._run(True, lines)
        self.assertEqual(self._quants(), before)
        for key in orm:
            self.assertEqual(bulk[key], orm[key], key)
        self.assertEqual(len(orm["stock_move"]), 5)  # four components, the jam
        self.assertEqual(len(orm["stock_move_line"]), 6)  # one line per lot taken
        quants, links = orm["extra"]
        self.assertEqual(len(links), 5)
        self.assertNotIn(self.sugar_b.name, [row[2] for row in quants if row[1] == self.shelf.id])

    def test_bulk_keeps_the_hold_and_the_stock_checks(self):
        """A lot on hold is refused, and a lot short of stock, and nothing is written."""
        self.apple_a.sudo(self.trace_manager).action_quality_hold("Swab positive")
        counts = self._counts()
        with self._assert_refused(UserError, r"%s is on hold" % self.apple_a.name):
            self._build([(self.apple, self.apple_a, 1.0, "")], lot_transform_bulk=True,
                        lot_transform_bulk_strict=True)
        with self._assert_refused(UserError, "Not enough"):
            self._build([(self.sugar, self.sugar_b, 4.0, "")], lot_transform_bulk=True,
                        lot_transform_bulk_strict=True)
        self.assertEqual(self._counts(), counts)

    def test_bulk_refuses_what_it_cannot_copy(self):
        """Lot-less stock of a lot-tracked component in its place (Odoo may take from it):
        the strict bulk path says no, the default one takes the ORM's path."""
        self.env["stock.quant"]._update_available_quantity(self.sugar, self.stock_location, 2.0)
        lines = [(self.sugar, self.sugar_a, 1.0, "")]
        with self._assert_refused(BulkUnsupported):
            self._build(lines, lot_transform_bulk=True, lot_transform_bulk_strict=True)
        build = self._build(lines, lot_transform_bulk=True)
        self.assertEqual(build.state, "done")
