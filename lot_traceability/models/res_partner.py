# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    is_carrier = fields.Boolean(
        "Is a Carrier",
        help="A transporter (a haulier, a courier): FSMA 204 never lists it as the immediate "
             "previous source or subsequent recipient of food, but the shipper or the ship-to "
             "party behind the transfer (21 CFR 1.1340(a)(4), 1.1345(a)(4)). Set on the "
             "company, it holds for its contacts too.")
