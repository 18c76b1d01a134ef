# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The one sanctioned bulk writer (stock.lot.bulk.writer) does what the ORM does, including
what neither of the two SQL paths it replaces did: extra lot columns on a split, merging into
existing quants, taking untracked stock at the source first, the move's done hooks."""
import psycopg2

from odoo.exceptions import ValidationError

from ..models.stock_lot_bulk_writer import BulkUnsupported
from ..tools.internal_context import internal_context
from .common import TraceabilityCase

TABLES = ("stock_production_lot", "stock_picking", "stock_move", "stock_move_line",
          "stock_quant")
#: Timestamps, and the picking's sequence name (also the lines' reference).
IGNORED = {"id", "create_date", "write_date", "date", "in_date", "date_expected", "date_done",
           "scheduled_date", "name", "reference"}
OLD = "2020-01-01 08:00:00"


class TestStockLotBulkWriter(TraceabilityCase):
    #: Given, not "now + the product's days": the two runs compared may straddle a second.
    FIXED_DATES = {"removal_date": "2026-02-04 12:00:00"}

    @classmethod
    def setUpClass(cls):
        super(TestStockLotBulkWriter, cls).setUpClass()
        cls.writer = cls.env["stock.lot.bulk.writer"]
        cls.flour = cls._create_product("Flour", uom=cls.uom_kg, removal_time=40)

    def _receipt_move(self, product, qty):
        """The move of a receipt, its reserved lines removed (as the writer gets it)."""
        picking = self._create_incoming([(product, qty)])
        picking.move_line_ids.unlink()
        return picking.move_lines

    def _finish(self, product, rows, bulk):
        """Finish a receipt of ``rows`` with the writer or, as the oracle, with the ORM."""
        move = self._receipt_move(product, sum(row["qty"] for row in rows))
        line_vals = move._prepare_move_line_vals()
        if bulk:
            return self.writer._write_done_move(move, rows, line_vals)
        for row in rows:
            lot = row.get("lot") or self.env["stock.production.lot"].create(row["lot_vals"])
            self.env["stock.move.line"].create(dict(line_vals, lot_id=lot.id,
                                                    qty_done=row["qty"]))
        move.picking_id.action_done()
        return move.move_line_ids

    def _quants(self, product):
        """Every quant of ``product`` (also the ones merged into), old in_date kept."""
        self.env.cr.execute("""
            SELECT q.location_id, lot.name, q.quantity, q.reserved_quantity, q.company_id,
                   q.removal_date, q.create_uid, q.write_uid,
                   CASE WHEN q.in_date < '2021-01-01' THEN q.in_date END
              FROM stock_quant q LEFT JOIN stock_production_lot lot ON lot.id = q.lot_id
             WHERE q.product_id = %s""", [product.id])
        return sorted(self.env.cr.fetchall(), key=repr)

    def _both_paths(self, product, rows):
        since = self._max_ids(TABLES)
        return [self._dump_rolled_back(lambda: self._finish(product, rows, bulk), since,
                                       IGNORED, extra=lambda: self._quants(product))
                for bulk in (False, True)]

    def test_receipt_merges_into_existing_quants(self):
        """More of a lot already in stock: its quants (vendor and stock) grow and keep their
        oldest incoming date, as Odoo's quant update does; a new lot gets quants of its own."""
        old = self._create_lot(self.flour, "F-OLD")
        self._receive(self.flour, [(old, 5.0)])
        self.env.cr.execute("UPDATE stock_quant SET in_date = %s WHERE lot_id = %s",
                            [OLD, old.id])
        rows = [{"lot": old, "qty": 3.0},
                {"lot_vals": dict(self.FIXED_DATES, name="F-NEW", product_id=self.flour.id),
                 "qty": 2.0}]
        orm, bulk = self._both_paths(self.flour, rows)
        self.assertEqual(bulk, orm)
        stock = [q for q in orm["extra"] if q[0] == self.stock_location.id]
        self.assertEqual([(q[1], q[2], q[8]) for q in stock],
                         [("F-NEW", 2.0, None), ("F-OLD", 8.0, OLD)])
        self.assertTrue(all(q[5] for q in stock), "removal dates from the product's days")

    def test_untracked_stock_at_the_source_taken_first(self):
        """The vendor location holds untracked flour: Odoo takes each new lot from it
        before going negative; the writer leaves the quants to Odoo and ends the same."""
        self.env["stock.quant"].sudo()._update_available_quantity(
            self.flour, self.supplier_location, 4.0)
        rows = [{"lot_vals": dict(self.FIXED_DATES, name=name, product_id=self.flour.id),
                 "qty": qty} for name, qty in (("F-A", 3.0), ("F-B", 2.0))]
        orm, bulk = self._both_paths(self.flour, rows)
        self.assertEqual(bulk, orm)
        vendor = sorted((q[1], q[2]) for q in orm["extra"]
                        if q[0] == self.supplier_location.id)
        self.assertEqual(vendor, [("F-B", -1.0)])

    def test_split_with_extra_lot_columns_takes_the_bulk_path(self):
        """Units inheriting the batch's production and warranty dates and a reference: the
        split's SQL path writes them now (it fell back to the ORM before), same result."""
        jar = self._create_product("Jar", life_time=30)
        batch = self._create_lot(self.flour, "B-EXTRA")
        self._receive(self.flour, [(batch, 10.0)])

        def produced():  # fresh values each time: create() adds to the dicts it is given
            return [{"product": jar, "qty": 1.0, "location_dest": self.stock_location,
                     "lot_vals": {"name": "U-%d" % n, "product_id": jar.id, "ref": "R",
                                  "production_date": "2026-01-05",
                                  "warranty_date": "2028-01-05",
                                  # Given, not "now + 30 days": two runs may straddle a second.
                                  "life_date": "2026-02-04 12:00:00"}} for n in range(4)]
        consumed = [{"product": self.flour, "lot": batch, "qty": 2.0,
                     "location": self.stock_location}]
        Move = self.env["stock.move"].with_context(**internal_context(lot_transform_bulk=True))
        self.assertTrue(Move._can_bulk_produce(produced()))
        since = self._max_ids(TABLES)
        orm, bulk = [self._dump_rolled_back(
            lambda: Move.with_context(**internal_context(lot_transform_bulk=path))._transform_lots(
                consumed, produced(), "Split B-EXTRA", parent_lot=batch),
            since, IGNORED) for path in (False, True)]
        self.assertEqual(bulk, orm)
        lots = [dict(row) for row in orm["stock_production_lot"]]
        self.assertEqual({(lot["production_date"], lot["warranty_date"], lot["ref"])
                          for lot in lots}, {("2026-01-05", "2028-01-05", "R")})
        self.assertEqual({lot["parent_lot_id"] for lot in lots}, {str(batch.id)})

    def test_split_with_attribute_values_takes_the_bulk_path(self):
        """Units carrying the batch's attribute values (a text and a number): lots and values
        written by SQL, the values' computed fields and checks by the ORM, same result."""
        jar = self._create_product("Jar")
        colour = self._create_attribute("Colour")
        weight = self._create_attribute("Weight", value_type="number")
        batch = self._create_lot(self.flour, "B-ATTR")
        self._receive(self.flour, [(batch, 10.0)])
        values = [(colour, "value_text", "Red"), (weight, "value_number", 2.5)]

        def produced():  # fresh values each time: create() adds to the dicts it is given
            return [{"product": jar, "qty": 1.0, "location_dest": self.stock_location,
                     "lot_vals": {"name": "A-%d" % n, "product_id": jar.id,
                                  "attribute_value_ids": [
                                      (0, 0, {"attribute_id": attribute.id, "value_text": False,
                                              "value_number": 0.0, kind: value})
                                      for attribute, kind, value in values]}}
                    for n in range(3)]
        consumed = [{"product": self.flour, "lot": batch, "qty": 1.5,
                     "location": self.stock_location}]
        Move = self.env["stock.move"].with_context(**internal_context(lot_transform_bulk=True))
        self.assertTrue(Move._can_bulk_produce(produced()))
        since = self._max_ids(TABLES + ("stock_lot_attribute_value",))
        orm, bulk = [self._dump_rolled_back(
            lambda: Move.with_context(**internal_context(lot_transform_bulk=path))._transform_lots(
                consumed, produced(), "Split B-ATTR", parent_lot=batch),
            since, IGNORED) for path in (False, True)]
        self.assertEqual(bulk, orm)
        shown = sorted((dict(row)["lot_id"], dict(row)["value"], dict(row)["has_value"])
                       for row in orm["stock_lot_attribute_value"])
        self.assertEqual(shown, sorted((lot, value, "True") for lot in ("A-0", "A-1", "A-2")
                                       for value in ("Red", "2.5")))

    def test_bulk_attribute_values_are_checked(self):
        """A product-level attribute that lots may not override, valued on the units: the
        bulk path refuses it with the ORM's own message."""
        jar = self._create_product("Jar")
        grade = self._create_attribute("Grade", level="sku")
        batch = self._create_lot(self.flour, "B-SKU")
        self._receive(self.flour, [(batch, 10.0)])
        with self.assertRaisesRegex(ValidationError, "cannot override it"):
            self.env["stock.move"].with_context(
                **internal_context(lot_transform_bulk=True))._transform_lots(
                [{"product": self.flour, "lot": batch, "qty": 1.0,
                  "location": self.stock_location}],
                [{"product": jar, "qty": 1.0, "location_dest": self.stock_location,
                  "lot_vals": {"name": "S-%d" % n, "product_id": jar.id,
                               "attribute_value_ids": [(0, 0, {"attribute_id": grade.id,
                                                               "value_text": "A"})]}}
                 for n in range(2)], "Split B-SKU", parent_lot=batch)

    def test_bulk_split_runs_the_low_stock_check(self):
        """A unit product below its minimum: a bulk split brings it back above, and the
        low-stock flag is reset as after any done move (the old SQL path skipped it)."""
        jar = self._create_product("Jar")
        rule = self.env["stock.warehouse.orderpoint"].create({
            "product_id": jar.id, "warehouse_id": self.warehouse.id,
            "location_id": self.stock_location.id, "product_min_qty": 3.0,
            "product_max_qty": 10.0})
        rule.write({"low_stock": True})
        batch = self._create_lot(self.flour, "B-LOW")
        self._receive(self.flour, [(batch, 10.0)])
        self.env["stock.move"].with_context(
            **internal_context(lot_transform_bulk=True))._transform_lots(
            [{"product": self.flour, "lot": batch, "qty": 5.0,
              "location": self.stock_location}],
            [{"product": jar, "qty": 1.0, "location_dest": self.stock_location,
              "lot_vals": {"name": "J-%d" % n, "product_id": jar.id}} for n in range(5)],
            "Split B-LOW", parent_lot=batch)
        self.assertEqual(self._on_hand(jar), 5.0)
        self.assertFalse(rule.low_stock)

    def test_bulk_split_by_a_user_quants_by_odoo(self):
        """A Traceability user splits a batch: the unit lots and lines are the user's, their
        quants are created by Odoo's superuser, as its quant update creates them."""
        jar = self._create_product("Jar")
        batch = self._create_lot(self.flour, "B-USER")
        self._receive(self.flour, [(batch, 10.0)])
        result = self.env["stock.move"].sudo(self.trace_user).with_context(
            **internal_context(lot_transform_bulk=True))._transform_lots(
            [{"product": self.flour, "lot": batch, "qty": 3.0,
              "location": self.stock_location}],
            [{"product": jar, "qty": 1.0, "location_dest": self.stock_location,
              "lot_vals": {"name": "JU-%d" % n, "product_id": jar.id}} for n in range(3)],
            "Split B-USER", parent_lot=batch)
        lots = result["produced_lots"]
        quants = self.env["stock.quant"].search([("lot_id", "in", lots.ids)])
        self.assertEqual(len(quants), 6)
        self.assertEqual(quants.mapped("create_uid"), self.env.ref("base.user_root"))
        self.assertEqual(lots.mapped("create_uid") | result["produced_lines"].mapped(
            "create_uid"), self.trace_user)

    def test_refused_before_any_write(self):
        """Packages, owners, another unit, a view location, a fraction of a serial, lots of
        different shapes: BulkUnsupported, and nothing written (the ORM path follows)."""
        serial = self._create_product("Pump", tracking="serial")
        move = self._receipt_move(self.flour, 2.0)
        vals = move._prepare_move_line_vals()
        new = {"lot_vals": {"name": "F-X", "product_id": self.flour.id}, "qty": 1.0}
        refused = [
            (self.flour, self.stock_location, [new], dict(vals, owner_id=self.supplier.id)),
            (self.flour, self.stock_location, [new], dict(vals, product_uom_id=self.uom_unit.id)),
            (self.flour, self.stock_location.location_id, [new], vals),
            (serial, self.stock_location, [dict(new, qty=0.5)],
             dict(vals, product_uom_id=serial.uom_id.id)),
            (self.flour, self.stock_location, [new, {"lot_vals": {"name": "F-Y"}, "qty": 1.0}],
             vals),
        ]
        lots = self.env["stock.production.lot"].search_count([])
        for product, dest, rows, line_vals in refused:
            with self.assertRaises(BulkUnsupported):
                self.writer._check_bulk(product, self.supplier_location, dest, rows, line_vals)
        with self.assertRaises(BulkUnsupported):
            self.writer._write_done_move(move, [new], dict(vals, owner_id=self.supplier.id))
        self.assertEqual(self.env["stock.production.lot"].search_count([]), lots)
        self.assertEqual((move.state, move.move_line_ids.ids), ("confirmed", []))

    def test_insert_copies_every_value_back_as_given(self):
        """Rows go in by COPY: text with COPY's own separators and escapes (tab, newline,
        backslash, \\N), other line breaks, empty and missing values, booleans, floats and
        dates read back as given; a page with bytes in it is INSERTed instead."""
        Lot = self.env["stock.production.lot"]
        texts = ["tab\there", "two\nlines\r\nand CR\r", "back\\slash \\N \\t", "\\N",
                 "line\u2028separator\x0bvt\x0cff\x1cfs", "", "é 中 🍎", None]
        rows = [{"name": "COPY-%d" % number, "product_id": self.flour.id,
                 "product_uom_id": self.flour.uom_id.id, "ref": text,
                 "quality_reason": text, "epcis_external": number % 2 == 0,
                 "life_date": "2026-03-0%d 10:11:12" % (number + 1)}
                for number, text in enumerate(texts)]
        ids = self.writer._insert("stock.production.lot", rows,
                                  filled=self.writer._stored_computed(Lot))
        self.env.cr.execute("SELECT id, name, ref, quality_reason, epcis_external, life_date, "
                            "create_uid FROM stock_production_lot WHERE id = ANY(%s)", [ids])
        stored = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        for lot_id, row in zip(ids, rows):
            self.assertEqual(stored[lot_id][:4], (row["name"], row["ref"],
                                                  row["quality_reason"], row["epcis_external"]))
            self.assertEqual(str(stored[lot_id][4]), row["life_date"])
            self.assertEqual(stored[lot_id][5], self.env.uid)
        floats = [0.1, 1e-07, 2.5e+20, -3.0, 1 / 3.0]
        stock = self.env.ref("stock.stock_location_stock").id
        quant_ids = self.writer._reserve_ids("stock_quant", len(floats))
        self.writer._insert_page(
            "stock_quant", ["product_id", "location_id", "quantity", "reserved_quantity"],
            [(self.flour.id, stock, value, 0.0) for value in floats], quant_ids)
        self.env.cr.execute("SELECT quantity FROM stock_quant WHERE id = ANY(%s) ORDER BY id",
                            [quant_ids])
        self.assertEqual([row[0] for row in self.env.cr.fetchall()], floats)
        data = b"\x00\x01\\N\t\n"
        attachment_ids = self.writer._reserve_ids("ir_attachment", 1)
        self.writer._insert_page("ir_attachment", ["name", "type", "db_datas"],
                                 [("copy.bin", "binary", psycopg2.Binary(data))], attachment_ids)
        self.env.cr.execute("SELECT db_datas FROM ir_attachment WHERE id = %s", attachment_ids)
        self.assertEqual(bytes(self.env.cr.fetchone()[0]), data)

    def test_insert_pages_keep_the_order(self):
        """More rows than one INSERT statement takes: the ids come back in the rows' order."""
        Lot = self.env["stock.production.lot"]
        rows = [{"name": "PAGE-%05d" % number, "product_id": self.flour.id,
                 "product_uom_id": self.flour.uom_id.id} for number in range(2500)]
        ids = self.writer._insert("stock.production.lot", rows,
                                  filled=self.writer._stored_computed(Lot))
        self.assertEqual(len(set(ids)), 2500)
        names = dict(Lot.browse(ids).name_get())
        self.assertEqual([names[lot_id] for lot_id in ids], [row["name"] for row in rows])

    def test_insert_stores_what_create_stores(self):
        """Rows written column by column (each distinct value converted once, ids as they
        are) are stored as ``create`` stores the same values: on two pages, with values
        repeated across them, falsy and negative ids, -0.0, ints in float columns, False
        in every kind of column."""
        Line = self.env["stock.lot.recall.lot"]
        recall = self.env["stock.lot.recall"].create({"lot_ids": [(6, 0, [])]})
        lot = self.env["stock.production.lot"].create({"name": "EQ-1",
                                                       "product_id": self.flour.id})
        quantities = [0.0, -0.0, 1, 1.0, 2.5, False, -3, 1 / 3.0, 1e-07, 2.5e+11]
        rows = [{"recall_id": recall.id, "company_id": recall.company_id.id,
                 "lot_id": lot.id, "product_id": [self.flour.id, False, None][number % 3],
                 "uom_id": self.flour.uom_id.id if number % 2 else 0,
                 "depth": [number, False, 0, -1][number % 4],
                 "reason": ["origin", "downstream", False][number % 3],
                 "qty_in": quantities[number % len(quantities)],
                 "qty_consumed": quantities[(number * 7) % len(quantities)]}
                for number in range(1003)]
        ids = self.writer._insert(Line._name, rows, self.writer._stored_computed(Line))
        fields = sorted(rows[0])
        bulk = Line.browse(ids).read(fields, load="_classic_write")
        orm = self.env[Line._name]
        for row in rows[:40] + rows[-12:]:  # create() refuses id 0 (the writer: NULL)
            orm |= Line.create(dict(row, uom_id=row["uom_id"] or False))
        # create() recomputes the related product and unit from the lot: compare the rest,
        # and those columns with the SQL values they were given
        kept = [name for name in fields if name not in ("product_id", "uom_id")]
        expected = orm.read(kept, load="_classic_write")
        self.assertEqual([{name: row[name] for name in kept} for row in bulk[:40] + bulk[-12:]],
                         [{name: row[name] for name in kept} for row in expected])
        self.env.cr.execute("SELECT product_id, uom_id FROM stock_lot_recall_lot "
                            "WHERE id = ANY(%s) ORDER BY id", [ids])
        self.assertEqual(self.env.cr.fetchall(),
                         [(row["product_id"] or None, row["uom_id"] or None) for row in rows])
