# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""External genealogy: a partner's transformation (from an imported EPCIS document) links
its input lot to its output lot. The genealogy engine (``stock.lot.trace``) walks these
edges like the links of our own moves, so a recall or an upstream trace continues into a
supplier's chain. Written only by the EPCIS import."""
from odoo import api, fields, models


class StockLotExternalEdge(models.Model):
    _name = "stock.lot.external.edge"
    _description = "External genealogy link"
    _order = "date, id"

    from_lot_id = fields.Many2one("stock.production.lot", "Input Lot", required=True,
                                  index=True, ondelete="cascade", readonly=True)
    to_lot_id = fields.Many2one("stock.production.lot", "Output Lot", required=True,
                                index=True, ondelete="cascade", readonly=True)
    event_id = fields.Many2one("stock.lot.epcis.event", required=True, index=True,
                               ondelete="cascade", readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    date = fields.Datetime(readonly=True)

    @api.model_cr
    def init(self):
        # One walk step reads edges out of a frontier in either direction.
        self.env.cr.execute("""
            CREATE INDEX IF NOT EXISTS stock_lot_external_edge_pair_index
                ON stock_lot_external_edge (from_lot_id, to_lot_id)
        """)
