# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A lot on hold: Odoo's own reservation skips it, Validate refuses to ship it, scrap and a
return to the vendor still take it, stock of it that comes back is held too, and a recall's
Hold Stock and Release set and clear the hold."""
import json

from lxml import etree

from odoo.exceptions import AccessError, UserError
from odoo.tools.safe_eval import safe_eval

from .common import TraceabilityCase


class TestLotQualityHold(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        """Lots HELD (10) and FREE (5) of one product in stock."""
        super(TestLotQualityHold, cls).setUpClass()
        cls.product = cls._create_product("Cheese")
        cls.held, cls.free = cls._create_lot(cls.product), cls._create_lot(cls.product)
        cls.receipt = cls._receive(cls.product, [(cls.held, 10), (cls.free, 5)])

    def _hold(self, lot, reason="Listeria swab positive"):
        lot.sudo(self.trace_user).action_quality_hold(reason)

    def _delivery(self, qty):
        """A confirmed delivery of ``qty``, as a user makes it (Check Availability next)."""
        Picking = self.env["stock.picking"].sudo(self.trace_user)
        picking = Picking.create(Picking._prepare_transfer_vals(self.delivery_type,
                                                                self.customer))
        self.env["stock.move"].sudo(self.trace_user).create({
            "name": self.product.name, "picking_id": picking.id,
            "product_id": self.product.id, "product_uom": self.product.uom_id.id,
            "product_uom_qty": qty, "location_id": picking.location_id.id,
            "location_dest_id": picking.location_dest_id.id})
        picking.action_confirm()
        return picking

    def test_state_changes_only_through_actions(self):
        """The quality state is refused over write and create; Hold posts to the chatter with
        the reason, who and when; only a manager releases or rejects."""
        lot = self.held.sudo(self.trace_user)
        for vals in ({"quality_state": "released"}, {"quality_reason": "x"},
                     {"quality_user_id": self.trace_user.id}):
            with self._assert_refused(AccessError, "cannot be changed by a user"):
                lot.write(vals)
        with self._assert_refused(AccessError, "quality_state"):
            self.env["stock.production.lot"].sudo(self.trace_user).create({
                "product_id": self.product.id, "name": "NEW-HELD", "quality_state": "hold"})
        with self._assert_refused(UserError, "reason"):
            lot.action_quality_hold("  ")
        self._hold(self.held)
        self.assertEqual((lot.quality_state, lot.quality_reason, lot.quality_user_id),
                         ("hold", "Listeria swab positive", self.trace_user))
        self.assertTrue(lot.quality_date)
        self.assertIn("Listeria swab positive", lot.message_ids[0].body)
        with self._assert_refused(AccessError, "Manager"):
            lot.action_quality_release()
        self.held.sudo(self.trace_manager).action_quality_reject("Lab confirmed")
        self.assertEqual(lot.quality_state, "rejected")
        self.held.sudo(self.trace_manager).action_quality_release("Retest negative")
        self.assertEqual((lot.quality_state, lot.quality_recall_id.id), ("released", False))

    def test_check_availability_skips_held_lot(self):
        """Check Availability on a delivery of 8 reserves the 5 of FREE, none of HELD;
        after the release it reserves the missing 3 from HELD."""
        self._hold(self.held)
        picking = self._delivery(8)
        picking.action_assign()
        self.assertEqual({line.lot_id: line.product_qty for line in picking.move_line_ids},
                         {self.free: 5.0})
        self.assertEqual(picking.move_lines.state, "partially_available")
        self.held.sudo(self.trace_manager).action_quality_release()
        picking.action_assign()
        self.assertEqual({line.lot_id: line.product_qty for line in picking.move_line_ids},
                         {self.free: 5.0, self.held: 3.0})
        self.assertEqual(picking.state, "assigned")

    def test_chosen_held_lot_is_not_reserved_and_validate_refuses_it(self):
        """Check Availability reserves FREE; a user who changes the operation line to HELD
        reserves nothing of it, and Validate refuses with the lot, the hold's reason and the
        way out; the stock stays put."""
        self._hold(self.held)
        picking = self._delivery(2)
        picking.action_assign()
        line = picking.move_line_ids.sudo(self.trace_user)
        self.assertEqual((line.lot_id, line.product_qty), (self.free, 2.0))
        line.write({"lot_id": self.held.id, "qty_done": 2})
        self.assertEqual(line.product_qty, 0.0, "a held lot is never reserved")
        self.assertEqual(sum(self.held.quant_ids.mapped("reserved_quantity")), 0.0)
        with self._assert_refused(UserError, r"%s is on hold \(Listeria swab positive" %
                                  self.held.name):
            picking.sudo(self.trace_user).button_validate()
        self.assertEqual(self._internal_stock(self.held), {self.stock_location: 10.0})
        self.assertNotEqual(picking.state, "done")

    def test_scrap_and_return_to_vendor_take_held_stock(self):
        """Scrap and a return of the receipt to the vendor are the ways out of a hold."""
        self._hold(self.held)
        scrap = self.env["stock.scrap"].create({
            "product_id": self.product.id, "product_uom_id": self.product.uom_id.id,
            "lot_id": self.held.id, "scrap_qty": 4, "location_id": self.stock_location.id})
        scrap.action_validate()
        self.assertEqual(scrap.state, "done")
        wizard = self.env["stock.return.picking"].with_context(
            active_id=self.receipt.id, active_ids=self.receipt.ids).create({})
        wizard.product_return_moves.write({"quantity": 6})
        back = self.env["stock.picking"].browse(wizard._create_returns()[0])
        back.move_line_ids.unlink()
        self.env["stock.move.line"].create({
            "move_id": back.move_lines[0].id, "picking_id": back.id,
            "product_id": self.product.id, "product_uom_id": self.product.uom_id.id,
            "lot_id": self.held.id, "qty_done": 6, "location_id": back.location_id.id,
            "location_dest_id": back.location_dest_id.id})
        back.action_done()
        self.assertEqual(back.location_dest_id.usage, "supplier")
        self.assertEqual(self._internal_stock(self.held), {})

    def test_returned_stock_is_held_and_builds_refuse_it(self):
        """FREE goes to a customer, is put on hold, 2 come back: the returned stock is held
        (no reservation) and a transformation cannot consume it."""
        delivery = self._deliver(self.product, [(self.free, 5)])
        self._hold(self.free, "Supplier recall")
        self._return_lot(delivery, self.free, 2)
        self.assertEqual(self._internal_stock(self.free), {self.stock_location: 2.0})
        picking = self._delivery(2)
        self._hold(self.held)
        picking.action_assign()
        self.assertFalse(picking.move_line_ids)
        self.assertEqual(picking.move_lines.state, "confirmed")
        with self._assert_refused(UserError, "%s is on hold" % self.free.name):
            self._transform([(self.product, self.free, 1)],
                            [(self._create_product("Toast"), "TOAST-HELD", 1)])

    def test_recall_hold_and_release_set_the_lot_state(self):
        """Hold Stock puts the affected lots on hold for the recall (a lot held already keeps
        its own reason); Release clears only the recall's own holds."""
        other = self._create_lot(self.product)
        self._receive(self.product, [(other, 1)])
        self._hold(other, "Own hold")
        recall = self.env["stock.lot.recall"].sudo(self.trace_manager).create({
            "lot_ids": [(6, 0, (self.held | other).ids), ], "reason": "Metal fragments"})
        recall.action_open()
        recall.sudo(self.trace_user).action_hold()
        self.assertEqual((self.held.quality_state, self.held.quality_recall_id),
                         ("hold", recall))
        self.assertIn("Metal fragments", self.held.quality_reason)
        self.assertEqual((other.quality_reason, other.quality_recall_id.id), ("Own hold", False))
        recall.sudo(self.trace_manager).action_release()
        self.assertEqual(self.held.quality_state, "released")
        self.assertEqual(other.quality_state, "hold")
        self.assertEqual(self.free.quality_state, "released")

    def test_lot_form_buttons_open_one_change(self):
        """The lot form's Put On Hold, Reject and Release each open the Quality State dialog
        on that one change (its radio hidden): Put On Hold for users, Reject and Release for
        managers, as the lot's actions allow; the Action menu's dialog keeps the choice."""
        Wizard = self.env["stock.lot.quality.change"]
        one_view = self.env.ref("lot_traceability.stock_lot_quality_change_view_form_one")
        arch = Wizard.fields_view_get(view_id=one_view.id, view_type="form")["arch"]
        self.assertRegex(arch, r'<field name="quality_state"[^>]*invisible')
        for xml_id, state, user in (("hold", "hold", self.trace_user),
                                    ("reject", "rejected", self.trace_manager),
                                    ("release", "released", self.trace_manager)):
            action = self.env.ref("lot_traceability.stock_lot_quality_change_action_" + xml_id)
            self.assertEqual(action.view_id, one_view)
            wizard = Wizard.sudo(user).with_context(
                safe_eval(action.context), active_model="stock.production.lot",
                active_ids=self.held.ids).create({"reason": "Lab result"})
            self.assertEqual((wizard.lot_ids, wizard.quality_state), (self.held, state))
            wizard.action_apply()
            self.assertEqual(self.held.quality_state, state)
        self._hold(self.held)
        release = self.env.ref("lot_traceability.stock_lot_quality_change_action_release")
        wizard = Wizard.sudo(self.trace_user).with_context(
            safe_eval(release.context), active_model="stock.production.lot",
            active_ids=self.held.ids).create({})
        with self._assert_refused(AccessError, "Manager"):
            wizard.action_apply()
        Lot = self.env["stock.production.lot"]
        for user, shown in ((self.trace_user, ["hold"]),
                            (self.trace_manager, ["hold", "reject", "release"])):
            arch = etree.fromstring(Lot.sudo(user).fields_view_get(view_type="form")["arch"])
            visible = [name for name in ("hold", "reject", "release") if not json.loads(
                arch.xpath("//header/button[@name='%d']" % self.env.ref(
                    "lot_traceability.stock_lot_quality_change_action_" + name).id)[0].get(
                        "modifiers")).get("invisible") is True]
            self.assertEqual(visible, shown)
