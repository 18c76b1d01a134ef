# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from odoo.addons import decimal_precision as dp


class ProductTemplate(models.Model):
    _inherit = "product.template"

    net_content_qty = fields.Float(
        "Net Content", digits=dp.get_precision("Product Unit of Measure"),
        help="What one unit of this packed product holds, e.g. 0.5 (kg) for a jar: Split Into "
             "Units converts a batch in another unit category (kg) into these units with it.")
    net_content_uom_id = fields.Many2one("product.uom", "Net Content Unit")
