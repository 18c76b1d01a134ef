# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools import inputs

VALUE_TYPES = [("text", "Text"), ("number", "Number"), ("date", "Date"),
               ("selection", "Selection")]


class StockLotAttribute(models.Model):
    _name = "stock.lot.attribute"
    _inherit = ["lot.traceability.input"]
    _description = "Lot attribute definition"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    value_type = fields.Selection(VALUE_TYPES, string="Type", required=True, default="text")
    selection_options = fields.Char(
        help="The allowed values of a selection attribute, separated by commas.")
    level = fields.Selection(
        [("sku", "SKU level (valued on the product)"), ("lot", "Lot specific")],
        required=True, default="lot",
        help="SKU level: valued once on the product, every lot inherits it. "
             "Lot specific: each lot carries its own value.")
    allow_lot_override = fields.Boolean(
        help="A SKU-level value may be replaced by a value on a lot.")
    required = fields.Boolean(
        help="Required on lots received or entered through the addon's own wizards. Lots "
             "made elsewhere show the 'missing attributes' flag instead.")
    default_value = fields.Char(help="Proposed value, written as for the attribute's type.")
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.user.company_id)

    @api.multi
    def _get_options(self):
        self.ensure_one()
        return [option.strip() for option in (self.selection_options or "").split(",")
                if option.strip()]

    @api.multi
    def _clean_value_text(self, text):
        """The typed value for ``text`` (a str), or raise naming the attribute."""
        self.ensure_one()
        text = (text or "").strip()
        if not text:
            return False
        try:
            if self.value_type == "number":
                # Finite and within what a quantity can mean ('nan', '1e309' refused).
                return inputs.clean_number(text, self.name)
            if self.value_type == "date":
                return fields.Date.to_string(fields.Date.from_string(text))
        except ValueError:
            raise ValidationError(_("%(value)s is not a valid %(type)s for the attribute "
                                    "%(attribute)s.") % {
                "value": text, "type": self.value_type, "attribute": self.name})
        if self.value_type == "selection" and text not in self._get_options():
            raise ValidationError(_("%(value)s is not one of the values of %(attribute)s: "
                                    "%(options)s.") % {
                "value": text, "attribute": self.name,
                "options": ", ".join(self._get_options())})
        return text

    @api.multi
    def _prepare_value_vals(self, text):
        """Fields of a stock.lot.attribute.value holding ``text`` for this attribute."""
        typed = self._clean_value_text(text)
        field = "value_%s" % self.value_type
        return {"attribute_id": self.id, field: typed}
