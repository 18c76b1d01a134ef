# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import io
import re

from PIL import Image

from odoo.exceptions import UserError

from ..tools import qr_image
from . import qr_decoder
from .common import TraceabilityCase, unique

QR_SRC = re.compile(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"')


class TestLotLabelReport(TraceabilityCase):
    """Labels print a QR code that an independent reader decodes back to the lot's payload."""

    @classmethod
    def setUpClass(cls):
        super(TestLotLabelReport, cls).setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(
            "lot_traceability.label_domain", "https://trace.example.com")
        cls.small = cls.env.ref("lot_traceability.action_report_lot_label_small")
        cls.sheet = cls.env.ref("lot_traceability.action_report_lot_label_sheet")
        cls.jam = cls._create_product("Jam", barcode="4006381333931")
        cls.drill = cls._create_product("Drill", tracking="serial", barcode="96385074")
        cls.bulk = cls._create_product("Bulk", default_code=unique("BULK"))

    def _render(self, report, lots):
        """HTML of the report as a Traceability user (pytest-odoo renders no PDF)."""
        html, kind = report.sudo(self.trace_user).render_qweb_html(lots.ids)
        self.assertEqual(kind, "html")
        return html.decode("utf-8")

    def _decode_all(self, html):
        return [qr_decoder.decode_png(base64.b64decode(data)) for data in QR_SRC.findall(html)]

    def test_small_label_content_and_qr(self):
        """A jam lot, a drill serial and a bulk lot GS1 cannot carry: each label scans back."""
        lots = (self._create_lot(self.jam, "L/2027-1", life_date="2027-03-31 08:00:00")
                | self._create_lot(self.drill, "SN-0001")
                | self._create_lot(self.bulk, "Caf\u00e9 lot 7"))
        html = self._render(self.small, lots)
        payloads = lots.get_label_payload()
        self.assertEqual(self._decode_all(html), [p["uri"] for p in payloads])
        for payload in payloads:
            self.assertIn(payload["product_name"], html)
            self.assertIn(payload["lot_name"], html)
            self.assertIn(payload["text"], html)
        self.assertIn("2027-03-31", html)
        self.assertIn("S/N:", html)
        self.assertEqual(html.count("page-break-after: always"), 2)
        scan = self.env["stock.lot.scan"]
        for code, lot in zip(self._decode_all(html), lots):
            self.assertEqual(scan._match(code)["lots"], lot, code)

    def test_sheet_of_23_labels_on_two_pages(self):
        lots = self.env["stock.production.lot"]
        for index in range(23):
            lots |= self._create_lot(self.jam, unique("S%02d" % index))
        html = self._render(self.sheet, lots)
        self.assertEqual(self._decode_all(html), [p["uri"] for p in lots.get_label_payload()])
        self.assertEqual(html.count('class="page"'), 2)
        self.assertEqual(html.count("page-break-after: always"), 1)

    def test_paper_formats(self):
        small, sheet = self.small.paperformat_id, self.sheet.paperformat_id
        self.assertEqual((small.format, small.page_width, small.page_height), ("custom", 100, 50))
        self.assertEqual(sheet.format, "A4")
        self.assertEqual(self.small.model, "stock.production.lot")

    def test_print_from_receipt(self):
        """Print Lot Labels on a receipt prints the sheet of its lots."""
        receipt = self._receive(self.jam, [(unique("R"), 5), (unique("R"), 3)])
        action = receipt.sudo(self.trace_user).action_print_lot_labels()
        self.assertEqual(action["report_name"], "lot_traceability.report_lot_label_sheet")
        lots = receipt.move_line_ids.mapped("lot_id")
        self.assertEqual(sorted(action["context"]["active_ids"]), sorted(lots.ids))
        untracked = self._create_product("Box", tracking="none")
        with self.assertRaises(UserError):
            self._receive(untracked, [(None, 2)]).action_print_lot_labels()

    def test_reader_refuses_a_damaged_code(self):
        """The test reader checks Reed-Solomon: one flipped module is an error, not a misread."""
        lot = self._create_lot(self.jam, "DMG-1")
        uri = self.env["report.lot_traceability.report_lot_label_small"]._get_qr_data_uri(
            lot.get_label_payload()[0]["uri"])
        png = base64.b64decode(uri.split(",", 1)[1])
        image = Image.open(io.BytesIO(png)).convert("L")
        self.assertEqual(qr_decoder.decode_image(image), lot.get_label_payload()[0]["uri"])
        # The module at row 12, column 20 (data area), 4 modules of border.
        px = qr_image.MODULE_PX
        x, y = (4 + 20) * px, (4 + 12) * px
        value = 255 - image.getpixel((x + 1, y + 1))
        for dx in range(px):
            for dy in range(px):
                image.putpixel((x + dx, y + dy), value)
        with self.assertRaises(qr_decoder.QRDecodeError):
            qr_decoder.decode_image(image)
