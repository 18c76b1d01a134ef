# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class StockMove(models.Model):
    _inherit = "stock.move"

    @api.multi
    def action_receive_lots(self):
        """Open Receive Lots on this operation line: one row with what is still to receive."""
        self.ensure_one()
        action = self.env.ref("lot_traceability.stock_lot_receive_action").read()[0]
        action["context"] = {"active_model": self._name, "active_id": self.id,
                             "active_ids": self.ids}
        return action

    @api.multi
    def _action_done(self):
        moves = super(StockMove, self)._action_done()
        products = moves.filtered(lambda move: move.state == "done").mapped("product_id")
        self.env["stock.warehouse.orderpoint"]._check_low_stock_products(products)
        return moves
