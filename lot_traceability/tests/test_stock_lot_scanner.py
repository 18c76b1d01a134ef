# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError

from .common import TraceabilityCase, unique


class TestStockLotScanner(TraceabilityCase):
    """Traceability > Scan: a scan fills the lot (or candidates, or a message); Open opens it."""

    @classmethod
    def setUpClass(cls):
        super(TestStockLotScanner, cls).setUpClass()
        cls.jam = cls._create_product("Jam", barcode="4006381333931")
        cls.juice = cls._create_product("Juice", barcode="96385074")
        cls.lot = cls._create_lot(cls.jam, unique("J"))
        cls.Scanner = cls.env["stock.lot.scanner"].sudo(cls.trace_user)

    def _scan(self, code):
        """What the web client does on a scan: the barcode mixin's onchange, as the user."""
        spec = self.Scanner._onchange_spec()
        values = {name: False for name in spec}
        values["_barcode_scanned"] = code
        result = self.Scanner.onchange(values, "_barcode_scanned", spec)
        return dict(values, **result["value"]), result

    def _open(self, values):
        vals = {"code": values["code"],
                "lot_id": values["lot_id"] and values["lot_id"][0]}
        return self.Scanner.create(vals).action_open_page()

    def assertOpens(self, action, lot):
        self.assertEqual((action["res_model"], action["res_id"]), (lot._name, lot.id))
        self.assertEqual(action["type"], "ir.actions.act_window")

    def test_scan_lot_code(self):
        values, _result = self._scan(self.lot.name)
        self.assertEqual(values["status"], "lot")
        self.assertEqual(values["lot_id"][0], self.lot.id)
        self.assertEqual(values["code"], self.lot.name)
        self.assertIn(self.lot.name, values["message"])
        self.assertOpens(self._open(values), self.lot)

    def test_scan_gs1_element_string(self):
        """A keyboard-wedge scan of a GS1-128 / DataMatrix code, symbology identifier kept."""
        values, _result = self._scan("]d2010400638133393117271231" + "10" + self.lot.name)
        self.assertEqual(values["lot_id"][0], self.lot.id)
        self.assertOpens(self._open(values), self.lot)

    def test_scan_digital_link_of_a_label(self):
        uri = self.lot.get_label_payload()[0]["uri"]
        self.assertIn("/01/04006381333931/10/", uri)
        values, _result = self._scan(uri)
        self.assertEqual((values["status"], values["lot_id"][0]), ("lot", self.lot.id))

    def test_typed_code_uses_the_same_matcher(self):
        """Typing or pasting (onchange of the code field) gives the same result as a scan."""
        scanner = self.Scanner.new({"code": "(01)04006381333931(10)%s" % self.lot.name})
        scanner._onchange_code()
        self.assertEqual(scanner.lot_id, self.lot)
        self.assertEqual(scanner.product_id, self.jam)

    def test_unknown_code_says_so(self):
        values, _result = self._scan("NOPE-404")
        self.assertEqual(values["status"], "unknown")
        self.assertFalse(values["lot_id"])
        self.assertIn("NOPE-404", values["message"])
        with self.assertRaises(UserError) as error:
            self._open(values)
        self.assertIn("NOPE-404", error.exception.name)

    def test_product_barcode_is_not_a_lot(self):
        values, _result = self._scan("04006381333931")
        self.assertEqual(values["status"], "product")
        self.assertIn(self.jam.display_name, values["message"])
        with self.assertRaises(UserError):
            self._open(values)

    def test_ambiguous_code_lets_the_user_pick(self):
        """The same lot code on two products: the lot field offers just those two."""
        name = unique("SAME")
        lots = self._create_lot(self.jam, name) | self._create_lot(self.juice, name)
        values, result = self._scan(name)
        self.assertEqual(values["status"], "ambiguous")
        self.assertFalse(values["lot_id"])
        self.assertEqual(result["domain"]["lot_id"], [("id", "in", lots.ids)])
        with self.assertRaises(UserError):
            self._open(values)
        picked = lots.filtered(lambda lot: lot.product_id == self.juice)
        values["lot_id"] = (picked.id, picked.name)
        self.assertOpens(self._open(values), picked)

    def test_unreadable_gs1(self):
        values, _result = self._scan("(01)04006381333932(10)X")
        self.assertEqual(values["status"], "error")
        self.assertIn("check digit", values["message"])

    def test_view_and_menu_load(self):
        form = self.Scanner.fields_view_get(view_type="form")
        self.assertIn("_barcode_scanned", form["fields"])
        menu = self.env.ref("lot_traceability.stock_lot_scanner_menu")
        self.assertIn(menu, self.env["ir.ui.menu"].sudo(self.trace_user).search(
            [("id", "=", menu.id)]))

    def test_breadcrumb_name(self):
        scanner = self.Scanner.create({"code": self.lot.name})
        self.assertEqual(scanner.name_get(), [(scanner.id, "Scan")])
