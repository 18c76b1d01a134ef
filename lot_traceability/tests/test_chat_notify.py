# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Chat notifications of the addon's messages: a follower who reads them in Odoo's inbox
gets each one on the bus as before; a message nobody is to be notified of (its author is
its only follower: every step of a recall, a hold, a job) is not formatted for a chat
that no one receives."""
from .common import TraceabilityCase


class TestChatNotify(TraceabilityCase):

    def _recall(self):
        return self.env["stock.lot.recall"].sudo(self.trace_manager).create({
            "lot_ids": [(6, 0, [self._create_lot(self._create_product()).id])],
            "reason": "chat notifications"})

    def _chat_notifications(self, partner, message):
        return self.env["bus.bus"].sudo().search_count([
            ("channel", "=", '["%s","ir.needaction",%d]' % (self.env.cr.dbname, partner.id)),
            ("message", "like", '"id":%d,' % message.id)])

    def test_an_inbox_follower_gets_the_message_on_the_bus(self):
        recall = self._recall()
        self.trace_user.notification_type = "inbox"
        recall.message_subscribe(partner_ids=[self.trace_user.partner_id.id],
                                 subtype_ids=[self.env.ref("mail.mt_note").id])
        message = recall.message_post(body="Call the customers", subtype="mail.mt_note")
        self.assertEqual(message.needaction_partner_ids, self.trace_user.partner_id)
        self.assertEqual(self._chat_notifications(self.trace_user.partner_id, message), 1)

    def test_no_recipient_no_chat_work(self):
        """Odoo's mail.message._notify calls _notify_by_chat on the empty set of inbox
        followers too; nothing is read for it then."""
        recall = self._recall()
        message = recall.message_post(body="Opened", subtype="mail.mt_note")
        self.assertFalse(message.needaction_partner_ids)
        self.assertEqual(self._chat_notifications(self.trace_manager.partner_id, message), 0)
        self.env.cache.invalidate()
        before = self.env.cr.sql_log_count
        self.env["res.partner"]._notify_by_chat(self.env["mail.message"].browse(message.id))
        self.assertEqual(self.env.cr.sql_log_count - before, 0)
