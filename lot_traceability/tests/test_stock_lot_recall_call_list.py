# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The recall as its users read it: a call list per customer with quantities per unit, the
mass balance in each lot's unit, the stock held, the buttons that apply, the evidence."""
from datetime import datetime, timedelta

from odoo.tools.safe_eval import safe_eval

from .common import TraceabilityCase


class TestStockLotRecallCallList(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        """Apples (kg) lot A make jam jars (Units) J1 and J2. Green Grocer receives 50 kg of A
        two days ago, then 10 jars of J1 and 8 of J2 and returns 2 of J1; Corner Deli receives
        5 jars of J1. The grocer's buyer is a contact person with her own phone and e-mail."""
        super(TestStockLotRecallCallList, cls).setUpClass()
        cls.apples = cls._create_product("Apples", uom=cls.uom_kg)
        cls.jam = cls._create_product("Jam jar")
        cls.apple = cls._create_lot(cls.apples)
        cls._receive(cls.apples, [(cls.apple, 400)])
        cls.jar1, cls.jar2 = cls._create_lot(cls.jam), cls._create_lot(cls.jam)
        cls._transform_as_mrp([(cls.apple, 20)], [(cls.jar1, 20), (cls.jar2, 20)])
        cls.grocer = cls._create_partner("Green Grocer", customer=True, phone="+1 503 555 0170",
                                         street="8 Market Square", city="Portland")
        cls.buyer = cls.env["res.partner"].create({
            "name": "Dana Reyes", "type": "contact", "parent_id": cls.grocer.id,
            "phone": "+1 503 555 0171", "email": "dana@grocer.example.com"})
        cls.deli = cls._create_partner("Corner Deli", customer=True, phone="+1 208 555 0155",
                                       email="orders@deli.example.com")
        cls.apple_delivery = cls._deliver(cls.apples, [(cls.apple, 50)], partner=cls.grocer)
        cls.two_days_ago = datetime.now() - timedelta(days=2)
        cls._backdate(cls.apple_delivery.move_line_ids, cls.two_days_ago)
        cls.jar_delivery = cls._deliver(cls.jam, [(cls.jar1, 10), (cls.jar2, 8)],
                                        partner=cls.grocer)
        cls._return_lot(cls.jar_delivery, cls.jar1, 2)
        cls.deli_delivery = cls._deliver(cls.jam, [(cls.jar1, 5)], partner=cls.deli)

    def _open_recall(self, lots, user=None):
        recall = self.env["stock.lot.recall"].sudo(user or self.trace_manager).create(
            {"lot_ids": [(6, 0, lots.ids)]})
        recall.sudo(self.trace_manager).action_open()
        return recall.sudo(user or self.trace_manager)

    def test_call_list_one_row_per_customer(self):
        """Two customers, two rows: contact, phone, e-mail, deliveries, first and last date."""
        recall = self._open_recall(self.apple, self.trace_user)
        self.assertEqual(recall.call_line_ids.mapped("partner_id"), self.grocer | self.deli)
        self.assertEqual(recall.customer_count, 2)
        grocer = recall.call_line_ids.filtered(lambda call: call.partner_id == self.grocer)
        self.assertEqual((grocer.contact_id, grocer.contact_name, grocer.phone, grocer.email),
                         (self.buyer, "Dana Reyes", "+1 503 555 0171",
                          "dana@grocer.example.com"))
        self.assertEqual(grocer.address, "8 Market Square, Portland")
        self.assertEqual(grocer.delivery_count, 2)
        self.assertEqual(grocer.date_first[:10], self.two_days_ago.strftime("%Y-%m-%d"))
        self.assertGreater(grocer.date_last, grocer.date_first)
        self.assertEqual(grocer.delivery_line_ids.mapped("lot_id"),
                         self.apple | self.jar1 | self.jar2)
        deli = recall.call_line_ids - grocer
        self.assertEqual((deli.contact_id.id, deli.phone, deli.email, deli.delivery_count),
                         (False, "+1 208 555 0155", "orders@deli.example.com", 1))
        self.assertEqual(deli.date_first, deli.date_last)
        self.assertEqual(recall.customer_line_ids.mapped("call_id"), recall.call_line_ids)

    def test_quantities_per_unit_never_summed(self):
        """50 kg of apples and 16 jars (18 shipped, 2 returned) stay two figures."""
        recall = self._open_recall(self.apple)
        grocer = recall.call_line_ids.filtered(lambda call: call.partner_id == self.grocer)
        by_uom = grocer.delivery_line_ids._get_net_by_uom()
        self.assertEqual([(uom, qty) for uom, qty in by_uom],
                         [(self.uom_kg, 50.0), (self.uom_unit, 16.0)])
        unit = self.uom_unit.name
        self.assertEqual(grocer.qty_display, "50 kg + 16 %s" % unit)
        deli = recall.call_line_ids - grocer
        self.assertEqual(deli.qty_display, "5 %s" % unit)
        self.assertEqual(recall.customer_qty_display, "50 kg + 21 %s" % unit)
        jar1 = grocer.delivery_line_ids.filtered(lambda line: line.lot_id == self.jar1)
        self.assertEqual((jar1.qty, jar1.returned_qty, jar1.net_qty, jar1.uom_id),
                         (10.0, 2.0, 8.0, self.uom_unit))

    def test_quantity_text_keeps_decimals_of_the_unit(self):
        """0.25 kg shows as 0.25 kg, 1234.5 kg with the language's thousands separator."""
        Customer = self.env["stock.lot.recall.customer"]
        self.assertEqual(Customer._format_qty(0.25, self.uom_kg), "0.25 kg")
        self.assertEqual(Customer._format_qty(1234.5, self.uom_kg), "1,234.5 kg")
        self.assertEqual(Customer._format_qty(3.0, self.uom_unit),
                         "3 %s" % self.uom_unit.name)

    def test_mass_balance_has_product_and_unit(self):
        """Each balance line names its product and the unit of its quantities."""
        recall = self._open_recall(self.apple)
        lines = {line.lot_id: line for line in recall.balance_line_ids}
        self.assertEqual((lines[self.apple].product_id, lines[self.apple].uom_id),
                         (self.apples, self.uom_kg))
        self.assertEqual((lines[self.apple].qty_in, lines[self.apple].qty_consumed,
                          lines[self.apple].qty_shipped, lines[self.apple].qty_on_hand),
                         (400.0, 20.0, 50.0, 330.0))
        self.assertEqual((lines[self.jar1].product_id, lines[self.jar1].uom_id),
                         (self.jam, self.uom_unit))

    def test_hold_list_shows_only_held_stock(self):
        """Before Hold nothing is listed and Release does not apply; after Hold the three
        lots' stock is listed, held; after Release it is listed as released."""
        recall = self._open_recall(self.apple, self.trace_user)
        self.assertFalse(recall.held_line_ids)
        self.assertEqual((recall.held_count, recall.can_hold), (0, True))
        recall.action_hold()
        held = {(line.lot_id, line.qty, line.uom_id, line.state) for line in recall.held_line_ids}
        self.assertEqual(held, {(self.apple, 330.0, self.uom_kg, "held"),
                                (self.jar1, 7.0, self.uom_unit, "held"),
                                (self.jar2, 12.0, self.uom_unit, "held")})
        self.assertEqual((recall.held_count, recall.can_hold), (3, False))
        recall.sudo(self.trace_manager).action_release()
        self.assertEqual(set(recall.held_line_ids.mapped("state")), {"released"})
        self.assertEqual((recall.held_count, recall.can_hold), (0, True))

    def test_hold_list_without_stock(self):
        """Everything of a lot shipped: nothing to hold, the Hold button does not apply."""
        lot = self._create_lot(self.jam)
        self._receive(self.jam, [(lot, 3)])
        self._deliver(self.jam, [(lot, 3)], partner=self.deli)
        recall = self._open_recall(lot)
        self.assertEqual((recall.can_hold, recall.held_count), (False, 0))
        self.assertFalse(recall.held_line_ids)

    def test_draft_tells_user_a_manager_opens_it(self):
        """The draft's hint is for users who are not managers."""
        Recall = self.env["stock.lot.recall"]
        draft = Recall.sudo(self.trace_user).create({"lot_ids": [(6, 0, self.apple.ids)]})
        self.assertEqual(draft.state, "draft")
        self.assertFalse(draft.is_manager)
        self.assertTrue(draft.sudo(self.trace_manager).is_manager)
        self.assertFalse(draft.can_hold, "nothing is held before the recall is open")
        arch = Recall.sudo(self.trace_user).fields_view_get(view_type="form")["arch"]
        self.assertIn("manager</b> opens it", arch)

    def test_start_recall_from_lots(self):
        """The lots' Action menu opens a draft recall of the selected lots."""
        action = self.env.ref("lot_traceability.stock_lot_recall_action_from_lot")
        self.assertEqual(action.binding_model_id.model, "stock.production.lot")
        lots = self.apple | self.jar1
        context = safe_eval(action.context, {"active_ids": lots.ids, "active_id": lots[0].id})
        Recall = self.env["stock.lot.recall"].sudo(self.trace_user).with_context(**context)
        recall = Recall.create({})
        self.assertEqual((recall.state, recall.lot_ids), ("draft", lots))
        recall.sudo(self.trace_manager).action_open()
        self.assertEqual(recall.customer_count, 2)

    def test_evidence_report(self):
        """The evidence names units, the call list's contacts and has signature lines."""
        recall = self._open_recall(self.apple)
        recall.action_hold()
        html = self.env.ref("lot_traceability.stock_lot_recall_report_action").sudo(
            self.trace_user).render_qweb_html(recall.ids)[0]
        html = html.decode() if isinstance(html, bytes) else html
        for text in ("Drill summary", "Customers to call", "Dana Reyes", "+1 503 555 0171",
                     "orders@deli.example.com", "50 kg + 16 %s" % self.uom_unit.name,
                     "Stock held in quarantine", "Prepared by", "Approved by",
                     self.apple.name, self.jar2.name, "text-right"):
            self.assertIn(text, html)

    def test_evidence_lists_ten_deliveries_per_customer(self):
        """A customer who received more lots than the evidence lists per customer: the first
        ten are listed, the others counted, and all of them stay in the recall's lists."""
        jars = [self._create_lot(self.jam) for _index in range(12)]
        self._receive(self.jam, [(jar, 1) for jar in jars])
        self._deliver(self.jam, [(jar, 1) for jar in jars], partner=self.deli)
        recall = self.env["stock.lot.recall"].sudo(self.trace_manager).create(
            {"lot_ids": [(6, 0, [jar.id for jar in jars])]})
        recall.action_open()
        html = self.env.ref("lot_traceability.stock_lot_recall_report_action").sudo(
            self.trace_user).render_qweb_html(recall.ids)[0].decode()
        self.assertIn("and 2 more lots shipped to this customer", " ".join(html.split()))
        self.assertEqual(html.count('class="o_recall_lot'), 10)  # the customer's rows
        self.assertTrue(all(jar.name in html for jar in jars))  # each in the mass balance
        self.assertEqual(len(recall.call_line_ids.delivery_line_ids), 12)
