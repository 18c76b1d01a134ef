# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Each warehouse's *Issued* location: where serialized assets checked out to employees are.

An internal location (the company still owns the assets, so they stay in its stock and in
the Assets view) beside the warehouse's stock, not under it: nothing reserves or ships from it.
"""
from odoo import _, api, fields, models


class StockLocation(models.Model):
    _inherit = "stock.location"

    is_asset_issued = fields.Boolean(
        "Assets Issued to Employees", readonly=True,
        help="Serialized assets checked out to employees are here until they are checked in.")


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    asset_issued_location_id = fields.Many2one(
        "stock.location", "Issued Assets Location", readonly=True,
        help="Where assets checked out to employees are (made at the first check-out).")

    @api.multi
    def _get_asset_issued_location(self):
        """The warehouse's Issued location, made at its first use."""
        self.ensure_one()
        warehouse = self.sudo()
        if not warehouse.asset_issued_location_id:
            warehouse.asset_issued_location_id = self.env["stock.location"].sudo().create(
                warehouse._prepare_asset_issued_location_vals())
        return warehouse.asset_issued_location_id.sudo(self.env.uid)

    @api.multi
    def _prepare_asset_issued_location_vals(self):
        return {"name": _("Issued"), "usage": "internal", "is_asset_issued": True,
                "location_id": self.view_location_id.id, "company_id": self.company_id.id}
