# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

from .lot_traceability_input import Record, check_arguments


class StockTraceabilityReport(models.TransientModel):
    _inherit = "stock.traceability.report"

    @api.model
    @check_arguments(access=None, move_line=Record("stock.move.line", optional=False))
    def get_links(self, move_line):
        """Name the build or split as reference of moves without a picking (Odoo shows none)."""
        res_model, res_id, ref = super(StockTraceabilityReport, self).get_links(move_line)
        move = move_line.move_id
        if not ref and move.transform_ref:
            ref = move.transform_ref
            if move.transform_res_model and move.transform_res_id \
                    and move.transform_res_model in self.env:
                res_model, res_id = move.transform_res_model, move.transform_res_id
        return res_model, res_id, ref
