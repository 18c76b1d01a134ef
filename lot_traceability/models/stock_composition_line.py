# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons import decimal_precision as dp


class StockCompositionLine(models.Model):
    _name = "stock.composition.line"
    _inherit = ["lot.traceability.input"]
    _description = "Composition List Line"
    _order = "sequence, id"

    composition_id = fields.Many2one("stock.composition", required=True, ondelete="cascade",
                                     index=True)
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one("product.product", "Component", required=True,
                                 domain=[("type", "in", ("product", "consu"))])
    tracking = fields.Selection(related="product_id.tracking", readonly=True)
    product_qty = fields.Float("Quantity", default=1.0, required=True,
                               digits=dp.get_precision("Product Unit of Measure"))
    product_uom_id = fields.Many2one("product.uom", "Unit", required=True)
    role = fields.Char(help="What the component is for, e.g. Left engine, Right engine.")
    company_id = fields.Many2one(related="composition_id.company_id", store=True,
                                 readonly=True)

    @api.onchange("product_id")
    def _onchange_product_id(self):
        if self.product_id:
            self.product_uom_id = self.product_id.uom_id

    @api.constrains("product_id", "product_uom_id", "product_qty")
    def _check_uom(self):
        for line in self:
            if line.product_uom_id.category_id != line.product_id.uom_id.category_id:
                raise ValidationError(_(
                    "%(product)s: the unit %(uom)s is not in the category of the product's "
                    "unit.") % {"product": line.product_id.display_name,
                                "uom": line.product_uom_id.name})
            if line.product_qty <= 0:
                raise ValidationError(_("%(product)s: the quantity must be positive.")
                                      % {"product": line.product_id.display_name})
