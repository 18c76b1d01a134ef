# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from odoo.addons import decimal_precision as dp

QTY_DIGITS = dp.get_precision("Product Unit of Measure")


class StockLotRecallCustomer(models.Model):
    """One delivery of an affected lot to a customer, with what came back."""
    _name = "stock.lot.recall.customer"
    _inherit = ["lot.traceability.input"]
    _description = "Recall customer delivery"
    _order = "recall_id, partner_id, date, id"

    recall_id = fields.Many2one("stock.lot.recall", required=True, ondelete="cascade",
                                index=True)
    company_id = fields.Many2one(related="recall_id.company_id", store=True, readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    contact_id = fields.Many2one("res.partner", "Delivered to", readonly=True)
    address = fields.Text(readonly=True)
    email = fields.Char(readonly=True)
    phone = fields.Char(readonly=True)
    date = fields.Datetime(readonly=True)
    picking_id = fields.Many2one("stock.picking", "Delivery", readonly=True)
    lot_id = fields.Many2one("stock.production.lot", "Lot", readonly=True)
    product_id = fields.Many2one(related="lot_id.product_id", store=True, readonly=True)
    qty = fields.Float("Shipped", digits=QTY_DIGITS, readonly=True)
    returned_qty = fields.Float("Returned", digits=QTY_DIGITS, readonly=True)
    net_qty = fields.Float("Net", digits=QTY_DIGITS, compute="_compute_net_qty",
                           store=True)

    @api.multi
    @api.depends("qty", "returned_qty")
    def _compute_net_qty(self):
        for line in self:
            line.net_qty = line.qty - line.returned_qty
