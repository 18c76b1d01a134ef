# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import TraceabilityCase


class TestLotAttributes(TraceabilityCase):
    """SKU-level values every lot inherits, lot-specific values each lot carries."""

    @classmethod
    def setUpClass(cls):
        super(TestLotAttributes, cls).setUpClass()
        cls.origin = cls._create_attribute("Origin", level="sku", allow_lot_override=True)
        cls.organic = cls._create_attribute("Organic", "selection", level="sku",
                                            selection_options="yes, no")
        cls.brix = cls._create_attribute("Brix", "number", required=True)
        cls.certificate = cls._create_attribute("Certificate", required=True,
                                                default_value="CERT-")
        cls.harvest = cls._create_attribute("Harvest", "date")
        cls.apples = cls._create_product("Apples", uom=cls.uom_kg)
        cls.apples.product_tmpl_id.write({
            "lot_attribute_ids": [(6, 0, (cls.brix | cls.certificate | cls.harvest).ids)],
            "sku_attribute_value_ids": [
                (0, 0, cls.origin._prepare_value_vals("Chile")),
                (0, 0, cls.organic._prepare_value_vals("yes"))],
        })
        cls.Lot = cls.env["stock.production.lot"]

    def _receive_rows(self, rows):
        picking = self._create_incoming([(self.apples, 100.0)])
        self._receive_wizard(rows, picking=picking, user=self.trace_user).action_apply()
        return picking.move_line_ids.filtered("qty_done").mapped("lot_id")

    def _values(self, attributes):
        return [(0, 0, {"attribute_id": attribute.id, "value": text})
                for attribute, text in attributes]

    def test_receive_with_attribute_values(self):
        """Typed values stored on the lot; SKU values inherited; the lot is complete."""
        lot = self._receive_rows([{
            "product_id": self.apples.id, "lot_name": "AP-1", "quantity": 10.0,
            "value_ids": self._values([(self.brix, "12,5"), (self.certificate, "C-77"),
                                       (self.harvest, "2026-09-30")])}])
        values = {value.attribute_id: value for value in lot.attribute_value_ids}
        self.assertEqual(values[self.brix].value_number, 12.5)
        self.assertEqual(values[self.brix].value, "12.5")
        self.assertEqual(values[self.harvest].value_date, "2026-09-30")
        self.assertEqual(values[self.certificate].value_text, "C-77")
        inherited = lot.inherited_attribute_value_ids.mapped("value")
        self.assertEqual(sorted(inherited), ["Chile", "yes"])
        self.assertFalse(lot.missing_attributes)
        found = self.Lot.search([("attribute_value_ids.value", "=", "C-77")])
        self.assertEqual(found, lot)

    def test_required_attribute_enforced_by_wizard(self):
        """The wizard refuses a lot without a required value, naming row and attribute."""
        with self.assertRaises(UserError) as error:
            self._receive_rows([
                {"product_id": self.apples.id, "lot_name": "AP-2", "quantity": 1.0,
                 "value_ids": self._values([(self.brix, "11")])},
                {"product_id": self.apples.id, "lot_name": "AP-3", "quantity": 1.0,
                 "value_ids": self._values([(self.brix, "sweet"), (self.certificate, "C")])}])
        message = error.exception.name
        self.assertIn("Row 1 (%s, lot AP-2): the attribute %s is required"
                      % (self.apples.display_name, self.certificate.name), message)
        self.assertIn("Row 2", message)
        self.assertIn("sweet is not a valid number", message)
        self.assertFalse(self.Lot.search([("product_id", "=", self.apples.id)]))

    def test_missing_attributes_flag_not_a_constraint(self):
        """Lots made by Odoo's own flows are allowed, and flagged."""
        bare = self._create_lot(self.apples, "AP-BARE")
        complete = self._create_lot(self.apples, "AP-FULL", attribute_value_ids=[
            (0, 0, self.brix._prepare_value_vals("10")),
            (0, 0, self.certificate._prepare_value_vals("C-1"))])
        self.assertTrue(bare.missing_attributes)
        self.assertFalse(complete.missing_attributes)
        flagged = self.Lot.search([("missing_attributes", "=", True),
                                   ("product_id", "=", self.apples.id)])
        self.assertEqual(flagged, bare)
        self.assertEqual(self.Lot.search([("missing_attributes", "=", False),
                                          ("product_id", "=", self.apples.id)]), complete)

    def test_sku_override_rules(self):
        """A SKU value is overridden on a lot only when the definition allows it."""
        lot = self._create_lot(self.apples, "AP-OVR", attribute_value_ids=[
            (0, 0, self.origin._prepare_value_vals("Peru"))])
        self.assertEqual(lot.inherited_attribute_value_ids.mapped("value"), ["yes"])
        with self.assertRaises(ValidationError):
            self._create_lot(self.apples, "AP-NO", attribute_value_ids=[
                (0, 0, self.organic._prepare_value_vals("no"))])
        with self.assertRaises(ValidationError):
            self.organic._prepare_value_vals("maybe")
        with self.assertRaises(ValidationError):
            self.apples.product_tmpl_id.write({"sku_attribute_value_ids": [
                (0, 0, self.brix._prepare_value_vals("3"))]})

    def test_wizard_row_prefills_attribute_defaults(self):
        """A new row lists the product's lot attributes with their defaults."""
        line = self.env["stock.lot.receive.line"].new({"product_id": self.apples.id})
        line._onchange_product_id()
        self.assertEqual(line.value_ids.mapped("attribute_id"),
                         self.brix | self.certificate | self.harvest)
        self.assertEqual(line.value_ids.filtered(
            lambda value: value.attribute_id == self.certificate).value, "CERT-")

    def test_definitions_are_for_managers(self):
        """A traceability user values attributes but cannot define them."""
        with self.assertRaises(AccessError):
            self.env["stock.lot.attribute"].sudo(self.trace_user).create({"name": "Colour"})
        attribute = self.env["stock.lot.attribute"].sudo(self.trace_manager).create(
            {"name": "Colour"})
        lot = self._create_lot(self.apples, "AP-USER")
        self.env["stock.lot.attribute.value"].sudo(self.trace_user).create(
            dict(attribute._prepare_value_vals("red"), lot_id=lot.id))
        self.assertEqual(lot.attribute_value_ids.value, "red")
