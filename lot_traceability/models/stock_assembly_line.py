# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from odoo.addons import decimal_precision as dp


class StockAssemblyLine(models.Model):
    """One component entry of a build: a role, a product, the lot or serial scanned for it.

    A lot line filled from several lots becomes one line per lot (same role), so a done build
    shows which lot went into which role.
    """

    _name = "stock.assembly.line"
    _inherit = ["lot.traceability.state.mixin", "lot.traceability.input"]
    _description = "Assembly Build Component"
    _order = "sequence, id"
    _state_document_field = "assembly_id"

    assembly_id = fields.Many2one("stock.assembly", required=True, ondelete="cascade",
                                  index=True)
    composition_line_id = fields.Many2one("stock.composition.line", readonly=True)
    sequence = fields.Integer(default=10)
    role = fields.Char()
    product_id = fields.Many2one("product.product", "Component", required=True)
    tracking = fields.Selection(related="product_id.tracking", readonly=True)
    product_qty = fields.Float(
        "To Use", digits=dp.get_precision("Product Unit of Measure"),
        help="From the list, scaled to the build. Zero on builds made on the fly.")
    qty_done = fields.Float("Scanned", digits=dp.get_precision("Product Unit of Measure"))
    product_uom_id = fields.Many2one("product.uom", "Unit", required=True)
    lot_id = fields.Many2one("stock.production.lot", "Lot/Serial",
                             domain="[('product_id', '=', product_id)]")
    state = fields.Selection(related="assembly_id.state", readonly=True)
    company_id = fields.Many2one(related="assembly_id.company_id", store=True, readonly=True)

    @api.onchange("product_id")
    def _onchange_product_id(self):
        if self.product_id and not self.product_uom_id:
            self.product_uom_id = self.product_id.uom_id
