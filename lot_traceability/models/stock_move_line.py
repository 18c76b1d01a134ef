# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models

from .stock_serial_intake import BULK_CONTEXT_KEY


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    def _action_done(self):
        """Bulk serial receipts: lines of brand-new lots are done in SQL (stock.serial.intake)."""
        move_ids = self.env.context.get(BULK_CONTEXT_KEY)
        if not move_ids:
            return super(StockMoveLine, self)._action_done()
        bulk = self.filtered(lambda line: line.move_id.id in move_ids and line.lot_id
                             and line.qty_done == 1 and not line.result_package_id)
        if bulk:
            # Lots with quants already (a serial received again) take the ORM's way.
            self.env.cr.execute("SELECT DISTINCT lot_id FROM stock_quant WHERE lot_id = ANY(%s)",
                                [bulk.mapped("lot_id").ids])
            known = {row[0] for row in self.env.cr.fetchall()}
            bulk = bulk.filtered(lambda line: line.lot_id.id not in known)
        result = super(StockMoveLine, self - bulk)._action_done()
        if bulk:
            self.env["stock.serial.intake"]._bulk_done_lines(bulk)
        return result
