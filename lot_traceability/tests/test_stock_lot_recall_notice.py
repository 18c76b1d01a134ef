# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Notify Customers: one notice per customer through Odoo's mail queue, the queue's result
and bounces on the notice, the customer's acknowledgement by token, and the drill's figures.
(tests/test_recall_notice_smtp.py delivers the notices to a real SMTP server.)"""
from odoo.exceptions import AccessError, UserError

from .common import TraceabilityCase, unique


class TestStockLotRecallNotice(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        """Cheese lot C: 5 to Deli's delivery address (with an e-mail), 3 to Bistro (no
        e-mail), 2 of them returned by Deli."""
        super(TestStockLotRecallNotice, cls).setUpClass()
        cls.env["res.company"].browse(cls.env.user.company_id.id).write(
            {"email": "quality@example.com"})
        cls.cheese = cls._create_product("Cheese")
        cls.lot = cls._create_lot(cls.cheese)
        cls._receive(cls.cheese, [(cls.lot, 20)])
        cls.deli = cls._create_partner("Deli", customer=True, email="office@deli.example.com")
        cls.deli_dock = cls.env["res.partner"].create({
            "name": unique("Deli dock"), "parent_id": cls.deli.id, "type": "delivery",
            "email": "dock@deli.example.com"})
        cls.bistro = cls._create_partner("Bistro", customer=True)
        cls.deli_delivery = cls._deliver(cls.cheese, [(cls.lot, 5)], partner=cls.deli_dock)
        cls._deliver(cls.cheese, [(cls.lot, 3)], partner=cls.bistro)
        cls._return_lot(cls.deli_delivery, cls.lot, 2)

    def _open_recall(self):
        recall = self.env["stock.lot.recall"].sudo(self.trace_manager).create({
            "lot_ids": [(6, 0, self.lot.ids)], "reason": "Listeria in the cheese room"})
        recall.action_open()
        return recall

    def _notice(self, recall, partner):
        return recall.notice_ids.filtered(lambda notice: notice.partner_id == partner)

    def test_notify_queues_one_mail_per_customer(self):
        """One e-mail per customer, to the delivery address's contact, from the template:
        reason, lots and quantities net of returns with their unit, the delivery and its
        date, the acknowledge link; a customer without an e-mail gets a failed notice."""
        recall = self._open_recall()
        with self._assert_refused(AccessError, "Manager"):
            recall.sudo(self.trace_user).action_notify_customers()
        recall.sudo(self.trace_manager).action_notify_customers()
        self.assertEqual(len(recall.notice_ids), 2)
        deli = self._notice(recall, self.deli)
        self.assertEqual((deli.recipient_id, deli.email, deli.state),
                         (self.deli_dock, "dock@deli.example.com", "queued"))
        mail = deli.mail_id
        self.assertEqual((mail.state, mail.email_to, mail.model, mail.res_id),
                         ("outgoing", "dock@deli.example.com", deli._name, deli.id))
        for text in ("Listeria in the cheese room", self.lot.name, "3 Unit",
                     self.deli_delivery.name, "/recall/notice/%s" % deli.sudo().token):
            self.assertIn(text, mail.body_html)
        self.assertEqual(deli.line_ids.mapped("qty_received"), [3.0])
        bistro = self._notice(recall, self.bistro)
        self.assertEqual((bistro.state, bool(bistro.mail_id)), ("failed", False))
        self.assertIn("no e-mail address", bistro.failure_reason)
        with self._assert_refused(UserError, "every customer has a notice"):
            recall.sudo(self.trace_manager).action_notify_customers()
        with self._assert_refused(AccessError):
            deli.sudo(self.trace_manager).write({"state": "sent"})

    def test_mail_queue_result_and_drill(self):
        """The mail queue sends the notice: it is sent; once every notice is sent the drill
        records when all customers were notified."""
        self.bistro.write({"email": "chef@bistro.example.com"})
        recall = self._open_recall()
        recall.sudo(self.trace_manager).action_notify_customers()
        self.assertFalse(recall.date_notified)
        self.env["mail.mail"].process_email_queue(ids=recall.notice_ids.mapped("mail_id").ids)
        self.assertEqual(set(recall.notice_ids.mapped("state")), {"sent"})
        self.assertEqual(recall.date_notified, max(recall.notice_ids.mapped("date_sent")))
        self.assertEqual((recall.notice_sent_count, recall.notice_ack_percent), (2, 0.0))

    def test_bounce_is_recorded(self):
        """A bounce routed by Odoo (bounce alias + mail id + model + notice id) marks the
        notice bounced."""
        recall = self._open_recall()
        recall.sudo(self.trace_manager).action_notify_customers()
        deli = self._notice(recall, self.deli)
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("mail.bounce.alias", "bounce")
        params.set_param("mail.catchall.domain", "example.com")
        raw = ("From: MAILER-DAEMON@mx.example.net\r\n"
               "To: bounce+%d-stock.lot.recall.notice-%d@example.com\r\n"
               "Subject: Undelivered Mail Returned to Sender\r\n"
               "Message-Id: <bounce-%d@mx.example.net>\r\n\r\n"
               "dock@deli.example.com: mailbox unavailable\r\n") % (
            deli.mail_id.id, deli.id, deli.id)
        self.env["mail.thread"].sudo().message_process(False, raw)
        self.assertEqual(deli.state, "bounced")

    def test_acknowledge_by_token(self):
        """The customer's answer: every lot's quantity between 0 and what they received and
        an action, or a refusal naming the lot and the value with nothing written."""
        recall = self._open_recall()
        recall.sudo(self.trace_manager).action_notify_customers()
        deli = self._notice(recall, self.deli)
        Notice = self.env["stock.lot.recall.notice"]
        with self._assert_refused(UserError, "not valid"):
            Notice._find_by_token("x" * 43)
        with self._assert_refused(UserError, "not valid"):
            Notice._find_by_token("bad token'; --")
        notice = Notice._find_by_token(deli.sudo().token)
        self.assertEqual(notice, deli)
        line = notice.line_ids
        for quantities, message in (({}, "enter a quantity"),
                                    ({line.id: -1}, "not between 0 and 3"),
                                    ({line.id: 4}, "not between 0 and 3"),
                                    ({line.id: "lots"}, self.lot.name)):
            with self._assert_refused(UserError, message):
                notice._acknowledge(quantities, "quarantined")
        with self._assert_refused(UserError, "action"):
            notice._acknowledge({line.id: 1}, "burnt")
        self.assertFalse(notice.date_acknowledged)
        notice._acknowledge({str(line.id): "1.5"}, "quarantined", "In the back room")
        self.assertEqual((line.qty_held, notice.ack_action, notice.ack_comment),
                         (1.5, "quarantined", "In the back room"))
        self.assertIn("1.5", notice.qty_held_display)
        self.assertTrue(notice.acknowledged)
        self.assertEqual((recall.notice_ack_count, recall.notice_ack_percent), (1, 50.0))
        # a second answer replaces the values; the chatter keeps both answers
        notice._acknowledge({line.id: 0}, "destroyed")
        answers = recall.message_ids.filtered(lambda m: "acknowledged" in (m.body or ""))
        self.assertEqual(len(answers), 2)
        self.assertIn("1.5", answers[1].body)
        self.assertIn("In the back room", answers[1].body)
        self.assertIn("Destroyed", answers[0].body)
        # once the recall is closed, the page records nothing more
        recall.sudo(self.trace_manager).action_close()
        with self._assert_refused(UserError, "closed"):
            notice._acknowledge({line.id: 3}, "returned")
        self.assertEqual((line.qty_held, notice.ack_action), (0.0, "destroyed"))

    def test_evidence_and_views(self):
        """The evidence report shows the notices and the drill's effectiveness figures; the
        recall's form with its notices loads."""
        recall = self._open_recall()
        recall.sudo(self.trace_manager).action_notify_customers()
        html = self.env.ref("lot_traceability.stock_lot_recall_report_action").sudo(
            self.trace_user).render_qweb_html(recall.ids)[0].decode()
        self.assertIn("All customers notified", html)
        self.assertIn("Recall notices (2)", html)
        self.assertIn("dock@deli.example.com", html)
        recall.sudo(self.trace_user).fields_view_get(view_type="form")
