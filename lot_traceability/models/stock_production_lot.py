# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class StockProductionLot(models.Model):
    _inherit = "stock.production.lot"

    parent_lot_id = fields.Many2one(
        "stock.production.lot", "Parent Batch", index=True, readonly=True, ondelete="restrict",
        help="The batch this unit was split from (set by Split Into Units; the genealogy links "
             "of its moves are the truth).")
    child_lot_ids = fields.One2many("stock.production.lot", "parent_lot_id", "Units",
                                    readonly=True)
