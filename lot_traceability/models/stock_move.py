# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The ONE method that writes lot transformations (DESIGN.md, flow 2).

Assembly builds and splits into units both call :meth:`StockMove._transform_lots`: the
consumed lots go from their location to the production location, the produced lots come
from it, every move line carries its lot, and each produced line is linked to the lines it
consumed exactly as mrp links them (``produced_line.consume_line_ids = consumed_lines``).
"""
from collections import OrderedDict

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from ..tools.internal_context import get_internal, internal_context
from .lot_traceability_input import check_arguments, named_first
from .stock_lot_bulk_writer import BulkUnsupported
from .stock_quant import RESERVING_KEY

# The sanctioned bulk path (DESIGN.md, stock.lot.bulk.writer) writes the produced side of a
# transformation from this many units on; tests/test_transform_bulk.py proves it equals the ORM.
BULK_MIN_UNITS = 200
# ... and the consumed side from this many lines (tests/test_assembly_bulk.py proves it).
BULK_MIN_CONSUMED_LINES = 50


class StockMove(models.Model):
    _inherit = "stock.move"

    # Odoo's related field is writable: a client that sends it back (the transfer form lists
    # it for the addon's buttons) would write the product's tracking, which a stock user may
    # not do. Shown, never written through a move.
    has_tracking = fields.Selection(readonly=True)
    transform_ref = fields.Char(
        "Transformation", index=True, readonly=True,
        help="The build or split document that wrote this move (moves without a picking).")
    transform_res_model = fields.Char(readonly=True)
    transform_res_id = fields.Integer(readonly=True)

    # --- public entry point for the features -------------------------------------------
    @api.model
    def _transform_lots(self, consumed, produced, reference, document=None, parent_lot=None,
                        in_use_message=None, origin=None):
        """Consume lots and produce lots in one all-or-nothing transformation.

        :param consumed: list of dicts ``product``, ``lot`` (record, empty if untracked),
            ``qty`` (in the product's unit), ``location`` (source; its children count too)
        :param produced: list of dicts ``product``, ``lot`` (record) or ``lot_vals`` (dict to
            create the lot), ``qty`` (product's unit), ``location_dest``
        :param reference: the document name written on the moves (shown as reference by
            Odoo's traceability report)
        :param document: optional record (build) the moves point back to
        :param parent_lot: optional lot recorded as ``parent_lot_id`` of every produced lot
            (the split into units)
        :param in_use_message: the refusal when another transaction holds the lots
        :param origin: the moves' source document (default: ``reference``)
        :returns: dict with ``consumed_lines``, ``produced_lines``, ``produced_lots``
        :raises UserError: a lot is used by someone else (locked), not enough stock, bad rows
        """
        self._check_transform_rows(consumed, produced)
        self._lock_transform_quants(consumed, in_use_message)
        allocations = self._allocate_consumed(consumed)
        self._check_new_lot_names(produced)
        bulk = self._can_bulk_produce(produced)
        if not bulk:
            produced = self._create_produced_lots(produced)
        vals = self._prepare_transform_move_vals(reference, document, origin)
        consumed_lines = self._consume(vals, allocations)
        cost = self._get_consumed_cost(consumed, consumed_lines)
        total_qty = sum(row["qty"] for row in produced)
        vals["price_unit"] = cost / total_qty if total_qty else 0.0
        if bulk:
            produced_lines = self._bulk_produce(vals, produced, consumed_lines, parent_lot)
        else:
            produced_lines = self._create_transform_moves(
                vals, [dict(row, location=row["product"].property_stock_production)
                       for row in produced])
            produced_lines.write({"consume_line_ids": [(6, 0, consumed_lines.ids)]})
            if parent_lot:
                produced_lines.mapped("lot_id")._write_system({"parent_lot_id": parent_lot.id})
        return {"consumed_lines": consumed_lines, "produced_lines": produced_lines,
                "produced_lots": produced_lines.mapped("lot_id")}

    @api.model
    def _get_consumed_cost(self, consumed, consumed_lines):
        """What the consumed stock cost: the value stock_account gave its done moves (FIFO
        layers, average or standard cost) where it values them, else the standard cost."""
        if "value" not in self._fields:
            return sum(row["product"].standard_price * row["qty"] for row in consumed)
        return sum(-move.value if move.product_id.type == "product"
                   else move.product_id.standard_price * move.product_qty
                   for move in consumed_lines.mapped("move_id"))

    # --- validation ----------------------------------------------------------------------
    @api.model
    def _check_transform_rows(self, consumed, produced):
        if not consumed or not produced:
            raise UserError(_("A transformation needs consumed and produced quantities."))
        errors = []
        for row in consumed + produced:
            product, lot = row["product"], row.get("lot")
            name = lot.name if lot else row.get("lot_vals", {}).get("name") or ""
            if float_compare(row["qty"], 0.0, precision_rounding=product.uom_id.rounding) <= 0:
                errors.append(_("%(product)s %(lot)s: the quantity must be positive.") % {
                    "product": product.display_name, "lot": name})
            if product.tracking != "none" and not (lot or row.get("lot_vals")):
                errors.append(_("%(product)s needs a lot or serial number.") % {
                    "product": product.display_name})
            if product.tracking == "none" and (lot or row.get("lot_vals")):
                errors.append(_("%(product)s is not tracked by lots or serial numbers: it "
                                "cannot be given the lot %(lot)s.") % {
                    "product": product.display_name, "lot": name})
            if product.tracking == "serial" and float_compare(
                    row["qty"], 1.0, precision_rounding=product.uom_id.rounding) != 0:
                errors.append(_("%(product)s %(lot)s is tracked by serial number: quantity "
                                "must be 1.") % {"product": product.display_name, "lot": name})
            if lot and lot.product_id != product:
                errors.append(_("Lot %(lot)s is not a lot of %(product)s.") % {
                    "lot": lot.name, "product": product.display_name})
        # a lot made from itself would be a loop in its genealogy
        consumed_lots = {row["lot"] for row in consumed if row.get("lot")}
        for lot in [row["lot"] for row in produced if row.get("lot") in consumed_lots]:
            errors.append(_("%(product)s %(lot)s cannot be made from itself: it is among the "
                            "components.") % {"product": lot.product_id.display_name,
                                              "lot": lot.name})
        if errors:
            raise UserError("\n".join(errors))

    @api.model
    def _lock_transform_quants(self, consumed, in_use_message=None):
        """Lock the consumed lots' quants (the one lock, ``stock.quant._lock_lots``)."""
        Lot = self.env["stock.production.lot"]
        lots = Lot.union(*[row["lot"] for row in consumed if row.get("lot")])
        products = self.env["product.product"].union(
            *[row["product"] for row in consumed if not row.get("lot")])
        self.env["stock.quant"]._lock_lots(lots, products, in_use_message)

    @api.model
    def _allocate_consumed(self, consumed):
        """Check stock under the lock and spread each row over the quants that hold it.

        Returns rows with the exact sub-location, package and owner of each quant taken, so
        that ``_action_done`` never leaves a negative quant behind.
        """
        needed = OrderedDict()
        for row in consumed:
            key = (row["product"], row.get("lot") or self.env["stock.production.lot"],
                   row["location"])
            needed[key] = needed.get(key, 0.0) + row["qty"]
        errors, allocations = [], []
        for (product, lot, location), qty in needed.items():
            rows, missing = self.env["stock.quant"]._allocate(product, lot, location, qty)
            if missing:
                errors.append(_("Not enough %(product)s %(lot)s in %(location)s: %(missing)s "
                                "%(uom)s missing.") % {
                    "product": product.display_name, "lot": lot.name or "",
                    "location": location.display_name, "missing": missing,
                    "uom": product.uom_id.name})
            allocations += rows
        if errors:
            raise UserError("\n".join(errors))
        return allocations

    # --- writing -------------------------------------------------------------------------
    @api.model
    def _check_new_lot_names(self, produced):
        """New lot names must be free (per product) and distinct: refused, never a raw
        UniqueViolation."""
        to_create = [row["lot_vals"] for row in produced if not row.get("lot")
                     and row.get("lot_vals")]
        if not to_create:
            return
        taken = self.env["stock.production.lot"].search(
            [("name", "in", [vals["name"] for vals in to_create])])
        taken = {(lot.name, lot.product_id.id) for lot in taken}
        clashes = sorted(vals["name"] for vals in to_create
                         if (vals["name"], vals["product_id"]) in taken)
        if clashes or len({(v["name"], v["product_id"]) for v in to_create}) != len(to_create):
            raise UserError(_("These lot/serial numbers already exist or repeat: "
                              "%(names)s") % {"names": named_first(clashes) or "?"})

    @api.model
    def _create_produced_lots(self, produced):
        # A split makes hundreds of lots: no chatter message nor follower per lot.
        Lot = self.env["stock.production.lot"].with_context(
            mail_create_nolog=True, mail_create_nosubscribe=True, tracking_disable=True)
        result = []
        for row in produced:
            if not row.get("lot") and row.get("lot_vals"):
                row = dict(row, lot=Lot.create(row["lot_vals"]))
            result.append(row)
        return result

    @api.model
    def _prepare_transform_move_vals(self, reference, document=None, origin=None):
        return {
            "name": reference,
            "origin": origin or reference,
            "transform_ref": reference,
            "transform_res_model": document._name if document else False,
            "transform_res_id": document.id if document else False,
            "picking_type_id": False,
            "company_id": (document and "company_id" in document._fields
                           and document.company_id.id) or self.env.user.company_id.id,
        }

    @api.model
    def _consume(self, vals, allocations):
        """The consumed moves, done: through the bulk writer from
        :data:`BULK_MIN_CONSUMED_LINES` lines where it equals the ORM, else the ORM.
        Context ``lot_transform_bulk`` forces (True) or forbids (False) the bulk path, and
        ``lot_transform_bulk_strict`` raises BulkUnsupported instead of taking the ORM's."""
        rows = [dict(row, location_dest=row["product"].property_stock_production)
                for row in allocations]
        vals = {key: value for key, value in vals.items() if key != "price_unit"}
        forced = get_internal(self.env.context, "lot_transform_bulk")
        if forced or (forced is None and len(rows) >= BULK_MIN_CONSUMED_LINES):
            try:
                with self.env.cr.savepoint():
                    return self.env["stock.lot.bulk.writer"]._write_done_moves(
                        vals, list(self._group_transform_rows(rows).items()))
            except BulkUnsupported:  # the savepoint undid the attempt: forget its records
                self.env.cache.invalidate()
                if get_internal(self.env.context, "lot_transform_bulk_strict"):
                    raise
        return self._create_transform_moves(vals, rows)

    @api.model
    def _group_transform_rows(self, rows):
        """{(product, source, destination): rows}: the rows of each move."""
        groups = OrderedDict()
        for row in rows:
            key = (row["product"], row["location"], row["location_dest"])
            groups.setdefault(key, []).append(row)
        return groups

    @api.model
    def _create_transform_moves(self, vals, rows):
        """One move per (product, source, destination), one done move line per row."""
        groups = self._group_transform_rows(rows)
        moves = self.env["stock.move"]
        rows_by_move = []
        for (product, location, location_dest), group in groups.items():
            move = self.create(dict(
                vals, product_id=product.id, product_uom=product.uom_id.id,
                product_uom_qty=sum(row["qty"] for row in group),
                location_id=location.id, location_dest_id=location_dest.id))
            moves |= move
            rows_by_move += [dict(row, move=move) for row in group]
        moves._action_confirm(merge=False)
        lines = moves._write_lot_lines(rows_by_move)
        moves._action_done()
        return lines

    @api.multi
    def _write_lot_lines(self, rows):
        """THE way the addon gives moves explicit lot lines (transformations, recall holds,
        the test and demo transfers): the lines Odoo reserved on these confirmed moves are
        replaced by one line per row, ``{move, lot, qty}`` and optionally ``line_location``
        (where the stock is, default the move's source), ``package``, ``owner``. The caller
        finishes the moves (``_action_done``) or their transfer."""
        self.mapped("move_line_ids").unlink()
        MoveLine = self.env["stock.move.line"]
        lines = MoveLine.browse()
        for row in rows:
            lines |= MoveLine.create(self._prepare_lot_line_vals(row["move"], row))
        return lines

    @api.model
    def _prepare_lot_line_vals(self, move, row):
        product = row.get("product") or move.product_id
        vals = {
            "move_id": move.id,
            "product_id": product.id,
            "product_uom_id": product.uom_id.id,
            "lot_id": row["lot"].id if row.get("lot") else False,
            "qty_done": row["qty"],
            "location_id": (row.get("line_location") or move.location_id).id,
            "location_dest_id": move.location_dest_id.id,
            "package_id": row["package"].id if row.get("package") else False,
            "owner_id": row["owner"].id if row.get("owner") else False,
        }
        if move.picking_id:
            vals["picking_id"] = move.picking_id.id
        return vals

    @api.multi
    @check_arguments()
    def action_receive_lots(self):
        """Open Receive Lots on this operation line: one row with what is still to receive."""
        self.ensure_one()
        self._check_traceability_access()
        return self._get_window_action(
            "lot_traceability.stock_lot_receive_action",
            context={"active_model": self._name, "active_id": self.id, "active_ids": self.ids})

    @api.multi
    def _action_done(self):
        moves = super(StockMove, self)._action_done()
        products = moves.filtered(lambda move: move.state == "done").mapped("product_id")
        self.env["stock.warehouse.orderpoint"]._check_low_stock_products(products)
        return moves

    @api.multi
    @check_arguments()
    def action_serial_bulk_entry(self):
        """Open Bulk Serial Entry on this receipt line: its serials pasted, scanned, generated."""
        self.ensure_one()
        self._check_traceability_access()
        return {
            "type": "ir.actions.act_window",
            "name": _("Bulk Serial Entry"),
            "res_model": "stock.serial.bulk.entry",
            "view_mode": "form",
            "target": "current",
            # A full-page wizard: Apply (its footer) replaces Save/Discard.
            "flags": {"footer_to_buttons": True, "default_buttons": False},
            "context": {"active_model": self._name, "active_id": self.id,
                        "active_ids": self.ids},
        }

    # --- the sanctioned bulk path for the produced side (large splits) ------------------
    @api.model
    def _can_bulk_produce(self, produced):
        """Many lots of one product into one place: the bulk writer may write them.

        Context ``lot_transform_bulk`` forces (True) or forbids (False) it, for the tests;
        ``stock.lot.bulk.writer`` refuses where it would not equal the ORM (valuation...).
        """
        forced = get_internal(self.env.context, "lot_transform_bulk")
        if forced is False or (forced is None and len(produced) < BULK_MIN_UNITS):
            return False
        if len({(row["product"], row["location_dest"]) for row in produced}) != 1:
            return False
        product = produced[0]["product"]
        line_vals = self._prepare_lot_line_vals(self.browse(), dict(produced[0], lot=False))
        try:
            self.env["stock.lot.bulk.writer"]._check_bulk(
                product, product.property_stock_production, produced[0]["location_dest"],
                produced, line_vals)
        except BulkUnsupported:
            return False
        return True

    @api.model
    def _bulk_produce(self, vals, produced, consumed_lines, parent_lot):
        """The produced move through the bulk writer: lots, done lines, quants, links."""
        product, dest = produced[0]["product"], produced[0]["location_dest"]
        move = self.create(dict(
            vals, product_id=product.id, product_uom=product.uom_id.id,
            product_uom_qty=sum(row["qty"] for row in produced),
            location_id=product.property_stock_production.id, location_dest_id=dest.id))
        move._action_confirm(merge=False)
        return self.env["stock.lot.bulk.writer"]._write_done_move(
            move, produced, self._prepare_lot_line_vals(move, dict(produced[0], lot=False)),
            parent_lot=parent_lot, consumed_lines=consumed_lines)

    # --- lots on hold ------------------------------------------------------------------
    @api.multi
    def _action_assign(self):
        """Reserve as Odoo does, without the quants of lots on hold (stock.quant._gather)."""
        return super(StockMove, self.with_context(
            **internal_context(**{RESERVING_KEY: True})))._action_assign()
