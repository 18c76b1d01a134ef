# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A recall notice: the e-mail one customer got, what became of it, and their answer.

Written by the system only (users read it): Notify Customers creates it and queues its
e-mail through Odoo's mail queue; the mail queue's result (sent or failed) and a bounce
(Odoo's bounce routing, ``message_receive_bounce``) set its state; the customer's answer on
the public acknowledge page (a token per notice, no login) records what they still hold and
what they did.
"""
import secrets

from markupsafe import escape
from werkzeug.urls import url_quote

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare

from odoo.addons import decimal_precision as dp

from ..tools import inputs
from .lot_traceability_input import check_arguments

QTY_DIGITS = dp.get_precision("Product Unit of Measure")
ACK_ACTIONS = [("quarantined", "Set aside, waiting for collection"),
               ("returned", "Returned to us"),
               ("destroyed", "Destroyed"),
               ("none_left", "None left (sold or used)")]


class StockLotRecallNotice(models.Model):
    _name = "stock.lot.recall.notice"
    _inherit = ["lot.traceability.field.guard"]
    _description = "Recall notice to a customer"
    _order = "recall_id, id"
    _rec_name = "partner_id"

    recall_id = fields.Many2one("stock.lot.recall", required=True, ondelete="cascade",
                                index=True, readonly=True)
    company_id = fields.Many2one(related="recall_id.company_id", store=True, readonly=True)
    call_id = fields.Many2one("stock.lot.recall.call", "Call list entry", readonly=True,
                              ondelete="cascade")
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    recipient_id = fields.Many2one("res.partner", "Sent to", readonly=True,
                                   help="The contact of the delivery address, else the "
                                        "customer.")
    email = fields.Char(readonly=True)
    token = fields.Char(readonly=True, copy=False, index=True,
                        groups="lot_traceability.lot_traceability_group_manager")
    mail_id = fields.Many2one("mail.mail", "E-mail", readonly=True, ondelete="set null",
                              index=True)
    state = fields.Selection([("queued", "Queued"), ("sent", "Sent"), ("failed", "Failed"),
                              ("bounced", "Bounced")], default="queued", readonly=True)
    failure_reason = fields.Text(readonly=True)
    date_sent = fields.Datetime("Sent", readonly=True)
    date_acknowledged = fields.Datetime("Acknowledged", readonly=True)
    ack_action = fields.Selection(ACK_ACTIONS, "Action taken", readonly=True)
    ack_comment = fields.Text("Customer's comment", readonly=True)
    line_ids = fields.One2many("stock.lot.recall.notice.line", "notice_id", "Lots",
                               readonly=True)
    acknowledged = fields.Boolean(compute="_compute_acknowledged", store=True)
    qty_held_display = fields.Char("Still held by the customer",
                                   compute="_compute_qty_held_display")

    @api.multi
    @api.depends("date_acknowledged")
    def _compute_acknowledged(self):
        for notice in self:
            notice.acknowledged = bool(notice.date_acknowledged)

    @api.multi
    @api.depends("line_ids.qty_held", "date_acknowledged")
    def _compute_qty_held_display(self):
        Customer = self.env["stock.lot.recall.customer"]
        for notice in self:
            totals = {}
            for line in notice.line_ids:
                totals[line.uom_id] = totals.get(line.uom_id, 0.0) + line.qty_held
            notice.qty_held_display = " + ".join(
                Customer._format_qty(qty, uom) for uom, qty in sorted(
                    totals.items(), key=lambda item: item[0].name or "")) \
                if notice.date_acknowledged else False

    # --- made by Notify Customers ----------------------------------------------------------
    @api.model
    def _prepare_notice_vals(self, recall, call):
        """The notice of one call list entry: to the contact of the last delivery address
        when it has an e-mail, else to the customer; one line per lot, net of returns."""
        deliveries = call.delivery_line_ids.sorted(lambda line: (line.date or "", line.id))
        recipient = next((line.contact_id for line in reversed(deliveries)
                          if line.contact_id.email), call.partner_id)
        lots = {}
        for line in deliveries:
            lots[line.lot_id] = lots.get(line.lot_id, 0.0) + line.net_qty
        return {
            "recall_id": recall.id, "call_id": call.id, "partner_id": call.partner_id.id,
            "recipient_id": recipient.id, "email": recipient.email or call.email or False,
            "token": secrets.token_urlsafe(32),
            "line_ids": [(0, 0, {"lot_id": lot.id, "qty_received": qty})
                         for lot, qty in lots.items()],
        }

    @api.multi
    def _queue_mail(self, template):
        """Queue the notice's e-mail (Odoo's mail queue sends it); no address: failed."""
        for notice in self:
            if not notice.email:
                notice.write({"state": "failed",
                              "failure_reason": _("%(customer)s has no e-mail address.") % {
                                  "customer": notice.partner_id.display_name}})
                continue
            mail_id = template.send_mail(notice.id, email_values={
                "model": self._name, "res_id": notice.id, "auto_delete": False,
                "email_to": notice.email, "recipient_ids": []})
            notice.write({"mail_id": mail_id, "state": "queued"})

    # --- what the template reads -----------------------------------------------------------
    @api.multi
    @check_arguments(access="manager")
    def get_acknowledge_url(self):
        """The public page where the customer acknowledges this notice (the mail template
        reads it; a manager may)."""
        self.ensure_one()
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        return "%s/recall/notice/%s" % (base.rstrip("/"), url_quote(self.sudo().token))

    @api.multi
    @check_arguments()
    def get_lot_rows(self):
        """The lots this customer received, net of returns, as plain rows with the quantity
        in the lot's unit."""
        self.ensure_one()
        Customer = self.env["stock.lot.recall.customer"]
        return [{"lot": line.lot_id.name, "product": line.product_id.display_name,
                 "qty": Customer._format_qty(line.qty_received, line.uom_id)}
                for line in self.line_ids]

    @api.multi
    @check_arguments()
    def get_delivery_rows(self):
        """The deliveries of this customer, as plain rows: the day (in the time zone of the
        warehouse that shipped), the document, the lot, the quantity with its unit."""
        self.ensure_one()
        Tz = self.env["stock.lot.tz"]
        Customer = self.env["stock.lot.recall.customer"]
        rows = []
        for line in self.call_id.delivery_line_ids.sorted(lambda l: (l.date or "", l.id)):
            tz = Tz._get_event_tz(line.picking_id.location_id)
            rows.append({
                "date": Tz._date_of(line.date, tz) if line.date else "",
                "document": line.picking_id.name or "", "lot": line.lot_id.name,
                "product": line.product_id.display_name,
                "qty": Customer._format_qty(line.net_qty, line.uom_id)})
        return rows

    # --- the mail queue's result and bounces ----------------------------------------------
    @api.multi
    def _record_mail_result(self, mail_sent, reason=None):
        """Called once the mail queue processed the notices' e-mails."""
        vals = {"state": "sent", "date_sent": fields.Datetime.now()} if mail_sent else {
            "state": "failed", "failure_reason": reason or _("The mail server refused it.")}
        self.write(vals)
        self.mapped("recall_id")._update_notified()

    @api.multi
    def message_receive_bounce(self, email, partner, mail_id=None):
        """Odoo's bounce routing (the mail gateway, as superuser) found a bounce of this
        notice's e-mail; no one else reports one."""
        if self.env.uid != SUPERUSER_ID:
            raise AccessError(_("Only Odoo's mail gateway reports bounces."))
        self.sudo().write({"state": "bounced",
                           "failure_reason": _("Bounced: %(email)s") % {"email": email}})
        return True

    # --- the customer's answer -------------------------------------------------------------
    @api.model
    def _find_by_token(self, token):
        """The notice of ``token`` (sudo), or a UserError that says nothing more."""
        if not isinstance(token, str) or not 20 <= len(token) <= 100 \
                or not all(char.isalnum() or char in "-_" for char in token):
            raise UserError(_("This acknowledge link is not valid."))
        notice = self.sudo().search([("token", "=", token)], limit=1)
        if not notice:
            raise UserError(_("This acknowledge link is not valid."))
        return notice

    @api.multi
    def _acknowledge(self, quantities, action, comment=None):
        """Record the customer's answer: ``quantities`` ``{line id: quantity still held}``
        for every lot of the notice, ``action`` one of :data:`ACK_ACTIONS`. Everything is
        checked before anything is written."""
        self.ensure_one()
        if self.recall_id.state != "in_progress":
            raise UserError(_("This recall is closed: answers are no longer recorded. "
                              "Please contact %(company)s.") % {
                "company": self.recall_id.company_id.name})
        try:
            action = inputs.clean_choice(action, [key for key, _label in ACK_ACTIONS],
                                         "action")
            comment = inputs.clean_text(comment or "", "comment", multiline=True,
                                        max_length=inputs.MAX_SCAN_LENGTH)
            held = self._check_quantities(quantities)
        except inputs.InputError as error:
            raise UserError(str(error))
        for line in self.line_ids:
            line.write({"qty_held": held[line.id]})
        self.write({"date_acknowledged": fields.Datetime.now(), "ack_action": action,
                    "ack_comment": comment or False})
        self.recall_id.message_post(body=self._describe_answer(held, action, comment))
        return True

    @api.multi
    def _describe_answer(self, held, action, comment):
        """The chatter's record of one answer: each answer is kept there, a later answer
        replaces the notice's values but not this."""
        labels = dict(self._fields["ack_action"]._description_selection(self.env))
        Customer = self.env["stock.lot.recall.customer"]
        lines = "".join("<li>%s</li>" % escape(_("%(lot)s: %(qty)s still held") % {
            "lot": line.lot_id.name, "qty": Customer._format_qty(held[line.id], line.uom_id)})
            for line in self.line_ids)
        return _("%(customer)s acknowledged the recall notice: %(action)s.%(comment)s"
                 "<ul>%(lines)s</ul>") % {
            "customer": escape(self.partner_id.display_name), "action": escape(labels[action]),
            "comment": (" " + escape(_("Comment: %s") % comment)) if comment else "",
            "lines": lines}

    @api.multi
    def _check_quantities(self, quantities):
        """``{line id: quantity}`` for every line, each a number from 0 to what the customer
        received, or a UserError naming the lot and the value."""
        if not isinstance(quantities, dict):
            raise UserError(_("quantities: expected one quantity per lot."))
        held = {}
        for line in self.line_ids:
            raw = quantities.get(line.id, quantities.get(str(line.id)))
            label = _("Quantity still held of %(lot)s") % {"lot": line.lot_id.name}
            if raw in (None, ""):
                raise UserError(_("%(label)s: enter a quantity (0 if none).") % {
                    "label": label})
            qty = inputs.clean_number(raw, label)
            rounding = line.uom_id.rounding or 0.01
            if float_compare(qty, 0.0, precision_rounding=rounding) < 0 or float_compare(
                    qty, max(line.qty_received, 0.0), precision_rounding=rounding) > 0:
                raise UserError(_("%(label)s: %(qty)s is not between 0 and %(max)s.") % {
                    "label": label, "qty": raw, "max": line.qty_received})
            held[line.id] = qty
        return held


class StockLotRecallNoticeLine(models.Model):
    """One lot a notified customer received, and what they say they still hold."""
    _name = "stock.lot.recall.notice.line"
    _description = "Recall notice lot"
    _order = "notice_id, id"

    notice_id = fields.Many2one("stock.lot.recall.notice", required=True, ondelete="cascade",
                                index=True)
    company_id = fields.Many2one(related="notice_id.company_id", store=True, readonly=True)
    lot_id = fields.Many2one("stock.production.lot", "Lot", required=True, readonly=True)
    product_id = fields.Many2one(related="lot_id.product_id", readonly=True)
    uom_id = fields.Many2one(related="lot_id.product_id.uom_id", string="Unit", readonly=True)
    qty_received = fields.Float("Received (net)", digits=QTY_DIGITS, readonly=True)
    qty_held = fields.Float("Still held", digits=QTY_DIGITS, readonly=True)
