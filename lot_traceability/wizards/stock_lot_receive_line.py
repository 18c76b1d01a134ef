# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models

from odoo.addons import decimal_precision as dp

from ..tools import gs1


class StockLotReceiveLine(models.TransientModel):
    _name = "stock.lot.receive.line"
    _inherit = ["lot.traceability.input"]
    _description = "Receive Lots: one lot"

    wizard_id = fields.Many2one("stock.lot.receive", required=True, ondelete="cascade")
    product_id = fields.Many2one("product.product", required=True)
    lot_name = fields.Char("Lot", lot_code=True,
                           help="Empty: the product's lot numbering proposes one.")
    lot_id = fields.Many2one("stock.production.lot", string="Existing Lot",
                             help="Receiving adds to this lot.")
    quantity = fields.Float(digits=dp.get_precision("Product Unit of Measure"), default=1.0)
    uom_id = fields.Many2one("product.uom", string="Unit")
    supplier_lot_code = fields.Char(lot_code=True)
    production_date = fields.Date()
    life_date = fields.Date("Expiry Date")
    use_date = fields.Date("Best Before")
    value_ids = fields.One2many("stock.lot.receive.value", "line_id", string="Attributes")
    attributes_text = fields.Char("Attributes", compute="_compute_attributes_text",
                                  help="Open the row to enter the lot's attributes.")

    @api.depends("value_ids.attribute_id", "value_ids.value")
    def _compute_attributes_text(self):
        for line in self:
            line.attributes_text = "; ".join(
                "%s: %s" % (value.attribute_id.name, value.value or (
                    _("required") if value.attribute_id.required else "-"))
                for value in line.value_ids.filtered("attribute_id")) or False

    @api.model
    def _prepare_value_commands(self, product):
        return [(0, 0, {"attribute_id": attribute.id, "value": attribute.default_value})
                for attribute in product.product_tmpl_id.lot_attribute_ids]

    @api.model
    def _prepare_line_vals(self, product, quantity, uom, **vals):
        vals.update(product_id=product.id, quantity=quantity, uom_id=uom.id,
                    value_ids=self._prepare_value_commands(product))
        vals.update(self._prepare_dates(product, vals.get("production_date")))
        return vals

    @api.model
    def _prepare_dates(self, product, production_date, known_dates=None):
        dates = self.env["stock.production.lot"]._get_dates(
            product.id, production_date, known_dates)
        return {field: (dates[field] or "")[:10] or False for field in ("life_date", "use_date")}

    @api.model
    def _prepare_scan_vals(self, result):
        """Row values from a ScanResult of ``stock.lot.scan._match``."""
        product = result["product"]
        lot = result["lots"][:1]
        parsed = result["gs1"]
        vals = {}
        if lot:
            vals.update(lot_id=lot.id, lot_name=lot.name)
        if parsed:
            for field, value in (("lot_name", self._get_item_code(parsed, product)),
                                 ("production_date", parsed.production_date),
                                 ("life_date", parsed.expiry_date),
                                 ("use_date", parsed.best_before_date),
                                 ("quantity", parsed.quantity)):
                if value:
                    vals[field] = str(value) if field != "quantity" else float(value)
        if not product:
            return vals
        base = self._prepare_line_vals(product, vals.pop("quantity", 1.0), product.uom_id,
                                       production_date=vals.get("production_date"))
        # The label's dates imply the others: best before counts from the scanned expiry.
        base.update(self._prepare_dates(product, vals.get("production_date"), {
            field: vals.get(field) for field in ("life_date", "use_date")}))
        base.update(vals)
        return base

    @api.model
    def _get_item_code(self, parsed, product):
        """The code a scanned GS1 code gives the row's lot: the serial (21) of a
        serial-tracked product, the batch (10) of a lot-tracked one (``gs1.item_code``, the
        scan matcher's rule; a code without the right one gives none)."""
        try:
            return gs1.item_code(parsed, product.tracking if product else None)
        except gs1.GS1Error:
            return None

    @api.onchange("product_id", "production_date")
    def _onchange_product_id(self):
        if not self.product_id:
            return
        self.uom_id = self.uom_id or self.product_id.uom_id
        if not self.value_ids:
            self.value_ids = [(0, 0, vals[2]) for vals in
                              self._prepare_value_commands(self.product_id)]
        dates = self._prepare_dates(self.product_id, self.production_date)
        for field, value in dates.items():
            self[field] = value

    @api.onchange("lot_name")
    def _onchange_lot_name(self):
        self.lot_id = self.env["stock.production.lot"].search(
            [("name", "=", self.lot_name), ("product_id", "=", self.product_id.id)],
            limit=1) if self.lot_name and self.product_id else False

    @api.multi
    def _prepare_row(self):
        self.ensure_one()
        return {
            "product": self.product_id,
            "lot_name": (self.lot_name or self.lot_id.name or "").strip(),
            "quantity": self.quantity,
            "uom": self.uom_id or self.product_id.uom_id,
            "supplier_lot_code": self.supplier_lot_code,
            "production_date": self.production_date,
            "life_date": self.life_date,
            "use_date": self.use_date,
            "attributes": self._prepare_attributes(),
        }

    @api.multi
    def _prepare_attributes(self):
        """``(attribute, text)`` of the row's value lines; a line without attribute carries
        nothing and is left out (a client may send lines without their fields)."""
        self.ensure_one()
        return [(value.attribute_id, value.value)
                for value in self.value_ids.filtered("attribute_id")]
