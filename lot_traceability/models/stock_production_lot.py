# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class StockProductionLot(models.Model):
    _inherit = "stock.production.lot"

    # Serialized assets: the date the vendor's warranty of this unit ends.
    warranty_date = fields.Date(
        string="Warranty End Date",
        help="Last day this unit is covered by its vendor's warranty.")

    # Serialized assets: where each unit is now, and where it has been.
    asset_location_id = fields.Many2one(
        "stock.location", string="Current Location", compute="_compute_asset_location_id",
        search="_search_asset_location_id",
        help="The internal location holding this serial number now.")
    move_history_ids = fields.One2many(
        "stock.move.line", string="Movement History", compute="_compute_move_history_ids",
        help="Every done move of this lot or serial: where, when, which document.")

    def _asset_quant_domain(self):
        return [("quantity", ">", 0), ("location_id.usage", "=", "internal")]

    def _compute_asset_location_id(self):
        quants = self.env["stock.quant"].search(
            [("lot_id", "in", self.ids)] + self._asset_quant_domain(), order="in_date desc")
        location_by_lot = {}
        for quant in quants:
            location_by_lot.setdefault(quant.lot_id.id, quant.location_id)
        for lot in self:
            lot.asset_location_id = location_by_lot.get(lot.id, False)

    def _search_asset_location_id(self, operator, value):
        domain = self._asset_quant_domain()
        if not value and operator in ("=", "!="):
            lots = self.env["stock.quant"].search(domain).mapped("lot_id")
            return [("id", "in" if operator == "!=" else "not in", lots.ids)]
        lots = self.env["stock.quant"].search(
            domain + [("location_id", operator, value)]).mapped("lot_id")
        return [("id", "in", lots.ids)]

    def _compute_move_history_ids(self):
        for lot in self:
            lot.move_history_ids = self.env["stock.move.line"].search(
                [("lot_id", "=", lot.id), ("state", "=", "done")], order="date, id")
