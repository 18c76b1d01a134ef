# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""THE sanctioned bulk path of DESIGN.md ("Rules of the house"), in one place.

Very large receipts (bulk serial entry) and splits into units (the produced side of
``stock.move._transform_lots``) finish one confirmed move with SQL: the new lots, the done
move lines, the quants and the genealogy links are inserted in the same transaction, after
full validation, then Odoo's own ``_action_done`` marks the move (and its picking) done while
skipping the lines whose quants were written here. It leaves the database as the ORM path
does (``test_transform_bulk``, ``test_serial_bulk_path`` and ``test_stock_lot_bulk_writer``
prove it) and refuses, before any write, wherever it could not be exact: stock_account
valuation, packages or owners, a unit of measure conversion, a field it would not fill.
"""
import io
import random
import socket
import time

import psycopg2
from psycopg2 import sql
from psycopg2.extras import execute_values

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero, float_round

from ..tools.internal_context import get_internal, internal_context
from .stock_lot_sql_mixin import IdArray

#: Columns the ORM itself fills on create.
MAGIC_COLUMNS = ("id", "create_uid", "create_date", "write_uid", "write_date")
#: Stored computed (related) fields the writer fills itself, per model.
LOT_FILLED = ("product_uom_id",)
LINE_FILLED = ("product_qty", "state", "reference")
QUANT_FILLED = ("company_id", "removal_date")
#: What a line's done values set besides the caller's create values.
LINE_DONE_FIELDS = ("lot_id", "qty_done", "product_uom_qty", "ordered_qty", "product_qty",
                    "date", "state", "reference")
QUANT_COLUMNS = ("product_id", "location_id", "lot_id", "quantity", "reserved_quantity",
                 "in_date", "company_id", "removal_date")
#: Context key: the move lines whose quants the writer wrote (stock.move.line._action_done).
BULK_DONE_KEY = "lot_bulk_done_line_ids"
#: From how many records the same note is posted by :meth:`_post_notes` in one INSERT.
NOTE_MIN_RECORDS = 50
#: Rows per INSERT statement of the writer; notes are prepared this many pages at a time.
INSERT_PAGE = 1000
NOTE_CHUNK = 10 * INSERT_PAGE
#: Distinct values of one column the writer remembers the COPY text of (constant memory).
TEXT_CACHE = 20000
#: What COPY's text format escapes in a value (PostgreSQL, COPY, "Text Format").
COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _copy_field(value):
    """A column value as COPY's text format writes it; TypeError for what it cannot write
    as text (bytes, adapters): that page is INSERTed instead."""
    kind = type(value)
    if kind is str:
        return value.translate(COPY_ESCAPES)
    if value is None:
        return "\\N"
    if kind is bool:
        return "t" if value else "f"
    if kind is int:
        return str(value)
    if kind is float:
        return repr(value)  # the shortest text that reads back as the same float
    raise TypeError(kind)


class BulkUnsupported(Exception):
    """The bulk path cannot reproduce the ORM here: take the ORM path."""


class StockLotBulkWriter(models.AbstractModel):
    _name = "stock.lot.bulk.writer"
    _description = "Sanctioned SQL bulk writer of lots, done move lines and quants"

    # --- may it write? ---------------------------------------------------------------------
    @api.model
    def _bulk_supported(self, product):
        """The bulk path writes no valuation: refuse it where stock_account could value stock."""
        if "account_move_ids" in self.env["stock.move"]._fields:
            return False
        installed = self.env["ir.module.module"].sudo().search_count(
            [("name", "=", "stock_account"), ("state", "in", ("installed", "to upgrade"))])
        return not installed and product.type == "product"

    @api.model
    def _bulk_check(self, model_name, names, filled=()):
        """The model's stored columns, if inserting ``names`` is all the ORM would write."""
        stored = {name: field for name, field in self.env[model_name]._fields.items()
                  if field.store and field.column_type and name not in MAGIC_COLUMNS}
        computed = [name for name, field in stored.items()
                    if (field.compute or field.related) and name not in filled]
        if computed or any(name not in stored for name in names):
            raise BulkUnsupported()
        return stored

    @api.model
    def _check_bulk(self, product, source, dest, rows, line_vals):
        """Raise BulkUnsupported, before any write, where SQL would not equal the ORM.

        :param rows: list of dicts ``qty`` (product's unit) and ``lot`` (record) or
            ``lot_vals`` (values ``stock.production.lot.create`` would get); optionally
            ``ordered_qty``, the reserved quantity the ORM creates that row's line with
            (default ``line_vals['product_uom_qty']``)
        :param line_vals: the values the ORM path creates each move line with
        """
        if not self._bulk_supported(product) or product.tracking == "none" or not rows:
            raise BulkUnsupported()
        if "view" in (source.usage, dest.usage) or source == dest \
                or not source.should_bypass_reservation():
            raise BulkUnsupported()
        if any(line_vals.get(name) for name in ("package_id", "result_package_id",
                                                "owner_id")) \
                or line_vals.get("product_uom_id") != product.uom_id.id:
            raise BulkUnsupported()
        self._check_bulk_quantities(product, [row["qty"] for row in rows])
        new = [row["lot_vals"] for row in rows if not row.get("lot")]
        if new:
            if len({frozenset(vals) for vals in new}) != 1:
                raise BulkUnsupported()
            children = self._bulk_children(new)
            self._bulk_check("stock.production.lot", set(new[0]).difference(children) | {
                "product_id", "product_uom_id", "parent_lot_id"}, LOT_FILLED)
        self._bulk_check("stock.move.line", set(line_vals) | set(LINE_DONE_FIELDS),
                         LINE_FILLED)
        stored = self._bulk_check("stock.quant", QUANT_COLUMNS, QUANT_FILLED)
        others = [name for name in stored if name not in QUANT_COLUMNS]
        if any(self.env["stock.quant"].default_get(others).values()):
            raise BulkUnsupported()

    @api.model
    def _bulk_children(self, vals_list):
        """The lots' One2many fields given as ``(0, 0, values)`` (attribute values): their
        records are inserted too, their stored computed fields and constraints left to the
        ORM. Returns {field name: field}."""
        Lot = self.env["stock.production.lot"]
        children = {name: Lot._fields[name] for name in vals_list[0]
                    if name in Lot._fields and Lot._fields[name].type == "one2many"}
        for name, field in children.items():
            commands = [command for vals in vals_list for command in vals[name] or []]
            if any(len(command) != 3 or command[0] != 0 for command in commands):
                raise BulkUnsupported()
            if commands:
                keys = {frozenset(command[2]) for command in commands}
                comodel = self.env[field.comodel_name]
                if len(keys) != 1 or field.inverse_name in commands[0][2]:
                    raise BulkUnsupported()
                self._bulk_check(field.comodel_name, set(commands[0][2]) | {
                    field.inverse_name}, self._stored_computed(comodel))
        return children

    @api.model
    def _stored_computed(self, model):
        return [name for name, field in model._fields.items()
                if field.store and field.column_type and (field.compute or field.related)]

    @api.model
    def _check_bulk_quantities(self, product, quantities):
        """Positive, as the unit rounds them (``stock.move.line._action_done``), one per serial."""
        rounding = product.uom_id.rounding
        digits = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        for qty in set(quantities):
            rounded = float_round(qty, precision_rounding=rounding, rounding_method="HALF-UP")
            if float_compare(rounded, float_round(qty, precision_digits=digits),
                             precision_digits=digits) != 0 \
                    or float_compare(qty, 0.0, precision_rounding=rounding) <= 0 \
                    or (product.tracking == "serial"
                        and float_compare(qty, 1.0, precision_rounding=rounding) != 0):
                raise BulkUnsupported()

    # --- the writer ------------------------------------------------------------------------
    @api.model
    def _write_done_move(self, move, rows, line_vals, parent_lot=None, consumed_lines=None):
        """Finish the confirmed ``move`` with one done move line per row, as the ORM would.

        Inserts the rows' new lots (product_expiry dates as ``create`` fills them,
        ``parent_lot``, every other lot column given, One2many records such as attribute
        values given as ``(0, 0, values)``), one done move line per row
        (``line_vals`` + lot and quantity), the quants of lots that have none yet (the others
        merge through Odoo's own quant update), the genealogy links to ``consumed_lines``,
        then marks the move done through ``_action_done``.

        :returns: the move lines, in the order of ``rows``
        :raises BulkUnsupported: before any write, where the ORM path must be taken
        """
        product = move.product_id
        if move.product_uom != product.uom_id or move.move_line_ids:
            raise BulkUnsupported()
        self._check_bulk(product, move.location_id, move.location_dest_id, rows, line_vals)
        # SQL skips the ORM's access checks: make the ones the ORM path would make.
        for model_name in ("stock.production.lot", "stock.move.line"):
            self.env[model_name].check_access_rights("create")
        # Each quantity as the line stores it (the unit's digits) and Odoo reads it back.
        digits = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        quantities = [float_round(row["qty"], precision_digits=digits) for row in rows]
        lot_ids = self._insert_lots(product, rows, parent_lot)
        ordered = [row.get("ordered_qty", line_vals.get("product_uom_qty")) for row in rows]
        line_ids = self._insert_lines(move, line_vals, lot_ids, quantities, ordered)
        done_ids = self._insert_quants(product, line_vals, lot_ids, quantities, line_ids)
        if consumed_lines:
            execute_values(self.env.cr._obj, "INSERT INTO stock_move_line_consume_rel "
                                             "(consume_line_id, produce_line_id) VALUES %s",
                           [(line_id, consumed) for line_id in line_ids
                            for consumed in consumed_lines.ids], page_size=1000)
        self.env.cache.invalidate()
        self._finish_move(move, done_ids, sum(quantities))
        return self.env["stock.move.line"].browse(line_ids)

    @api.model
    def _finish_move(self, move, done_ids, quantity_done):
        """Odoo's own done step of the move (its picking's, when it is the last open move),
        the lines in ``done_ids`` skipped by ``stock.move.line._action_done``."""
        # Odoo would read every line, all its columns prefetched, to sum the done quantity:
        # give it the sum (the move had no line and shares the lines' unit, checked in
        # _write_done_move) and let other reads fetch only the column they need.
        move = move.with_context(prefetch_fields=False,
                                 **internal_context(**{BULK_DONE_KEY: tuple(done_ids)}))
        move._cache["quantity_done"] = quantity_done
        picking = move.picking_id
        if picking and not (picking.move_lines - move).filtered(
                lambda other: other.state not in ("done", "cancel")):
            picking.action_done()
        else:
            move._action_done()

    @api.model
    def _insert(self, model_name, rows, filled=()):
        """Insert ``rows`` (dicts with the same keys) into the model's table; returns the ids.

        Missing fields get their ORM defaults and values are converted as the ORM would.
        """
        model = self.env[model_name]
        stored = self._bulk_check(model_name, rows[0], filled)
        defaults = model.default_get([name for name in stored if name not in rows[0]])
        # Odoo's create stores False in every boolean column it is not given (models._create).
        defaults.update({name: False for name, field in stored.items() if field.type == "boolean"
                         and name not in rows[0] and name not in defaults})
        names = sorted(set(rows[0]) | set(defaults))
        now, uid = fields.Datetime.now(), self.env.uid
        magic = (uid, now, uid, now)
        columns = names + list(MAGIC_COLUMNS[1:])
        texts = {name: {} for name in names}  # per column, the COPY text of each value
        ids = self._reserve_ids(model._table, len(rows))
        for start in range(0, len(rows), INSERT_PAGE):  # page by page: constant memory
            page, page_ids = rows[start:start + INSERT_PAGE], ids[start:start + INSERT_PAGE]
            try:
                lines = self._get_copy_lines(model, stored, names, defaults, texts, page,
                                             page_ids, magic)
            except TypeError:  # a value COPY's text cannot carry (bytes): INSERT the page
                values = [tuple(stored[name].convert_to_column(
                    row[name] if name in row else defaults[name], model) for name in names)
                    + magic for row in page]
                self._insert_page(model._table, columns, values, page_ids)
                continue
            self._copy_lines(model._table, columns, lines)
        return ids

    @api.model
    def _get_copy_lines(self, model, stored, names, defaults, texts, page, ids, magic):
        """The COPY text of the rows ``page`` (with ``ids``), column by column: each distinct
        value of a column is converted as the ORM would (``convert_to_column``) and written
        once (``texts``, per column, kept across pages until it grows big); ids of many2one
        columns are written as they are. TypeError for a value COPY's text cannot carry."""
        parts = [["%d" % row_id for row_id in ids]]
        for name in names:
            field, known = stored[name], texts[name]
            values = [row[name] for row in page] if name in page[0] else [defaults[name]]
            if len(known) > TEXT_CACHE:
                known.clear()
            many2one = field.type == "many2one"
            column = []
            for value in values:
                if many2one and type(value) is int and value > 0:
                    column.append("%d" % value)  # convert_to_column: value or None
                    continue
                key = (type(value), value)
                try:
                    column.append(known[key])
                except KeyError:
                    text = known[key] = _copy_field(field.convert_to_column(value, model))
                    column.append(text)
                except TypeError:  # unhashable (a list): converted each time
                    column.append(_copy_field(field.convert_to_column(value, model)))
            parts.append(column if len(column) == len(ids) else column * len(ids))
        magic_text = "\t".join(map(_copy_field, magic))
        return ["\t".join(fields_) + "\t" + magic_text + "\n" for fields_ in zip(*parts)]

    @api.model
    def _copy_lines(self, table, columns, lines):
        """COPY ``lines`` (COPY text, the id first, then ``columns``) into ``table``."""
        self.env.cr._obj.copy_expert('COPY "%s" (id, %s) FROM STDIN' % (
            table, ", ".join('"%s"' % name for name in columns)), io.StringIO("".join(lines)))

    @api.model
    def _delete(self, records):
        """Delete ``records`` in one statement, leaving what depends on them marked to
        recompute as ``unlink`` does, but not their own computed fields: Odoo 11's unlink
        (and ``modified`` before a DELETE) leaves those to recompute after the DELETE, and
        Odoo then reads every record it has prefetched to find them gone (1.5 s and 110 MB
        for the 5,000 quants Hold Stock of a wide recall empties, as much for its 5,000
        stock lines). For records with no attachments, properties or external ids to clean
        up (quants, a recall's system lines)."""
        if not records:
            return
        records.modified([name for name, field in records._fields.items() if field.store])
        self.env.cr.execute('DELETE FROM "%s" WHERE id = ANY(%%s)' % records._table,
                            [IdArray(records.ids)])
        for field in records._fields.values():
            if field.store and field.compute:
                records._recompute_done(field)

    @api.model
    def _reserve_ids(self, table, count):
        """``count`` new ids of ``table`` from its sequence, in increasing order (one query)."""
        self.env.cr.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                            "FROM generate_series(1, %s) ORDER BY 1", [table, count])
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _insert_page(self, table, names, values, ids):
        """Insert ``values`` (tuples of column values in the order of ``names``) into
        ``table`` as the rows of ``ids`` (from :meth:`_reserve_ids`).

        By COPY: an INSERT of 1,000 rows is a statement of 1,000 tuples that psycopg2
        formats and PostgreSQL parses and plans, about 8 s of the 70 s that opening a
        recall of 200,000 units takes. A page holding a value COPY's text format cannot
        carry (bytes) is INSERTed.
        """
        try:
            lines = ["%d\t%s\n" % (row_id, "\t".join(map(_copy_field, row)))
                     for row_id, row in zip(ids, values)]
        except TypeError:
            execute_values(self.env.cr._obj, 'INSERT INTO "%s" (id, %s) VALUES %%s' % (
                table, ", ".join('"%s"' % name for name in names)),
                [(row_id,) + row for row_id, row in zip(ids, values)], page_size=len(values))
            return
        self._copy_lines(table, names, lines)

    @api.model
    def _prepare_lot_rows(self, product, vals_list, parent_lot=None):
        """The lots' column values as ``stock.production.lot.create`` would store them."""
        Lot = self.env["stock.production.lot"]
        dates = Lot._get_dates(product.id)
        rows = []
        for vals in vals_list:
            vals = dict(vals, product_id=product.id, product_uom_id=product.uom_id.id)
            vals.update({name: value for name, value in dates.items() if not vals.get(name)})
            if parent_lot:
                vals["parent_lot_id"] = parent_lot.id
            rows.append(vals)
        return rows

    @api.model
    def _insert_lots(self, product, rows, parent_lot=None):
        """Lot ids in the order of ``rows``: given lots kept, new ones inserted."""
        new = [row["lot_vals"] for row in rows if not row.get("lot")]
        new_ids = []
        if new:
            children = self._bulk_children(new)
            lot_rows = self._prepare_lot_rows(product, [
                {name: value for name, value in vals.items() if name not in children}
                for vals in new], parent_lot)
            try:
                with self.env.cr.savepoint():
                    new_ids = self._insert("stock.production.lot", lot_rows, filled=LOT_FILLED)
                    for name, field in children.items():
                        self._insert_children(field, new_ids, [vals[name] for vals in new])
            except psycopg2.IntegrityError:
                raise UserError(_("Some of these lot/serial numbers of %(product)s were just "
                                  "created by someone else. Check them again and retry.")
                                % {"product": product.display_name})
        given = self.env["stock.production.lot"].browse(
            [row["lot"].id for row in rows if row.get("lot")])
        if given and parent_lot:
            given._write_system({"parent_lot_id": parent_lot.id})
        new_ids.reverse()
        return [row["lot"].id if row.get("lot") else new_ids.pop() for row in rows]

    @api.model
    def _insert_children(self, field, parent_ids, commands_list):
        """Records of a One2many given as ``(0, 0, values)`` commands, for each parent."""
        rows = [dict(command[2], **{field.inverse_name: parent_id})
                for parent_id, commands in zip(parent_ids, commands_list)
                for command in commands or []]
        if rows:
            self._insert_records(field.comodel_name, rows)

    @api.model
    def _insert_records(self, model_name, rows, filled=()):
        """Insert ``rows``, then take the steps ``create`` takes after its INSERT: mark what
        depends on the new records, compute their stored computed fields (but the ``filled``
        ones, which the rows give), check the constraints. Returns the records."""
        model = self.env[model_name]
        computed = self._stored_computed(model)
        records = model.browse(self._insert(model_name, rows, filled=computed))
        records.modified([name for name, field in model._fields.items() if field.store])
        for name in filled:
            records._recompute_done(model._fields[name])
        records.recompute()
        records._validate_fields(set(rows[0]))
        return records

    @api.model
    def _insert_lines(self, move, line_vals, lot_ids, quantities, ordered):
        """Done move lines: created with ``line_vals`` and done as ``_action_done`` leaves
        them (nothing reserved, dated now); ``ordered`` the quantity each was created with
        (``ordered_qty``)."""
        template = dict(line_vals, product_uom_qty=0.0, product_qty=0.0,
                        date=fields.Datetime.now(), state=move.state, reference=move.reference)
        rows = [dict(template, lot_id=lot_id, qty_done=qty, ordered_qty=ordered_qty)
                for lot_id, qty, ordered_qty in zip(lot_ids, quantities, ordered)]
        return self._insert("stock.move.line", rows, filled=LINE_FILLED)

    @api.model
    def _insert_quants(self, product, line_vals, lot_ids, quantities, line_ids):
        """Quants of the lines (-qty at the source, +qty at the destination) whose lots have
        none yet, as ``stock.quant._update_available_quantity`` creates them; returns those
        lines' ids.

        The ORM merges into an existing quant of the same product/lot/location (no package
        nor owner) and, when the source holds untracked stock, takes from it first: such
        lines are left to Odoo's own ``stock.move.line._action_done``.
        """
        cr, Quant = self.env.cr, self.env["stock.quant"].sudo()
        source, dest = (self.env["stock.location"].browse(line_vals[name])
                        for name in ("location_id", "location_dest_id"))
        if Quant._get_available_quantity(product, source, lot_id=False, strict=True) > 0:
            return []
        cr.execute("SELECT DISTINCT lot_id FROM stock_quant WHERE lot_id = ANY(%s)", [lot_ids])
        known = {row[0] for row in cr.fetchall()}
        removal = self._removal_dates(lot_ids)
        # What _action_done moves: the line's quantity rounded to the unit.
        moved = {qty: product.uom_id._compute_quantity(qty, product.uom_id,
                                                       rounding_method="HALF-UP")
                 for qty in set(quantities)}
        now, done_ids, quants = fields.Datetime.now(), [], []
        places = [(location.id, location.company_id.id or None, sign)
                  for location, sign in ((source, -1), (dest, 1))]
        for line_id, lot_id, qty in zip(line_ids, lot_ids, quantities):
            if lot_id in known:
                continue
            done_ids.append(line_id)
            quants += [(product.id, location_id, lot_id, sign * moved[qty], 0.0, now,
                        company_id, removal[lot_id], SUPERUSER_ID, now, SUPERUSER_ID, now)
                       for location_id, company_id, sign in places]
        execute_values(cr._obj, """
            INSERT INTO stock_quant (product_id, location_id, lot_id, quantity,
                reserved_quantity, in_date, company_id, removal_date,
                create_uid, create_date, write_uid, write_date) VALUES %s""", quants,
                       page_size=1000)
        return done_ids

    # --- the consumed side: many moves taking lots out of internal stock ------------------
    @api.model
    def _check_bulk_consume(self, groups):
        """Raise BulkUnsupported, before any write, where :meth:`_write_done_moves` would not
        leave what the ORM leaves. ``groups``: ``[((product, source, dest), rows)]``, rows
        from ``stock.quant._allocate`` (``qty``, ``lot``, ``line_location``, ``package``,
        ``owner``), taken under the quants' lock."""
        products = self.env["product.product"].union(*[key[0] for key, _rows in groups])
        if not products or not self._bulk_supported(products[0]) \
                or any(product.type != "product" for product in products):
            raise BulkUnsupported()
        if self.env["stock.move"].default_get(["procure_method"]).get(
                "procure_method") != "make_to_stock":
            raise BulkUnsupported()
        for (product, _source, dest), rows in groups:
            if dest.usage == "view" or any(
                    row.get("package") or row.get("owner")
                    or row["line_location"].should_bypass_reservation() for row in rows):
                raise BulkUnsupported()
            self._check_bulk_quantities(product, [row["qty"] for row in rows])
        self._bulk_check("stock.quant", QUANT_COLUMNS, QUANT_FILLED)

    @api.model
    def _write_done_moves(self, vals, groups):
        """Consume stock as ``stock.move._create_transform_moves`` does, with SQL where the
        ORM works one record at a time: one move per group (inserted, then confirmed by
        Odoo), one done move line per row, the quants updated as
        ``stock.move.line._action_done`` would update them, then Odoo's own done step of the
        moves. Returns the lines in the order of the rows.

        :param vals: the moves' common values (``stock.move._prepare_transform_move_vals``)
        :raises BulkUnsupported: the ORM must do it (call it inside a savepoint)
        """
        self._check_bulk_consume(groups)
        Move = self.env["stock.move"]
        # What stock.move.create adds to its values: the ordered quantity.
        moves = self._insert_records("stock.move", [dict(
            vals, product_id=product.id, product_uom=product.uom_id.id,
            product_uom_qty=qty, ordered_qty=qty, location_id=source.id,
            location_dest_id=dest.id) for (product, source, dest), qty in [
                (key, sum(row["qty"] for row in rows)) for key, rows in groups]])
        confirmed = moves._action_confirm(merge=False)
        if confirmed != moves or set(moves.mapped("state")) != {"confirmed"} \
                or moves.mapped("move_line_ids"):
            raise BulkUnsupported()
        now = fields.Datetime.now()
        # Done lines reserve nothing: product_qty (product_uom_qty in the product's unit) is 0.
        line_rows = [dict(Move._prepare_lot_line_vals(move, row), product_uom_qty=0.0,
                          product_qty=0.0, ordered_qty=None, date=now, state=move.state,
                          reference=move.reference)
                     for move, (_key, rows) in zip(moves, groups) for row in rows]
        lines = self._insert_records("stock.move.line", line_rows, filled=LINE_FILLED)
        lines._check_quality_hold()
        self._consume_quants(lines)
        moves.with_context(**internal_context(**{BULK_DONE_KEY: tuple(lines.ids)}))._action_done()
        return lines

    @api.model
    def _read_strict_quants(self, lines):
        """{(product id, location id, lot id or None): quant dict} of the quants without
        package and owner where ``lines`` take and put stock; BulkUnsupported where one such
        place holds several quants (Odoo would pick one by its removal strategy) or where a
        tracked product has lot-less stock at a source (Odoo would take from it)."""
        cr = self.env.cr
        cr.execute("""
            SELECT id, product_id, location_id, lot_id, quantity, reserved_quantity, in_date
              FROM stock_quant
             WHERE product_id = ANY(%s) AND location_id = ANY(%s)
               AND package_id IS NULL AND owner_id IS NULL""", [
            list(set(lines.mapped("product_id").ids)),
            list(set(lines.mapped("location_id").ids + lines.mapped("location_dest_id").ids))])
        quants = {}
        for row in cr.dictfetchall():
            key = (row["product_id"], row["location_id"], row["lot_id"])
            if key in quants:
                raise BulkUnsupported()
            quants[key] = row
        for line in lines:
            if line.lot_id and (line.product_id.id, line.location_id.id, None) in quants:
                raise BulkUnsupported()
        return quants

    @api.model
    def _consume_quants(self, lines):
        """Move each line's quantity from its source quant to its destination, line by line
        in the order ``stock.move.line._action_done`` takes them, as
        ``stock.quant._update_available_quantity`` writes (the earliest incoming date,
        quants emptied removed), then write the result in three statements."""
        Quant = self.env["stock.quant"].sudo()
        quantity = Quant._fields["quantity"]
        quants, now = self._read_strict_quants(lines), fields.Datetime.now()
        touched = {}
        for line in lines:
            product, rounding = line.product_id, line.product_id.uom_id.rounding
            moved = product.uom_id._compute_quantity(line.qty_done, product.uom_id,
                                                     rounding_method="HALF-UP")
            lot_id = line.lot_id.id or None
            source_key = (product.id, line.location_id.id, lot_id)
            source = quants.get(source_key)
            # Odoo would create a negative quant, or free other moves' reservations.
            if not source or line.qty_done > source["quantity"] - source["reserved_quantity"]:
                raise BulkUnsupported()
            in_date = source["in_date"] or now
            dest_key = (product.id, line.location_dest_id.id, lot_id)
            dest = quants.setdefault(dest_key, dict(
                id=None, product_id=product.id, location_id=line.location_dest_id.id,
                lot_id=lot_id, quantity=0.0, reserved_quantity=0.0, in_date=in_date))
            dest["in_date"] = min(date for date in (dest["in_date"], in_date) if date)
            for key, quant, delta in ((source_key, source, -moved), (dest_key, dest, moved)):
                quant["quantity"] = quantity.convert_to_cache(quant["quantity"] + delta, Quant)
                quant["in_date"] = quant["in_date"] or now
                quant["gone"] = float_is_zero(quant["quantity"], precision_rounding=rounding) \
                    and float_is_zero(quant["reserved_quantity"], precision_rounding=rounding)
                touched[id(quant)] = quant
                if quant["gone"]:  # removed: the next line to come here makes a new one
                    del quants[key]
        self._write_quants(list(touched.values()))

    @api.model
    def _write_quants(self, quants):
        """Updates, deletions and new quants of :meth:`_consume_quants`, with the ORM's
        triggers and constraints."""
        cr, Quant, now = self.env.cr, self.env["stock.quant"].sudo(), fields.Datetime.now()
        updated = [quant for quant in quants if quant["id"] and not quant["gone"]]
        gone = Quant.browse([quant["id"] for quant in quants if quant["id"] and quant["gone"]])
        self._delete(gone)
        execute_values(cr._obj, """
            UPDATE stock_quant AS quant
               SET quantity = new.quantity, in_date = new.in_date::timestamp,
                   write_uid = new.uid, write_date = new.now::timestamp
              FROM (VALUES %s) AS new (id, quantity, in_date, uid, now)
             WHERE quant.id = new.id""", [(quant["id"], quant["quantity"], quant["in_date"],
                                          SUPERUSER_ID, now) for quant in updated])
        new = [{name: quant[name] for name in ("product_id", "location_id", "lot_id",
                                               "quantity", "in_date")}
               for quant in quants if not quant["id"] and not quant["gone"]]
        if new:  # as the superuser, like stock.quant._update_available_quantity
            self.sudo()._insert_records("stock.quant", self._fill_quants(new),
                                        filled=QUANT_FILLED)
        self.env.cache.invalidate()
        changed = Quant.browse([quant["id"] for quant in updated])
        changed.modified(["quantity", "in_date"])
        changed.recompute()
        changed._validate_fields(["quantity", "in_date"])

    @api.model
    def _fill_quants(self, rows):
        """``rows`` of new quants with their related columns (QUANT_FILLED) as the ORM would
        compute them: the location's company, the lot's removal date (two queries, where
        the ORM's recompute reads them quant by quant)."""
        cr = self.env.cr
        cr.execute("SELECT id, company_id FROM stock_location WHERE id = ANY(%s)",
                   [list({row["location_id"] for row in rows})])
        companies = dict(cr.fetchall())
        removal = self._removal_dates({row["lot_id"] for row in rows if row["lot_id"]})
        return [dict(row, company_id=companies[row["location_id"]] or False,
                     removal_date=removal.get(row["lot_id"]) or False) for row in rows]

    @api.model
    def _removal_dates(self, lot_ids):
        """``{lot id: removal date}``: what a new quant of the lot stores (product_expiry's
        related ``removal_date``)."""
        self.env.cr.execute("SELECT id, removal_date FROM stock_production_lot "
                            "WHERE id = ANY(%s)", [list(lot_ids)])
        return dict(self.env.cr.fetchall())

    # --- chatter notes -----------------------------------------------------------------------
    @api.model
    def _post_notes(self, records, body, progress=None):
        """Post the note ``body`` (HTML) on the chatter of every one of ``records``, as
        ``record.message_post(body=body)`` does for the current user: from
        :data:`NOTE_MIN_RECORDS` records in one INSERT (a wide recall puts 200,000 lots on hold;
        Odoo's message_post takes 20 ms each, most of it formatting a chat notification that
        no one receives). The records with a follower of notes, whom Odoo would notify, and
        small sets take message_post itself. Context ``lot_transform_bulk`` forces (True) or
        forbids (False) the INSERT. ``progress``: called with the share of the notes written
        (0 to 1) after each chunk of the INSERT."""
        forced = get_internal(self.env.context, "lot_transform_bulk")
        bulk = records.browse()
        if forced or (forced is None and len(records) >= NOTE_MIN_RECORDS):
            bulk = records - self._note_followed(records)
        if bulk:
            try:
                with self.env.cr.savepoint():
                    self._insert_notes(bulk, body, progress)
            except BulkUnsupported:
                self.env.cache.invalidate()
                bulk = records.browse()
        for record in records - bulk:
            record.message_post(body=body)

    @api.model
    def _note_followed(self, records):
        """The records with a follower subscribed to notes (message_post notifies it)."""
        self.env.cr.execute("""
            SELECT DISTINCT follower.res_id
              FROM mail_followers follower
              JOIN mail_followers_mail_message_subtype_rel rel
                ON rel.mail_followers_id = follower.id
             WHERE follower.res_model = %s AND follower.res_id = ANY(%s)
               AND rel.mail_message_subtype_id = %s""", [
            records._name, records.ids, self.env.ref("mail.mt_note").id])
        return records.browse([row[0] for row in self.env.cr.fetchall()])

    @api.model
    def _insert_notes(self, records, body, progress=None):
        """The mail.message rows message_post would create: the user as author and sender,
        each record's reply-to, name and flat-thread parent (its first e-mail, else its first
        message), a Message-Id of its own."""
        Message, model = self.env["mail.message"], records._name
        email_from = Message._get_default_from()  # the ORM's own refusal when there is none
        reply_to = self.env[model].message_get_reply_to(records.ids, default=email_from)
        names = self._record_names(records)
        self.env.cr.execute("""
            SELECT DISTINCT ON (res_id) res_id, id FROM mail_message
             WHERE model = %s AND res_id = ANY(%s)
             ORDER BY res_id, message_type != 'email', id""", [model, records.ids])
        parents = dict(self.env.cr.fetchall())
        common = {"body": body, "model": model, "message_type": "notification",
                  "subtype_id": self.env.ref("mail.mt_note").id, "subject": False,
                  "author_id": Message._get_default_author().id, "email_from": email_from}
        for start in range(0, len(records), NOTE_CHUNK):  # the rows of 200,000 notes: 300 MB
            ids = records.ids[start:start + NOTE_CHUNK]
            self._insert_records("mail.message", [dict(
                common, res_id=res_id, record_name=names[res_id], reply_to=reply_to[res_id],
                parent_id=parents.get(res_id, False), message_id=message_id)
                for res_id, message_id in zip(ids, self._tracking_message_ids(model, ids))])
            if progress:
                progress(min(start + NOTE_CHUNK, len(records)) / len(records))
        records.invalidate_cache()

    @api.model
    def _tracking_message_ids(self, model, res_ids):
        """The Message-Id ``tools.generate_tracking_message_id`` gives a message of each
        record, from one random source and one host name for the set (Odoo makes both
        again for every message: 40 us each)."""
        source, host, now = random.SystemRandom(), socket.gethostname(), time.time()
        return ["<%s.%.15f-openerp-%s-%s@%s>" % (("%.15f" % source.random())[2:], now, res_id,
                                                 model, host) for res_id in res_ids]

    @api.model
    def _record_names(self, records):
        """``{id: name}`` as ``records.sudo().name_get()`` gives it (mail.message's
        record_name): by one query where that is Odoo's own name_get of a stored char field,
        as for lots (the ORM reads 200,000 names in seconds)."""
        field = records._fields.get(records._rec_name)
        if not _names_are_stored(records) or field is None \
                or field.type != "char" or not field.store or field.translate:
            return dict(records.sudo().with_context(prefetch_fields=False).name_get())
        self.env.cr.execute(sql.SQL("SELECT id, {} FROM {} WHERE id = ANY(%s)").format(
            sql.Identifier(field.name), sql.Identifier(records._table)), [records.ids])
        return {res_id: field.convert_to_display_name(name or False, records)
                for res_id, name in self.env.cr.fetchall()}


def _names_are_stored(records):
    """Whether ``records.name_get()`` is Odoo's own (the record's rec_name): no class of the
    model overrides it, but with an override that says it is the same for a model that is
    not transient (``base_unless_transient``: lot.traceability.input's)."""
    for cls in type(records).__mro__:
        function = vars(cls).get("name_get")
        if function is None or function is models.BaseModel.name_get:
            continue
        if records._transient or not getattr(function, "base_unless_transient", False):
            return False
    return True
