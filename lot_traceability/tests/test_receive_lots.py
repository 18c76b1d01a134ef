# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import TraceabilityCase, unique


class TestReceiveLots(TraceabilityCase):
    """A clerk receives a pallet with several lots of a SKU through Receive Lots."""

    @classmethod
    def setUpClass(cls):
        super(TestReceiveLots, cls).setUpClass()
        cls.juice = cls._create_product("Juice", uom=cls.uom_kg, barcode="4006381333931",
                                        life_time=365, use_time=300)
        cls.sugar = cls._create_product("Sugar", uom=cls.uom_kg)
        cls.jar = cls._create_product("Jar", tracking="none")
        cls.Lot = cls.env["stock.production.lot"]

    def _lots(self, product):
        return self.Lot.search([("product_id", "=", product.id)])

    # --- lot fields and numbering ----------------------------------------------------
    def test_lot_sequence_of_product_else_global(self):
        """A product with its own lot numbering proposes from it; others from Odoo's."""
        sequence = self.env["ir.sequence"].create({
            "name": "Juice lots", "prefix": "JU-", "padding": 4})
        self.juice.lot_sequence_id = sequence
        self.assertEqual(self.juice.product_tmpl_id._next_lot_code(), "JU-0001")
        default = self.Lot.with_context(default_product_id=self.juice.id).default_get(["name"])
        self.assertEqual(default["name"], "JU-0002")
        self.assertTrue(self.sugar.product_tmpl_id._next_lot_code())
        self.assertFalse(self.sugar.product_tmpl_id._next_lot_code().startswith("JU-"))

    def test_dates_from_production_date(self):
        """Expiry dates count from the production date when given, else from now."""
        dates = self.Lot._get_dates(self.juice.id, "2026-01-10")
        self.assertEqual(dates["life_date"][:10], "2027-01-10")
        self.assertEqual(dates["use_date"][:10], "2026-11-06")
        self.assertFalse(dates["removal_date"])
        line = self.env["stock.lot.receive.line"].new({"product_id": self.juice.id,
                                                       "production_date": "2026-01-10"})
        line._onchange_product_id()
        self.assertEqual(line.life_date, "2027-01-10")
        # A lot created with its production date (the form, a script) follows the same rule;
        # a date it is given is kept.
        lot = self.Lot.create({"name": "J-PD", "product_id": self.juice.id,
                               "production_date": "2026-01-10", "use_date": "2026-06-01"})
        self.assertEqual((lot.life_date[:10], lot.use_date[:10]), ("2027-01-10", "2026-06-01"))
        with self.assertRaisesRegex(ValidationError, "production_date.*not a real date"):
            self.Lot.create({"name": "J-PD2", "product_id": self.juice.id,
                             "production_date": "2026-13-45"})

    # --- receiving on a transfer -----------------------------------------------------
    def test_receive_two_lots_on_transfer(self):
        """Two lots of a SKU on one receipt: lots with their codes, dates, move lines done."""
        picking = self._create_incoming([(self.juice, 10.0)])
        wizard = self._receive_wizard([
            {"product_id": self.juice.id, "lot_name": "J-A", "quantity": 6.0,
             "supplier_lot_code": "SUP-1", "production_date": "2026-01-10"},
            {"product_id": self.juice.id, "lot_name": "J-B", "quantity": 4.0,
             "life_date": "2027-05-01", "use_date": "2027-04-01"},
        ], picking=picking, user=self.trace_user)
        wizard.action_apply()
        lines = picking.move_line_ids.sorted("qty_done")
        self.assertEqual(lines.mapped("lot_id.name"), ["J-B", "J-A"])
        self.assertEqual(lines.mapped("qty_done"), [4.0, 6.0])
        self.assertFalse(any(lines.mapped("lot_name")))
        first = lines[1].lot_id
        self.assertEqual((first.supplier_lot_code, first.production_date), ("SUP-1", "2026-01-10"))
        self.assertEqual(first.life_date[:10], "2027-01-10")
        self.assertEqual(lines[0].lot_id.life_date[:10], "2027-05-01")
        self.assertEqual(lines[0].lot_id.use_date[:10], "2027-04-01")
        self.assertNotEqual(picking.state, "done")
        picking.action_done()
        self.assertEqual(self._on_hand(self.juice, first), 6.0)

    def test_existing_lot_code_adds_to_lot(self):
        """Receiving a code the product already has adds to that lot: no second lot."""
        lot = self._create_lot(self.juice, "J-OLD", production_date="2026-02-01")
        self._receive(self.juice, [(lot, 5.0)])
        picking = self._create_incoming([(self.juice, 3.0)])
        self._receive_wizard([{"product_id": self.juice.id, "lot_name": "J-OLD",
                               "quantity": 3.0, "production_date": "2026-02-01"}],
                             picking=picking, validate_now=True).action_apply()
        self.assertEqual(self._lots(self.juice), lot)
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.move_line_ids.lot_id, lot)
        self.assertEqual(self._on_hand(self.juice, lot), 8.0)

    def test_date_disagreement_names_lot(self):
        """A date that differs (by calendar day) from the stored lot's is refused."""
        lot = self._create_lot(self.juice, "J-DATE", life_date="2027-03-01 23:30:00")
        picking = self._create_incoming([(self.juice, 3.0)])
        same_day = self._receive_wizard([{"product_id": self.juice.id, "lot_name": "J-DATE",
                                          "quantity": 1.0, "life_date": "2027-03-01"}],
                                        picking=picking)
        wizard = self._receive_wizard([{"product_id": self.juice.id, "lot_name": "J-DATE",
                                        "quantity": 3.0, "life_date": "2027-03-02"}],
                                      picking=picking)
        with self.assertRaises(UserError) as error:
            wizard.action_apply()
        self.assertIn("J-DATE", error.exception.name)
        self.assertIn("2027-03-02", error.exception.name)
        self.assertFalse(picking.move_line_ids.filtered("qty_done"))
        same_day.action_apply()
        self.assertEqual(picking.move_line_ids.filtered("qty_done").lot_id, lot)

    def test_every_validation_error_named_nothing_written(self):
        """Untracked product, zero quantity, duplicate code: one error naming each row."""
        picking = self._create_incoming([(self.juice, 10.0), (self.jar, 5.0)])
        lines_before = picking.move_line_ids
        wizard = self._receive_wizard([
            {"product_id": self.juice.id, "lot_name": "J-OK", "quantity": 2.0},
            {"product_id": self.jar.id, "lot_name": "JAR-1", "quantity": 1.0},
            {"product_id": self.juice.id, "lot_name": "J-ZERO", "quantity": 0.0},
            {"product_id": self.juice.id, "lot_name": "J-OK", "quantity": 1.0},
            {"product_id": self.juice.id, "lot_name": "J-UOM", "quantity": 1.0,
             "uom_id": self.uom_unit.id},
        ], picking=picking)
        with self.assertRaises(UserError) as error:
            wizard.action_apply()
        message = error.exception.name
        self.assertNotIn("Row 1 ", message)
        self.assertIn("Row 2 (%s, lot JAR-1)" % self.jar.display_name, message)
        self.assertIn("not tracked by lots", message)
        self.assertIn("Row 3 (%s, lot J-ZERO): the quantity must be positive"
                      % self.juice.display_name, message)
        self.assertIn("Row 4", message)
        self.assertIn("also on row 1", message)
        self.assertIn("Row 5", message)
        self.assertEqual(picking.move_line_ids, lines_before)
        self.assertFalse(self._lots(self.juice))
        serial = self._create_product("Drill", tracking="serial")
        with self.assertRaises(UserError):
            self._receive_wizard([{"product_id": serial.id, "lot_name": "S1", "quantity": 1.0}],
                                 picking=picking).action_apply()

    def test_operation_type_flags(self):
        """New codes need 'create new lots'; a type using existing lots only takes known ones."""
        existing_only = self.receipt_type.copy({
            "name": unique("Receipts existing lots"), "use_create_lots": False,
            "use_existing_lots": True, "sequence_id": self.receipt_type.sequence_id.id})
        known = self._create_lot(self.juice, "J-KNOWN")
        picking = self._create_incoming([(self.juice, 4.0)], picking_type=existing_only)
        wizard = self._receive_wizard([
            {"product_id": self.juice.id, "lot_name": "J-NEW", "quantity": 2.0},
            {"product_id": self.juice.id, "lot_name": "J-KNOWN", "quantity": 2.0}],
            picking=picking)
        with self.assertRaises(UserError) as error:
            wizard.action_apply()
        self.assertIn("Row 1", error.exception.name)
        self.assertIn("does not create lots", error.exception.name)
        self.assertNotIn("Row 2", error.exception.name)
        wizard.line_ids[0].unlink()
        wizard.action_apply()
        self.assertEqual(picking.move_line_ids.filtered("qty_done").lot_id, known)
        no_lots = existing_only.copy({"name": unique("No lots"), "use_existing_lots": False})
        picking = self._create_incoming([(self.juice, 4.0)], picking_type=no_lots)
        with self.assertRaises(UserError) as error:
            self._receive_wizard([{"product_id": self.juice.id, "lot_name": "J-KNOWN",
                                   "quantity": 1.0}], picking=picking).action_apply()
        self.assertIn("records no lots", error.exception.name)

    def test_validate_now_partial_makes_backorder(self):
        """Validate now on a partial receipt: the transfer is done, the rest a backorder."""
        picking = self._create_incoming([(self.juice, 10.0), (self.sugar, 5.0)])
        self._receive_wizard([{"product_id": self.juice.id, "lot_name": "J-P", "quantity": 7.0}],
                             picking=picking, validate_now=True).action_apply()
        self.assertEqual(picking.state, "done")
        backorder = self.env["stock.picking"].search([("backorder_id", "=", picking.id)])
        self.assertEqual(len(backorder), 1)
        remaining = {move.product_id: move.product_uom_qty for move in backorder.move_lines}
        self.assertEqual(remaining, {self.juice: 3.0, self.sugar: 5.0})

    def test_from_product_creates_receipt(self):
        """From a product: a receipt of the warehouse's receipt type from the vendor."""
        wizard = self.env["stock.lot.receive"].with_context(
            active_model="product.product", active_id=self.sugar.id).create({
                "partner_id": self.supplier.id,
                "line_ids": [(0, 0, {"product_id": self.sugar.id, "lot_name": "S-1",
                                     "quantity": 25.0})]})
        self.assertEqual(wizard.product_id, self.sugar)
        action = wizard.action_apply()
        picking = self.env["stock.picking"].browse(action["res_id"])
        self.assertEqual(picking.picking_type_id, self.warehouse.in_type_id)
        self.assertEqual(picking.partner_id, self.supplier)
        self.assertEqual(picking.move_line_ids.lot_id.name, "S-1")
        self.assertEqual(picking.move_lines.product_uom_qty, 25.0)

    def test_from_product_error_creates_no_receipt(self):
        """An error in a row made from a product leaves no receipt behind."""
        count = self.env["stock.picking"].search_count([])
        wizard = self._receive_wizard([{"product_id": self.sugar.id, "lot_name": "S-0",
                                        "quantity": -1.0}], product=self.sugar,
                                      partner=self.supplier)
        with self.assertRaises(UserError):
            wizard.action_apply()
        self.assertEqual(self.env["stock.picking"].search_count([]), count)

    def test_open_from_operation_line(self):
        """The button on an operation line opens the wizard with what is left to receive."""
        picking = self._create_incoming([(self.juice, 9.0)])
        action = picking.move_lines.action_receive_lots()
        wizard = self.env["stock.lot.receive"].with_context(**action["context"]).create({})
        self.assertEqual(wizard.picking_id, picking)
        self.assertEqual(wizard.line_ids.product_id, self.juice)
        self.assertEqual(wizard.line_ids.quantity, 9.0)

    # --- scanning ----------------------------------------------------------------------
    def _scan(self, wizard, code):
        wizard.scan = code
        wizard._onchange_scan()
        return wizard.line_ids[-1:] if wizard.line_ids else wizard.line_ids

    def test_scan_gs1_fills_row(self):
        """A GS1 code: GTIN finds the product, 10/17/15/11/30 fill the row."""
        picking = self._create_incoming([(self.juice, 10.0)])
        wizard = self.env["stock.lot.receive"].new({"picking_id": picking.id})
        row = self._scan(wizard, "(01)04006381333931(10)G-1(11)260105(17)270301(15)270201"
                                 "(30)12")
        self.assertEqual(row.product_id, self.juice)
        self.assertEqual((row.lot_name, row.quantity), ("G-1", 12.0))
        self.assertEqual((row.production_date, row.life_date, row.use_date),
                         ("2026-01-05", "2027-03-01", "2027-02-01"))
        self.assertFalse(row.lot_id)
        self.assertFalse(wizard.scan)

    def test_scan_gs1_serial_fills_the_serial(self):
        """A serial-tracked product's row takes the serial (21) of a code that also carries
        a batch (10), as a medical device's DataMatrix does; a code without a serial fills
        no number."""
        meter = self._create_product("Meter", tracking="serial", barcode="09520123456788")
        picking = self._create_incoming([(meter, 2.0)])
        wizard = self.env["stock.lot.receive"].new({"picking_id": picking.id})
        row = self._scan(wizard, "(01)09520123456788(10)B-7(21)SN-0042")
        self.assertEqual((row.product_id, row.lot_name), (meter, "SN-0042"))
        self.assertEqual(row.quantity, 1.0)

    def test_scan_known_lot_code(self):
        """A plain code that is a lot of the product fills that lot; an unknown one warns."""
        lot = self._create_lot(self.juice, unique("J-SCAN"))
        picking = self._create_incoming([(self.juice, 10.0)])
        wizard = self.env["stock.lot.receive"].new({"picking_id": picking.id})
        row = self._scan(wizard, lot.name)
        self.assertEqual((row.lot_id, row.lot_name, row.product_id), (lot, lot.name, self.juice))
        wizard.on_barcode_scanned("NOTHING-LIKE-THIS")
        self.assertEqual(len(wizard.line_ids), 1)
        self.assertIn("NOTHING-LIKE-THIS", wizard.scan_message)

    def test_views_load(self):
        """Every view of the feature renders for a traceability user."""
        for model in ("stock.lot.receive", "stock.lot.attribute", "stock.lot.attribute.value"):
            self.env[model].sudo(self.trace_manager).fields_view_get(view_type="form")
        self.Lot.sudo(self.trace_user).fields_view_get(
            view_id=self.env.ref("lot_traceability.stock_production_lot_view_tree").id,
            view_type="tree")
        self.Lot.sudo(self.trace_user).fields_view_get(view_type="form")
        self.Lot.sudo(self.trace_user).fields_view_get(view_type="search")
        self.env["product.template"].fields_view_get(view_type="form")
        self.env["stock.picking"].fields_view_get(view_type="form")

    def test_from_product_single_product(self):
        """Opened from a product, every row is that product (transfers take several)."""
        wizard = self._receive_wizard([
            {"product_id": self.sugar.id, "lot_name": "S-2", "quantity": 1.0},
            {"product_id": self.juice.id, "lot_name": "J-2", "quantity": 1.0}],
            product=self.sugar, partner=self.supplier)
        with self.assertRaises(UserError) as error:
            wizard.action_apply()
        self.assertIn("Row 2: %s" % self.juice.display_name, error.exception.name)
        wizard.partner_id = False
        wizard.line_ids[1].unlink()
        with self.assertRaises(UserError) as error:
            wizard.action_apply()
        self.assertIn("vendor", error.exception.name)

    def test_empty_code_numbered_by_product_sequence(self):
        """A row without a code gets the next number of the product's lot numbering."""
        self.sugar.lot_sequence_id = self.env["ir.sequence"].create({
            "name": "Sugar lots", "prefix": "SG-", "padding": 3})
        picking = self._create_incoming([(self.sugar, 5.0)])
        self._receive_wizard([{"product_id": self.sugar.id, "quantity": 2.0},
                              {"product_id": self.sugar.id, "quantity": 3.0}],
                             picking=picking).action_apply()
        names = picking.move_line_ids.filtered("qty_done").mapped("lot_id.name")
        self.assertEqual(sorted(names), ["SG-001", "SG-002"])

    # --- what the receipt expects, and receiving once ------------------------------------
    def test_new_receipt_expects_what_is_received(self):
        """From a product, AUD-0001 25 kg, AUD-0002 30 kg and 500 g: the receipt Receive Lots
        makes expects 55.5 kg, so Validate asks nothing about over-processing. A receipt
        that existed keeps the demand it was ordered with (an over-receipt stays visible)."""
        gram = self.env.ref("product.product_uom_gram")
        action = self._receive_wizard([
            {"product_id": self.juice.id, "lot_name": "AUD-0001", "quantity": 25.0},
            {"product_id": self.juice.id, "lot_name": "AUD-0002", "quantity": 30.0},
            {"product_id": self.juice.id, "lot_name": "AUD-0003", "quantity": 500.0,
             "uom_id": gram.id}], product=self.juice, partner=self.supplier,
            user=self.trace_user).action_apply()
        picking = self.env["stock.picking"].browse(action["res_id"])
        self.assertEqual(picking.move_lines.product_uom_qty, 55.5)
        self.assertEqual(picking.move_lines.quantity_done, 55.5)
        self.assertEqual(picking.state, "assigned")
        self.assertFalse(picking._get_overprocessed_stock_moves())
        self.assertIs(picking.button_validate(), None)  # no over-receipt, no backorder dialog
        self.assertEqual(picking.state, "done")
        ordered = self._create_incoming([(self.juice, 10.0)])
        self._receive_wizard([
            {"product_id": self.juice.id, "lot_name": "AUD-0004", "quantity": 6.0},
            {"product_id": self.juice.id, "lot_name": "AUD-0005", "quantity": 7.0}],
            picking=ordered).action_apply()
        self.assertEqual(ordered.move_lines.product_uom_qty, 10.0)
        self.assertEqual(ordered._get_overprocessed_stock_moves(), ordered.move_lines)

    def test_second_apply_refused(self):
        """The same wizard applied twice (a double click, an RPC call again): the second
        Apply names the lots already received and writes nothing."""
        picking = self._create_incoming([(self.juice, 10.0)])
        wizard = self._receive_wizard([
            {"product_id": self.juice.id, "lot_name": "J-TWICE", "quantity": 3.0},
            {"product_id": self.juice.id, "quantity": 2.0}], picking=picking,
            user=self.trace_user)
        wizard.action_apply()
        lines = picking.move_line_ids.filtered("qty_done")
        self.assertEqual(sum(lines.mapped("qty_done")), 5.0)
        with self.assertRaises(UserError) as error:
            wizard.action_apply()
        message = error.exception.name
        self.assertIn("These lots were already received: ", message)
        for name in lines.mapped("lot_id.name"):  # the numbered lot too
            self.assertIn(name, message)
        self.assertIn(picking.name, message)
        self.assertEqual(picking.move_line_ids.filtered("qty_done"), lines)
        self.assertEqual(self._lots(self.juice), lines.mapped("lot_id"))
        # Validated on the first Apply: refused all the same, the stock received once.
        wizard = self._receive_wizard([{"product_id": self.sugar.id, "lot_name": "S-TWICE",
                                        "quantity": 4.0}], product=self.sugar,
                                      partner=self.supplier, validate_now=True)
        wizard.action_apply()
        with self.assertRaisesRegex(UserError, "already received: S-TWICE"):
            wizard.action_apply()
        self.assertEqual(self._on_hand(self.sugar, self._lots(self.sugar)), 4.0)
        # what the Apply received is not a user's to clear (over JSON-RPC too)
        wizard = self._receive_wizard([{"product_id": self.sugar.id, "lot_name": "S-USER",
                                        "quantity": 1.0}], product=self.sugar,
                                      partner=self.supplier, user=self.trace_user)
        wizard.action_apply()
        with self.assertRaisesRegex(AccessError, "received_picking_id"):
            wizard.write({"received_picking_id": False})
        with self.assertRaisesRegex(UserError, "already received: S-USER"):
            wizard.action_apply()
