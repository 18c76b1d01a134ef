# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Receiving lots under a SKU: the rules behind the Receive Lots wizard.

A row is a dict with ``product`` (product.product), ``lot_name`` (empty: the product's lot
numbering proposes one), ``quantity``, ``uom`` (product.uom), ``supplier_lot_code``,
``production_date``, ``life_date``, ``use_date`` (dates as 'YYYY-MM-DD' strings or False) and
``attributes``: a list of ``(stock.lot.attribute, text)``. Everything is checked before
anything is written; every error names its row.
"""
from datetime import datetime, time

from psycopg2 import IntegrityError

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare

from ..tools import inputs
from ..tools.internal_context import get_internal
from .lot_traceability_input import OfType, Record, check_arguments, named_first
from .stock_lot_bulk_writer import BulkUnsupported

#: Time of day written with a date the clerk entered: noon UTC keeps the calendar date
#: in every time zone from UTC-11 to UTC+11.
NOON = time(12, 0)
#: From this many rows a validated receipt takes the sanctioned bulk path of DESIGN.md
#: (``stock.lot.bulk.writer``); ``test_receive_lots_bulk`` proves it equals the ORM path.
BULK_THRESHOLD = 200


def _clean_attribute_pair(env, label, pair):
    """An (attribute, text) pair of a row, the attribute as a record."""
    if not isinstance(pair, (list, tuple)) or len(pair) != 2:
        raise inputs.InputError("invalid_type", field=label + ", attributes",
                                value=inputs.show(pair), expected="an (attribute, text) pair")
    attribute = Record("stock.lot.attribute", optional=False)(
        env, label + ", attribute", pair[0])
    return attribute, (inputs.clean_text(pair[1], label + ", " + attribute.name, False)
                       if pair[1] else pair[1])


def _clean_rows_argument(env, name, rows):
    """The rows of :meth:`StockLotReceipt.receive` with records for ids (a JSON-RPC caller
    gives ids), every value checked as the wizard's fields are."""
    if not isinstance(rows, (list, tuple)) or not all(isinstance(row, dict) for row in rows):
        raise inputs.InputError("invalid_type", field=name, value=inputs.show(rows),
                                expected="a list of dictionaries")
    records = {"product": Record("product.product"), "uom": Record("product.uom")}
    checked = []
    for index, row in enumerate(rows, 1):
        label = "%s, row %s" % (name, index)
        row = dict(row, **{key: spec(env, "%s, %s" % (label, key), row.get(key))
                           for key, spec in records.items()})
        row["quantity"] = inputs.clean_number(row.get("quantity"), label + ", quantity")
        for key in ("lot_name", "supplier_lot_code"):
            if row.get(key):
                row[key] = inputs.clean_code(row[key], "%s, %s" % (label, key))
        for key in ("production_date", "life_date", "use_date"):
            if row.get(key):
                row[key] = inputs.clean_date(row[key], "%s, %s" % (label, key))
        pairs = OfType(list, tuple)(env, label + ", attributes", row.get("attributes") or [])
        row["attributes"] = [_clean_attribute_pair(env, label, pair) for pair in pairs]
        checked.append(row)
    return checked


class StockLotReceipt(models.AbstractModel):
    _name = "stock.lot.receipt"
    _description = "Receive lots under a SKU"

    # --- checks ------------------------------------------------------------------------
    @api.model
    def _row_label(self, index, row):
        return _("Row %(row)s (%(product)s, lot %(lot)s)") % {
            "row": index, "product": row["product"].display_name if row["product"] else "-",
            "lot": row.get("lot_name") or _("new")}

    @api.model
    def _find_lots(self, rows):
        """Existing lots of the rows, by (product id, code), in one search."""
        names = [row["lot_name"] for row in rows if row.get("lot_name")]
        products = [row["product"].id for row in rows if row["product"]]
        lots = self.env["stock.production.lot"].search(
            [("name", "in", names), ("product_id", "in", products)]) if names else []
        return {(lot.product_id.id, lot.name): lot for lot in lots}

    @api.model
    def _row_errors(self, row, picking_type, lot):
        """The problems of one row (a list of messages)."""
        product = row["product"]
        if not product:
            return [_("no product")]
        errors = []
        if product.tracking != "lot":
            errors.append(_("%(product)s is not tracked by lots") % {
                "product": product.display_name})
        if float_compare(row["quantity"], 0.0, precision_digits=6) <= 0:
            errors.append(_("the quantity must be positive"))
        if row["uom"] and row["uom"].category_id != product.uom_id.category_id:
            errors.append(_("the unit %(uom)s is not a unit of %(product)s") % {
                "uom": row["uom"].name, "product": product.display_name})
        errors += self._row_flag_errors(row, picking_type, lot)
        if lot:
            errors += self._row_date_errors(row, lot)
        errors += self._row_attribute_errors(row, lot)
        return errors

    @api.model
    def _row_flag_errors(self, row, picking_type, lot):
        if not (picking_type.use_create_lots or picking_type.use_existing_lots):
            return [_("the operation type %(type)s records no lots") % {
                "type": picking_type.display_name}]
        if not lot and not picking_type.use_create_lots:
            return [_("the operation type %(type)s does not create lots: %(lot)s is not a "
                      "known lot of the product") % {"type": picking_type.display_name,
                                                     "lot": row.get("lot_name") or _("a new lot")}]
        return []

    @api.model
    def _row_date_errors(self, row, lot):
        errors = []
        for field in ("production_date", "life_date", "use_date"):
            given, stored = row.get(field), lot[field]
            if given and stored and given[:10] != stored[:10]:
                errors.append(_("%(field)s %(given)s differs from the %(stored)s of the existing "
                                "lot %(lot)s") % {
                    "field": lot._fields[field].string, "given": given[:10],
                    "stored": stored[:10], "lot": lot.name})
        return errors

    @api.model
    def _row_attribute_errors(self, row, lot):
        errors = []
        attributes = [attribute for attribute, text in row.get("attributes", []) if text]
        for attribute in set(attr for attr in attributes if attributes.count(attr) > 1):
            errors.append(_("the attribute %(attribute)s is given %(count)s times") % {
                "attribute": attribute.name, "count": attributes.count(attribute)})
        given = {attribute: text for attribute, text in row.get("attributes", []) if text}
        for attribute, text in given.items():
            try:
                attribute._clean_value_text(text)
            except ValidationError as error:
                errors.append(error.name)
        product_attributes = row["product"].product_tmpl_id.lot_attribute_ids
        stored = lot.attribute_value_ids.filtered("has_value").mapped("attribute_id") \
            if lot else self.env["stock.lot.attribute"]
        for attribute in product_attributes.filtered("required"):
            if attribute not in given and attribute not in stored:
                errors.append(_("the attribute %(attribute)s is required") % {
                    "attribute": attribute.name})
        return errors

    @api.model
    def _incoming_errors(self, picking_type, picking):
        """A receipt brings stock in: an incoming operation type, and a transfer of that type
        from outside the warehouse into an internal location. Returns the problems."""
        errors = []
        if picking_type.code != "incoming":
            errors.append(_("The operation type %(type)s is not a receipt: Receive Lots only "
                            "takes incoming operation types.") % {
                "type": picking_type.display_name})
        if not picking:
            return errors
        if picking.picking_type_id.code != "incoming" or picking.picking_type_id != picking_type:
            errors.append(_("The transfer %(name)s is not a receipt (%(type)s).") % {
                "name": picking.name, "type": picking.picking_type_id.display_name})
        if picking.location_id.usage in ("internal", "view") \
                or picking.location_dest_id.usage != "internal":
            errors.append(_("The transfer %(name)s goes from %(source)s to %(dest)s: a receipt "
                            "comes from outside the warehouse into an internal location.") % {
                "name": picking.name, "source": picking.location_id.display_name,
                "dest": picking.location_dest_id.display_name})
        if picking.state in ("done", "cancel"):
            errors.append(_("The transfer %(name)s is already done or cancelled.") % {
                "name": picking.name})
        return errors

    @api.model
    def _existing_lots_of_rows(self, picking_type, rows, picking=None):
        """Raise one UserError listing every problem of every row; returns the existing lots."""
        errors = self._incoming_errors(picking_type, picking)
        if not rows:
            errors.append(_("There is no row to receive."))
        lots = self._find_lots(rows)
        seen = {}
        for index, row in enumerate(rows, 1):
            label = self._row_label(index, row)
            key = (row["product"].id, row.get("lot_name"))
            problems = self._row_errors(row, picking_type, lots.get(key))
            if row.get("lot_name") and key in seen:
                problems.append(_("the lot code is also on row %(row)s") % {"row": seen[key]})
            seen.setdefault(key, index)
            errors += ["%s: %s." % (label, problem) for problem in problems]
        if errors:
            raise UserError("\n".join(errors))
        return lots

    # --- writing -----------------------------------------------------------------------
    @api.model
    def _to_datetime(self, date):
        if not date:
            return False
        return fields.Datetime.to_string(datetime.combine(fields.Date.from_string(date), NOON))

    @api.model
    def _prepare_lot_vals(self, row):
        product = row["product"]
        vals = self.env["stock.production.lot"]._get_dates(
            product.id, row.get("production_date"),
            {field: row.get(field) for field in ("life_date", "use_date")})
        vals.update({
            "name": row.get("lot_name") or product.product_tmpl_id._next_lot_code(),
            "product_id": product.id,
            "supplier_lot_code": row.get("supplier_lot_code") or False,
            "production_date": row.get("production_date") or False,
            "attribute_value_ids": [(0, 0, attribute._prepare_value_vals(text))
                                    for attribute, text in row.get("attributes", []) if text],
        })
        return vals

    @api.model
    def _complete_lot(self, lot, row):
        """Fill what an existing lot lacks from the row (dates agree, checked before)."""
        vals = {}
        for field in ("supplier_lot_code", "production_date"):
            if row.get(field) and not lot[field]:
                vals[field] = row[field]
        for field in ("life_date", "use_date"):
            if row.get(field) and not lot[field]:
                vals[field] = self._to_datetime(row[field])
        valued = lot.attribute_value_ids.mapped("attribute_id")
        vals["attribute_value_ids"] = [
            (0, 0, attribute._prepare_value_vals(text))
            for attribute, text in row.get("attributes", []) if text and attribute not in valued]
        lot.write(vals)
        return lot

    @api.model
    def _get_demand(self, product, rows):
        """What the rows of ``product`` bring, in the product's unit."""
        return sum((row["uom"] or product.uom_id)._compute_quantity(
            row["quantity"], product.uom_id, round=False)
            for row in rows if row["product"] == product)

    @api.model
    def _get_move(self, picking, product, rows):
        """The open move of ``product`` on ``picking`` that receives ``rows``. A move made
        here expects what the rows bring, so Validate finds nothing over-processed. An
        existing move keeps its demand (what was ordered): receiving less leaves a
        backorder, more is an over-receipt Odoo asks to confirm at Validate."""
        move = picking.move_lines.filtered(
            lambda m: m.product_id == product and m.state not in ("done", "cancel"))[:1]
        if not move:
            move = self.env["stock.move"].create({
                "name": product.display_name,
                "picking_id": picking.id,
                "picking_type_id": picking.picking_type_id.id,
                "product_id": product.id,
                "product_uom": product.uom_id.id,
                "product_uom_qty": self._get_demand(product, rows),
                "location_id": picking.location_id.id,
                "location_dest_id": picking.location_dest_id.id,
            })
            move._action_confirm()
        return move

    @api.model
    def _prepare_move_line_vals(self, move, row, lot):
        uom = row["uom"] or row["product"].uom_id
        return {
            "move_id": move.id,
            "picking_id": move.picking_id.id,
            "product_id": row["product"].id,
            "product_uom_id": uom.id,
            "lot_id": lot.id,
            "qty_done": row["quantity"],
            "product_uom_qty": self._get_reservable_qty(move, row["quantity"], uom),
            "location_id": move.location_id.id,
            "location_dest_id": move.location_dest_id.id,
        }

    @api.model
    def _get_reservable_qty(self, move, quantity, uom):
        """What a received line reserves of its move's demand (in ``uom``): the line takes
        over the reservation of the lines Odoo prepared, never beyond the demand."""
        if not move.location_id.should_bypass_reservation():
            return 0.0
        missing = move.product_uom_qty - move.reserved_availability
        return max(min(quantity, move.product_uom._compute_quantity(missing, uom)), 0.0)

    @api.model
    def _reassign(self, moves):
        """Keep the transfer Ready: a move fully reserved by its received lines is assigned,
        the rest of a move's demand is reserved again on a line without lot (receipts
        bypass reservation, no quant is touched)."""
        moves = moves.filtered(lambda m: m.state not in ("done", "cancel"))
        moves._recompute_state()
        moves.filtered(lambda m: m.state != "assigned"
                       and m.location_id.should_bypass_reservation())._action_assign()

    @api.model
    def _apply_rows(self, picking, rows, lots):
        """Write lots and done move lines on ``picking``; returns the move lines."""
        if picking.state == "draft":
            picking.action_confirm()
        move_lines = self.env["stock.move.line"]
        moves = {}
        for row in rows:
            product = row["product"]
            if product not in moves:
                moves[product] = self._get_move(picking, product, rows)
                # Lines Odoo prepared without a lot give way to the lots received.
                moves[product].move_line_ids.filtered(
                    lambda ml: not ml.lot_id and not ml.lot_name and not ml.qty_done).unlink()
            lot = lots.get((product.id, row.get("lot_name")))
            lot = self._complete_lot(lot, row) if lot else \
                self.env["stock.production.lot"].create(self._prepare_lot_vals(row))
            move_lines |= self.env["stock.move.line"].create(
                self._prepare_move_line_vals(moves[product], row, lot))
        self._reassign(self.env["stock.move"].union(*moves.values()))
        return move_lines

    @api.model
    @check_arguments(picking_type=Record("stock.picking.type", optional=False),
                     rows=_clean_rows_argument, picking=Record("stock.picking"),
                     partner=Record("res.partner"), validate=OfType(bool))
    def receive(self, picking_type, rows, picking=None, partner=None, validate=False):
        """Check every row, then receive them on ``picking`` (or on a new receipt of
        ``picking_type`` from ``partner``); ``validate`` finishes the transfer, a partial
        receipt leaving a backorder. Returns the transfer."""
        self._check_traceability_access(records=picking)
        picking = picking or self.env["stock.picking"]
        lots = self._existing_lots_of_rows(picking_type, rows, picking)
        if not picking:
            picking = picking.create(picking._prepare_transfer_vals(picking_type, partner))
        if validate and self._use_bulk(rows) and self._receive_bulk(picking, rows, lots):
            return picking
        try:
            with self.env.cr.savepoint():
                self._apply_rows(picking, rows, lots)
        except IntegrityError:
            # Another user created one of these lot codes meanwhile (unique name per product).
            raise UserError(_("One of the lot codes %(codes)s was just created by someone "
                              "else: open the wizard again to receive into it.") % {
                "codes": named_first(row.get("lot_name") or "-" for row in rows)})
        if validate:
            picking.action_done()
        return picking

    # --- the sanctioned bulk path ----------------------------------------------------------
    @api.model
    def _use_bulk(self, rows):
        """Context ``lot_receipt_path`` forces ("bulk") or forbids ("orm") it (tests)."""
        path = get_internal(self.env.context, "lot_receipt_path")
        if path in ("orm", "bulk"):
            return path == "bulk"
        return len(rows) >= BULK_THRESHOLD

    @api.model
    def _receive_bulk(self, picking, rows, lots):
        """Receive and validate ``rows`` through ``stock.lot.bulk.writer`` (SQL inserts),
        leaving what ``_apply_rows`` + ``action_done`` leave. One product into the
        transfer's only open move: anything else, or what the writer refuses, is undone and
        left to the ORM path (False returned)."""
        try:
            with self.env.cr.savepoint():
                product = rows[0]["product"]
                if any(row["product"] != product or row["uom"] not in (product.uom_id, None)
                       and row["uom"] for row in rows):
                    raise BulkUnsupported()
                if picking.state == "draft":
                    picking.action_confirm()
                move = self._get_move(picking, product, rows)
                if (picking.move_lines - move).filtered(
                        lambda other: other.state not in ("done", "cancel")):
                    raise BulkUnsupported()
                move.move_line_ids.filtered(
                    lambda ml: not ml.lot_id and not ml.lot_name and not ml.qty_done).unlink()
                self.env["stock.lot.bulk.writer"]._write_done_move(
                    move, self._prepare_bulk_rows(move, rows, lots),
                    self._prepare_move_line_vals(move, rows[0], self.env["stock.production.lot"]))
        except BulkUnsupported:
            self.env.cache.invalidate()
            if get_internal(self.env.context, "lot_receipt_path") == "bulk":
                raise
            return False
        return True

    @api.model
    def _prepare_bulk_rows(self, move, rows, lots):
        """The writer's rows: each row's existing lot (completed as the ORM path does) or
        new lot values, its quantity and the reservation its line is created with."""
        uom = move.product_id.uom_id
        missing = move.product_uom_qty - move.reserved_availability
        bulk_rows = []
        for row in rows:
            lot = lots.get((row["product"].id, row.get("lot_name")))
            reserved = max(min(row["quantity"], move.product_uom._compute_quantity(
                missing, uom)), 0.0) if move.location_id.should_bypass_reservation() else 0.0
            missing -= reserved
            bulk_row = {"qty": row["quantity"], "ordered_qty": reserved}
            if lot:
                bulk_row["lot"] = self._complete_lot(lot, row)
            else:
                bulk_row["lot_vals"] = self._prepare_lot_vals(row)
            bulk_rows.append(bulk_row)
        return bulk_rows
