# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""No path of the addon creates or destroys stock.

Release moves back only what is still in quarantine; Hold takes only what is on hand; Receive
Lots only receives; the locations a user picks are internal; a split makes lots only for
tracked units. Each scenario compares the lot's quants before and after.
"""
from odoo.exceptions import UserError, ValidationError

from .common import TraceabilityCase, unique


class TestConservation(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        super(TestConservation, cls).setUpClass()
        cls.flour = cls._create_product("Flour", uom=cls.uom_kg)
        cls.lot = cls._create_lot(cls.flour)
        cls._receive(cls.flour, [(cls.lot, 10.0)])
        cls.shelf = cls._create_location("Shelf")

    def _held_recall(self):
        recall = self.env["stock.lot.recall"].sudo(self.trace_manager).create(
            {"lot_ids": [(6, 0, self.lot.ids)]})
        recall.action_open()
        recall.sudo(self.trace_user).action_hold()
        self.assertEqual(self._internal_stock(self.lot), {recall.quarantine_location_id: 10.0})
        return recall.sudo(self.trace_manager)  # releasing is a manager's

    # --- recall: release and hold ------------------------------------------------------
    def test_release_only_what_is_still_in_quarantine(self):
        """10 kg held, 4 kg then moved out of quarantine by an ordinary transfer: Release
        brings back 6 kg, says where the 4 kg went, and 10 kg still exist (not 14)."""
        recall = self._held_recall()
        quarantine = recall.quarantine_location_id
        self._done_moves([(self.lot, 4.0)], quarantine, self.shelf)
        recall.action_release()
        self.assertEqual(self._internal_stock(self.lot),
                         {self.stock_location: 6.0, self.shelf: 4.0})
        line = recall.hold_line_ids
        self.assertEqual((line.state, line.qty, line.qty_released), ("released", 10.0, 6.0))
        self.assertIn("no longer in", recall.message_ids[0].body)
        self.assertIn(self.lot.name, recall.message_ids[0].body)

    def test_release_after_everything_left(self):
        """The held 10 kg were scrapped from quarantine (a held lot ships nowhere): Release
        moves nothing and leaves no negative quant behind (before: -10 in quarantine, +10 in
        stock)."""
        recall = self._held_recall()
        self._done_moves([(self.lot, 10.0)], recall.quarantine_location_id,
                         self.env.ref("stock.stock_location_scrapped"))
        recall.action_release()
        self.assertEqual(self._internal_stock(self.lot), {})
        self.assertEqual(recall.hold_line_ids.qty_released, 0.0)
        self.assertFalse(recall.hold_line_ids.release_move_id)

    def test_release_refused_on_closed_recall(self):
        recall = self._held_recall()
        recall.sudo(self.trace_manager).action_close()
        with self.assertRaisesRegex(UserError, "not in progress"):
            recall.action_release()
        self.assertEqual(self._internal_stock(self.lot), {recall.quarantine_location_id: 10.0})

    def test_hold_takes_what_is_on_hand_now(self):
        """Opened with 10 kg on hand, 3 kg shipped before Hold: Hold moves 7 kg."""
        recall = self.env["stock.lot.recall"].sudo(self.trace_manager).create(
            {"lot_ids": [(6, 0, self.lot.ids)]})
        recall.action_open()
        self.assertEqual(recall.hold_line_ids.qty, 10.0)
        self._deliver(self.flour, [(self.lot, 3.0)])
        recall.sudo(self.trace_user).action_hold()
        self.assertEqual(recall.hold_line_ids.mapped("qty"), [7.0])
        self.assertEqual(self._internal_stock(self.lot), {recall.quarantine_location_id: 7.0})

    # --- receiving only receives -------------------------------------------------------
    def test_receive_lots_refuses_a_delivery(self):
        """A delivery order given to Receive Lots (with Validate now) would ship the lot
        out; it is refused and nothing moves."""
        delivery = self.env["stock.picking"].create(
            self.env["stock.picking"]._prepare_transfer_vals(self.delivery_type, self.customer))
        self.env["stock.move"].create({
            "name": "flour", "picking_id": delivery.id, "product_id": self.flour.id,
            "product_uom": self.uom_kg.id, "product_uom_qty": 5.0,
            "location_id": delivery.location_id.id,
            "location_dest_id": delivery.location_dest_id.id})
        delivery.action_confirm()
        counts = self._counts()
        wizard = self._receive_wizard(
            [{"product_id": self.flour.id, "lot_name": self.lot.name, "quantity": 5.0}],
            picking=delivery, user=self.trace_user, validate_now=True)
        with self.assertRaisesRegex(UserError, "not a receipt"):
            wizard.action_apply()
        with self.assertRaisesRegex(UserError, "not a receipt"):
            self.env["stock.lot.receipt"].sudo(self.trace_user).receive(
                self.delivery_type, [{"product": self.flour, "lot_name": unique("L"),
                                      "quantity": 5.0, "uom": self.uom_kg}],
                partner=self.customer, validate=True)
        self.assertEqual(self._counts(), counts)
        self.assertEqual(self._internal_stock(self.lot), {self.stock_location: 10.0})

    def test_receive_lots_refuses_a_receipt_from_stock(self):
        """A receipt type whose transfer takes from WH/Stock would take stock, not add it."""
        picking = self._create_incoming([(self.flour, 5.0)])
        picking.write({"location_id": self.stock_location.id,
                       "location_dest_id": self.shelf.id})
        picking.move_lines.write({"location_id": self.stock_location.id,
                                  "location_dest_id": self.shelf.id})
        counts = self._counts()
        wizard = self._receive_wizard(
            [{"product_id": self.flour.id, "lot_name": self.lot.name, "quantity": 5.0}],
            picking=picking, user=self.trace_user, validate_now=True)
        with self.assertRaisesRegex(UserError, "from outside the warehouse"):
            wizard.action_apply()
        self.assertEqual(self._counts(), counts)

    # --- locations a user picks are internal -------------------------------------------
    def test_customer_location_refused_everywhere(self):
        """Quarantine, Bulk Serial Entry's destination, a build's and a split's location:
        the Customers location is refused, naming the field and the location."""
        customers = self.customer_location
        name = customers.display_name
        serial = self._create_product("Scanner", tracking="serial")
        Recall = self.env["stock.lot.recall"].sudo(self.trace_manager)
        cases = [
            ("Quarantine Location", lambda: Recall.create(
                {"lot_ids": [(6, 0, self.lot.ids)], "quarantine_location_id": customers.id})),
            ("Destination", lambda: self._bulk_entry(
                serial, "SN-1", location_dest_id=customers.id)),
            ("Put Result In", lambda: self._create_assembly(
                self.flour, location_dest_id=customers.id)),
            ("Components From", lambda: self._create_assembly(
                self.flour, location_id=customers.id)),
            ("Location", lambda: self._split(self.lot, location=customers, unit_count=2)),
        ]
        counts = self._counts()
        for field, create in cases:
            with self._assert_refused(ValidationError, "%s must be an internal location: %s"
                                      % (field, name)):
                create()
        recall = self.env["stock.lot.recall"].sudo(self.trace_manager).create(
            {"lot_ids": [(6, 0, self.lot.ids)]})
        with self.assertRaises(ValidationError):
            recall.write({"quarantine_location_id": customers.id})
        self.assertEqual(self._counts(), dict(counts, **{
            "stock.lot.recall": counts["stock.lot.recall"] + 1}))

    # --- split ---------------------------------------------------------------------------
    def test_split_refuses_untracked_unit_product(self):
        """Units of an untracked product cannot be lots: refused, nothing written."""
        bag = self._create_product("Bag", tracking="none", uom=self.uom_kg)
        counts = self._counts()
        with self.assertRaisesRegex(UserError, "%s is not tracked" % bag.display_name):
            self._split(self.lot, unit_product_id=bag.id, unit_count=2)
        self.assertEqual(self._counts(), counts)
        self.assertEqual(self._internal_stock(self.lot), {self.stock_location: 10.0})
