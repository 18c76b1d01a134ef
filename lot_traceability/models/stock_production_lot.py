# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class StockProductionLot(models.Model):
    _inherit = "stock.production.lot"

    # Serialized assets: the date the vendor's warranty of this unit ends.
    warranty_date = fields.Date(
        string="Warranty End Date",
        help="Last day this unit is covered by its vendor's warranty.")
