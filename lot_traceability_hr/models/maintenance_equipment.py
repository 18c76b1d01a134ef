# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A maintenance equipment is the record of one serial number: its requests, its holder."""
from odoo import fields, models


class MaintenanceEquipment(models.Model):
    _inherit = "maintenance.equipment"

    lot_id = fields.Many2one(
        "stock.production.lot", "Serial Number Record", index=True, ondelete="restrict",
        help="The serial number of this equipment in stock: its custody and its moves.")

    _sql_constraints = [
        ("lot_id_uniq", "unique (lot_id)", "A serial number is one equipment only."),
    ]
