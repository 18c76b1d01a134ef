# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The engine behind bulk serial entry: check serials, then put one unit of each into stock.

Three operations, all-or-nothing (every check runs before the first write):
  * ``_receive``: a receipt from a vendor, one move line per serial;
  * ``_adjust``: an inventory adjustment (no vendor);
  * ``_fill_move``: the serials of one operation line of an existing receipt.

Large receipts take the sanctioned bulk path of DESIGN.md, ``stock.lot.bulk.writer``: lots,
done move lines and the quants of brand-new lots are inserted with SQL in the same transaction,
after full validation; the picking and the move go through the ORM. It leaves the database as
the ORM path does (``test_serial_bulk_path`` proves it) and is not used where stock_account
valuation could apply.
"""
import psycopg2

from odoo import _, api, models
from odoo.exceptions import UserError

from ..tools.internal_context import get_internal
from ..tools.serials import find_duplicates
from .lot_traceability_input import named_first
from .stock_lot_bulk_writer import BulkUnsupported

#: From this many serials a receipt takes the SQL bulk path.
BULK_THRESHOLD = 200
#: How many bad serials an error message names (the count says how many there are).
MAX_NAMED = 20


def _named(values):
    return named_first(values, shown=MAX_NAMED)


class StockSerialIntake(models.AbstractModel):
    _name = "stock.serial.intake"
    _description = "Serial number intake (bulk serial entry engine)"

    # --- checks ------------------------------------------------------------------------
    @api.model
    def _existing_lots(self, product, serials):
        """Lots of ``product`` named in ``serials``, as {name: lot}."""
        lots = self.env["stock.production.lot"].sudo().search(
            [("product_id", "=", product.id), ("name", "in", list(set(serials)))])
        return {lot.name: lot.sudo(self.env.uid) for lot in lots}

    @api.model
    def _stock_locations(self, lots):
        """{lot id: 'Location (qty), ...'} of lots with stock in internal or transit locations."""
        groups = self.env["stock.quant"].sudo().read_group(
            [("lot_id", "in", lots.ids), ("quantity", ">", 0),
             ("location_id.usage", "in", ("internal", "transit"))],
            ["lot_id", "location_id", "quantity"], ["lot_id", "location_id"], lazy=False)
        where = {}
        for group in groups:
            where.setdefault(group["lot_id"][0], []).append(group["location_id"][1])
        return {lot_id: ", ".join(names) for lot_id, names in where.items()}

    @api.model
    def _preview(self, product, serials):
        """What applying ``serials`` would do, before any write.

        Returns a dict: ``count``; ``duplicates`` [(serial, times)] within the input;
        ``in_stock`` [(serial, locations)] of existing serials with stock (they block Apply);
        ``restock`` [serial] of existing serials without stock (received again, allowed).
        """
        existing = self._existing_lots(product, serials) if product and serials else {}
        lots = self.env["stock.production.lot"].browse([lot.id for lot in existing.values()])
        stock = self._stock_locations(lots)
        seen, in_stock, restock = set(), [], []
        for serial in serials:
            lot = existing.get(serial)
            if lot is None or serial in seen:
                continue
            seen.add(serial)
            if lot.id in stock:
                in_stock.append((serial, stock[lot.id]))
            else:
                restock.append(serial)
        return {"count": len(serials), "duplicates": find_duplicates(serials),
                "in_stock": in_stock, "restock": restock}

    @api.model
    def _checked_preview(self, product, serials):
        """Raise a UserError naming every serial that cannot be put into stock."""
        if not product or product.tracking != "serial" or product.type != "product":
            raise UserError(_("Choose a stockable product tracked by unique serial number."))
        if not serials:
            raise UserError(_("Enter at least one serial number."))
        preview = self._preview(product, serials)
        problems = []
        if preview["duplicates"]:
            problems.append(_("Serial numbers given more than once: %(serials)s.") % {
                "serials": _named(["%s (x%d)" % dup for dup in preview["duplicates"]])})
        if preview["in_stock"]:
            problems.append(_("Serial numbers of %(product)s already in stock: %(serials)s.") % {
                "product": product.display_name,
                "serials": _named(["%s (%s)" % pair for pair in preview["in_stock"]])})
        if problems:
            raise UserError("\n".join(problems))
        return preview

    # --- lots ----------------------------------------------------------------------------
    @api.model
    def _prepare_lot_vals(self, product, serial, lot_vals):
        vals = dict(lot_vals or {}, name=serial, product_id=product.id)
        return vals

    @api.model
    def _lot_model(self):
        """Lots are created without chatter noise: no follower, no 'created' message each."""
        return self.env["stock.production.lot"].with_context(
            tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True)

    @api.model
    def _get_or_create_lots(self, product, serials, lot_vals):
        """Lots of ``serials`` in input order: existing (stockless) ones kept, others created."""
        existing = self._existing_lots(product, serials)
        Lot = self._lot_model()
        lots = Lot.browse()
        progress = self.env["lot.traceability.job"].report_progress
        try:
            with self.env.cr.savepoint():
                for index, serial in enumerate(serials):
                    lots |= existing.get(serial) or Lot.create(
                        self._prepare_lot_vals(product, serial, lot_vals))
                    progress(index // 2)
        except psycopg2.IntegrityError:
            raise UserError(_("Some of these serial numbers of %(product)s were just created by "
                              "someone else. Check the preview again and retry.")
                            % {"product": product.display_name})
        return lots

    # --- operations ----------------------------------------------------------------------
    @api.model
    def _clean(self):
        """This service without the caller's default_* context keys (a wizard's)."""
        context = {key: value for key, value in self.env.context.items()
                   if not key.startswith("default_")}
        return self.with_context(context, tracking_disable=True)

    @api.model
    def _receipt_type(self, location):
        warehouse = location.get_warehouse()
        return warehouse.in_type_id or self.env.ref("stock.picking_type_in")

    @api.model
    def _receive(self, product, serials, location, partner, lot_vals=None, origin=False):
        """Receive one unit of each serial from ``partner`` into ``location``; the done picking."""
        self = self._clean()
        self._checked_preview(product, serials)
        Picking = self.env["stock.picking"]
        picking = Picking.create(Picking._prepare_transfer_vals(
            self._receipt_type(location), partner, location_dest=location, origin=origin))
        move = self.env["stock.move"].create(self._prepare_move_vals(picking, product, serials))
        if self._use_bulk(product, serials):
            try:
                return self._receive_bulk(move, serials, lot_vals)
            except BulkUnsupported:
                # Forced (tests, benchmark): say so rather than measure the ORM path.
                if get_internal(self.env.context, "serial_intake_path") == "bulk":
                    raise
        return self._receive_orm(move, serials, lot_vals)

    @api.model
    def _prepare_move_vals(self, picking, product, serials):
        return {
            "name": product.display_name,
            "picking_id": picking.id,
            "picking_type_id": picking.picking_type_id.id,
            "product_id": product.id,
            "product_uom": product.uom_id.id,
            "product_uom_qty": float(len(serials)),
            "location_id": picking.location_id.id,
            "location_dest_id": picking.location_dest_id.id,
            "origin": picking.origin,
        }

    @api.model
    def _use_bulk(self, product, serials):
        path = get_internal(self.env.context, "serial_intake_path")
        if path in ("orm", "bulk"):
            return path == "bulk"
        return len(serials) >= BULK_THRESHOLD

    @api.model
    def _one_line_per_unit(self, move, count):
        """The move's move lines, one per unit (as Odoo makes them for serials), in order."""
        lines = move.move_line_ids.sorted("id")
        if len(lines) != count or any(line.product_uom_qty > 1 for line in lines):
            lines.unlink()
            MoveLine = self.env["stock.move.line"]
            lines = MoveLine.browse()
            for _index in range(count):
                lines |= MoveLine.create(move._prepare_move_line_vals(quantity=1))
        return lines

    @api.model
    def _receive_orm(self, move, serials, lot_vals):
        lots = self._get_or_create_lots(move.product_id, serials, lot_vals)
        picking = move.picking_id
        picking.action_confirm()
        lines = self._one_line_per_unit(move, len(serials))
        progress = self.env["lot.traceability.job"].report_progress
        for index, (line, lot) in enumerate(zip(lines, lots)):
            line.write({"lot_id": lot.id, "qty_done": 1.0})
            progress((len(serials) + index) // 2)
        picking.action_done()
        return picking

    @api.model
    def _adjust(self, product, serials, location, lot_vals=None):
        """Put one unit of each serial into ``location`` by an inventory adjustment (no vendor)."""
        self = self._clean()
        self._checked_preview(product, serials)
        lots = self._get_or_create_lots(product, serials, lot_vals)
        inventory = self.env["stock.inventory"].create({
            "name": _("Serial numbers of %(product)s") % {"product": product.display_name},
            "filter": "partial",
            "location_id": location.id,
        })
        inventory.action_start()
        inventory.write({"line_ids": [(0, 0, {
            "product_id": product.id,
            "product_uom_id": product.uom_id.id,
            "location_id": location.id,
            "prod_lot_id": lot.id,
            "product_qty": 1.0,
        }) for lot in lots]})
        inventory.action_done()
        return inventory

    @api.model
    def _fill_move(self, move, serials, lot_vals=None):
        """Give each unit of a receipt's operation line (a move) its serial; not validated."""
        self = self._clean()
        if move.state in ("done", "cancel") or move.picking_code != "incoming":
            raise UserError(_("Serial numbers can only be filled on a receipt line that is "
                              "not done nor cancelled."))
        quantity = move.product_uom._compute_quantity(move.product_uom_qty, move.product_id.uom_id)
        if len(serials) != quantity:
            raise UserError(_("The line expects %(expected)s units of %(product)s but "
                              "%(count)d serial numbers were given.") % {
                "expected": quantity, "product": move.product_id.display_name,
                "count": len(serials)})
        self._checked_preview(move.product_id, serials)
        lots = self._get_or_create_lots(move.product_id, serials, lot_vals)
        if move.state == "draft":
            move._action_confirm()
        if move.state != "assigned":
            move._action_assign()
        lines = self._one_line_per_unit(move, len(serials))
        for line, lot in zip(lines, lots):
            line.write({"lot_id": lot.id, "lot_name": False, "qty_done": 1.0})
        return move

    # --- the sanctioned bulk path ----------------------------------------------------------
    @api.model
    def _prepare_bulk_rows(self, product, serials, lot_vals):
        """The bulk writer's rows: one unit of each serial, its stockless lot or new values."""
        existing = self._existing_lots(product, serials)
        return [{"lot": existing[serial], "qty": 1.0} if serial in existing else
                {"lot_vals": self._prepare_lot_vals(product, serial, lot_vals), "qty": 1.0}
                for serial in serials]

    @api.model
    def _receive_bulk(self, move, serials, lot_vals):
        """The ORM path's result written by ``stock.lot.bulk.writer`` (SQL inserts)."""
        writer = self.env["stock.lot.bulk.writer"]
        progress = self.env["lot.traceability.job"].report_progress
        rows = self._prepare_bulk_rows(move.product_id, serials, lot_vals)
        progress(len(serials) // 4)
        # The values Odoo's reservation creates each of the move's lines with (one per unit).
        line_vals = move._prepare_move_line_vals(quantity=1)
        # Refused before any write: the ORM path then starts from the same draft move.
        writer._check_bulk(move.product_id, move.location_id, move.location_dest_id, rows,
                           line_vals)
        picking = move.picking_id
        # The ORM path confirms the picking, which reserves by creating one line per unit
        # and marks the move assigned; here the writer inserts the lines done instead.
        move._action_confirm()
        move.write({"state": "assigned"})
        picking._check_entire_pack()
        progress(len(serials) // 2)
        writer._write_done_move(move, rows, line_vals)
        return picking
