# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Notify Customers: one e-mail per customer of an open recall, and the drill's figures of
effectiveness (when every customer was notified, the share that acknowledged)."""
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .lot_traceability_input import check_arguments

NOTICE_TEMPLATE = "lot_traceability.stock_lot_recall_notice_mail_template"


class StockLotRecall(models.Model):
    _inherit = "stock.lot.recall"

    notice_ids = fields.One2many("stock.lot.recall.notice", "recall_id", "Notices",
                                 readonly=True)
    date_notified = fields.Datetime(
        "All customers notified", readonly=True, copy=False,
        help="When the mail queue had sent the notice of the last customer.")
    notice_count = fields.Integer("Notices", compute="_compute_notice_figures")
    notice_sent_count = fields.Integer("Notices sent", compute="_compute_notice_figures")
    notice_ack_count = fields.Integer("Acknowledged", compute="_compute_notice_figures")
    notice_ack_percent = fields.Float("Acknowledged (%)", digits=(16, 1),
                                      compute="_compute_notice_figures",
                                      help="Customers who acknowledged, of those notified.")
    can_notify = fields.Boolean(compute="_compute_notice_figures")

    @api.multi
    @api.depends("notice_ids.state", "notice_ids.acknowledged", "call_line_ids", "state")
    def _compute_notice_figures(self):
        for recall in self:
            notices = recall.notice_ids
            recall.notice_count = len(notices)
            recall.notice_sent_count = len(notices.filtered(lambda n: n.state == "sent"))
            recall.notice_ack_count = len(notices.filtered("acknowledged"))
            recall.notice_ack_percent = 100.0 * recall.notice_ack_count / len(notices) \
                if notices else 0.0
            recall.can_notify = recall.state == "in_progress" and bool(
                recall.call_line_ids - notices.mapped("call_id"))

    @api.multi
    @check_arguments(access="manager")
    def action_notify_customers(self):
        """Queue one notice per customer not notified yet, from the company's editable mail
        template (Odoo's mail queue sends them)."""
        self.ensure_one()
        self._check_in_progress()
        calls = self.call_line_ids - self.notice_ids.mapped("call_id")
        if not calls:
            raise UserError(_("Recall %(name)s: every customer has a notice already (or no "
                              "customer received affected lots).") % {"name": self.name})
        template = self.env.ref(NOTICE_TEMPLATE).sudo()
        Notice = self.env["stock.lot.recall.notice"].sudo()
        notices = Notice.browse()
        for call in calls:
            notices |= Notice.create(Notice._prepare_notice_vals(self, call))
        notices._queue_mail(template)
        self._write_system({"date_notified": False})
        self._update_notified()
        self.message_post(body=_("%(count)s recall notices queued for sending.") % {
            "count": len(notices)})
        return True

    @api.multi
    def _update_notified(self):
        """Record when every customer's notice was sent (once)."""
        for recall in self:
            notices = recall.notice_ids
            if notices and not recall.date_notified and all(
                    notice.state == "sent" for notice in notices):
                recall._write_system({"date_notified": max(notices.mapped("date_sent"))})
