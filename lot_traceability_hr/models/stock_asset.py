# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The Assets view per holder: rows of assets checked out carry the employee who has them."""
from odoo import _, api, fields, models

from odoo.addons.lot_traceability.models.lot_traceability_input import check_arguments


class StockAsset(models.Model):
    _inherit = "stock.asset"

    employee_id = fields.Many2one("hr.employee", "Held By", readonly=True)
    expected_return_date = fields.Date(
        "Expected Return", readonly=True,
        help="The earliest expected return of the serials in this row.")

    def _select(self):
        return super(StockAsset, self)._select() + """,
            custody.employee_id, MIN(custody.expected_return_date) AS expected_return_date"""

    def _from(self):
        return super(StockAsset, self)._from() + """
            LEFT JOIN stock_asset_custody custody
                   ON custody.lot_id = quant.lot_id AND custody.state = 'issued'"""

    def _group_by(self):
        return super(StockAsset, self)._group_by() + ", custody.employee_id"

    @api.multi
    @check_arguments()
    def action_view_serials(self):
        action = super(StockAsset, self).action_view_serials()
        if self.employee_id:
            action["domain"] = action["domain"] + [("holder_id", "=", self.employee_id.id)]
            action["name"] = _("%(name)s held by %(employee)s") % {
                "name": action["name"], "employee": self.employee_id.name}
        return action

    @api.multi
    @check_arguments()
    def action_asset_check_out(self):
        """Check Out / Check In, with the serials of the selected rows (those not checked out
        for a check-out, the held ones for a check-in)."""
        self._check_traceability_access()
        return self.env["stock.asset.checkout"].get_action(lot_ids=self._get_lots().ids)

    @api.multi
    def _get_lots(self):
        lots = self.env["stock.production.lot"]
        for asset in self:
            lots |= self.env["stock.quant"].search([
                ("product_id", "=", asset.product_id.id),
                ("location_id", "=", asset.location_id.id), ("quantity", ">", 0),
            ]).mapped("lot_id").filtered(lambda lot: lot.holder_id == asset.employee_id)
        return lots
