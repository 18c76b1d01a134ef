# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What an employee holds, and the badge that names them at a scan."""
from odoo import api, fields, models

from odoo.addons.lot_traceability.models.base import USER_GROUP


class HrEmployee(models.Model):
    # the badge is kept to HR officers: out of other users' searches and groupings too
    _name = "hr.employee"
    _inherit = ["hr.employee", "lot.traceability.field.guard"]

    # The same field as hr_attendance's badge, so both addons read one value.
    barcode = fields.Char("Badge ID", copy=False, groups="hr.group_hr_user",
                          help="The code on the employee's badge, scanned at a check-out.")
    asset_custody_ids = fields.One2many(
        "stock.asset.custody", "employee_id", "Assets Held",
        domain=[("state", "=", "issued")], readonly=True, groups=USER_GROUP)
    asset_custody_count = fields.Integer("Assets", compute="_compute_asset_custody_count")

    _sql_constraints = [
        ("barcode_uniq", "unique (barcode)", "The Badge ID must be unique: another employee "
                                             "has it."),
    ]

    @api.multi
    def _compute_asset_custody_count(self):
        groups = self.env["stock.asset.custody"].sudo().read_group(
            [("employee_id", "in", self.ids), ("state", "=", "issued")],
            ["employee_id"], ["employee_id"])
        counts = {group["employee_id"][0]: group["employee_id_count"] for group in groups}
        for employee in self:
            employee.asset_custody_count = counts.get(employee.id, 0)
