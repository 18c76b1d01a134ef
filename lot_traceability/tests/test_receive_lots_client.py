# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A Traceability user saves receipts and receives lots with the values the web client sends.

The payloads below are the ones Odoo 11's web client sent (captured from the browser): a new
one2many row is ``(0, virtual_id, values)`` carrying every field its view lists and that is
not read-only, invisible ones included.
"""
import json

from lxml import etree

from odoo.exceptions import UserError

from .common import TraceabilityCase, unique


class TestReceiveLotsClient(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        super(TestReceiveLotsClient, cls).setUpClass()
        cls.lid = cls._create_product("Jar Lid", tracking="none")
        cls.apples = cls._create_product("Apples", uom=cls.uom_kg, barcode="9506000134352",
                                         life_time=60, use_time=45)
        cls.certificate = cls._create_attribute("Certificate Number", required=True)
        cls.brix = cls._create_attribute("Brix", value_type="number", default_value="11")
        cls.apples.lot_attribute_ids = cls.certificate | cls.brix
        cls.Wizard = cls.env["stock.lot.receive"].sudo(cls.trace_user)

    def _client_picking_vals(self, product, qty=5.0):
        """stock.picking create values as the transfer form sends them."""
        return {
            "is_locked": True, "location_id": self.supplier_location.id,
            "location_dest_id": self.stock_location.id, "move_type": "direct",
            "company_id": self.env.user.company_id.id, "partner_id": self.supplier.id,
            "origin": False, "owner_id": False, "picking_type_id": self.receipt_type.id,
            "priority": "1", "note": False,
            "move_lines": [(0, "virtual_52", {
                "date_expected": "2026-12-03 17:44:13", "state": "draft",
                "picking_type_id": self.receipt_type.id,
                "location_id": self.supplier_location.id,
                "location_dest_id": self.stock_location.id, "additional": False,
                "name": product.display_name, "product_id": product.id,
                "product_uom": product.uom_id.id, "product_uom_qty": qty,
                "has_tracking": product.tracking})],
        }

    # --- blocker: saving a receipt ---------------------------------------------------------
    def test_user_saves_new_receipt(self):
        """A Traceability user saves a new receipt of an untracked lid, then of apples, as
        the form sends it: no write reaches the product."""
        Picking = self.env["stock.picking"].sudo(self.trace_user)
        for product in (self.lid, self.apples):
            picking = Picking.create(self._client_picking_vals(product))
            self.assertEqual(picking.move_lines.product_id, product)
            self.assertEqual(picking.move_lines.has_tracking, product.tracking)
        self.assertEqual((self.lid.tracking, self.apples.tracking), ("none", "lot"))

    def _view_fields(self, model, arch, fields_info):
        """(model, field name, modifiers) of every field a client of this view sends."""
        for node in etree.fromstring(arch).iter("field"):
            name = node.get("name")
            modifiers = json.loads(node.get("modifiers", "{}"))
            yield model, name, modifiers
            for sub_view in fields_info.get(name, {}).get("views", {}).values():
                comodel = fields_info[name]["relation"]
                for found in self._view_fields(comodel, sub_view["arch"], sub_view["fields"]):
                    yield found

    def test_no_view_writes_through_a_related_field(self):
        """No field of the addon's form views that a client sends back writes another model
        through a related field (a stock user may not write products, lots...)."""
        views = self.env["ir.model.data"].search([
            ("module", "=", "lot_traceability"), ("model", "=", "ir.ui.view")])
        models = set(self.env["ir.ui.view"].browse(views.mapped("res_id"))
                     .filtered(lambda v: v.type == "form").mapped("model"))
        # Settings write company fields through related fields by design (managers only).
        models.discard("res.config.settings")
        offenders = []
        for model in sorted(models):
            view = self.env[model].sudo(self.trace_manager).fields_view_get(view_type="form")
            for name_model, name, modifiers in self._view_fields(
                    model, view["arch"], view["fields"]):
                field = self.env[name_model]._fields.get(name)
                if field and field.related and len(field.related) > 1 and not field.readonly \
                        and modifiers.get("readonly") is not True:
                    offenders.append("%s.%s" % (name_model, name))
        self.assertFalse(offenders, "writable related fields in forms: %s" % offenders)

    # --- blocker: Receive Lots with lot attributes -------------------------------------------
    def _client_row(self, lot_name, value_lines, **vals):
        """A row as the wizard's list sends it; ``value_lines`` the attribute lines."""
        row = {"value_ids": [(0, "virtual_%d" % index, line)
                             for index, line in enumerate(value_lines, 24)],
               "product_id": self.apples.id, "lot_name": lot_name, "quantity": 5,
               "uom_id": self.uom_kg.id, "supplier_lot_code": False,
               "production_date": False, "life_date": "2027-01-15", "use_date": "2026-12-31"}
        row.update(vals)
        return (0, "virtual_19", row)

    def _client_wizard(self, rows, **vals):
        vals.update({"warehouse_id": self.warehouse.id, "_barcode_scanned": False,
                     "product_id": self.apples.id, "partner_id": self.supplier.id,
                     "scan": False, "validate_now": False, "line_ids": rows})
        return self.Wizard.with_context(
            active_model="product.product", active_id=self.apples.id).create(vals)

    def test_receive_with_attribute_lines_as_sent(self):
        """The attribute lines the row onchange prepared come back with their attribute and
        value: the lot gets them, defaults included."""
        lot_name = unique("APL")
        wizard = self._client_wizard([self._client_row(lot_name, [
            {"attribute_id": self.certificate.id, "value": "CERT-77"},
            {"attribute_id": self.brix.id, "value": "11"}])])
        picking = self.env["stock.picking"].browse(wizard.action_apply()["res_id"])
        lot = picking.move_line_ids.lot_id
        self.assertEqual(lot.name, lot_name)
        values = {value.attribute_id: value for value in lot.attribute_value_ids}
        self.assertEqual(values[self.certificate].value_text, "CERT-77")
        self.assertEqual(values[self.brix].value_number, 11.0)

    def test_attribute_lines_without_fields(self):
        """Attribute lines sent without their fields (the list once showed them as tags):
        never a raw database error; the required attribute is named, nothing is written."""
        pickings = self.env["stock.picking"].search_count([])
        wizard = self._client_wizard([self._client_row(unique("APL"), [{}, {}])])
        with self.assertRaises(UserError) as error:
            wizard.action_apply()
        self.assertIn("the attribute %s is required" % self.certificate.name,
                      error.exception.name)
        self.assertEqual(self.env["stock.picking"].search_count([]), pickings)

    # --- Receive Lots: rows, scans, dates, the transfer afterwards -----------------------------
    def _scan(self, wizard, code):
        wizard.scan = code
        wizard._onchange_scan()

    def test_product_opens_without_row_and_scan_adds_one(self):
        """From the menu or a product no empty 1 kg row: the first scan makes the row."""
        wizard = self.Wizard.with_context(
            active_model="product.product", active_id=self.apples.id).new(
            self.Wizard.with_context(active_model="product.product",
                                     active_id=self.apples.id).default_get(["line_ids",
                                                                            "product_id"]))
        self.assertEqual(wizard.product_id, self.apples)
        self.assertFalse(wizard.line_ids)
        self._scan(wizard, "(01)09506000134352(10)APL-A1(30)5")
        self.assertEqual(wizard.line_ids.mapped("lot_name"), ["APL-A1"])
        self.assertEqual(wizard.line_ids.value_ids.mapped("attribute_id"),
                         self.certificate | self.brix)

    def test_scan_fills_the_empty_row(self):
        """Opened from an operation line, the row of what is left takes the scanned lot; a
        second lot then adds a row."""
        picking = self._create_incoming([(self.apples, 30.0)])
        context = picking.move_lines.action_receive_lots()["context"]
        Wizard = self.Wizard.with_context(**context)
        wizard = Wizard.new(Wizard.default_get(["picking_id", "line_ids"]))
        self.assertEqual(wizard.line_ids.quantity, 30.0)
        self._scan(wizard, "(01)09506000134352(10)APL-F1(17)270115")
        self.assertEqual(len(wizard.line_ids), 1)
        self.assertEqual((wizard.line_ids.lot_name, wizard.line_ids.quantity), ("APL-F1", 30.0))
        self.assertIn("row filled", wizard.scan_message)
        self._scan(wizard, "(01)09506000134352(10)APL-F2(30)4")
        self.assertEqual(wizard.line_ids.mapped("lot_name"), ["APL-F1", "APL-F2"])
        self.assertEqual(wizard.line_ids.mapped("quantity"), [30.0, 4.0])

    def test_scanned_expiry_sets_best_before(self):
        """AI 17 = 2027-01-15 on a product of 60 days' life and 45 days' use: best before
        is 2026-12-31 (15 days earlier), whatever the day or hour of the scan, and the lot
        keeps both dates."""
        wizard = self.Wizard.new({"product_id": self.apples.id,
                                  "partner_id": self.supplier.id})
        self._scan(wizard, "(01)09506000134352(10)APL-E1(17)270115(30)5")
        row = wizard.line_ids
        self.assertEqual((row.life_date, row.use_date), ("2027-01-15", "2026-12-31"))
        dates = self.env["stock.production.lot"]._get_dates(
            self.apples.id, known_dates={"life_date": "2027-01-15"})
        self.assertEqual((dates["life_date"], dates["use_date"]),
                         ("2027-01-15 12:00:00", "2026-12-31 12:00:00"))
        lot_name = unique("APL")
        picking = self.env["stock.lot.receipt"].sudo(self.trace_user).receive(
            self.receipt_type, [{"product": self.apples, "lot_name": lot_name, "quantity": 5.0,
                                 "uom": self.uom_kg, "life_date": "2027-01-15",
                                 "attributes": [(self.certificate, "C-1")]}],
            partner=self.supplier)
        lot = picking.move_line_ids.lot_id
        self.assertEqual((lot.life_date, lot.use_date),
                         ("2027-01-15 12:00:00", "2026-12-31 12:00:00"))

    def test_receipt_stays_ready(self):
        """After Receive Lots (not validated) the receipt is Ready, not Waiting: the lots'
        lines hold the reservation, the rest stays reserved; validating leaves a backorder."""
        picking = self._create_incoming([(self.apples, 30.0)])
        self.assertEqual(picking.state, "assigned")
        self._receive_wizard([{"product_id": self.apples.id, "lot_name": unique("APL"),
                               "quantity": 12.0, "value_ids": [
                                   (0, 0, {"attribute_id": self.certificate.id,
                                           "value": "C-2"})]}],
                             picking=picking, user=self.trace_user).action_apply()
        self.assertEqual(picking.state, "assigned")
        self.assertEqual(picking.move_lines.reserved_availability, 30.0)
        self.assertEqual(sorted(picking.move_line_ids.mapped("qty_done")), [0.0, 12.0])
        product_mode = self._client_wizard([self._client_row(unique("APL"), [
            {"attribute_id": self.certificate.id, "value": "C-3"}])])
        new_picking = self.env["stock.picking"].browse(product_mode.action_apply()["res_id"])
        self.assertEqual(new_picking.state, "assigned")
        picking.action_done()
        backorder = self.env["stock.picking"].search([("backorder_id", "=", picking.id)])
        self.assertEqual(backorder.move_lines.product_uom_qty, 18.0)

    def test_from_transfer_closes_back_to_it(self):
        """Opened from the transfer, Receive closes the dialog (the transfer's form reloads,
        no second breadcrumb of the same name); opened elsewhere it opens the transfer."""
        picking = self._create_incoming([(self.lid, 1.0), (self.apples, 5.0)])
        wizard = self._receive_wizard([{
            "product_id": self.apples.id, "lot_name": unique("APL"), "quantity": 5.0,
            "value_ids": [(0, 0, {"attribute_id": self.certificate.id, "value": "C-4"})]}],
            picking=picking, user=self.trace_user)
        action = wizard.with_context(active_model="stock.picking",
                                     active_id=picking.id).action_apply()
        self.assertEqual(action["type"], "ir.actions.act_window_close")

    # --- the rows' list: what a row made in its form shows ---------------------------------
    def _row_form(self):
        """(field names, onchange spec) of a row's form, as the web client builds a row
        made with Add an item: the record holds the form's fields only."""
        view = self.Wizard.fields_view_get(view_type="form")
        form = view["fields"]["line_ids"]["views"]["form"]
        spec = self.env["stock.lot.receive.line"]._onchange_spec(view_info=form)
        return list(form["fields"]), spec

    def test_row_made_in_form_shows_its_attributes(self):
        """Add an item: lot AUD-0001 with Certificate Number CERT-AUD-1, Save & New. The
        first row's Attributes cell shows its summary: the row's own onchanges bring it back
        (a row made in its form holds only the form's fields, and Odoo returns only fields
        it was sent)."""
        names, spec = self._row_form()
        Line = self.env["stock.lot.receive.line"].sudo(self.trace_user).with_context(
            default_product_id=self.apples.id)
        row = dict.fromkeys(names, False)
        row.update(Line.default_get(names), value_ids=[])
        result = Line.onchange(row, names, spec)["value"]
        summary = "%s: 11; %s: %%s" % (self.brix.name, self.certificate.name)
        self.assertEqual(result.get("attributes_text"), summary % "required")
        row.update(attributes_text=result["attributes_text"], lot_name="AUD-0001", value_ids=[
            (0, "virtual_%d" % index, {"attribute_id": attribute.id, "value": value})
            for index, (attribute, value) in enumerate(
                ((self.brix, "11"), (self.certificate, "CERT-AUD-1")), 24)])
        result = Line.onchange(row, "value_ids", spec)["value"]
        self.assertEqual(result.get("attributes_text"), summary % "CERT-AUD-1")
