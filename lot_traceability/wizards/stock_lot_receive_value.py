# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class StockLotReceiveValue(models.TransientModel):
    _name = "stock.lot.receive.value"
    _inherit = ["lot.traceability.input"]
    _description = "Receive Lots: an attribute value of a lot"

    line_id = fields.Many2one("stock.lot.receive.line", required=True, ondelete="cascade")
    # Not required: a line without attribute carries nothing and is left out (a client may
    # send the lines an onchange prepared without their fields).
    attribute_id = fields.Many2one("stock.lot.attribute")
    value_type = fields.Selection(related="attribute_id.value_type", readonly=True)
    required = fields.Boolean(related="attribute_id.required", readonly=True)
    value = fields.Char()
