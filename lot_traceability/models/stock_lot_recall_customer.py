# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import math

from odoo import api, fields, models
from odoo.tools.misc import formatLang

from odoo.addons import decimal_precision as dp

QTY_DIGITS = dp.get_precision("Product Unit of Measure")


class StockLotRecallCustomer(models.Model):
    """One delivery of an affected lot to a customer, with what came back."""
    _name = "stock.lot.recall.customer"
    _inherit = ["lot.traceability.input"]
    _description = "Recall customer delivery"
    _order = "recall_id, partner_id, date, id"

    recall_id = fields.Many2one("stock.lot.recall", required=True, ondelete="cascade",
                                index=True)
    call_id = fields.Many2one("stock.lot.recall.call", "Call list entry", readonly=True,
                              ondelete="cascade", index=True)
    company_id = fields.Many2one(related="recall_id.company_id", store=True, readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    contact_id = fields.Many2one("res.partner", "Delivered to", readonly=True)
    address = fields.Text(readonly=True)
    email = fields.Char(readonly=True)
    phone = fields.Char(readonly=True)
    date = fields.Datetime(readonly=True)
    picking_id = fields.Many2one("stock.picking", "Delivery", readonly=True)
    lot_id = fields.Many2one("stock.production.lot", "Lot", readonly=True)
    product_id = fields.Many2one(related="lot_id.product_id", store=True, readonly=True)
    uom_id = fields.Many2one(related="lot_id.product_id.uom_id", string="Unit", store=True,
                             readonly=True)
    qty = fields.Float("Shipped", digits=QTY_DIGITS, readonly=True)
    returned_qty = fields.Float("Returned", digits=QTY_DIGITS, readonly=True)
    net_qty = fields.Float("Net", digits=QTY_DIGITS, compute="_compute_net_qty",
                           store=True)

    @api.multi
    @api.depends("qty", "returned_qty")
    def _compute_net_qty(self):
        for line in self:
            line.net_qty = line.qty - line.returned_qty

    @api.multi
    def _get_net_by_uom(self):
        """``[(uom, net quantity)]`` of these deliveries, one figure per unit of measure,
        by unit name (case-insensitive): quantities of different units are never added together."""
        totals = {}
        for line in self:
            totals[line.uom_id] = totals.get(line.uom_id, 0.0) + line.net_qty
        return self._sort_by_uom(totals)

    @api.model
    def _sort_by_uom(self, totals):
        """``{uom: quantity}`` as ``[(uom, quantity)]`` by unit name (case-insensitive)."""
        return sorted(totals.items(), key=lambda item: ((item[0].name or "").lower(), item[0].id))

    @api.model
    def _format_per_uom(self, totals):
        """``{uom: quantity}`` as one text, e.g. ``50 kg + 18 Units``: quantities of
        different units side by side, never added together (the recall's totals, the trace
        XLSX's stock on hand)."""
        return " + ".join(self._format_qty(qty, uom) for uom, qty in self._sort_by_uom(totals))

    @api.multi
    def get_net_by_uom_display(self):
        """The net quantities per unit as one text, e.g. ``50 kg + 18 Units``."""
        return " + ".join(self._format_qty(qty, uom) for uom, qty in self._get_net_by_uom())

    @api.model
    def _get_recall_net_display(self, recall_id):
        """:meth:`get_net_by_uom_display` of every delivery of a recall, summed per unit in
        the database (one query, however many deliveries)."""
        groups = self.read_group([("recall_id", "=", recall_id)], ["uom_id", "net_qty"],
                                 ["uom_id"])
        return self._format_per_uom({
            self.env["product.uom"].browse(group["uom_id"] and group["uom_id"][0]):
            group["net_qty"] for group in groups})

    @api.model
    def _format_qty(self, qty, uom):
        """``qty`` in the user's language with as many decimals as ``uom`` rounds to,
        trailing zeros dropped, followed by the unit's name."""
        rounding = uom.rounding or 0.01
        digits = max(0, int(math.ceil(-math.log10(rounding) - 1e-9)))
        text = formatLang(self.env, qty, digits=digits)
        if digits:
            lang = self.env["res.lang"]._lang_get(self.env.lang or "en_US")
            point = lang.decimal_point if lang else "."
            text = text.rstrip("0").rstrip(point)
        return "%s %s" % (text, uom.name) if uom else text
