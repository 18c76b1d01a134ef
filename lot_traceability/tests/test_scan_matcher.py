# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from .common import TraceabilityCase, unique


class TestScanMatcher(TraceabilityCase):
    """One matcher for every scan: lot first, then product barcode, then GS1."""

    @classmethod
    def setUpClass(cls):
        super(TestScanMatcher, cls).setUpClass()
        cls.scan = cls.env["stock.lot.scan"]
        # A GTIN-13 stored on the product; scanners send it as 14 digits in GS1 codes.
        cls.product = cls._create_product("Jam", barcode="4006381333931")
        cls.other = cls._create_product("Juice", barcode="96385074")
        cls.lot = cls._create_lot(cls.product, "10ABC")

    def test_lot_code_wins_over_gs1(self):
        """A lot named like a GS1 string ('10' + lot) is found as that lot."""
        result = self.scan._match("10ABC")
        self.assertEqual(result["status"], "lot")
        self.assertEqual(result["lots"], self.lot)
        self.assertEqual(result["product"], self.product)

    def test_product_barcode_normalised(self):
        """The same GTIN with leading zeros (14 digits) finds the product stored with 13."""
        for code in ("4006381333931", "04006381333931"):
            result = self.scan._match(code)
            self.assertEqual(result["status"], "product", code)
            self.assertEqual(result["product"], self.product)
        self.assertEqual(self.scan._match("00000096385074")["product"], self.other)

    def test_gs1_element_string_finds_lot(self):
        lot = self._create_lot(self.product, unique("L"))
        for code in ("]C10104006381333931" + "17271231" + "10" + lot.name,
                     "(01)04006381333931(10)%s(17)271231" % lot.name,
                     "0104006381333931\x1d" + "10" + lot.name):
            result = self.scan._match(code)
            self.assertEqual(result["status"], "lot", code)
            self.assertEqual(result["lots"], lot)
            self.assertEqual(str(result["gs1"].expiry_date or "2027-12-31"), "2027-12-31")

    def test_digital_link_finds_lot(self):
        lot = self._create_lot(self.product, "A/B-1")
        result = self.scan._match("https://example.com/01/4006381333931/10/A%2FB-1?17=271231")
        self.assertEqual(result["status"], "lot")
        self.assertEqual(result["lots"], lot)

    def test_gs1_unknown_lot_gives_product_and_values(self):
        """A new lot code in a GS1 scan: the product is known, the values fill a receipt row."""
        result = self.scan._match("(01)04006381333931(10)NEW-1(30)12")
        self.assertEqual(result["status"], "product")
        self.assertEqual(result["product"], self.product)
        self.assertEqual(result["gs1"].lot, "NEW-1")
        self.assertEqual(result["gs1"].quantity, 12)

    def test_ambiguous_lot_code(self):
        """The same lot code on two products: the user must choose; in a product context, not."""
        self._create_lot(self.other, "SHARED")
        shared = self._create_lot(self.product, "SHARED")
        result = self.scan._match("SHARED")
        self.assertEqual(result["status"], "ambiguous")
        self.assertEqual(len(result["lots"]), 2)
        self.assertIn(self.product.display_name, result["message"])
        result = self.scan._match("SHARED", products=self.product)
        self.assertEqual((result["status"], result["lots"]), ("lot", shared))

    def test_unknown_and_unreadable(self):
        result = self.scan._match("NO-SUCH-THING")
        self.assertEqual(result["status"], "unknown")
        self.assertIn("NO-SUCH-THING", result["message"])
        self.assertEqual(self.scan._match("   ")["status"], "unknown")
        bad = self.scan._match("(01)04006381333932")  # wrong check digit
        self.assertEqual(bad["status"], "error")
        self.assertIn("check digit", bad["message"])

    def test_gs_substitute_setting(self):
        """A keyboard-wedge scanner configured to send '~' for GS."""
        lot = self._create_lot(self.product, unique("W"))
        self.env["ir.config_parameter"].sudo().set_param(
            "lot_traceability.gs1_gs_substitute", "~")
        result = self.scan._match("]C110%s~0104006381333931" % lot.name)
        self.assertEqual(result["lots"], lot)

    def test_symbology_identifiers_of_plain_data(self):
        """]C0, ]Q1, ]d1 carry plain data (a lot code), ]E0 an EAN-13 (a product)."""
        lot = self._create_lot(self.product, "LOT-123")
        for code in ("]C0LOT-123", "]Q1LOT-123", "]d1LOT-123", "LOT-123"):
            result = self.scan._match(code)
            self.assertEqual((result["status"], result["lots"]), ("lot", lot), code)
            self.assertEqual(result["data"], "LOT-123")
        result = self.scan._match("]E04006381333931")
        self.assertEqual((result["status"], result["product"]), ("product", self.product))

    def test_plain_code128_digits_are_their_lot(self):
        """A Code 128 lot '100329' sent as ]C0100329 is lot 100329, never lot 0329 (AI 10)."""
        lot = self._create_lot(self.product, "100329")
        self._create_lot(self.product, "0329")
        result = self.scan._match("]C0100329")
        self.assertEqual((result["status"], result["lots"]), ("lot", lot))

    def test_lot_url_in_a_plain_qr(self):
        """The addon's own non-GS1 label (a lot URL) read by a scanner sending ]Q1."""
        product = self._create_product("Bulk", default_code=unique("REF"))
        lot = self._create_lot(product, "L 1/2")
        url = lot.get_label_payload()[0]["uri"]
        result = self.scan._match("]Q1" + url)
        self.assertEqual((result["status"], result["lots"]), ("lot", lot))

    def test_gs1_symbology_reads_gs1_only(self):
        """]C1 announces GS1: '10ABC' is lot ABC there, even though a lot is named 10ABC."""
        abc = self._create_lot(self.product, "ABC")
        result = self.scan._match("]C110ABC")
        self.assertEqual((result["status"], result["lots"]), ("lot", abc))

    def test_no_guessing(self):
        """Digits without symbology identifier or GS are not GS1: a new or mistyped
        code is unknown, never another lot."""
        self._create_lot(self.product, "XYZ")
        self._create_lot(self.product, "12345")
        for code in ("10XYZ", "2112345", "0104006381333931", "1712345"):
            result = self.scan._match(code)
            self.assertEqual(result["status"], "unknown", code)
            self.assertFalse(result["lots"], code)
            self.assertIn(code, result["message"])

    def test_match_code_over_rpc_shape(self):
        data = self.scan.sudo(self.trace_user).match_code("10ABC")
        self.assertEqual(data["status"], "lot")
        self.assertEqual(data["lot_ids"], self.lot.ids)
        self.assertEqual(data["product_id"], self.product.id)


class TestScanBatchOrSerial(TraceabilityCase):
    """GS1 (10) is a batch/lot, (21) a serial number: with a GTIN, the product's tracking
    says which one names the item; a code with only the other one is refused, saying why."""

    @classmethod
    def setUpClass(cls):
        super(TestScanBatchOrSerial, cls).setUpClass()
        cls.scan = cls.env["stock.lot.scan"]
        cls.drill = cls._create_product("Drill", tracking="serial", barcode="9520123456788")
        cls.apples = cls._create_product("Apples", tracking="lot", barcode="9506000134352")
        cls.unit = cls._create_lot(cls.drill, "D18-1001")
        cls.batch = cls._create_lot(cls.apples, "APL-0001")
        # A lot of the drill named like the batch a pharma-style code carries.
        cls.decoy = cls._create_lot(cls.drill, "B1")

    def test_serial_tracked_product_is_found_by_its_serial(self):
        """Healthcare DataMatrix: GTIN, expiry, batch and serial; the serial names the unit."""
        for code in ("(01)09520123456788(10)B1(21)D18-1001",
                     "]d2010952012345678817271231" "10B1\x1d21D18-1001",
                     "https://e.com/01/09520123456788/10/B1/21/D18-1001",
                     "(01)09520123456788(21)D18-1001"):
            result = self.scan._match(code)
            self.assertEqual((result["status"], result["lots"]), ("lot", self.unit), code)

    def test_lot_tracked_product_is_found_by_its_batch(self):
        for code in ("(01)09506000134352(10)APL-0001",
                     "(01)09506000134352(10)APL-0001(21)X-9",
                     "https://e.com/01/09506000134352/10/APL-0001"):
            result = self.scan._match(code)
            self.assertEqual((result["status"], result["lots"]), ("lot", self.batch), code)

    def test_batch_only_for_a_serial_tracked_product_says_so(self):
        result = self.scan._match("(01)09520123456788(10)D18-1001")
        self.assertEqual(result["status"], "unknown")
        self.assertFalse(result["lots"])
        self.assertEqual(result["product"], self.drill)
        self.assertEqual(result["message"], "%s is tracked by serial number: the code carries "
                         "a batch (10) but no serial (21)." % self.drill.display_name)

    def test_serial_only_for_a_lot_tracked_product_says_so(self):
        result = self.scan._match("https://e.com/01/09506000134352/21/APL-0001")
        self.assertEqual(result["status"], "unknown")
        self.assertFalse(result["lots"])
        self.assertIn("tracked by lot: the code carries a serial (21) but no batch (10)",
                      result["message"])

    def test_new_serial_of_a_known_product_is_the_product(self):
        result = self.scan._match("(01)09520123456788(10)B1(21)NEW-7")
        self.assertEqual((result["status"], result["product"]), ("product", self.drill))
        self.assertFalse(result["lots"])

    def test_without_gtin_either_names_a_lot(self):
        """No GTIN, no product to ask: the batch, else the serial, as before."""
        for code in ("]C110APL-0001", "]C121D18-1001"):
            self.assertEqual(self.scan._match(code)["status"], "lot", code)

    def test_every_label_scans_back(self):
        """The addon's labels: (10) for a lot, (21) for a serial; both scan back."""
        for lot in (self.unit, self.batch):
            payload = lot.get_label_payload()[0]
            self.assertIn("/21/" if lot == self.unit else "/10/", payload["uri"])
            for code in (payload["uri"], payload["text"]):
                result = self.scan._match(code)
                self.assertEqual((result["status"], result["lots"]), ("lot", lot), code)

    def test_unknown_ai_in_brackets_is_an_error(self):
        result = self.scan._match("(01)09506000134352(10)APL-0001(89)X")
        self.assertEqual(result["status"], "error")
        self.assertIn("Unknown application identifier (89)", result["message"])
