# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The one lock and the one allocation of every path that takes stock from a location.

Odoo 11 lets stock go negative and does not serialise concurrent consumers: transformations
(builds, splits) and the recall's hold and release lock the quants of their lots with
:meth:`StockQuant._lock_lots`, then take only what :meth:`StockQuant._allocate` finds there.
"""
import psycopg2
from psycopg2 import errorcodes

from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero

from ..tools.internal_context import get_internal, internal_context
from .lot_traceability_input import SHOWN, named_first
from .stock_production_lot_quality import BLOCKED_STATES

#: Context key set while Odoo reserves stock (stock.move._action_assign, a reserved line).
RESERVING_KEY = "lot_traceability_reserving"


class StockQuant(models.Model):
    _inherit = "stock.quant"

    @api.model
    def _lock_lots(self, lots, products=None, in_use_message=None):
        """Lock the quants of ``lots`` (and the lot-less quants of ``products``) in id order,
        ``FOR UPDATE NOWAIT`` inside a savepoint. Only "lock not available" becomes the
        refusal "someone else is using ..., try again"; any other error is raised as is."""
        lot_ids = sorted(set(lots.ids)) if lots else []
        product_ids = sorted(set(products.ids)) if products else []
        if not lot_ids and not product_ids:
            return
        try:
            with self.env.cr.savepoint():
                self.env.cr.execute("""
                    SELECT id FROM stock_quant
                     WHERE lot_id IN %s
                        OR (product_id IN %s AND lot_id IS NULL)
                     ORDER BY id FOR UPDATE NOWAIT
                """, (tuple(lot_ids) or (None,), tuple(product_ids) or (None,)))
        except psycopg2.OperationalError as error:
            if error.pgcode != errorcodes.LOCK_NOT_AVAILABLE:
                raise
            # the first few by name, the others counted (a recall locks 200,000 lots)
            shown = (lots.sudo()[:SHOWN].mapped("name") if lots else []) + (
                products.sudo()[:SHOWN].mapped("display_name") if products else [])
            raise UserError(in_use_message or _(
                "Someone else is using %(lots)s right now (lot in use): try again in a "
                "moment.") % {"lots": named_first(sorted(shown),
                                                  len(lot_ids) + len(product_ids))})

    @api.model
    def _allocate(self, product, lot, location, qty, exact=False):
        """Spread ``qty`` of ``lot`` (empty: lot-less stock) over the free quants that hold it
        in ``location`` (and its children, unless ``exact``); call it under :meth:`_lock_lots`.

        :returns: ``(rows, missing)``: rows with the quant's exact ``line_location``,
            ``package`` and ``owner``, so that ``_action_done`` never leaves a negative quant;
            ``missing`` is what the location lacks (0.0 when all is there)
        """
        quants = self.sudo()._gather(product, location, lot_id=lot or None)
        quants = quants.filtered(lambda quant: (bool(lot) or not quant.lot_id) and (
            not exact or quant.location_id == location))
        rounding = product.uom_id.rounding
        rows = []
        for quant in quants:
            if float_is_zero(qty, precision_rounding=rounding):
                break
            free = quant.quantity - quant.reserved_quantity
            if float_compare(free, 0.0, precision_rounding=rounding) <= 0:
                continue
            take = min(free, qty)
            qty -= take
            rows.append({"product": product, "lot": lot, "qty": take, "location": location,
                         "line_location": quant.location_id, "package": quant.package_id,
                         "owner": quant.owner_id})
        missing = 0.0 if float_is_zero(qty, precision_rounding=rounding) else qty
        return rows, missing

    # --- lots on hold: never reserved --------------------------------------------------
    @api.model
    def _gather(self, product_id, location_id, lot_id=None, package_id=None, owner_id=None,
                strict=False):
        """While reserving (:data:`RESERVING_KEY` in the context), the quants of lots on hold
        or rejected are not there: Check Availability never reserves them."""
        quants = super(StockQuant, self)._gather(
            product_id, location_id, lot_id=lot_id, package_id=package_id, owner_id=owner_id,
            strict=strict)
        if not get_internal(self.env.context, RESERVING_KEY) or product_id.tracking == "none":
            return quants
        return quants.filtered(lambda quant: quant.lot_id.quality_state not in BLOCKED_STATES)

    @api.model
    def _update_reserved_quantity(self, product_id, location_id, quantity, lot_id=None,
                                  package_id=None, owner_id=None, strict=False):
        """Reserving (a positive quantity, e.g. a lot chosen on an operation line) skips
        held lots; unreserving finds every quant."""
        if float_compare(quantity, 0.0, precision_rounding=product_id.uom_id.rounding) > 0:
            self = self.with_context(**internal_context(**{RESERVING_KEY: True}))
        return super(StockQuant, self)._update_reserved_quantity(
            product_id, location_id, quantity, lot_id=lot_id, package_id=package_id,
            owner_id=owner_id, strict=strict)
