# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""EPCIS 2.0 export: GLNs, what each record becomes, time zones, paging, the schema."""
import io
import json

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import epcis
from ..tools.internal_context import internal_context
from .epcis_common import EpcisCase, document_errors


class TestEpcisExport(EpcisCase):

    def _events(self, document, kind, **where):
        return [event for event in document["epcisBody"]["eventList"]
                if event["type"] == kind and all(event.get(k) == v for k, v in where.items())]

    def test_gln_check_digit(self):
        """A GLN with a wrong check digit is refused naming field and value; nothing
        written. Blanks around a good one are dropped."""
        partner = self._create_partner("GLN Partner")
        bad = self.gln_supplier[:-1] + str((int(self.gln_supplier[-1]) + 1) % 10)
        for model, record in (("res.partner", partner), ("stock.warehouse", self.warehouse),
                              ("stock.location", self.stock_location)):
            before = record.gln
            with self.assertRaisesRegex(ValidationError, r"GLN \(gln\).*%s" % bad):
                record.write({"gln": bad})
            self.assertEqual(record.gln, before, model)
        with self.assertRaisesRegex(ValidationError, "12345"):
            self.env["res.partner"].create({"name": "Short", "gln": "12345"})
        partner.write({"gln": " %s " % self.gln_supplier})
        self.assertEqual(partner.gln, self.gln_supplier)

    def test_units_have_unece_codes(self):
        """product_uom_unece gives Odoo's own units their UN/ECE Rec. 20 codes."""
        self.assertEqual(self.uom_kg.unece_code, "KGM")
        self.assertEqual(self.uom_unit.unece_code, "C62")
        self.assertEqual(self.env.ref("product.product_uom_litre").unece_code, "LTR")

    def test_chain_document(self):
        """Receipt, new lots, transformation and delivery become the events of the standard,
        and the document passes the schema and the rules of the standard's text."""
        apple_lot, jam_lot, receipt, delivery = self._chain()
        document, summary = self._export(jam_lot, chain=True)
        self.assertEqual(document_errors(document, self.schema), [])
        self.assertEqual(document["@context"][0], epcis.CONTEXT)
        self.assertEqual(document["schemaVersion"], "2.0")
        apple_class = epcis.class_uri(self.apple.barcode, apple_lot.name)
        jam_class = epcis.class_uri(self.jam.barcode, jam_lot.name)
        adds = self._events(document, "ObjectEvent", action="ADD")
        self.assertEqual(sorted(e["quantityList"][0]["epcClass"] for e in adds),
                         sorted([apple_class, jam_class]))
        apple_add = next(e for e in adds if e["quantityList"][0]["epcClass"] == apple_class)
        self.assertEqual(apple_add["ilmd"]["lt:supplierLotCode"], apple_lot.supplier_lot_code)
        received, = self._events(document, "ObjectEvent", bizStep="receiving")
        self.assertEqual(received["quantityList"],
                         [{"epcClass": apple_class, "quantity": 40.0, "uom": "KGM"}])
        self.assertIn({"type": "owning_party", "source": epcis.gln_uri(self.gln_supplier,
                                                                       party=True)},
                      received["sourceList"])
        self.assertEqual(received["bizLocation"]["id"], epcis.gln_uri(self.gln_ours))
        self.assertIn({"type": "desadv", "bizTransaction": epcis.private_uri(
            self.env["stock.lot.epcis"]._get_domain(), "desadv", receipt.name)},
            received["bizTransactionList"])
        made, = self._events(document, "TransformationEvent")
        self.assertEqual(made["inputQuantityList"],
                         [{"epcClass": apple_class, "quantity": 30.0, "uom": "KGM"}])
        self.assertEqual(made["outputQuantityList"],
                         [{"epcClass": jam_class, "quantity": 60.0, "uom": "C62"}])
        self.assertTrue(made["transformationID"])
        shipped, = self._events(document, "ObjectEvent", bizStep="shipping")
        self.assertIn({"type": "owning_party", "destination": epcis.gln_uri(
            self.gln_customer, party=True)}, shipped["destinationList"])
        self.assertEqual(summary["event_count"], 5)

    def test_event_time_in_warehouse_zone(self):
        """eventTime is UTC; eventTimeZoneOffset the warehouse's zone at that moment."""
        receipt = self._receive(self.apple, [("TZ-" + self.apple.barcode, 5.0)])
        self._backdate(receipt.move_line_ids, "2026-07-01 15:30:00")
        document, _summary = self._export(receipt.move_line_ids.lot_id)
        received, = self._events(document, "ObjectEvent", bizStep="receiving")
        self.assertEqual(received["eventTime"], "2026-07-01T15:30:00.000Z")
        self.assertEqual(received["eventTimeZoneOffset"], "-04:00")
        self.assertEqual(epcis.parse_time("2026-07-01T11:30:00.000-04:00", "t"),
                         fields.Datetime.from_string("2026-07-01 15:30:00"))

    def test_pages_give_the_same_document(self):
        """Written one line per page, a transformation split over pages is still one event,
        and the events (ids included) are those of one page; progress is reported."""
        _apple, jam_lot, _receipt, _delivery = self._chain()
        whole, _summary = self._export(jam_lot, chain=True)
        calls = []
        stream_doc = self.env["stock.lot.epcis"].with_context(**internal_context(epcis_page_size=1))
        stream = io.BytesIO()
        summary = stream_doc.export_document(
            stream, jam_lot.ids, include_chain=True,
            progress=lambda lines, events: calls.append(lines))
        paged = json.loads(stream.getvalue().decode("utf-8"))
        self.assertEqual(paged["epcisBody"], whole["epcisBody"])
        self.assertEqual(calls, sorted(calls))
        self.assertEqual(calls[-1], summary["line_count"])
        self.assertGreater(len(set(calls)), 3)

    def test_lot_alone_keeps_whole_transformation(self):
        """Exported alone (no chain), a made lot's transformation still lists its inputs."""
        apple_lot, jam_lot, _receipt, _delivery = self._chain()
        document, _summary = self._export(jam_lot)
        made, = self._events(document, "TransformationEvent")
        self.assertEqual(made["inputQuantityList"][0]["epcClass"],
                         epcis.class_uri(self.apple.barcode, apple_lot.name))
        self.assertFalse(self._events(document, "ObjectEvent", bizStep="receiving"))

    def test_fallbacks_are_noted(self):
        """No GLN, no GTIN: URIs of the company's domain, each said once in lt:notes."""
        self.warehouse.gln = False
        plain = self._create_product("Plain", uom=self.uom_kg)
        receipt = self._receive(plain, [("PLAIN-1", 3.0)])
        document, summary = self._export(receipt.move_line_ids.lot_id)
        self.assertEqual(document_errors(document, self.schema), [])
        notes = document["lt:notes"]
        self.assertEqual(notes, summary["notes"])
        self.assertTrue(any(plain.default_code or str(plain.id) in note for note in notes))
        self.assertTrue(any(self.warehouse.name in note for note in notes))

    def test_bad_requests(self):
        """No lots and no period, or a reversed period: a clear error naming them."""
        with self.assertRaisesRegex(UserError, "lot_ids"):
            self._export()
        with self.assertRaisesRegex(UserError, "2026-02-01"):
            self._export(date_from="2026-02-01", date_to="2026-01-01")
        with self.assertRaisesRegex(UserError, "lot_ids"):
            self.env["stock.lot.epcis"].export_attachment(lot_ids=[999999999])
        # what JSON-RPC can send for the stream and the progress callback
        apple_lot = self._chain()[0]
        for stream, progress in (("stream", None), ({"write": 1}, None), (io.BytesIO(), "x")):
            with self.assertRaisesRegex(UserError, "over RPC, call export_attachment"):
                self.env["stock.lot.epcis"].sudo(self.trace_user).export_document(
                    stream, apple_lot.ids, progress=progress)

    def test_wizard_from_lot_and_period(self):
        """The wizard from a lot's Action menu writes an attachment to download; as a user."""
        apple_lot, _jam, _receipt, _delivery = self._chain()
        wizard = self.env["stock.lot.epcis.export"].sudo(self.trace_user).with_context(
            active_model="stock.production.lot", active_ids=apple_lot.ids).create({})
        self.assertEqual(wizard.lot_ids, apple_lot)
        wizard.action_export()
        # The apples' ADD and receipt, the jam made of them (its ADD and the transformation).
        self.assertEqual(wizard.event_count, 4)
        action = wizard.action_download()
        self.assertIn("/web/content/%s" % wizard.attachment_id.id, action["url"])
        # The file is the export's: its user reads it, another Traceability user does not,
        # whether it came from the wizard or from the API.
        by_api = self.env["stock.lot.epcis"].sudo(self.trace_user).export_attachment(
            lot_ids=apple_lot.ids)["attachment_id"]
        Attachment = self.env["ir.attachment"]
        for attachment_id in (wizard.attachment_id.id, by_api):
            self.assertTrue(Attachment.sudo(self.trace_user).browse(attachment_id).datas)
            with self.assertRaises(AccessError):
                Attachment.sudo(self.trace_manager).browse(attachment_id).read(["datas"])
            self.assertFalse(Attachment.sudo(self.trace_manager).search(
                [("id", "=", attachment_id)]))
        tz = self.env["stock.lot.tz"]
        today = tz._today(tz._get_company_tz())
        by_period = self.env["stock.lot.epcis.export"].sudo(self.trace_user).create(
            {"date_from": "2020-01-01", "date_to": today})
        by_period.action_export()
        self.assertGreaterEqual(by_period.event_count, 5)
