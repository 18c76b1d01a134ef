# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class MailMail(models.Model):
    _inherit = "mail.mail"

    @api.multi
    def _postprocess_sent_message(self, mail_sent=True):
        """A recall notice records what the mail queue did with its e-mail."""
        mails = self.filtered(lambda mail: mail.model == "stock.lot.recall.notice")
        if mails:
            notices = self.env["stock.lot.recall.notice"].sudo().search(
                [("mail_id", "in", mails.ids)])
            notices._record_mail_result(mail_sent, "; ".join(
                filter(None, mails.mapped("failure_reason"))) or None)
        return super(MailMail, self)._postprocess_sent_message(mail_sent=mail_sent)
