# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from odoo.addons import decimal_precision as dp

QTY_DIGITS = dp.get_precision("Product Unit of Measure")


class StockLotRecallHold(models.Model):
    """Stock of an affected lot on hand in one location, and its way to quarantine and back."""
    _name = "stock.lot.recall.hold"
    _inherit = ["lot.traceability.input"]
    _description = "Recall stock on hold"
    _order = "recall_id, id"

    recall_id = fields.Many2one("stock.lot.recall", required=True, ondelete="cascade",
                                index=True)
    company_id = fields.Many2one(related="recall_id.company_id", store=True, readonly=True)
    lot_id = fields.Many2one("stock.production.lot", "Lot", required=True, readonly=True)
    product_id = fields.Many2one(related="lot_id.product_id", store=True, readonly=True)
    location_id = fields.Many2one("stock.location", "Location", required=True, readonly=True,
                                  help="Where the stock was, and where a release returns it.")
    qty = fields.Float("Quantity", digits=QTY_DIGITS, readonly=True)
    state = fields.Selection([("on_hand", "On hand"), ("held", "In quarantine"),
                              ("released", "Released")], default="on_hand", readonly=True)
    hold_move_id = fields.Many2one("stock.move", readonly=True)
    release_move_id = fields.Many2one("stock.move", readonly=True)
