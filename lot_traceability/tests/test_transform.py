# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError

from .common import TraceabilityCase, unique


class TestTransform(TraceabilityCase):
    """The shared transformation method behind builds and splits (DESIGN.md, flow 2)."""

    @classmethod
    def setUpClass(cls):
        super(TestTransform, cls).setUpClass()
        cls.apples = cls._create_product("Apples", uom=cls.uom_kg)
        cls.sugar = cls._create_product("Sugar", uom=cls.uom_kg)
        cls.jar = cls._create_product("Jar", tracking="none")
        cls.jam = cls._create_product("Jam", uom=cls.uom_kg)
        cls._receive(cls.apples, [("APL-A", 100.0)])
        cls._receive(cls.sugar, [("SUG-A", 50.0)])
        cls._receive(cls.jar, [(None, 200.0)])
        cls.apple_lot = cls.apples.stock_move_ids.mapped("move_line_ids.lot_id")
        cls.sugar_lot = cls.sugar.stock_move_ids.mapped("move_line_ids.lot_id")

    def test_consumes_produces_and_links(self):
        """Apples and sugar (lots) plus jars (untracked) become a jam batch: stock moves
        out of the lots into the jam lot, and each produced line names what it consumed."""
        result = self._transform(
            [(self.apples, self.apple_lot, 30.0), (self.sugar, self.sugar_lot, 5.0),
             (self.jar, None, 20.0)],
            [(self.jam, "JAM-1", 25.0)], reference="BUILD-X")
        jam_lot = result["produced_lots"]
        self.assertEqual(jam_lot.name, "JAM-1")
        self.assertEqual(self._on_hand(self.apples, self.apple_lot), 70.0)
        self.assertEqual(self._on_hand(self.sugar, self.sugar_lot), 45.0)
        self.assertEqual(self._on_hand(self.jar), 180.0)
        self.assertEqual(self._on_hand(self.jam, jam_lot), 25.0)
        produced = result["produced_lines"]
        consumed = result["consumed_lines"]
        self.assertEqual(len(consumed), 3)
        self.assertEqual(set(consumed.mapped("location_dest_id.usage")), {"production"})
        self.assertEqual(produced.location_id.usage, "production")
        self.assertEqual(set((consumed | produced).mapped("state")), {"done"})
        self.assertFalse((consumed | produced).mapped("move_id.picking_type_id"))
        self.assertEqual(set((consumed | produced).mapped("move_id.transform_ref")),
                         {"BUILD-X"})
        # Direction: consume_line_id = the PRODUCED line, produce_line_id = a CONSUMED line.
        self.assertEqual(self._consume_links(produced),
                         sorted((produced.id, line.id) for line in consumed))
        self.assertEqual(consumed.mapped("produce_line_ids"), produced)

    def test_not_enough_stock_writes_nothing(self):
        """Asking more than the lot holds is refused, naming the lot; nothing is written and
        stock never goes negative."""
        moves_before = self.env["stock.move"].search_count([])
        with self.assertRaisesRegex(UserError, "APL-A"):
            self._transform([(self.apples, self.apple_lot, 100.5)], [(self.jam, "JAM-2", 1.0)])
        self.assertEqual(self.env["stock.move"].search_count([]), moves_before)
        self.assertFalse(self.env["stock.production.lot"].search([("name", "=", "JAM-2")]))
        self.assertEqual(self._on_hand(self.apples, self.apple_lot), 100.0)

    def test_reserved_stock_is_not_available(self):
        """Stock reserved for a delivery is not free to consume."""
        picking = self.env["stock.picking"].create(self.env["stock.picking"]._prepare_transfer_vals(
            self.delivery_type, self.customer))
        self.env["stock.move"].create({
            "name": "reserve", "picking_id": picking.id, "product_id": self.sugar.id,
            "product_uom": self.uom_kg.id, "product_uom_qty": 40.0,
            "location_id": self.stock_location.id,
            "location_dest_id": self.customer_location.id})
        picking.action_confirm()
        picking.action_assign()
        with self.assertRaisesRegex(UserError, "Not enough"):
            self._transform([(self.sugar, self.sugar_lot, 20.0)], [(self.jam, "JAM-3", 1.0)])
        self._transform([(self.sugar, self.sugar_lot, 10.0)], [(self.jam, "JAM-3", 1.0)])
        quants = self.env["stock.quant"].search([("lot_id", "=", self.sugar_lot.id),
                                                 ("location_id", "=", self.stock_location.id)])
        self.assertEqual(sum(quants.mapped("quantity")), 40.0)
        self.assertEqual(sum(quants.mapped("reserved_quantity")), 40.0)

    def test_children_of_source_location(self):
        """A lot stored in a sub-location is consumed there: no negative quant anywhere."""
        shelf = self._create_location("Shelf")
        lot = self._create_lot(self.apples)
        self._receive(self.apples, [(lot, 8.0)], location=shelf)
        result = self._transform([(self.apples, lot, 8.0)], [(self.jam, unique("JAM"), 8.0)])
        self.assertEqual(result["consumed_lines"].location_id, shelf)
        quants = self.env["stock.quant"].search([("lot_id", "=", lot.id),
                                                 ("location_id.usage", "=", "internal")])
        self.assertEqual(quants.mapped("quantity"), [0.0] * len(quants))

    def test_existing_lot_names_refused(self):
        """A produced lot name that exists is refused with its name, not a raw SQL error."""
        self._create_lot(self.jam, "JAM-TAKEN")
        with self.assertRaisesRegex(UserError, "JAM-TAKEN"):
            self._transform([(self.apples, self.apple_lot, 1.0)], [(self.jam, "JAM-TAKEN", 1.0)])
        self.assertEqual(self._on_hand(self.apples, self.apple_lot), 100.0)

    def test_serial_quantity_and_missing_lot(self):
        """Serial rows take quantity 1 and tracked rows need a lot."""
        machine = self._create_product("Machine", tracking="serial")
        with self.assertRaisesRegex(UserError, "serial number"):
            self._transform([(self.apples, self.apple_lot, 1.0)], [(machine, "M-1", 2.0)])
        with self.assertRaisesRegex(UserError, "needs a lot"):
            self._transform([(self.apples, None, 1.0)], [(machine, "M-1", 1.0)])

    def test_a_lot_is_not_made_from_itself(self):
        """Producing a lot that is among the components (a build named after a component's
        lot) is refused, naming it: it would be a loop in the genealogy."""
        moves_before = self.env["stock.move"].search_count([])
        with self.assertRaisesRegex(UserError, "APL-A cannot be made from itself"):
            self._transform([(self.apples, self.apple_lot, 10.0), (self.jar, None, 1.0)],
                            [(self.apples, self.apple_lot, 10.0)])
        self.assertEqual(self.env["stock.move"].search_count([]), moves_before)
        self.assertEqual(self._on_hand(self.apples, self.apple_lot), 100.0)

    def test_parent_lot(self):
        """With a parent lot, every produced lot records it."""
        result = self._transform([(self.apples, self.apple_lot, 2.0)],
                                 [(self.apples, "APL-A-001", 1.0), (self.apples, "APL-A-002", 1.0)],
                                 parent_lot=self.apple_lot)
        self.assertEqual(result["produced_lots"].mapped("parent_lot_id"), self.apple_lot)
        self.assertEqual(self.apple_lot.child_lot_ids, result["produced_lots"])
