# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The GS1 Global Location Number of partners, warehouses and locations: one field, one rule.

EPCIS names parties and places by GLN (13 digits, GS1 mod-10 check digit). Partners,
warehouses and stock locations inherit this mixin, so the GLN is checked one way for every
caller (web client or JSON-RPC) before it is stored.
"""
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools import gs1


class LotTraceabilityGln(models.AbstractModel):
    _name = "lot.traceability.gln"
    _description = "GS1 Global Location Number"

    gln = fields.Char(
        "GLN", size=13, index=True, copy=False,
        help="GS1 Global Location Number (13 digits, the last one GS1's check digit). EPCIS "
             "exports name this party or place by it; without one, a URI of the company's "
             "own domain stands in.")

    @api.model
    def _clean_gln(self, value):
        """The GLN without blanks, or a ValidationError naming the field and the value."""
        if not value:
            return False
        text = value.strip() if isinstance(value, str) else value
        if not gs1.is_valid_gln(text):
            raise ValidationError(_(
                "GLN (gln) of %(model)s: %(value)r is not a GS1 Global Location Number "
                "(13 digits ending with their GS1 check digit).") % {
                    "model": self._description, "value": value})
        return text

    @api.model
    def create(self, vals):
        if vals.get("gln"):
            vals = dict(vals, gln=self._clean_gln(vals["gln"]))
        return super(LotTraceabilityGln, self).create(vals)

    @api.multi
    def write(self, vals):
        if vals.get("gln"):
            vals = dict(vals, gln=self._clean_gln(vals["gln"]))
        return super(LotTraceabilityGln, self).write(vals)

    @api.constrains("gln")
    def _check_gln(self):
        for record in self:
            record._clean_gln(record.gln)


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "lot.traceability.gln"]


class StockWarehouse(models.Model):
    _name = "stock.warehouse"
    _inherit = ["stock.warehouse", "lot.traceability.gln"]


class StockLocation(models.Model):
    _name = "stock.location"
    _inherit = ["stock.location", "lot.traceability.gln"]
