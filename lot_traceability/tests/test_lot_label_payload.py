# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from .common import TraceabilityCase, unique

DOMAIN_PARAM = "lot_traceability.label_domain"


class TestLotLabelPayload(TraceabilityCase):
    """What a lot's label carries, and that every label scans back to its lot."""

    @classmethod
    def setUpClass(cls):
        super(TestLotLabelPayload, cls).setUpClass()
        cls.params = cls.env["ir.config_parameter"].sudo()
        cls.params.set_param(DOMAIN_PARAM, "https://trace.example.com")
        cls.jam = cls._create_product("Jam", barcode="4006381333931", default_code=unique("JAM"))
        cls.drill = cls._create_product("Drill", tracking="serial", barcode="96385074")
        cls.bulk = cls._create_product("Bulk", default_code="BULK/1 X")
        cls.noref = cls._create_product("No Ref", barcode="NOT-A-GTIN")

    def _payload(self, lot):
        payload = lot.get_label_payload()
        self.assertEqual(len(payload), 1)
        json.dumps(payload)  # plain data only
        return payload[0]

    def test_lot_with_gtin_and_expiry(self):
        """A jam lot with an end of life date: Digital Link with AI 10 and ?17=."""
        lot = self._create_lot(self.jam, "L/2027-1", life_date="2027-03-31 10:00:00")
        payload = self._payload(lot)
        self.assertTrue(payload["gs1"])
        self.assertEqual(payload["uri"], "https://trace.example.com/01/04006381333931"
                                         "/10/L%2F2027-1?17=270331")
        self.assertEqual(payload["text"], "(01)04006381333931(10)L/2027-1(17)270331")
        self.assertEqual(payload["gtin"], "04006381333931")
        self.assertEqual(payload["expiry_date"], "2027-03-31")
        self.assertEqual((payload["lot_id"], payload["product_id"]), (lot.id, self.jam.id))
        self.assertEqual(payload["lot_name"], "L/2027-1")

    def test_serial_uses_ai_21(self):
        lot = self._create_lot(self.drill, "SN0001")
        payload = self._payload(lot)
        self.assertEqual(payload["uri"],
                         "https://trace.example.com/01/00000096385074/21/SN0001")
        self.assertEqual(payload["expiry_date"], False)

    def test_no_gtin_gives_server_lot_url(self):
        """No barcode, or one that is no GTIN: /lot/<product ref or id>/<lot>, encoded."""
        lot = self._create_lot(self.bulk, "B 1")
        payload = self._payload(lot)
        self.assertFalse(payload["gs1"])
        self.assertEqual(payload["uri"], "https://trace.example.com/lot/BULK%2F1%20X/B%201")
        other = self._create_lot(self.noref, "N1")
        self.assertEqual(self._payload(other)["uri"],
                         "https://trace.example.com/lot/%d/N1" % self.noref.id)

    def test_codes_gs1_cannot_carry(self):
        """Longer than 20 characters or outside GS1's character set: the server URL."""
        for name in ("X" * 21, "Caf\u00e9-1", "A B", "A#1"):
            payload = self._payload(self._create_lot(self.jam, name))
            self.assertFalse(payload["gs1"], name)
            self.assertIn("/lot/%s/" % self.jam.default_code, payload["uri"])

    def test_default_domain_is_base_url(self):
        self.params.set_param(DOMAIN_PARAM, "")
        self.params.set_param("web.base.url", "http://erp.example.org:8069")
        payload = self._payload(self._create_lot(self.jam, "D1"))
        self.assertEqual(payload["uri"], "http://erp.example.org:8069/01/04006381333931/10/D1")

    def test_setting_through_res_config_settings(self):
        settings = self.env["res.config.settings"].create(
            {"lot_label_domain": " https://labels.example.net "})
        settings.execute()
        self.assertEqual(self.params.get_param(DOMAIN_PARAM), "https://labels.example.net")
        self.assertEqual(self.env["res.config.settings"].default_get(
            ["lot_label_domain"])["lot_label_domain"], "https://labels.example.net")

    def test_settings_warn_when_labels_point_at_localhost(self):
        """The warning follows the typed domain, else the server's base URL."""
        self.params.set_param("web.base.url", "http://localhost:8069")
        settings = self.env["res.config.settings"].create({"lot_label_domain": ""})
        self.assertIn("http://localhost:8069", settings.lot_label_domain_warning)
        settings.lot_label_domain = "https://labels.example.net"
        self.assertFalse(settings.lot_label_domain_warning)
        settings.lot_label_domain = "http://127.0.0.1:8069"
        self.assertIn("127.0.0.1", settings.lot_label_domain_warning)
        self.params.set_param("web.base.url", "https://erp.example.org")
        self.assertFalse(self.env["res.config.settings"].create(
            {"lot_label_domain": ""}).lot_label_domain_warning)

    def test_every_label_scans_back_to_its_lot(self):
        """The scanner parses exactly what the label holds: URI and human-readable text."""
        self._create_lot(self.bulk, "SAME-1")  # same code on another product
        lots = self.env["stock.production.lot"]
        for product, name in ((self.jam, "SAME-1"), (self.jam, "L/2027-9"),
                              (self.drill, "SN-77"), (self.bulk, "B 1/\u00e9"),
                              (self.noref, "N 2"), (self.jam, "Y" * 25), (self.jam, "10ABC")):
            lots |= self._create_lot(product, name, life_date="2027-12-31 00:00:00")
        scan = self.env["stock.lot.scan"].sudo(self.trace_user)
        for payload in lots.get_label_payload():
            codes = [payload["uri"]] + ([payload["text"]] if payload["gs1"] else [])
            for code in codes:
                result = scan._match(code)
                self.assertEqual(result["status"], "lot", code)
                self.assertEqual(result["lots"].ids, [payload["lot_id"]], code)

    def test_page_action_opens_the_lot(self):
        lot = self._create_lot(self.jam)
        action = lot.sudo(self.trace_user).action_open_page()
        self.assertEqual((action["res_model"], action["res_id"]), (lot._name, lot.id))
        url = lot._get_page_url()
        self.assertIn("id=%d" % lot.id, url)
        self.assertIn("model=stock.production.lot", url)
