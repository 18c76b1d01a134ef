# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .stock_production_lot import LABEL_DOMAIN_PARAM


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    lot_label_domain = fields.Char(
        "Label Domain",
        help="Scheme and host (optionally a path) of the URLs printed in lot labels' QR codes, "
             "e.g. https://trace.example.com. Empty: the server's base URL (web.base.url).")

    @api.model
    def get_values(self):
        values = super(ResConfigSettings, self).get_values()
        values["lot_label_domain"] = self.env["ir.config_parameter"].sudo().get_param(
            LABEL_DOMAIN_PARAM, default="")
        return values

    @api.multi
    def set_values(self):
        super(ResConfigSettings, self).set_values()
        self.env["ir.config_parameter"].sudo().set_param(
            LABEL_DOMAIN_PARAM, (self.lot_label_domain or "").strip())
