# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class StockLotAttributeValue(models.Model):
    _name = "stock.lot.attribute.value"
    _inherit = ["lot.traceability.input"]
    _description = "Lot attribute value"
    _order = "attribute_id, id"
    _rec_name = "value"

    attribute_id = fields.Many2one("stock.lot.attribute", required=True, ondelete="restrict",
                                   index=True)
    value_type = fields.Selection(related="attribute_id.value_type", readonly=True)
    lot_id = fields.Many2one("stock.production.lot", ondelete="cascade", index=True)
    product_tmpl_id = fields.Many2one("product.template", string="Product",
                                      ondelete="cascade", index=True)
    value_text = fields.Char("Text")
    value_number = fields.Float("Number")
    value_date = fields.Date("Date")
    value_selection = fields.Char("Option")
    value = fields.Char(compute="_compute_value", store=True, index=True)
    has_value = fields.Boolean(compute="_compute_value", store=True)

    _sql_constraints = [
        ("lot_attribute_uniq", "unique (lot_id, attribute_id)",
         "A lot has one value per attribute."),
        ("template_attribute_uniq", "unique (product_tmpl_id, attribute_id)",
         "A product has one value per attribute."),
    ]

    @api.model
    def create(self, vals):
        self._check_one_value_per_owner(vals)
        return super(StockLotAttributeValue, self).create(vals)

    @api.model
    def _check_one_value_per_owner(self, vals):
        """A second value of an attribute on one lot (or product) is refused naming the
        attribute, before the database's unique constraint would answer."""
        for owner in ("lot_id", "product_tmpl_id"):
            if vals.get(owner) and vals.get("attribute_id") and self.sudo().search_count([
                    (owner, "=", vals[owner]), ("attribute_id", "=", vals["attribute_id"])]):
                record = self.env[self._fields[owner].comodel_name].sudo().browse(vals[owner])
                raise ValidationError(_("%(owner)s already has a value of the attribute "
                                        "%(attribute)s: give each attribute once.") % {
                    "owner": record.display_name, "attribute": self.env[
                        "stock.lot.attribute"].sudo().browse(vals["attribute_id"]).name})

    @api.depends("attribute_id.value_type", "value_text", "value_number", "value_date",
                 "value_selection")
    def _compute_value(self):
        for record in self:
            kind = record.attribute_id.value_type
            value = record["value_%s" % kind] if kind else False
            if kind == "number":
                value = ("%f" % value).rstrip("0").rstrip(".")
            record.value = value or False
            record.has_value = bool(value)

    @api.constrains("lot_id", "product_tmpl_id", "attribute_id", "value_selection")
    def _check_owner(self):
        for record in self:
            if bool(record.lot_id) == bool(record.product_tmpl_id):
                raise ValidationError(_("An attribute value belongs to a lot or to a product."))
            attribute = record.attribute_id
            if record.product_tmpl_id and attribute.level != "sku":
                raise ValidationError(_("%(attribute)s is lot specific: value it on the lots.")
                                      % {"attribute": attribute.name})
            if record.lot_id and attribute.level == "sku" and not attribute.allow_lot_override:
                raise ValidationError(_("%(attribute)s is valued on the product; its lots "
                                        "cannot override it.") % {"attribute": attribute.name})
            if record.value_selection:
                attribute._clean_value_text(record.value_selection)
