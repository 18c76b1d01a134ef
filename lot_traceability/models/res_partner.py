# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    is_carrier = fields.Boolean(
        "Is a Carrier",
        help="A transporter (a haulier, a courier): FSMA 204 never lists it as the immediate "
             "previous source or subsequent recipient of food, but the shipper or the ship-to "
             "party behind the transfer (21 CFR 1.1340(a)(4), 1.1345(a)(4)). Set on the "
             "company, it holds for its contacts too.")

    @api.multi
    def _get_display_addresses(self):
        """Per partner id, Odoo's address of the partner without its company
        (``_display_address``), for many partners at once. Only the fields that address
        depends on are read, one query per field for the whole set; a partner's first
        field read otherwise loads every field of every partner of the set (about 1 ms a
        partner: 4 s for the 5,000 customers of a wide recall)."""
        return {partner.id: partner._display_address(without_company=True)
                for partner in self.with_context(prefetch_fields=False)}
