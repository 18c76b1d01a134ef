# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A serial number's custody on its page: holder, equipment, maintenance, history."""
from odoo import _, api, fields, models

from odoo.addons.lot_traceability.models.base import USER_GROUP
from odoo.addons.lot_traceability.models.lot_traceability_input import check_arguments


class StockProductionLot(models.Model):
    _inherit = "stock.production.lot"

    product_tracking = fields.Selection(related="product_id.tracking", readonly=True)
    custody_ids = fields.One2many("stock.asset.custody", "lot_id", "Custody History",
                                  readonly=True, groups=USER_GROUP)
    holder_id = fields.Many2one("hr.employee", "Held By", compute="_compute_custody",
                                search="_search_holder_id",
                                help="The employee this serial number is checked out to.")
    expected_return_date = fields.Date("Expected Return", compute="_compute_custody")
    equipment_ids = fields.One2many("maintenance.equipment", "lot_id", "Equipment",
                                    readonly=True)
    maintenance_request_ids = fields.Many2many(
        "maintenance.request", string="Maintenance Requests",
        compute="_compute_maintenance_request_ids")

    @api.multi
    def _compute_custody(self):
        custodies = self.env["stock.asset.custody"].sudo().search(
            [("lot_id", "in", self.ids), ("state", "=", "issued")])
        by_lot = {custody.lot_id.id: custody for custody in custodies}
        for lot in self:
            custody = by_lot.get(lot.id)
            lot.holder_id = custody.employee_id.id if custody else False
            lot.expected_return_date = custody.expected_return_date if custody else False

    def _search_holder_id(self, operator, value):
        operator, value = self._clean_many2one_search("holder_id", operator, value)
        custodies = self.env["stock.asset.custody"].sudo().search(
            [("state", "=", "issued"), ("employee_id", operator, value)])
        if operator in ("=", "!=") and not value:
            issued = self.env["stock.asset.custody"].sudo().search([("state", "=", "issued")])
            return [("id", "in" if operator == "!=" else "not in", issued.mapped("lot_id").ids)]
        return [("id", "in", custodies.mapped("lot_id").ids)]

    @api.multi
    def _compute_maintenance_request_ids(self):
        for lot in self:
            lot.maintenance_request_ids = lot.equipment_ids.mapped("maintenance_ids")

    @api.multi
    def _assign_equipment(self, employee):
        """The equipment of each serial (made at its first check-out) assigned to ``employee``
        (none: unassigned)."""
        Equipment = self.env["maintenance.equipment"]
        today = fields.Date.context_today(self)
        for lot in self:
            equipment = lot.equipment_ids[:1]
            if not equipment and employee:
                equipment = Equipment.create(lot._prepare_equipment_vals())
            if equipment:
                equipment.write({"employee_id": employee.id, "equipment_assign_to": "employee",
                                 "assign_date": today if employee else equipment.assign_date})

    @api.multi
    def _prepare_equipment_vals(self):
        self.ensure_one()
        return {"name": "%s %s" % (self.product_id.name, self.name), "lot_id": self.id,
                "serial_no": self.name, "warranty": self.warranty_date}

    # --- buttons on the serial's page ------------------------------------------------------
    @api.multi
    @check_arguments()
    def action_asset_check_out(self):
        """Open Check Out / Check In with these serials."""
        self._check_traceability_access()
        return self.env["stock.asset.checkout"].get_action(lot_ids=self.ids)

    @api.multi
    @check_arguments()
    def action_asset_check_in(self):
        """Take these serials back to where they were taken from."""
        self._check_traceability_access()
        self.env["stock.asset.custody"].check_in(self.ids)
        return True

    @api.multi
    @check_arguments()
    def action_view_equipment(self):
        self.ensure_one()
        self._check_traceability_access()
        return {"type": "ir.actions.act_window", "name": _("Equipment"),
                "res_model": "maintenance.equipment", "view_mode": "form",
                "res_id": self.equipment_ids[:1].id}
