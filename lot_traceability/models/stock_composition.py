# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons import decimal_precision as dp

from .lot_traceability_input import Id, check_arguments


class StockComposition(models.Model):
    """A generic list of components and the quantity of each, for builds on the shop floor."""

    _name = "stock.composition"
    _inherit = ["lot.traceability.input"]
    _description = "Composition List"
    _order = "name, id"

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    product_id = fields.Many2one(
        "product.product", "Assembly Product", domain=[("type", "in", ("product", "consu"))],
        help="The product this list builds. Empty: a generic list, the build names the product.")
    product_qty = fields.Float(
        "Quantity", default=1.0, required=True, digits=dp.get_precision("Product Unit of Measure"),
        help="The quantity of the assembly product the lines are for; builds scale them.")
    line_ids = fields.One2many("stock.composition.line", "composition_id", "Components",
                               copy=True)
    company_id = fields.Many2one("res.company", "Company", required=True, index=True,
                                 default=lambda self: self.env.user.company_id)

    @api.constrains("product_qty")
    def _check_product_qty(self):
        for composition in self:
            if composition.product_qty <= 0:
                raise ValidationError(_("The list %(name)s must be for a positive quantity.")
                                      % {"name": composition.name})

    @api.model
    @check_arguments(bom_id=Id("mrp.bom", optional=False))
    def create_from_bom(self, bom_id):
        """Create a list from an mrp bill of materials (when mrp is installed); returns its id."""
        if "mrp.bom" not in self.env:
            raise UserError(_("Manufacturing (mrp) is not installed."))
        bom = self.env["mrp.bom"].browse(bom_id)
        composition = self.create({
            "name": bom.display_name,
            "product_id": (bom.product_id or bom.product_tmpl_id.product_variant_id).id,
            "product_qty": bom.product_uom_id._compute_quantity(
                bom.product_qty, bom.product_tmpl_id.uom_id),
            "company_id": bom.company_id.id or self.env.user.company_id.id,
            "line_ids": [(0, 0, {"product_id": line.product_id.id,
                                 "product_qty": line.product_qty,
                                 "product_uom_id": line.product_uom_id.id,
                                 "sequence": line.sequence})
                         for line in bom.bom_line_ids],
        })
        return composition.id
