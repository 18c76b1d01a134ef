# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A recall's Hold Stock puts its affected lots on hold; its Release clears that hold.

The lots' quality state (stock.production.lot) is what keeps the stock in: reservations skip
it and no transfer ships it, wherever it lies and whenever more of it arrives.
"""
from odoo import _, api, models


class StockLotRecall(models.Model):
    _inherit = "stock.lot.recall"

    @api.multi
    def _hold(self):
        result = super(StockLotRecall, self)._hold()
        self._hold_lots()
        return result

    @api.multi
    def _release(self):
        result = super(StockLotRecall, self)._release()
        self._release_lots()
        return result

    @api.multi
    def _report_lots_progress(self, share):
        """In a job, the lots' part of Hold or Release Stock: the second half of its
        progress (the stock's moves are the first)."""
        half = self.affected_lot_count // 2
        self.env["lot.traceability.job"].report_progress(half + int(half * share))

    @api.multi
    def _hold_lots(self):
        """Put the affected lots that are released on hold for this recall (a lot already
        on hold or rejected keeps its state and reason)."""
        lots = self._search_affected_lots([("quality_state", "=", "released")])
        if lots:
            lots._set_quality_state("hold", _("Recall %(name)s: %(reason)s") % {
                "name": self.name, "reason": self.reason or _("no reason given")}, recall=self,
                progress=self._report_lots_progress)

    @api.multi
    def _release_lots(self):
        """Release the lots this recall put on hold."""
        lots = self._search_affected_lots([("quality_state", "=", "hold"),
                                           ("quality_recall_id", "=", self.id)])
        if lots:
            lots._set_quality_state("released", _("Released by recall %(name)s.") % {
                "name": self.name}, recall=self, progress=self._report_lots_progress)

    @api.multi
    def _search_affected_lots(self, domain):
        """The affected lots that match ``domain``, in one query (reading the lines' and the
        lots' records would take seconds for a wide recall)."""
        return self.env["stock.production.lot"].sudo().search(
            [("id", "in", self._get_affected_lot_ids())] + domain, order="id").sudo(
            self.env.uid)
