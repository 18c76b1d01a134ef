# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError

from ..tools.internal_context import internal_context
from .common import TraceabilityCase, unique


class TestSerialBulkEntry(TraceabilityCase):
    """Bulk Serial Entry: the shared data once, the serials pasted, scanned or generated."""

    @classmethod
    def setUpClass(cls):
        super(TestSerialBulkEntry, cls).setUpClass()
        cls.drill = cls._create_product("Drill", tracking="serial")
        cls.crib = cls._create_location("Crib")

    def _lots(self, product=None):
        return self.env["stock.production.lot"].search(
            [("product_id", "=", (product or self.drill).id)])

    def _apply(self, text, **vals):
        vals.setdefault("partner_id", self.supplier.id)
        return self._bulk_entry(self.drill, text, **vals).action_apply()

    def _assert_nothing_written(self, pickings_before):
        self.assertFalse(self._lots())
        self.assertEqual(self.env["stock.picking"].search_count([]), pickings_before)
        self.assertFalse(self.env["stock.quant"].search([("product_id", "=", self.drill.id)]))

    # --- paste rules ---------------------------------------------------------------------
    def test_paste_every_separator(self):
        """Newlines (LF, CRLF, CR), commas, semicolons and tabs all separate serials."""
        self._apply("A1\nA2\r\nA3\rA4,A5;A6\tA7")
        self.assertEqual(sorted(self._lots().mapped("name")),
                         ["A1", "A2", "A3", "A4", "A5", "A6", "A7"])

    def test_paste_trims_keeps_inner_spaces_and_skips_blanks(self):
        """Spaces around a serial go, spaces inside stay, blank entries are ignored."""
        wizard = self._bulk_entry(self.drill, "  B 1  \n\n ,, ;\t\nB2 ",
                                  partner_id=self.supplier.id)
        self.assertEqual(wizard.serial_count, 2)
        wizard.action_apply()
        self.assertEqual(sorted(self._lots().mapped("name")), ["B 1", "B2"])

    def test_paste_normalises_unicode_and_keeps_case(self):
        """A decomposed 'é' is stored composed (NFC); 'sn-1' and 'SN-1' are two serials."""
        self._apply("CAFE\u0301-1\nsn-1\nSN-1")
        self.assertEqual(sorted(self._lots().mapped("name")), ["CAF\u00c9-1", "SN-1", "sn-1"])

    def test_paste_refuses_control_characters_and_long_entries(self):
        """A control character or an entry over 64 characters: named, nothing written."""
        before = self.env["stock.picking"].search_count([])
        for text, named in (("C1\nC\x072\nC3", "U+0007"), ("C1\n" + "X" * 65, "65 characters")):
            wizard = self._bulk_entry(self.drill, text, partner_id=self.supplier.id)
            self.assertIn(named, wizard.input_error)
            with self.assertRaises(UserError) as error:
                wizard.action_apply()
            self.assertIn(named, str(error.exception))
            self._assert_nothing_written(before)

    def test_paste_very_long_input(self):
        """Three thousand serials in one paste are counted and all received."""
        serials = ["L-%05d" % number for number in range(3000)]
        wizard = self._bulk_entry(self.drill, "\n".join(serials), partner_id=self.supplier.id)
        self.assertEqual(wizard.serial_count, 3000)
        # In the request, not as a background job (test_lot_traceability_job tests those).
        wizard.with_context(**internal_context(lot_traceability_sync=True)).action_apply()
        self.assertEqual(len(self._lots()), 3000)
        self.assertEqual(self.drill.with_context(location=self.stock_location.id).qty_available,
                         3000)

    def test_empty_input_refused(self):
        wizard = self._bulk_entry(self.drill, " \n ", partner_id=self.supplier.id)
        with self.assertRaises(UserError):
            wizard.action_apply()

    # --- scan ----------------------------------------------------------------------------
    def test_each_scan_appends_and_counts(self):
        """Each scan adds one serial; the count follows; a GS1 code gives its serial (AI 21)."""
        wizard = self._bulk_entry(self.drill, "S1", partner_id=self.supplier.id)
        wizard.scan_code = "S2"
        wizard._onchange_scan_code()
        wizard.on_barcode_scanned("(01)09501101530003(21)S3")
        self.assertEqual(wizard.serials_text, "S1\nS2\nS3")
        self.assertFalse(wizard.scan_code)
        self.assertEqual(wizard.serial_count, 3)

    # --- range ---------------------------------------------------------------------------
    def test_range_widens_past_padding(self):
        """SN-999998 for 4 with 6 digits gives SN-999998 .. SN-1000001, added to the list."""
        wizard = self._bulk_entry(self.drill, "X-1", partner_id=self.supplier.id,
                                  range_prefix="SN-", range_first=999998, range_count=4,
                                  range_padding=6)
        self.assertFalse(wizard.action_generate_range())  # the form reloads
        self.assertEqual(wizard.serials_text.split("\n"),
                         ["X-1", "SN-999998", "SN-999999", "SN-1000000", "SN-1000001"])

    def test_range_padding_and_suffix(self):
        wizard = self._bulk_entry(self.drill, False, range_prefix="D", range_first=7,
                                  range_count=3, range_padding=4, range_suffix="/B")
        wizard.action_generate_range()
        self.assertEqual(wizard.serials_text, "D0007/B\nD0008/B\nD0009/B")
        self.assertEqual(wizard.serial_count, 3)

    def test_range_count_zero_or_less_refused(self):
        for count in (0, -3):
            wizard = self._bulk_entry(self.drill, False, range_prefix="Z", range_count=count)
            with self.assertRaises(UserError) as error:
                wizard.action_generate_range()
            self.assertIn(str(count), str(error.exception))
            self.assertFalse(wizard.serials_text)

    # --- refusals --------------------------------------------------------------------------
    def test_duplicates_in_input_refused_nothing_written(self):
        """Duplicates are listed before Apply; Apply refuses them and writes nothing."""
        before = self.env["stock.picking"].search_count([])
        wizard = self._bulk_entry(self.drill, "D1\nD2\nD1\nD3,D2,D1", partner_id=self.supplier.id)
        self.assertEqual(wizard.duplicate_text, "D1 (x3)\nD2 (x2)")
        with self.assertRaises(UserError) as error:
            wizard.action_apply()
        self.assertIn("D1 (x3)", str(error.exception))
        self._assert_nothing_written(before)

    def test_serial_in_stock_elsewhere_refused_nothing_written(self):
        """A serial of this product in stock in another location blocks Apply, named with it."""
        self._receive(self.drill, [("E1", 1.0)], location=self.crib)
        lots_before = self._lots()
        pickings = self.env["stock.picking"].search_count([])
        wizard = self._bulk_entry(self.drill, "E0\nE1\nE2", partner_id=self.supplier.id)
        self.assertIn("E1", wizard.in_stock_text)
        self.assertIn(self.crib.name, wizard.in_stock_text)
        with self.assertRaises(UserError) as error:
            wizard.action_apply()
        self.assertIn("E1 (", str(error.exception))
        self.assertEqual(self._lots(), lots_before)
        self.assertEqual(self.env["stock.picking"].search_count([]), pickings)

    def test_same_serial_of_another_product_is_fine(self):
        """Uniqueness is per product: another product's E1 does not block."""
        other = self._create_product("Saw", tracking="serial")
        self._receive(other, [("E1", 1.0)])
        wizard = self._bulk_entry(self.drill, "E1", partner_id=self.supplier.id)
        self.assertFalse(wizard.in_stock_text)
        wizard.action_apply()
        self.assertEqual(self._lots().mapped("name"), ["E1"])

    def test_stockless_serial_received_again(self):
        """A serial delivered before (no stock left) is flagged, then received again, same lot."""
        self._receive(self.drill, [("R1", 1.0)])
        lot = self._lots()
        self._deliver(self.drill, [(lot, 1.0)])
        self.assertEqual(lot.product_qty, 0)
        wizard = self._bulk_entry(self.drill, "R1\nR2", partner_id=self.supplier.id,
                                  location_dest_id=self.crib.id)
        self.assertEqual(wizard.restock_text, "R1")
        self.assertFalse(wizard.in_stock_text)
        wizard.action_apply()
        self.assertEqual(self._lots().filtered(lambda l: l.name == "R1"), lot)
        self.assertEqual(self._on_hand(self.drill, lot, self.crib), 1.0)
        self.assertEqual(len(self._lots()), 2)

    # --- results -----------------------------------------------------------------------------
    def test_receipt_stock_and_history(self):
        """Apply makes a done receipt from the vendor: one unit per serial, dates on each lot."""
        reference = unique("PO")
        action = self._apply("H1\nH2\nH3", location_dest_id=self.crib.id, origin=reference,
                             warranty_date="2029-06-30", life_date="2030-01-01 00:00:00")
        lots = self._lots()
        self.assertEqual(len(lots), 3)
        self.assertEqual(set(lots.mapped("warranty_date")), {"2029-06-30"})
        self.assertEqual(set(lots.mapped("life_date")), {"2030-01-01 00:00:00"})
        lines = self.env["stock.move.line"].search(action["domain"])
        self.assertEqual(lines.mapped("lot_id"), lots)
        self.assertEqual(set(lines.mapped("state")), {"done"})
        self.assertEqual(set(lines.mapped("qty_done")), {1.0})
        picking = lines.mapped("picking_id")
        self.assertEqual(len(picking), 1)
        self.assertEqual((picking.state, picking.partner_id, picking.origin),
                         ("done", self.supplier, reference))
        self.assertEqual(picking.picking_type_id, self.receipt_type)
        self.assertEqual(set(lines.mapped("location_id")), {self.supplier_location})
        self.assertEqual(set(lines.mapped("location_dest_id")), {self.crib})
        for lot in lots:
            self.assertEqual(self._on_hand(self.drill, lot, self.crib), 1.0)
            self.assertEqual(lot.product_qty, 1.0)

    def test_expiry_dates_default_from_product(self):
        """A product with a life time gives the wizard its end-of-life date."""
        product = self._create_product("Battery", tracking="serial", life_time=10)
        wizard = self._bulk_entry(product, "P1")
        wizard._onchange_product_id()
        self.assertTrue(wizard.life_date)
        self.assertFalse(wizard.use_date)

    def test_no_vendor_is_an_inventory_adjustment(self):
        """Without a vendor Apply validates an inventory adjustment into the location."""
        wizard = self._bulk_entry(self.drill, "I1\nI2", location_dest_id=self.crib.id)
        self.assertIn("inventory adjustment", wizard.operation)
        action = wizard.action_apply()
        lines = self.env["stock.move.line"].search(action["domain"])
        self.assertEqual(sorted(lines.mapped("lot_id.name")), ["I1", "I2"])
        inventory = lines.mapped("move_id.inventory_id")
        self.assertEqual(inventory.state, "done")
        self.assertEqual(set(lines.mapped("location_id.usage")), {"inventory"})
        for lot in self._lots():
            self.assertEqual(self._on_hand(self.drill, lot, self.crib), 1.0)

    def test_from_receipt_line(self):
        """Opened on a receipt's line, Apply fills its serials; the count must match."""
        picking = self.env["stock.picking"].create(self.env["stock.picking"]._prepare_transfer_vals(
            self.receipt_type, self.supplier))
        move = self.env["stock.move"].create({
            "name": "drills", "picking_id": picking.id, "product_id": self.drill.id,
            "product_uom": self.drill.uom_id.id, "product_uom_qty": 3.0,
            "location_id": picking.location_id.id, "location_dest_id": picking.location_dest_id.id,
        })
        picking.action_confirm()
        action = move.sudo(self.trace_user).action_serial_bulk_entry()
        wizard = self.env["stock.serial.bulk.entry"].sudo(self.trace_user).with_context(
            **action["context"]).create({"serials_text": "F1\nF2"})
        self.assertEqual((wizard.move_id, wizard.product_id), (move, self.drill))
        self.assertEqual(wizard.partner_id, self.supplier)
        with self.assertRaises(UserError) as error:
            wizard.action_apply()
        self.assertIn("3", str(error.exception))
        self.assertFalse(self._lots())
        wizard.serials_text = "F1\nF2\nF3"
        action = wizard.action_apply()
        self.assertEqual((action["res_model"], action["res_id"]), ("stock.picking", picking.id))
        self.assertEqual(sorted(move.move_line_ids.mapped("lot_id.name")), ["F1", "F2", "F3"])
        self.assertEqual(move.quantity_done, 3.0)
        picking.action_done()
        self.assertEqual(picking.state, "done")
        self.assertEqual(self.drill.with_context(location=self.stock_location.id).qty_available, 3)

    def test_wizard_view_loads(self):
        self.env["stock.serial.bulk.entry"].sudo(self.trace_user).fields_view_get(
            view_type="form")
