# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A recall's Hold Stock puts its affected lots on hold; its Release clears that hold.

The lots' quality state (stock.production.lot) is what keeps the stock in: reservations skip
it and no transfer ships it, wherever it lies and whenever more of it arrives.
"""
from odoo import _, api, models


class StockLotRecall(models.Model):
    _inherit = "stock.lot.recall"

    @api.multi
    def action_hold(self):
        result = super(StockLotRecall, self).action_hold()
        self._hold_lots()
        return result

    @api.multi
    def action_release(self):
        result = super(StockLotRecall, self).action_release()
        self._release_lots()
        return result

    @api.multi
    def _hold_lots(self):
        """Put the affected lots that are released on hold for this recall (a lot already
        on hold or rejected keeps its state and reason)."""
        lots = self.scope_line_ids.mapped("lot_id").filtered(
            lambda lot: lot.quality_state == "released")
        if lots:
            lots._set_quality_state("hold", _("Recall %(name)s: %(reason)s") % {
                "name": self.name, "reason": self.reason or _("no reason given")}, recall=self)

    @api.multi
    def _release_lots(self):
        """Release the lots this recall put on hold."""
        lots = self.scope_line_ids.mapped("lot_id").filtered(
            lambda lot: lot.quality_state == "hold" and lot.quality_recall_id == self)
        if lots:
            lots._set_quality_state("released", _("Released by recall %(name)s.") % {
                "name": self.name}, recall=self)
