# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Consolidated assets: serialized products on hand, per product and internal location."""
from odoo import _, api, fields, models, tools

from .lot_traceability_input import check_arguments


class StockAsset(models.Model):
    _name = "stock.asset"
    _description = "Serialized assets on hand"
    _auto = False
    _order = "product_id, location_id"
    _rec_name = "product_id"

    product_id = fields.Many2one("product.product", string="Asset Type", readonly=True)
    categ_id = fields.Many2one("product.category", string="Category", readonly=True)
    location_id = fields.Many2one("stock.location", string="Location", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    quantity = fields.Float(string="On Hand", readonly=True,
                            help="Units (one per serial number) in this internal location.")

    @api.model_cr
    def init(self):
        """One row per serialized product and internal location, from the quants. The query is
        made of small parts a bridge addon extends (lot_traceability_hr adds the holder)."""
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("CREATE VIEW stock_asset AS (SELECT %s FROM %s WHERE %s "
                            "GROUP BY %s HAVING SUM(quant.quantity) > 0)" % (
                                self._select(), self._from(), self._where(), self._group_by()))

    def _select(self):
        return """MIN(quant.id) AS id, quant.product_id, template.categ_id, quant.location_id,
                  location.company_id, SUM(quant.quantity) AS quantity"""

    def _from(self):
        return """stock_quant quant
                  JOIN stock_location location ON location.id = quant.location_id
                  JOIN product_product product ON product.id = quant.product_id
                  JOIN product_template template ON template.id = product.product_tmpl_id"""

    def _where(self):
        return "location.usage = 'internal' AND template.tracking = 'serial'"

    def _group_by(self):
        return """quant.product_id, template.categ_id, quant.location_id,
                  location.company_id"""

    @api.multi
    @check_arguments()
    def action_view_serials(self):
        """The serial numbers of this asset type on hand, with their location and dates."""
        self.ensure_one()
        self._check_traceability_access()
        return self._get_window_action(
            "lot_traceability.stock_production_lot_asset_action",
            domain=[("product_id", "=", self.product_id.id), ("asset_location_id", "!=", False)],
            context={"search_default_asset_location_id": self.location_id.id},
            name=_("Serial numbers of %(product)s") % {"product": self.product_id.display_name})
