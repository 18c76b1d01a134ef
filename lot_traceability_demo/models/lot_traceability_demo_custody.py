# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Drills in employees' hands (lot_traceability_hr), through its public check_out."""
from datetime import timedelta

from odoo import api, fields, models

CHECK_OUT_DAYS = 30  # days after the demo's start: ten days ago


class LotTraceabilityDemo(models.AbstractModel):
    _inherit = "lot.traceability.demo"

    @api.model
    def _install_custody_demo(self):
        """Two drills with Sam (back in two weeks), one with Lee (due three days ago, so the
        daily job has given their lead, the Administrator, an activity)."""
        Custody = self.env["stock.asset.custody"]
        today = fields.Date.from_string(fields.Date.context_today(self))
        custody_ids = Custody.check_out(
            self._demo_serials("D18-1005", "D18-1006").ids, self._ref("employee_sam_demo").id,
            fields.Date.to_string(today + timedelta(days=14)))
        custody_ids += Custody.check_out(
            self._demo_serials("D18-1007").ids, self._ref("employee_lee_demo").id,
            fields.Date.to_string(today - timedelta(days=3)))
        custodies = Custody.browse(custody_ids)
        when = self._demo_start() + timedelta(days=CHECK_OUT_DAYS)
        self._backdate_lines(custodies.mapped("out_move_id.move_line_ids"), when)
        custodies.sudo().write({"date_out": fields.Datetime.to_string(when)})
        self.env.ref("lot_traceability_hr.stock_asset_custody_overdue_cron").method_direct_trigger()
        return True

    @api.model
    def _demo_serials(self, *names):
        return self.env["stock.production.lot"].search([
            ("product_id", "=", self._ref("product_drill_demo").id), ("name", "in", names)])
