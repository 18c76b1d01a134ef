# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models


class StockProductionLot(models.Model):
    _inherit = "stock.production.lot"

    parent_lot_id = fields.Many2one(
        "stock.production.lot", "Parent Batch", index=True, readonly=True, ondelete="restrict",
        help="The batch this unit was split from (set by Split Into Units; the genealogy links "
             "of its moves are the truth).")
    child_lot_ids = fields.One2many("stock.production.lot", "parent_lot_id", "Units",
                                    readonly=True)

    @api.multi
    def _split_into_units(self, location, unit_product, units, qty):
        """Split this batch into units: one transformation through the shared method.

        :param location: where the batch is (its children count too)
        :param unit_product: the product of the units (the batch's, or a packed product)
        :param units: list of ``(lot vals, quantity in the unit product's unit)``
        :param qty: batch quantity consumed (the batch product's unit)
        :returns: the unit lots, each with ``parent_lot_id`` = this batch
        """
        self.ensure_one()
        result = self.env["stock.move"]._transform_lots(
            [{"product": self.product_id, "lot": self, "qty": qty, "location": location}],
            [{"product": unit_product, "lot_vals": vals, "qty": unit_qty,
              "location_dest": location} for vals, unit_qty in units],
            _("Split %(batch)s") % {"batch": self.name}, parent_lot=self,
            in_use_message=_("Batch %(batch)s is in use by someone else: try again in a "
                             "moment.") % {"batch": self.name})
        return result["produced_lots"]

    @api.multi
    def action_split_into_units(self):
        """Open Split Into Units on this batch."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Split Into Units"),
            "res_model": "stock.lot.split",
            "view_mode": "form",
            # Full page: a shop-floor screen has room for the preview; the stored lots stay
            # reachable through the breadcrumb.
            "target": "current",
            "context": {"active_model": self._name, "active_id": self.id},
        }
