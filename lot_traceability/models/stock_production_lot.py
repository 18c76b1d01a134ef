# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import operator as py_operator
from datetime import datetime, time, timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons import decimal_precision as dp

OPERATORS = {"<": py_operator.lt, ">": py_operator.gt, "<=": py_operator.le,
             ">=": py_operator.ge, "=": py_operator.eq, "!=": py_operator.ne}

#: product_expiry's lot date fields and the product's number of days for each.
EXPIRY_FIELDS = (("life_date", "life_time"), ("use_date", "use_time"),
                 ("removal_date", "removal_time"), ("alert_date", "alert_time"))


class StockProductionLot(models.Model):
    _inherit = "stock.production.lot"

    supplier_lot_code = fields.Char(
        index=True, help="The lot code printed on the supplier's goods. For goods received "
                         "and not transformed it is the FSMA traceability lot code.")
    production_date = fields.Date(help="Date the supplier produced or packed the lot.")
    attribute_value_ids = fields.One2many(
        "stock.lot.attribute.value", "lot_id", string="Attributes")
    inherited_attribute_value_ids = fields.Many2many(
        "stock.lot.attribute.value", compute="_compute_inherited_attribute_value_ids",
        string="SKU Attributes", help="Values inherited from the product.")
    missing_attributes = fields.Boolean(
        compute="_compute_missing_attributes", search="_search_missing_attributes",
        help="A required attribute of the product has no value on this lot.")

    @api.model
    def default_get(self, fields_list):
        res = super(StockProductionLot, self).default_get(fields_list)
        product_id = self.env.context.get("default_product_id")
        if product_id and "name" in fields_list:
            template = self.env["product.product"].browse(product_id).product_tmpl_id
            if template.lot_sequence_id:
                res["name"] = template._next_lot_code()
        return res

    @api.model
    def _prepare_expiry_dates(self, product, production_date=None):
        """Lot dates from the product's days: counted from the production date when known,
        else from now as product_expiry does."""
        if production_date:
            start = datetime.combine(fields.Date.from_string(production_date), time(12, 0))
        else:
            start = datetime.now()
        dates = {}
        for date_field, days_field in EXPIRY_FIELDS:
            days = product[days_field]
            dates[date_field] = fields.Datetime.to_string(
                start + timedelta(days=days)) if days else False
        return dates

    @api.depends("product_id", "attribute_value_ids")
    def _compute_inherited_attribute_value_ids(self):
        for lot in self:
            own = lot.attribute_value_ids.mapped("attribute_id")
            lot.inherited_attribute_value_ids = \
                lot.product_id.product_tmpl_id.sku_attribute_value_ids.filtered(
                    lambda value, own=own: value.attribute_id not in own)

    @api.multi
    def _get_missing_attributes(self):
        """The required lot-specific attributes of the product without a value on this lot."""
        self.ensure_one()
        required = self.product_id.product_tmpl_id.lot_attribute_ids.filtered("required")
        valued = self.attribute_value_ids.filtered("has_value").mapped("attribute_id")
        return required - valued

    @api.depends("product_id", "attribute_value_ids.has_value")
    def _compute_missing_attributes(self):
        for lot in self:
            lot.missing_attributes = bool(lot._get_missing_attributes())

    @api.model
    def _search_missing_attributes(self, operator, value):
        templates = self.env["product.template"].search(
            [("lot_attribute_ids.required", "=", True)])
        lots = self.search([("product_id.product_tmpl_id", "in", templates.ids)])
        missing = lots.filtered("missing_attributes")
        positive = (operator == "=") == bool(value)
        return [("id", "in" if positive else "not in", missing.ids)]

    qty_on_hand = fields.Float(
        "On Hand", compute="_compute_qty_on_hand", search="_search_qty_on_hand",
        digits=dp.get_precision("Product Unit of Measure"),
        help="Quantity in internal locations, from the quants (searchable).")
    received_partner_id = fields.Many2one(
        "res.partner", string="Received From", compute="_compute_received")
    received_date = fields.Datetime(compute="_compute_received")
    received_qty = fields.Float(compute="_compute_received",
                                digits=dp.get_precision("Product Unit of Measure"))
    internal_quant_ids = fields.One2many(
        "stock.quant", "lot_id", string="Stock per Location",
        domain=[("location_id.usage", "=", "internal")], readonly=True)

    @api.model
    def _on_hand_by_lot(self, lot_ids=None):
        domain = [("location_id.usage", "=", "internal"), ("lot_id", "!=", False)]
        if lot_ids is not None:
            domain.append(("lot_id", "in", lot_ids))
        groups = self.env["stock.quant"].read_group(domain, ["lot_id", "quantity"], ["lot_id"])
        return {group["lot_id"][0]: group["quantity"] for group in groups}

    def _compute_qty_on_hand(self):
        quantities = self._on_hand_by_lot(self.ids)
        for lot in self:
            lot.qty_on_hand = quantities.get(lot.id, 0.0)

    @api.model
    def _search_qty_on_hand(self, operator, value):
        if operator not in OPERATORS:
            raise UserError(_("Unsupported search on the quantity on hand: %(op)s.") % {
                "op": operator})
        quantities = self._on_hand_by_lot()
        matching = [lot_id for lot_id, qty in quantities.items()
                    if OPERATORS[operator](qty, value)]
        if OPERATORS[operator](0.0, value):  # lots without any quant match too
            return [("id", "not in", [lot_id for lot_id in quantities
                                      if lot_id not in set(matching)])]
        return [("id", "in", matching)]

    def _compute_received(self):
        lines = self.env["stock.move.line"].search([
            ("lot_id", "in", self.ids), ("state", "=", "done"),
            ("location_id.usage", "=", "supplier")], order="date, id")
        for lot in self:
            received = lines.filtered(lambda line, lot=lot: line.lot_id == lot)
            lot.received_partner_id = received[:1].picking_id.partner_id
            lot.received_date = received[:1].date
            lot.received_qty = sum(received.mapped("qty_done"))
