# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_is_zero

from ..tools.internal_context import get_internal
from .stock_lot_bulk_writer import BULK_DONE_KEY
from .stock_production_lot_quality import BLOCKED_STATES


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    # Who a line went to, shown in a lot's Deliveries list (the transfer's partner; not
    # stored: a column on every line of the database for a list of a few pages)
    picking_partner_id = fields.Many2one(related="picking_id.partner_id", string="Customer",
                                         readonly=True)
    # The lines of a lot and of every lot made from it, for a lot's Deliveries list: its
    # action names the lot, and the engine answers each search (stock.production.lot's
    # traced_from_lot_id, which leaves the lot itself out)
    traced_lot_id = fields.Many2one(
        "stock.production.lot", "Lot or made from it (any level)",
        compute="_compute_traced_lot_id", search="_search_traced_lot_id",
        help="Search only: the lines of this lot and of the lots made from it, at every "
             "level (Deliveries).")

    def _compute_traced_lot_id(self):
        for line in self:
            line.traced_lot_id = False

    def _search_traced_lot_id(self, operator, value):
        return [("lot_id", "in", self.env["stock.production.lot"]._get_searched_trace(
            "traced_lot_id", "downstream", operator, value, self._name))]

    def _action_done(self):
        """Lines whose quants the bulk writer wrote are done already (stock.lot.bulk.writer).
        No line takes a lot on hold out of the warehouse (:meth:`_check_quality_hold`)."""
        done_ids = set(get_internal(self.env.context, BULK_DONE_KEY) or ())
        lines = self.browse([line_id for line_id in self.ids
                             if line_id not in done_ids]) if done_ids else self
        lines._check_quality_hold()
        return super(StockMoveLine, lines)._action_done()

    def _check_quality_hold(self):
        """Refuse (UserError naming the lot, its hold and the way out) a line that takes a lot
        on hold or rejected from an internal location anywhere but another internal location
        (quarantine), a scrap location or a vendor; an inventory count may still correct it."""
        lots = self.mapped("lot_id")
        # One query for the lots that are blocked: reading the state through the lines would
        # read every column of every lot (seconds for the thousands of lines of a bulk move).
        blocked = set(lots.sudo().search([("id", "in", lots.ids),
                                          ("quality_state", "in", list(BLOCKED_STATES))]).ids)
        for line in self:
            lot = line.lot_id
            if lot.id not in blocked or float_is_zero(
                    line.qty_done, precision_rounding=line.product_uom_id.rounding or 0.01):
                continue
            source, dest = line.location_id, line.location_dest_id
            if source.usage != "internal" or dest.usage == "internal" \
                    or dest.scrap_location or dest.usage == "supplier" \
                    or line.move_id.inventory_id:
                continue
            raise UserError(_("%(refusal)s: it cannot leave %(source)s for %(dest)s. Only "
                              "quarantine, scrap or a return to the vendor may move it until "
                              "the lot is released.") % {
                "refusal": lot._get_quality_refusal(), "source": source.display_name,
                "dest": dest.display_name})
