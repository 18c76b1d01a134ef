# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Test base with factories. Tests build their own data here; they never read demo data."""
import logging
from collections import namedtuple
from contextlib import contextmanager
from datetime import datetime, timedelta
from itertools import count

from psycopg2 import errors, sql

from odoo import fields
from odoo.tests.common import SavepointCase

from ..tools.internal_context import internal_context

_logger = logging.getLogger(__name__)

_SEQ = count(1)

#: A statement recorded by :meth:`TraceabilityCase._recorded_statements`.
Statement = namedtuple("Statement", "query params text")


def unique(prefix):
    """A name no other record of this test run has (lot codes, references)."""
    return "%s-%05d" % (prefix, next(_SEQ))


class TraceabilityCase(SavepointCase):

    @classmethod
    def setUpClass(cls):
        super(TraceabilityCase, cls).setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.warehouse = cls.env.ref("stock.warehouse0")
        cls.stock_location = cls.warehouse.lot_stock_id
        cls.supplier_location = cls.env.ref("stock.stock_location_suppliers")
        cls.customer_location = cls.env.ref("stock.stock_location_customers")
        cls.receipt_type = cls.warehouse.in_type_id
        cls.delivery_type = cls.warehouse.out_type_id
        cls.uom_unit = cls.env.ref("product.product_uom_unit")
        cls.uom_kg = cls.env.ref("product.product_uom_kgm")
        cls.supplier = cls._create_partner("Test Supplier", supplier=True)
        cls.customer = cls._create_partner("Test Customer", customer=True)
        cls.trace_user = cls._create_user(
            "trace_user", "lot_traceability.lot_traceability_group_user")
        cls.trace_manager = cls._create_user(
            "trace_manager", "lot_traceability.lot_traceability_group_manager")

    def tearDown(self):
        # Every test, whatever it wrote and however (ORM, mrp, the bulk writer, SQL), leaves
        # the lot graph's edge table equal to its definition: the triggers that keep it are
        # checked by the whole suite, not by one file.
        extra, missing = self.env["stock.lot.trace.edge"]._get_differences()
        self.assertEqual((extra, missing), ([], []), "lot_trace_edge differs from its "
                         "definition: (extra, missing) (produced_line_id, consumed_line_id)")
        super(TraceabilityCase, self).tearDown()

    # --- factories ---------------------------------------------------------------------
    @classmethod
    def _create_partner(cls, name, **vals):
        vals.setdefault("customer", False)
        return cls.env["res.partner"].create(dict(vals, name=unique(name), is_company=True))

    @classmethod
    def _create_user(cls, login, *group_xmlids):
        groups = [(4, cls.env.ref(xmlid).id) for xmlid in ("base.group_user",) + group_xmlids]
        return cls.env["res.users"].with_context(no_reset_password=True).create({
            "name": login.replace("_", " ").title(),
            "login": unique(login),
            "email": "%s@example.com" % login,
            "groups_id": groups,
        })

    @classmethod
    def _create_product(cls, name="Product", tracking="lot", uom=None, **vals):
        uom = uom or cls.uom_unit
        vals.update(name=unique(name), type="product", tracking=tracking,
                    uom_id=uom.id, uom_po_id=uom.id)
        return cls.env["product.product"].create(vals)

    @classmethod
    def _create_location(cls, name, parent=None, usage="internal"):
        return cls.env["stock.location"].create({
            "name": unique(name),
            "usage": usage,
            "location_id": (parent or cls.stock_location).id,
        })

    @classmethod
    def _create_lot(cls, product, name=None, **vals):
        vals.update(product_id=product.id, name=name or unique("LOT"))
        return cls.env["stock.production.lot"].create(vals)

    @classmethod
    def _receive(cls, product, lots, location=None, partner=None):
        """Receive ``lots``, a list of ``(lot name or lot record, quantity)``; returns the transfer.

        For products without tracking, pass ``[(None, quantity)]``.
        """
        lines = []
        for lot, quantity in lots:
            if isinstance(lot, str):
                lot = cls._create_lot(product, lot)
            lines.append((product, quantity, lot or cls.env["stock.production.lot"]))
        return cls.env["stock.picking"]._create_done_transfer(
            cls.receipt_type, partner or cls.supplier, lines, location_dest=location)

    @classmethod
    def _deliver(cls, product, lots, location=None, partner=None):
        """Ship ``lots`` (a list of ``(lot record, quantity)``) to a customer."""
        lines = [(product, quantity, lot) for lot, quantity in lots]
        return cls.env["stock.picking"]._create_done_transfer(
            cls.delivery_type, partner or cls.customer, lines, location=location)

    @classmethod
    def _return_lot(cls, delivery, lot, qty):
        """Return ``qty`` of ``lot`` from ``delivery`` through Odoo's return wizard."""
        wizard = cls.env["stock.return.picking"].with_context(
            active_id=delivery.id, active_ids=delivery.ids).create({})
        wizard.product_return_moves.write({"quantity": qty})
        picking = cls.env["stock.picking"].browse(wizard._create_returns()[0])
        picking.move_line_ids.unlink()
        move = picking.move_lines
        cls.env["stock.move.line"].create({
            "move_id": move.id, "picking_id": picking.id, "product_id": move.product_id.id,
            "product_uom_id": move.product_uom.id, "lot_id": lot.id, "qty_done": qty,
            "location_id": move.location_id.id, "location_dest_id": move.location_dest_id.id,
        })
        picking.action_done()
        return picking

    def _on_hand(self, product, lot=None, location=None):
        return self.env["stock.quant"]._get_available_quantity(
            product, location or self.stock_location, lot_id=lot, strict=False)

    # --- genealogy -----------------------------------------------------------
    @classmethod
    def _done_moves(cls, lines, location, location_dest, date=None):
        """Done moves (no picking type, explicit lots) for ``lines`` of ``(lot, qty)``."""
        move_lines = cls.env["stock.move.line"]
        for lot, quantity in lines:
            product = lot.product_id
            move = cls.env["stock.move"].create({
                "name": product.display_name, "product_id": product.id,
                "product_uom": product.uom_id.id, "product_uom_qty": quantity,
                "location_id": location.id, "location_dest_id": location_dest.id,
            })
            move._action_confirm()
            move.move_line_ids.unlink()
            move_lines |= cls.env["stock.move.line"].create({
                "move_id": move.id, "product_id": product.id, "lot_id": lot.id,
                "product_uom_id": product.uom_id.id, "qty_done": quantity,
                "location_id": location.id, "location_dest_id": location_dest.id,
            })
        move_lines.mapped("move_id")._action_done()
        if date:
            cls._backdate(move_lines, date)
        return move_lines

    def _backdate_all(self):
        """Distinct, increasing past seconds for every done move line, in id order: Odoo's
        own traceability report links moves only by strictly later dates."""
        start = datetime.now() - timedelta(days=1)
        lines = self.env["stock.move.line"].search([("state", "=", "done")], order="id")
        for offset, line in enumerate(lines):
            stamp = fields.Datetime.to_string(start + timedelta(seconds=offset))
            line.move_id.write({"date": stamp})
            self.env.cr.execute("UPDATE stock_move_line SET date = %s WHERE id = %s",
                                (stamp, line.id))
        self.env["stock.move.line"].invalidate_cache()

    @classmethod
    def _backdate(cls, move_lines, date):
        """Give done lines (and their moves) a past date, as history reads."""
        date = date if isinstance(date, str) else date.strftime("%Y-%m-%d %H:%M:%S")
        move_lines.write({"date": date})
        move_lines.mapped("move_id").write({"date": date})

    @classmethod
    def _transform_as_mrp(cls, consumed, produced, location=None, date=None):
        """Consume ``[(lot, qty)]`` and produce ``[(lot, qty)]`` as Odoo/mrp writes it.

        Consumed lines go from ``location`` (default: stock) to the production location,
        produced lines come back; each produced line's ``consume_line_ids`` are the
        consumed lines. Returns ``(consumed_lines, produced_lines)``.
        """
        location = location or cls.stock_location
        production = cls.env.ref("stock.location_production")
        consumed_lines = cls._done_moves(consumed, location, production, date)
        produced_lines = cls._done_moves(produced, production, location, date)
        for line in produced_lines:
            line.consume_line_ids = [(6, 0, consumed_lines.ids)]
        return consumed_lines, produced_lines

    # --- transformations (assembly builds, splits) ---------------------------------------
    @classmethod
    def _transform(cls, consumed, produced, reference=None, **kwargs):
        """Run the shared transformation: ``consumed`` = [(product, lot, qty)], ``produced`` =
        [(product, lot name or record, qty)], from and to the stock location."""
        consumed_rows = [{"product": p, "lot": lot or cls.env["stock.production.lot"],
                          "qty": q, "location": cls.stock_location} for p, lot, q in consumed]
        produced_rows = []
        for product, lot, qty in produced:
            row = {"product": product, "qty": qty, "location_dest": cls.stock_location}
            if isinstance(lot, str):
                row["lot_vals"] = {"name": lot, "product_id": product.id}
            else:
                row["lot"] = lot
            produced_rows.append(row)
        return cls.env["stock.move"]._transform_lots(
            consumed_rows, produced_rows, reference or unique("TRANSFORM"), **kwargs)

    def _consume_links(self, produced_lines):
        """Rows (consume_line_id, produce_line_id) of the genealogy table for these lines."""
        self.env.cr.execute("""
            SELECT consume_line_id, produce_line_id FROM stock_move_line_consume_rel
             WHERE consume_line_id IN %s ORDER BY 1, 2""", (tuple(produced_lines.ids),))
        return self.env.cr.fetchall()

    @classmethod
    def _create_composition(cls, product, lines, qty=1.0, **vals):
        """A composition list; ``lines`` = [(product, qty, role)] in the product's unit."""
        vals.update(name=unique("List"), product_id=product.id if product else False,
                    product_qty=qty, line_ids=[
                        (0, 0, {"product_id": p.id, "product_qty": q, "role": role,
                                "product_uom_id": p.uom_id.id}) for p, q, role in lines])
        return cls.env["stock.composition"].create(vals)

    @classmethod
    def _create_assembly(cls, product, composition=None, qty=1.0, **vals):
        vals.update(product_id=product.id, product_qty=qty,
                    composition_id=composition.id if composition else False)
        return cls.env["stock.assembly"].create(vals)

    @classmethod
    def _build(cls, assembly, scans, done=True):
        """Scan each code of ``scans`` on ``assembly``, then mark it done."""
        for code in scans:
            assembly.action_scan(code)
        if done:
            assembly.action_done()
        return assembly

    @classmethod
    def _split(cls, batch, location=None, **vals):
        """Run Split Into Units on ``batch`` with wizard values ``vals``; returns the units."""
        # The work itself, in the request whatever the size (test_lot_traceability_job tests
        # the background jobs).
        wizard = cls.env["stock.lot.split"].with_context(
            active_model="stock.production.lot", active_id=batch.id,
            **internal_context(lot_traceability_sync=True)).create(
            dict(vals, location_id=(location or cls.stock_location).id))
        action = wizard.action_apply()
        return cls.env["stock.production.lot"].search(action["domain"], order="name")

    @classmethod
    def _analyze(cls):
        """Give PostgreSQL's planner the sizes of the stock tables after a test made
        thousands of rows. A real database's autovacuum does this within a minute; the rows
        of a test stay in its own transaction, where autovacuum never sees them, and a walk
        planned for tables of a few rows took 8 s instead of 50 ms in a full run.

        Autovacuum may hold one of the tables (the dead rows of rolled-back tests are its
        work). PostgreSQL cancels it for ANALYZE, but not always under the fake clock of
        `make test-clock` (one run waited out the 120 s lock timeout): after 10 s the test
        goes on with the statistics it has, slower, never different."""
        cr = cls.env.cr
        try:
            with cr.savepoint():
                cr.execute("SET LOCAL lock_timeout = '10s'")
                cr.execute("ANALYZE stock_move_line, stock_move, stock_move_line_consume_rel, "
                           "lot_trace_edge, stock_production_lot, stock_quant")
                cr.execute("SET LOCAL lock_timeout TO DEFAULT")
        except errors.LockNotAvailable:
            _logger.warning("ANALYZE of the stock tables waited 10 s for a lock: skipped")

    # --- receive lots ----------------------------------------------------------
    @classmethod
    def _create_attribute(cls, name, value_type="text", **vals):
        vals.update(name=unique(name), value_type=value_type)
        return cls.env["stock.lot.attribute"].create(vals)

    @classmethod
    def _create_incoming(cls, moves, partner=None, picking_type=None):
        """A confirmed receipt expecting ``moves``, a list of ``(product, quantity)``."""
        picking_type = picking_type or cls.receipt_type
        Picking = cls.env["stock.picking"]
        picking = Picking.create(Picking._prepare_transfer_vals(
            picking_type, partner or cls.supplier))
        for product, quantity in moves:
            cls.env["stock.move"].create({
                "name": product.display_name, "picking_id": picking.id,
                "picking_type_id": picking_type.id, "product_id": product.id,
                "product_uom": product.uom_id.id, "product_uom_qty": quantity,
                "location_id": picking.location_id.id,
                "location_dest_id": picking.location_dest_id.id})
        picking.action_confirm()
        return picking

    def _receive_wizard(self, rows, picking=None, product=None, partner=None, user=None,
                        **vals):
        """A Receive Lots wizard with ``rows`` (dicts of stock.lot.receive.line values)."""
        Wizard = self.env["stock.lot.receive"].sudo(user) if user else \
            self.env["stock.lot.receive"]
        vals.update(picking_id=picking.id if picking else False,
                    product_id=product.id if product else False,
                    partner_id=partner.id if partner else False,
                    line_ids=[(0, 0, dict(row)) for row in rows])
        return Wizard.create(vals)

    # --- bulk serial entry ----------------------------------------------------
    def _bulk_entry(self, product, serials_text, user=None, **vals):
        """A Bulk Serial Entry wizard for ``product`` (as ``user``, a Traceability user)."""
        vals.update(product_id=product.id, serials_text=serials_text)
        vals.setdefault("location_dest_id", self.stock_location.id)
        wizard_model = self.env["stock.serial.bulk.entry"].sudo(user or self.trace_user)
        return wizard_model.create(vals)

    # --- FSMA 204 export --------------------------------------------------------
    def _split_reference(self, units):
        """The document number of the split that made ``units`` (its moves' reference)."""
        return self.env["stock.move.line"].search(
            [("lot_id", "in", units.ids), ("state", "=", "done")], limit=1,
            order="id").move_id.transform_ref

    # --- the sanctioned bulk path against the ORM path (stock.lot.bulk.writer) ------------
    #: Foreign keys to records a run makes, compared by a stable key instead of their id.
    BULK_NEW_REFERENCES = {"lot_id": "stock_production_lot", "move_id": "stock_move",
                           "picking_id": "stock_picking"}

    def _max_ids(self, tables):
        """{table: its highest id}: what a later ``_dump_since`` leaves out."""
        ids = {}
        for table in tables:
            self.env.cr.execute(sql.SQL("SELECT COALESCE(MAX(id), 0) FROM {}").format(
                sql.Identifier(table)))
            ids[table] = self.env.cr.fetchone()[0]
        return ids

    def _dump_since(self, since, ignored):
        """Rows made since ``since`` ({table: max id}), ``ignored`` columns left out, new
        lots by name and other new records as "new <table>", sorted."""
        cr = self.env.cr
        cr.execute("SELECT id, name FROM stock_production_lot")
        lot_names = dict(cr.fetchall())
        dump = {}
        for table in since:
            cr.execute(sql.SQL("SELECT * FROM {} WHERE id > %s").format(sql.Identifier(table)),
                       [since[table]])
            columns = [column[0] for column in cr.description]
            rows = []
            for row in cr.fetchall():
                values = dict(zip(columns, row))
                if table == "stock_production_lot":
                    values["_name"] = values["name"]
                for column, target in self.BULK_NEW_REFERENCES.items():
                    if values.get(column) and values[column] > since.get(target, values[column]):
                        values[column] = lot_names[values[column]] \
                            if column == "lot_id" else "new " + target
                rows.append(tuple(sorted((key, str(value)) for key, value in values.items()
                                         if key not in ignored)))
            dump[table] = sorted(rows)
        return dump

    def _dump_rolled_back(self, function, since, ignored, extra=None):
        """Run ``function``, dump what it wrote (and ``extra()``), then undo it all."""
        self.env.cr.execute("SAVEPOINT bulk_dump")
        function()
        dump = self._dump_since(since, ignored)
        if extra:
            dump["extra"] = extra()
        self.env.cr.execute("ROLLBACK TO SAVEPOINT bulk_dump")
        self.env.cache.invalidate()
        return dump

    # --- evidence: refused calls write nothing, stock is conserved -------------------------
    EVIDENCE_MODELS = ("stock.production.lot", "stock.move.line", "stock.quant",
                       "stock.lot.recall", "stock.lot.recall.hold", "stock.assembly.line")

    @contextmanager
    def _recorded_statements(self):
        """The SQL statements the block runs, through the real cursor's execute: a list of
        ``Statement(query, params, text)``, ``text`` as PostgreSQL receives it (the
        parameters bound)."""
        cr, statements, execute = self.env.cr, [], self.env.cr.execute

        def recording(query, params=None, log_exceptions=None):
            statements.append(Statement(str(query), params, cr.mogrify(query, params).decode()))
            return execute(query, params, log_exceptions)
        cr.execute = recording
        try:
            yield statements
        finally:
            del cr.execute

    @contextmanager
    def _assert_refused(self, exception, regex=None):
        """assertRaises(Regex) that also undoes what the refused call wrote before raising,
        as the rollback of its JSON-RPC request does."""
        check = self.assertRaisesRegex(exception, regex) if regex else \
            self.assertRaises(exception)
        with check:
            try:
                with self.env.cr.savepoint():
                    yield
            finally:
                self.env.cache.invalidate()

    def _counts(self):
        """{model: number of records}: what a refused call must leave as it was."""
        return {model: self.env[model].sudo().search_count([])
                for model in self.EVIDENCE_MODELS}

    def _internal_stock(self, lot):
        """{location: quantity} of ``lot`` in internal locations (quants, zeros left out)."""
        quants = self.env["stock.quant"].sudo().search([
            ("lot_id", "=", lot.id), ("location_id.usage", "=", "internal")])
        stock = {}
        for quant in quants:
            stock[quant.location_id] = stock.get(quant.location_id, 0.0) + quant.quantity
        return {location: qty for location, qty in stock.items() if qty}
