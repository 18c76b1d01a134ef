# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Low-stock alerts per SKU on Odoo's minimum stock rules.

The on-hand quantity in the rule's location and its children is compared with the rule's
minimum. Falling below posts one activity on the product for its responsible person; the
state on the rule keeps it to one per crossing and is reset when stock is back above.
"""
from odoo import _, api, fields, models
from odoo.tools import float_compare


class StockWarehouseOrderpoint(models.Model):
    _inherit = "stock.warehouse.orderpoint"

    low_stock = fields.Boolean(
        readonly=True, copy=False,
        help="On-hand stock is below the minimum; set when it falls below (an activity is "
             "posted), reset when it is back at or above the minimum.")
    low_stock_activity_id = fields.Many2one("mail.activity", readonly=True, copy=False,
                                            ondelete="set null")

    @api.multi
    def _get_on_hand_qty(self):
        """On hand in the rule's location and its children (quants), in the product's unit,
        which is the rule's unit in Odoo 11."""
        self.ensure_one()
        groups = self.env["stock.quant"].sudo().read_group(
            [("product_id", "=", self.product_id.id),
             ("location_id", "child_of", self.location_id.id)], ["quantity"], [])
        return groups[0]["quantity"] or 0.0 if groups else 0.0

    @api.multi
    def _prepare_low_stock_activity_vals(self, on_hand):
        self.ensure_one()
        template = self.product_id.product_tmpl_id
        try:
            activity_type = self.env.ref("mail.mail_activity_data_todo").id
        except ValueError:
            activity_type = False
        return {
            "activity_type_id": activity_type,
            "summary": _("Low stock: %(product)s") % {"product": self.product_id.display_name},
            "note": _("%(qty)s %(uom)s on hand in %(location)s, below the minimum %(min)s "
                      "of the rule %(rule)s.") % {
                "qty": on_hand, "uom": self.product_id.uom_id.name,
                "location": self.location_id.display_name, "min": self.product_min_qty,
                "rule": self.name},
            "user_id": template.responsible_id.id or self.env.uid,
            "res_id": template.id,
            "res_model_id": self.env.ref("product.model_product_template").id,
        }

    @api.multi
    def _check_low_stock(self):
        """Post an activity for each rule that crossed below its minimum, reset the others."""
        Activity = self.env["mail.activity"].sudo()
        for rule in self.filtered("active"):
            on_hand = rule._get_on_hand_qty()
            below = float_compare(on_hand, rule.product_min_qty,
                                  precision_rounding=rule.product_id.uom_id.rounding) < 0
            if below and not rule.low_stock:
                activity = Activity.create(rule._prepare_low_stock_activity_vals(on_hand))
                rule.sudo().write({"low_stock": True, "low_stock_activity_id": activity.id})
            elif not below and rule.low_stock:
                rule.sudo().write({"low_stock": False, "low_stock_activity_id": False})
        return True

    @api.model
    def _cron_check_low_stock(self):
        self.search([])._check_low_stock()
        return True

    @api.model
    def _check_low_stock_products(self, products):
        """Right after stock moved: one search, nothing more when the products have no rule."""
        rules = self.search([("product_id", "in", products.ids)]) if products else self
        rules._check_low_stock()
