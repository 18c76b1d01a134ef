# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Recalls: scope (with siblings), customers, hold and release, mass balance, drill, access."""
from datetime import datetime, timedelta

from odoo.exceptions import AccessError, UserError

from .common import TraceabilityCase


class TestStockLotRecall(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        """Apples A and sugar S make juice J1; sugar alone makes J2; other apples A2 make J3;
        J1 is bottled as B; 3 bottles go to a customer, who returns 1."""
        super(TestStockLotRecall, cls).setUpClass()
        apples, sugar = cls._create_product("Apples"), cls._create_product("Sugar")
        cls.juice = cls._create_product("Juice")
        cls.apple, cls.apple2 = cls._create_lot(apples), cls._create_lot(apples)
        cls.sugar = cls._create_lot(sugar)
        cls._receive(apples, [(cls.apple, 100), (cls.apple2, 100)])
        cls._receive(sugar, [(cls.sugar, 50)])
        cls.juice1, cls.juice2, cls.juice3, cls.bottle = (
            cls._create_lot(cls.juice) for _i in range(4))
        cls._transform_as_mrp([(cls.apple, 10), (cls.sugar, 2)], [(cls.juice1, 12)])
        cls._transform_as_mrp([(cls.sugar, 3)], [(cls.juice2, 3)])
        cls._transform_as_mrp([(cls.apple2, 10)], [(cls.juice3, 10)])
        cls._transform_as_mrp([(cls.juice1, 5)], [(cls.bottle, 5)])
        cls.delivery = cls._deliver(cls.juice, [(cls.bottle, 3)])
        cls._return_lot(cls.delivery, cls.bottle, 1)

    def _recall(self, lots, **vals):
        recall = self.env["stock.lot.recall"].sudo(self.trace_manager).create(
            dict(vals, lot_ids=[(6, 0, lots.ids)]))
        recall.action_open()
        return recall

    def _scope(self, recall):
        return {line.lot_id: line.reason for line in recall.scope_line_ids}

    def test_public_status(self):
        """What the label resolver shows anyone: a lot affected by a recall in progress is
        recalled, with the recall's notice and the company's contact; drills, drafts and
        closed recalls say nothing."""
        Recall = self.env["stock.lot.recall"]
        ids = [self.bottle.id, self.juice3.id]
        self._recall(self.apple2, is_mock=True)
        Recall.sudo(self.trace_manager).create({"lot_ids": [(6, 0, self.juice3.ids)]})
        self.assertFalse(any(row["recalled"] for row in Recall.get_public_status(ids).values()))
        recall = self._recall(self.sugar, public_notice="Do not drink it.")
        self.env.user.company_id.write({"phone": "+1 555 0100", "email": "recall@example.com"})
        status = Recall.get_public_status(ids)
        self.assertEqual(status[self.juice3.id], {"recalled": False, "notice": "", "contact": ""})
        self.assertEqual(status[self.bottle.id]["notice"], "Do not drink it.")
        self.assertIn("+1 555 0100", status[self.bottle.id]["contact"])
        self.assertIn("recall@example.com", status[self.bottle.id]["contact"])
        recall.sudo(self.trace_manager).action_close()
        self.assertFalse(Recall.get_public_status(ids)[self.bottle.id]["recalled"])
        for bad in ("1", [None], [True], None):
            with self.assertRaises(UserError):
                Recall.get_public_status(bad)

    def test_scope_downstream(self):
        """A sugar recall reaches both juices and the bottle, not the other apples."""
        recall = self._recall(self.sugar)
        self.assertEqual(recall.state, "in_progress")
        self.assertEqual(self._scope(recall), {
            self.sugar: "origin", self.juice1: "downstream", self.juice2: "downstream",
            self.bottle: "downstream"})

    def test_scope_siblings(self):
        """A juice recall with siblings: its ingredients and what else they made."""
        recall = self._recall(self.juice1)
        self.assertEqual(set(self._scope(recall)), {self.juice1, self.bottle})
        recall = self._recall(self.juice1, include_siblings=True)
        self.assertEqual(self._scope(recall), {
            self.juice1: "origin", self.bottle: "downstream", self.apple: "ingredient",
            self.sugar: "ingredient", self.juice2: "sibling"})

    def test_scope_is_stored_evidence(self):
        """Production after the recall opened does not change its scope."""
        recall = self._recall(self.sugar)
        later = self._create_lot(self.juice)
        self._transform_as_mrp([(self.sugar, 1)], [(later, 1)])
        self.assertNotIn(later, recall.scope_line_ids.mapped("lot_id"))
        self.assertEqual(recall.affected_lot_count, 4)

    def test_customers_with_returns_netted(self):
        """The customer who got bottles: address, document, 3 shipped, 1 returned, 2 net."""
        recall = self._recall(self.apple)
        line = recall.customer_line_ids
        self.assertEqual(len(line), 1)
        self.assertEqual(line.partner_id, self.customer)
        self.assertEqual(line.picking_id, self.delivery)
        self.assertEqual(line.lot_id, self.bottle)
        self.assertEqual((line.qty, line.returned_qty, line.net_qty), (3.0, 1.0, 2.0))
        self.assertEqual(recall.customer_count, 1)

    def test_hold_and_release(self):
        """Reserved juice is unreserved, moved to quarantine by stock moves, then released."""
        picking = self.env["stock.picking"].create(self.env["stock.picking"]._prepare_transfer_vals(
            self.delivery_type, self.customer))
        self.env["stock.move"].create({
            "name": "juice", "picking_id": picking.id, "product_id": self.juice.id,
            "product_uom": self.juice.uom_id.id, "product_uom_qty": 2,
            "location_id": picking.location_id.id, "location_dest_id": picking.location_dest_id.id})
        picking.action_confirm()
        picking.action_assign()
        self.assertTrue(picking.move_line_ids, "the delivery reserved juice")
        recall = self._recall(self.juice1)
        quarantine = recall.quarantine_location_id
        self.assertEqual(quarantine.usage, "internal")
        self.assertFalse(self.warehouse.view_location_id.parent_left <= quarantine.parent_left
                         <= self.warehouse.view_location_id.parent_right)
        on_hand = {(line.lot_id, line.location_id): line.qty for line in recall.hold_line_ids}
        self.assertEqual(on_hand, {(self.juice1, self.stock_location): 7.0,
                                   (self.bottle, self.stock_location): 3.0})
        recall.sudo(self.trace_user).action_hold()
        self.assertEqual(set(recall.hold_line_ids.mapped("state")), {"held"})
        self.assertEqual(self._on_hand(self.juice, self.juice1), 0.0)
        self.assertEqual(self._on_hand(self.juice, self.juice1, quarantine), 7.0)
        self.assertEqual(self._on_hand(self.juice, self.bottle, quarantine), 3.0)
        self.assertFalse(picking.move_line_ids.filtered(lambda l: l.lot_id == self.juice1))
        # One move per product and location, one line per lot.
        move = recall.hold_line_ids.mapped("hold_move_id")
        self.assertEqual((len(move), move.state), (1, "done"))
        self.assertEqual(move.move_line_ids.mapped("lot_id"), self.juice1 | self.bottle)
        # Releasing is a manager's decision, as releasing a lot on hold is.
        with self.assertRaisesRegex(AccessError, "Traceability Manager"):
            recall.sudo(self.trace_user).action_release()
        self.assertEqual(set(recall.hold_line_ids.mapped("state")), {"held"})
        recall.sudo(self.trace_manager).action_release()
        self.assertEqual(set(recall.hold_line_ids.mapped("state")), {"released"})
        self.assertEqual(self._on_hand(self.juice, self.juice1), 7.0)
        self.assertEqual(self._on_hand(self.juice, self.juice1, quarantine), 0.0)

    def test_mass_balance_and_discrepancy(self):
        """Ledger equals quants until a quant is changed directly: the difference shows."""
        quant = self.env["stock.quant"].search([("lot_id", "=", self.apple.id),
                                                ("location_id", "=", self.stock_location.id)])
        quant.sudo().write({"quantity": 85.0})
        recall = self._recall(self.apple)
        lines = {line.lot_id: line for line in recall.scope_line_ids}
        apple = lines[self.apple]
        self.assertEqual((apple.qty_in, apple.qty_consumed, apple.qty_ledger, apple.qty_on_hand,
                          apple.qty_difference), (100.0, 10.0, 90.0, 85.0, -5.0))
        self.assertTrue(apple.has_difference)
        bottle = lines[self.bottle]
        self.assertEqual((bottle.qty_in, bottle.qty_shipped, bottle.qty_ledger,
                          bottle.qty_on_hand, bottle.qty_difference), (5.0, 2.0, 3.0, 3.0, 0.0))
        juice = lines[self.juice1]
        self.assertEqual((juice.qty_in, juice.qty_consumed, juice.qty_difference),
                         (12.0, 5.0, 0.0))
        self.assertEqual(recall.balance_difference_count, 1)

    def test_difference_count_is_the_lines_with_a_difference(self):
        """The recall counts, in one statement, the lines whose difference reaches their
        unit's rounding, as each line's own flag says: a difference under the rounding is
        none."""
        quant = self.env["stock.quant"].sudo().search([
            ("lot_id", "=", self.apple.id), ("location_id", "=", self.stock_location.id)])
        quant.write({"quantity": quant.quantity - 5.0})
        recall = self._recall(self.apple).sudo(self.trace_user)
        lines = {line.lot_id: line for line in recall.scope_line_ids}
        # the ledger rounds its columns to the unit's precision: differences finer than
        # that are written here, one under and one at the unit's rounding
        rounding = lines[self.bottle].uom_id.rounding
        for lot, difference in ((self.bottle, rounding * 0.4), (self.juice1, rounding)):
            self.env.cr.execute("UPDATE stock_lot_recall_lot SET qty_difference = %s "
                                "WHERE id = %s", (difference, lines[lot].id))
        recall.invalidate_cache()
        flagged = recall.scope_line_ids.filtered("has_difference").mapped("lot_id")
        self.assertEqual(flagged, self.apple | self.juice1)
        self.assertEqual(recall.balance_difference_count, 2)
        self.assertEqual(len(recall.scope_line_ids.filtered("qty_difference")), 3)

    def test_drill_timings(self):
        """The drill is timed from the start; five hours misses the 4-hour target."""
        recall = self._recall(self.sugar, is_mock=True)
        self.assertTrue(recall.date_scope and recall.date_customers and recall.date_balance)
        self.assertLess(recall.drill_minutes, 5)
        self.assertTrue(recall.drill_within_target)
        late = self.env["stock.lot.recall"].sudo(self.trace_manager).create({
            "lot_ids": [(6, 0, self.sugar.ids)], "is_mock": True,
            "date_start": (datetime.utcnow() - timedelta(hours=5)).strftime(
                "%Y-%m-%d %H:%M:%S")})
        late.action_open()
        self.assertGreater(late.drill_minutes, 299)
        self.assertFalse(late.drill_within_target)
        self.assertEqual(late.drill_target_minutes, 240)

    def test_only_managers_open_and_close(self):
        """A traceability user drafts a recall but cannot open, close or force its state."""
        recall = self.env["stock.lot.recall"].sudo(self.trace_user).create(
            {"lot_ids": [(6, 0, self.sugar.ids)]})
        self.assertTrue(recall.name.startswith("RCL/"))
        with self.assertRaises(AccessError):
            recall.action_open()
        with self.assertRaises(AccessError):
            recall.write({"state": "closed"})
        recall.sudo(self.trace_manager).action_open()
        with self.assertRaises(AccessError):
            recall.action_close()
        recall.sudo(self.trace_manager).action_close()
        self.assertEqual(recall.state, "closed")
        self.assertTrue(recall.date_closed)
        self.assertTrue(recall.message_ids, "the chatter records the recall")

    def test_report_and_views(self):
        """The evidence prints with its lots and customers; the recall views load."""
        recall = self._recall(self.apple)
        html = self.env.ref("lot_traceability.stock_lot_recall_report_action").sudo(
            self.trace_user).render_qweb_html(recall.ids)[0]
        html = html.decode() if isinstance(html, bytes) else html
        for text in (recall.name, self.bottle.name, self.customer.name):
            self.assertIn(text, html)
        # a user without a zone reads the company's, as on the screens (not UTC)
        self.trace_user.tz = False
        self.env.user.company_id.partner_id.tz = "Asia/Kolkata"
        self.assertEqual(self.env["stock.lot.tz"].sudo(self.trace_user)._get_user_tz(),
                         "Asia/Kolkata")
        recall._write_system({"date_start": "2026-03-01 20:00:00"})
        html = self.env.ref("lot_traceability.stock_lot_recall_report_action").sudo(
            self.trace_user).render_qweb_html(recall.ids)[0].decode()
        self.assertIn("03/02/2026 01:30", html)
        self.assertNotIn("03/01/2026 20:00", html)
        Recall = self.env["stock.lot.recall"].sudo(self.trace_user)
        for view_type in ("form", "tree", "search"):
            self.assertTrue(Recall.fields_view_get(view_type=view_type)["arch"])
