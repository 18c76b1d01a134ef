# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models

from ..tools import labels
from .stock_production_lot import LABEL_DOMAIN_PARAM


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    lot_label_domain = fields.Char(
        "Label Domain",
        help="Scheme and host (optionally a path) of the URLs printed in lot labels' QR codes, "
             "e.g. https://trace.example.com. Empty: the server's base URL (web.base.url).")
    lot_label_domain_warning = fields.Char(
        "Label Domain Warning", compute="_compute_lot_label_domain_warning",
        help="Set when the labels' QR codes would point at localhost: a phone that scans them "
             "opens itself, not this server.")

    @api.depends("lot_label_domain")
    def _compute_lot_label_domain_warning(self):
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url") or ""
        for settings in self:
            domain = (settings.lot_label_domain or "").strip() or base_url
            settings.lot_label_domain_warning = labels.is_local_domain(domain) and _(
                "Labels would point at %s: a phone or another computer that scans them opens "
                "itself, not this server. Enter the address users reach this server at.") % (
                    domain) or False

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
