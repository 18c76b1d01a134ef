# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from odoo.addons import decimal_precision as dp

QTY_DIGITS = dp.get_precision("Product Unit of Measure")


class StockLotRecallHold(models.Model):
    """Stock of an affected lot on hand in one location, and its way to quarantine and back.

    Written by the recall only (users read it): what was held, and what came back.
    """
    _name = "stock.lot.recall.hold"
    _inherit = ["lot.traceability.input"]
    _description = "Recall stock on hold"
    _order = "recall_id, id"

    recall_id = fields.Many2one("stock.lot.recall", required=True, ondelete="cascade",
                                index=True)
    company_id = fields.Many2one(related="recall_id.company_id", store=True, readonly=True)
    lot_id = fields.Many2one("stock.production.lot", "Lot", required=True, readonly=True)
    product_id = fields.Many2one(related="lot_id.product_id", store=True, readonly=True)
    uom_id = fields.Many2one(related="lot_id.product_id.uom_id", string="Unit", store=True,
                             readonly=True, help="The unit of the quantity.")
    location_id = fields.Many2one("stock.location", "Location", required=True, readonly=True,
                                  help="Where the stock was, and where a release returns it.")
    qty = fields.Float("Quantity", digits=QTY_DIGITS, readonly=True)
    qty_released = fields.Float(
        "Released", digits=QTY_DIGITS, readonly=True,
        help="What Release moved back: what was still in quarantine, the rest had moved "
             "elsewhere.")
    state = fields.Selection([("on_hand", "On hand"), ("held", "In quarantine"),
                              ("released", "Released")], default="on_hand", readonly=True)
    hold_move_id = fields.Many2one("stock.move", readonly=True)
    release_move_id = fields.Many2one("stock.move", readonly=True)
