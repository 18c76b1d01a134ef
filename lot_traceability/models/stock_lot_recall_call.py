# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models

from .lot_traceability_fields import LinesOne2many


class StockLotRecallCall(models.Model):
    """One customer to call in a recall: who, how to reach them, and below it what they
    received (the deliveries of affected lots, per lot, with quantities in their units)."""
    _name = "stock.lot.recall.call"
    _description = "Recall call list entry"
    _order = "recall_id, partner_name, id"
    _rec_name = "partner_id"

    recall_id = fields.Many2one("stock.lot.recall", required=True, ondelete="cascade",
                                index=True)
    company_id = fields.Many2one(related="recall_id.company_id", store=True, readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    partner_name = fields.Char("Customer", readonly=True)
    contact_id = fields.Many2one("res.partner", "Contact", readonly=True)
    contact_name = fields.Char("Contact name", readonly=True,
                               help="The person to call, without the customer's name.")
    phone = fields.Char(readonly=True)
    email = fields.Char(readonly=True)
    address = fields.Char(readonly=True, help="The customer's address on one line.")
    delivery_count = fields.Integer("Deliveries", readonly=True)
    date_first = fields.Datetime("First delivery", readonly=True)
    date_last = fields.Datetime("Last delivery", readonly=True)
    delivery_line_ids = LinesOne2many("stock.lot.recall.customer", "call_id",
                                      "Lots shipped", readonly=True)
    qty_display = fields.Char("Net shipped", compute="_compute_qty_display",
                              help="Net of returns, one figure per unit of measure.")

    @api.multi
    @api.depends("delivery_line_ids.net_qty", "delivery_line_ids.uom_id")
    def _compute_qty_display(self):
        for call in self:
            call.qty_display = call.delivery_line_ids.get_net_by_uom_display()

    @api.model
    def _prepare_call_vals(self, recall, partner, summary, partners, contacts=None):
        """The call list entry of ``partner`` (a commercial partner) from the summary of its
        deliveries (``stock.lot.ledger._get_customer_summaries``; ``partners`` their
        partners by id): the person
        delivered to last, reachable by phone and e-mail. ``contacts``: the addresses
        already made per partner id (``stock.lot.recall._get_contacts``), 1 ms each in
        Odoo."""
        contact = self._get_contact(partner, summary, partners)
        return {
            "recall_id": recall.id, "company_id": recall.company_id.id, "partner_id": partner.id,
            "partner_name": partner.display_name or _("Unknown customer"),
            "contact_id": contact.id if contact != partner else False,
            "contact_name": contact.name if contact != partner else False,
            "phone": contact.phone or contact.mobile or partner.phone or partner.mobile,
            "email": contact.email or partner.email,
            "address": self._get_one_line_address(
                partner, (contacts or {}).get(partner.id, {}).get("address")),
            "delivery_count": summary["delivery_count"],
            "date_first": summary["date_first"],
            "date_last": summary["date_last"],
        }

    @api.model
    def _get_contact(self, partner, summary, partners):
        """The person to call: who received the last delivery when that is a person of the
        customer, else the customer's first contact person, else the customer itself."""
        last = summary["last_contact_id"]
        delivered = partners[last] if last else self.env["res.partner"]
        if delivered and delivered != partner and delivered.type == "contact":
            return delivered
        # not filtered(): its records would lose the customers' prefetch, and each contact's
        # name, phone and e-mail would be read alone
        people = [child for child in partner.child_ids if child.type == "contact"]
        return people[0] if people else delivered or partner

    @api.model
    def _get_one_line_address(self, partner, text=None):
        if text is None:
            text = partner._display_address(without_company=True) if partner else ""
        return ", ".join(part.strip() for part in text.splitlines() if part.strip())
