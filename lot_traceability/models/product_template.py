# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models

from odoo.addons import decimal_precision as dp

from .lot_traceability_input import check_arguments


class ProductTemplate(models.Model):
    _inherit = "product.template"

    net_content_qty = fields.Float(
        "Net Content", digits=dp.get_precision("Product Unit of Measure"),
        help="What one unit of this packed product holds, e.g. 0.5 (kg) for a jar: Split Into "
             "Units converts a batch in another unit category (kg) into these units with it.")
    net_content_uom_id = fields.Many2one("product.uom", "Net Content Unit")

    lot_sequence_id = fields.Many2one(
        "ir.sequence", string="Lot Numbering",
        help="Numbering of this product's new lots. Empty: Odoo's global lot sequence "
             "(stock.lot.serial).")
    lot_attribute_ids = fields.Many2many(
        "stock.lot.attribute", "product_template_lot_attribute_rel", "product_tmpl_id",
        "attribute_id", string="Lot Attributes",
        help="Lot-specific attributes every lot of this product carries.")
    sku_attribute_value_ids = fields.One2many(
        "stock.lot.attribute.value", "product_tmpl_id", string="SKU Attribute Values",
        help="Values every lot of this product inherits.")
    fsma_food_traceability = fields.Boolean(
        "On FDA Food Traceability List",
        help="A food on the US FDA Food Traceability List (21 CFR 1 Subpart S, FSMA 204): "
             "its receipts, shipments and transformations are listed by the FSMA 204 "
             "sortable spreadsheet (Inventory > Traceability > FSMA 204 Export).")
    # The product description of FSMA 204 (21 CFR 1.1310), where applicable.
    brand_name = fields.Char("Brand", help="The brand name on the pack (FSMA 204 product "
                                           "description).")
    commodity = fields.Char(help="The commodity as FDA's Food Traceability List names it, "
                                 "e.g. Tomatoes (fresh), Herbs (fresh).")
    variety = fields.Char(help="The variety, e.g. Roma, Italian flat-leaf.")
    packaging_style = fields.Char(
        help="How it is packed, e.g. plastic tub with lid, waxed carton, bulk bin. The "
             "packaging size is its net content.")

    @api.multi
    @check_arguments(access=None)
    def get_packaging_size(self):
        """The packaging size of the FSMA 204 product description: the net content and its
        unit ("0.4 kg"), else empty (food sold in bulk, by its unit of measure)."""
        self.ensure_one()
        if not self.net_content_qty:
            return ""
        return "%s %s" % (("%f" % self.net_content_qty).rstrip("0").rstrip("."),
                          self.net_content_uom_id.name or self.uom_id.name)

    @api.multi
    def _next_lot_code(self):
        """The next lot code: the product's own numbering, else Odoo's global lot sequence."""
        self.ensure_one()
        if self.lot_sequence_id:
            return self.lot_sequence_id.next_by_id()
        return self.env["ir.sequence"].next_by_code("stock.lot.serial")
