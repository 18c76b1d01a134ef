# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from .stock_lot_bulk_writer import BULK_DONE_KEY


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    def _action_done(self):
        """Lines whose quants the bulk writer wrote are done already (stock.lot.bulk.writer)."""
        done_ids = self.env.context.get(BULK_DONE_KEY)
        if not done_ids:
            return super(StockMoveLine, self)._action_done()
        done_ids = set(done_ids)
        return super(StockMoveLine, self.browse(
            [line_id for line_id in self.ids if line_id not in done_ids]))._action_done()
