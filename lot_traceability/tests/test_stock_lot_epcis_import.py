# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""EPCIS 2.0 import: GS1's own examples, bad documents refused whole, idempotence, the round
trip of our own export, and a supplier's transformation walked by the genealogy engine."""
import base64
import json
import os

from odoo.exceptions import UserError

from .epcis_common import DATA, EpcisCase, unique, with_check_digit

TABLES = ("stock_lot_epcis_document", "stock_lot_epcis_event", "stock_lot_external_edge",
          "stock_production_lot", "product_product", "ir_attachment")


def _read(name):
    with open(os.path.join(DATA, name), "rb") as handle:
        return handle.read()


class TestEpcisImport(EpcisCase):

    def _import(self, document, **kwargs):
        data = document if isinstance(document, bytes) else json.dumps(document)
        return self.env["stock.lot.epcis.document"].sudo(self.trace_user).import_document(
            data, **kwargs)

    def _rows(self):
        counts = {}
        for table in TABLES:
            self.env.cr.execute("SELECT count(*) FROM %s" % table)  # constant table names
            counts[table] = self.env.cr.fetchone()[0]
        return counts

    def _document(self, events):
        return {"@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
                "type": "EPCISDocument", "schemaVersion": "2.0",
                "creationDate": "2026-03-01T10:00:00.000Z", "epcisBody": {"eventList": events}}

    def _event(self, **vals):
        apples = "https://id.gs1.org/01/%s/10/L1" % self.apple.barcode.zfill(14)
        event = {"type": "ObjectEvent", "action": "OBSERVE", "eventID": "urn:uuid:" + unique("e"),
                 "eventTime": "2026-03-01T09:00:00.000+01:00", "eventTimeZoneOffset": "+01:00",
                 "quantityList": [{"epcClass": apples, "quantity": 5, "uom": "KGM"}]}
        event.update(vals)
        return event

    # --- GS1's examples --------------------------------------------------------------------
    def test_gs1_example_object_events(self):
        """GS1's example 9.6.1 (SGTIN EPCs) is stored as it came, its serials become external
        lots; imported twice it changes nothing."""
        result = self._import(_read("gs1_example_9.6.1_object_event.jsonld"),
                              name="GS1 9.6.1", partner_id=self.supplier.id)
        self.assertTrue(result["created"])
        self.assertEqual(result["event_count"], 2)
        document = self.env["stock.lot.epcis.document"].browse(result["document_id"])
        shipped = document.event_ids.filtered(lambda e: e.biz_step == "shipping")
        self.assertEqual(shipped.event_time, "2005-04-04 02:33:31")
        self.assertEqual(shipped.event_time_zone_offset, "-06:00")
        self.assertEqual(sorted(shipped.lot_ids.mapped("name")), ["2017", "2018"])
        self.assertTrue(all(shipped.lot_ids.mapped("epcis_external")))
        self.assertEqual(shipped.lot_ids.mapped("epcis_partner_id"), self.supplier)
        self.assertEqual(json.loads(shipped.body)["epcList"][0],
                         "urn:epc:id:sgtin:0614141.107346.2017")
        before = self._rows()
        again = self._import(_read("gs1_example_9.6.1_object_event.jsonld"))
        self.assertEqual((again["created"], again["document_id"]),
                         (False, result["document_id"]))
        self.assertEqual(self._rows(), before)

    def test_gs1_example_counts_without_unit(self):
        """GS1's example 9.6.4 has quantities without unit (counts, EPCIS 2.0 7.3.3.3):
        imported, the lots of its classes made, its counts read as such."""
        result = self._import(_read("gs1_example_9.6.4_transformation_event_digital_link.jsonld"))
        self.assertEqual((result["event_count"], result["unmapped_count"]), (1, 0))
        event = self.env["stock.lot.epcis.event"].search(
            [("document_id", "=", result["document_id"])])
        self.assertIn("987", event.lot_ids.mapped("name"))
        facts = event._read_event(json.loads(event.body), "e")
        self.assertEqual([(i["code"], i["qty"]) for i in facts["input"]][-2:],
                         [("987", 30), (None, 220)])
        self.assertTrue(all(i["uom"] for i in facts["input"]))

    def test_count_without_unit(self):
        """A count (no uom) of a product counted in units is read in the product's unit; of
        a product measured in kg it is refused, naming the path, the product and its unit."""
        jams = "https://id.gs1.org/01/%s/10/J1" % self.jam.barcode.zfill(14)
        result = self._import(self._document([self._event(
            quantityList=[{"epcClass": jams, "quantity": 12}])]))
        event = self.env["stock.lot.epcis.event"].search(
            [("document_id", "=", result["document_id"])])
        self.assertEqual(event.lot_ids.mapped("name"), ["J1"])
        facts = event._read_event(json.loads(event.body), "e")
        self.assertEqual(facts["what"][0]["uom"], self.jam.uom_id.unece_code)
        before = self._rows()
        kg = self._event(quantityList=[{"epcClass": self._event()["quantityList"][0][
            "epcClass"], "quantity": 2}])
        with self.assertRaisesRegex(UserError, r"eventList\[0\]\.quantityList\[0\]: a "
                                    r"quantity of 2 is a count without a unit, but .*Apples"
                                    r".* is measured in kg"):
            self._import(self._document([kg]))
        self.assertEqual(self._rows(), before)

    def test_identifiers_not_mapped_are_listed(self):
        """Assets (GIAI), logistic units (SSCC) and others' URIs name no lot: the event is
        stored with the lots it names, those identifiers listed on it, not refused."""
        others = ["urn:epc:id:giai:4000001.12345", "urn:epc:id:sscc:4012345.0000000333",
                  "https://id.example.com/8003/040123450007718765"]
        event = self._event(epcList=others, quantityList=self._event()["quantityList"] + [
            {"epcClass": "urn:example:class:99", "quantity": 1}])
        result = self._import(self._document([event]))
        self.assertEqual((result["event_count"], result["unmapped_count"]), (1, 4))
        stored = self.env["stock.lot.epcis.event"].search(
            [("document_id", "=", result["document_id"])])
        self.assertEqual(stored.lot_ids.mapped("name"), ["L1"])
        self.assertEqual(stored.unmapped_identifiers.split("\n"),
                         others + ["urn:example:class:99"])
        self.assertEqual(stored.document_id.unmapped_count, 4)

    def test_sensor_event_without_epcs(self):
        """An ObjectEvent of sensor data at a read point, naming no object, is valid (GS1's
        schema); one naming nothing at all is refused in words."""
        sensor = self._event(readPoint={"id": "https://id.gs1.org/414/%s" % self.gln_ours},
                             sensorElementList=[{"sensorReport": [{"type": "Temperature",
                                                                   "value": 4.5}]}])
        del sensor["quantityList"]
        result = self._import(self._document([sensor]))
        self.assertEqual(result["event_count"], 1)
        bare = self._event()
        del bare["quantityList"]
        with self.assertRaisesRegex(UserError, r"eventList\[0\]: needs epcList or quantityList "
                                               r"or sensorElementList with readPoint'"):
            self._import(self._document([bare]))

    def test_byte_order_mark(self):
        """A document beginning with a UTF-8 byte order mark is read, XML and JSON."""
        bom = b"\xef\xbb\xbf"
        xml = self._import(bom + _read("supplier_puree_epcis.xml"))
        self.assertEqual(xml["event_count"], 3)
        self.assertEqual(self.env["stock.lot.epcis.document"].browse(
            xml["document_id"]).attachment_id.mimetype, "application/xml")
        data = bom + json.dumps(self._document([self._event()])).encode("utf-8")
        self.assertEqual(self._import(data)["event_count"], 1)

    def test_receipt_must_be_incoming(self):
        """import_document (RPC) refuses a delivery as the document's receipt, with the
        wizard's message; nothing written."""
        receipt = self._receive(self.apple, [(unique("APL"), 2.0)])
        delivery = self._deliver(self.apple, [(receipt.move_line_ids.lot_id, 1.0)])
        before = self._rows()
        with self.assertRaisesRegex(UserError, r"Receipt \(picking_id\): %s is not a receipt"
                                    % delivery.name):
            self._import(self._document([self._event()]), picking_id=delivery.id)
        self.assertEqual(self._rows(), before)

    # --- bad documents -----------------------------------------------------------------------
    def test_bad_documents(self):
        """Each bad document: one clear message naming where and why; nothing written."""
        good = self._event()
        bad_urn = self._event(quantityList=[{"epcClass": "urn:epc:class:lgtin:061.4.L1",
                                             "quantity": 1, "uom": "H87"}])
        cases = [
            (b'{"type": "EPCISDocument", "schemaVersion": ', "not JSON"),
            (dict(self._document([good]), schemaVersion="1.2"), "schemaVersion"),
            (self._document([dict(good, type="FooEvent")]),
             r"eventList\[0\]\.type: 'FooEvent' is not one of ObjectEvent"),
            (self._document([bad_urn]), r"quantityList\[0\]\.epcClass: 061\.4 is not a GS1"),
            (self._document([good, dict(self._event(), eventID=good["eventID"])]),
             r"eventList\[1\]\.eventID.*repeats"),
            (self._document([self._event(eventTime="yesterday")]),
             r"eventList\[0\]\.eventTime: 'yesterday' is not a date and time with its time "
             r"zone \(RFC 3339"),
            (self._document([self._event(ilmd={"a:b": 1})]), r"ilmd.*ADD"),
            (self._document([dict(good, action=None)]), r"action: None is not one of ADD"),
            (dict(self._document([good]), creationDate="2024-02-30T00:00:00Z"),
             r"creationDate: '2024-02-30T00:00:00Z' is not a real date"),
            (dict(self._document([good]), creationDate="0001-01-01T00:00:00+14:00"),
             r"creationDate: '0001-01-01T00:00:00\+14:00' is out of range"),
            (self._document([self._event(eventTime="9999-12-31T23:59:59-14:00")]),
             r"eventList\[0\]\.eventTime: '9999-12-31T23:59:59-14:00' is out of range"),
            (b"[" * 100000 + b"]" * 100000, r"\(document\): not JSON .*nested too deep"),
            (self._document([dict(good, quantityList=[{"quantity": 1}])]),
             r"quantityList\[0\]: epcClass missing"),
            (b" " * (21 * 1024 * 1024), "MB"),
            # no lone surrogate, NaN, Infinity or nesting past the reader's limit (the
            # Event Hash ID reads every value of an event without eventID)
            (self._document([dict(good, eventID=None, bizStep="urn:x:\udfff")]),
             r"eventList\[0\]\.bizStep: .* is not Unicode text"),
            (self._document([dict(good, sensorElementList=[{"sensorReport": [
                {"type": "gs1:Temperature", "value": float("nan")}]}])]),
             r"not JSON: NaN is not a JSON value"),
            (self._document([dict(good, sensorElementList=[{"sensorReport": [
                {"type": "gs1:Temperature", "value": 1e400}]}])]),
             r"not JSON: Infinity is not a JSON value"),
            (self._document([dict(good, **{"ex:a": self._nested(400)})]),
             r"eventList\[0\]\.ex:a(\.a)+: nested deeper than 40 levels"),
        ]
        before = self._rows()
        for document, pattern in cases:
            with self.assertRaisesRegex(UserError, pattern):
                self._import(document)
            self.assertEqual(self._rows(), before, pattern)

    @staticmethod
    def _nested(depth):
        top = node = {}
        for _level in range(depth):
            node["a"] = {}
            node = node["a"]
        return top

    def test_lowercase_t_and_z(self):
        """RFC 3339 (5.6) allows a lowercase t and z: read as their capitals."""
        event = self._event(eventTime="2026-03-01t09:00:00.5z")
        result = self._import(dict(self._document([event]),
                                   creationDate="2026-03-01t10:00:00+01:00"))
        document = self.env["stock.lot.epcis.document"].browse(result["document_id"])
        self.assertEqual((document.creation_date, document.event_ids.event_time),
                         ("2026-03-01 09:00:00", "2026-03-01 09:00:00"))

    def test_fifty_megabytes_refused_before_parsing(self):
        """A 50 MB document of events is refused by its size, nothing written."""
        event = json.dumps(self._event())
        body = ", ".join([event] * (50 * 1024 * 1024 // len(event)))
        data = ('{"type": "EPCISDocument", "schemaVersion": "2.0", "epcisBody": {"eventList": ['
                + body + "]}}").encode("utf-8")
        before = self._rows()
        with self.assertRaisesRegex(UserError, r"50 MB.*20 MB"):
            self._import(data)
        self.assertEqual(self._rows(), before)

    # --- round trip ------------------------------------------------------------------------
    def test_round_trip(self):
        """Our export imported back: every event's time, lots, quantities, parties and the
        transformation come back equal; the same events are not stored twice."""
        apple_lot, jam_lot, receipt, delivery = self._chain()
        document, summary = self._export(jam_lot, chain=True)
        result = self._import(json.dumps(document).encode("utf-8"))
        self.assertEqual(result["event_count"], summary["event_count"])
        events = self.env["stock.lot.epcis.event"].search(
            [("document_id", "=", result["document_id"])])
        Event = self.env["stock.lot.epcis.event"]
        for stored, sent in zip(events.sorted("id"), document["epcisBody"]["eventList"]):
            self.assertEqual(json.loads(stored.body), sent)
            facts = Event._read_event(json.loads(stored.body), "event")
            self.assertEqual(stored.event_time, facts["time"].strftime("%Y-%m-%d %H:%M:%S"))
        shipped = events.filtered(lambda e: e.biz_step == "shipping")
        self.assertEqual(shipped.lot_ids, jam_lot)
        self.assertEqual(shipped.event_time, delivery.move_line_ids.date)
        received = events.filtered(lambda e: e.biz_step == "receiving")
        self.assertEqual((received.lot_ids, received.picking_id), (apple_lot, receipt))
        facts = Event._read_event(json.loads(received.body), "event")
        self.assertEqual([(i["gtin"], i["code"], i["qty"], i["uom"]) for i in facts["what"]],
                         [(self.apple.barcode.zfill(14), apple_lot.name, 40.0, "KGM")])
        source = json.loads(received.body)["sourceList"]
        self.assertIn("/417/%s" % self.gln_supplier, json.dumps(source))
        made = events.filtered(lambda e: e.event_type == "TransformationEvent")
        self.assertEqual(made.lot_ids, apple_lot | jam_lot)
        edge = self.env["stock.lot.external.edge"].search([("event_id", "=", made.id)])
        self.assertEqual((edge.from_lot_id, edge.to_lot_id), (apple_lot, jam_lot))
        self.assertFalse(any((apple_lot | jam_lot).mapped("epcis_external")))
        before = self._rows()
        again = dict(document, creationDate="2030-01-01T00:00:00.000Z")
        result = self._import(json.dumps(again).encode("utf-8"))
        self.assertEqual((result["event_count"], result["skipped_count"]),
                         (0, summary["event_count"]))
        self.assertEqual(self._rows()["stock_lot_epcis_event"],
                         before["stock_lot_epcis_event"])

    def test_round_trip_without_gtin(self):
        """Products without GTIN are exported under our domain's private URIs (by internal
        reference, else by id); imported back, those name the same lots: none unmapped, no
        external lot made. Another domain's URIs of the same form are not ours."""
        sugar = self._create_product("Sugar", uom=self.uom_kg,
                                     default_code=unique("ING SUG") + "/2")
        pump = self._create_product("Pump", tracking="serial")
        sugar_lot = self._receive(sugar, [(unique("SUG"), 5.0)]).move_line_ids.lot_id
        pump_lot = self._receive(pump, [(unique("PMP"), 1.0)]).move_line_ids.lot_id
        document, summary = self._export(sugar_lot | pump_lot)
        body = json.dumps(document)
        self.assertIn("/epcis/class/%s/" % sugar.default_code.replace(" ", "%20").replace(
            "/", "%2F"), body)
        lots_before = self.env["stock.production.lot"].search_count([])
        result = self._import(body.encode("utf-8"))
        self.assertEqual((result["event_count"], result["unmapped_count"]),
                         (summary["event_count"], 0))
        events = self.env["stock.lot.epcis.event"].search(
            [("document_id", "=", result["document_id"])])
        self.assertEqual(events.mapped("lot_ids"), sugar_lot | pump_lot)
        self.assertEqual(self.env["stock.production.lot"].search_count([]), lots_before)
        foreign = body.replace(self.env["stock.lot.epcis"]._get_domain().rstrip("/"),
                               "https://other.example")
        foreign = json.loads(foreign)
        for event in foreign["epcisBody"]["eventList"]:
            event["eventID"] += "-other"
        result = self._import(json.dumps(foreign).encode("utf-8"))
        self.assertEqual(result["unmapped_count"], summary["event_count"])

    # --- external genealogy ----------------------------------------------------------------
    def test_supplier_transformation_is_walked(self):
        """A supplier made our ingredient from its own lots: upstream from our jam reaches
        the supplier's apples; downstream from them reaches our jam and its customer."""
        base = self._create_product("Jam Base", uom=self.uom_kg, barcode=self._new_gtin())
        receipt = self._receive(base, [(unique("JB"), 10.0)])
        base_lot = receipt.move_line_ids.lot_id
        base_lot.supplier_lot_code = unique("SUPJB")
        jam_name = unique("JAM")
        self._transform([(base, base_lot, 10.0)], [(self.jam, jam_name, 20.0)])
        jam_lot = self.env["stock.production.lot"].search([("name", "=", jam_name)])
        self._deliver(self.jam, [(jam_lot, 5.0)])
        orchard_gtin = with_check_digit("952000000001")
        made = {"type": "TransformationEvent", "eventID": "urn:uuid:" + unique("t"),
                "eventTime": "2026-02-01T08:00:00.000-05:00", "eventTimeZoneOffset": "-05:00",
                "transformationID": "https://supplier.example/t/1", "bizStep": "commissioning",
                "inputQuantityList": [{"epcClass": "https://id.gs1.org/01/%s/10/ORCH-7"
                                       % orchard_gtin, "quantity": 40, "uom": "KGM"}],
                "outputQuantityList": [{"epcClass": "https://id.gs1.org/01/%s/10/%s" % (
                    base.barcode.zfill(14), base_lot.supplier_lot_code),
                    "quantity": 30, "uom": "KGM"}]}
        self._import(self._document([made]), partner_id=self.supplier.id,
                     picking_id=receipt.id)
        orchard = self.env["stock.production.lot"].search([("name", "=", "ORCH-7")])
        self.assertTrue(orchard.epcis_external)
        self.assertFalse(orchard.product_id.active)
        trace = self.env["stock.lot.trace"].sudo(self.trace_user)
        self.assertIn(orchard.id, trace.trace_lot_ids(jam_lot.ids, "upstream"))
        down = trace.trace_lot_ids(orchard.ids, "downstream")
        self.assertEqual(down[:3], [orchard.id, base_lot.id, jam_lot.id])
        customers = self.env["stock.lot.ledger"].sudo(self.trace_user).deliveries(down)
        self.assertEqual({row["partner_id"] for row in customers}, {self.customer.id})
        details = trace.lot_details(jam_lot.id)
        external = [(lot["name"], lot["external"]["partner"])
                    for lot in details["made_from"]["lots"] if lot["external"]]
        self.assertEqual(external, [("ORCH-7", self.supplier.display_name)])
        self.assertIn("External lot of", jam_lot.sudo(self.trace_user).trace_html)

    def test_wizard_from_a_receipt(self):
        """EPCIS Import from a receipt: the document is kept against it, its supplier and
        events with it; a delivery is refused as the receipt."""
        receipt = self._receive(self.apple, [(unique("APL"), 2.0)])
        Wizard = self.env["stock.lot.epcis.import"].sudo(self.trace_user)
        data = base64.b64encode(_read("gs1_example_9.6.1_object_event.jsonld"))
        wizard = Wizard.with_context(active_model="stock.picking", active_id=receipt.id).create(
            {"data_file": data, "file_name": "example.jsonld"})
        self.assertEqual((wizard.picking_id, wizard.partner_id), (receipt, self.supplier))
        action = wizard.action_import()
        document = self.env["stock.lot.epcis.document"].browse(action["res_id"])
        self.assertEqual((document.picking_id, document.partner_id), (receipt, self.supplier))
        self.assertEqual(document.event_ids.mapped("picking_id"), receipt)
        self.assertTrue(document.attachment_id)
        delivery = self._deliver(self.apple, [(receipt.move_line_ids.lot_id, 1.0)])
        wizard = Wizard.create({"data_file": base64.b64encode(b"{}"),
                                "picking_id": delivery.id})
        with self.assertRaisesRegex(UserError, r"picking_id.*%s" % delivery.name):
            wizard.action_import()

    # --- the XML binding -------------------------------------------------------------------
    def test_xml_document(self):
        """A supplier's EPCIS 2.0 XML document goes the JSON document's way: its events
        stored (CBV URNs as the JSON-LD binding's names), the file kept as XML, our lot found
        by its supplier lot code, the supplier's apples walked upstream; imported twice it
        changes nothing."""
        apple = self._create_product("XML Apples", uom=self.uom_kg, barcode="4012345111118")
        puree = self._create_product("XML Puree", uom=self.uom_kg, barcode="4012345222227")
        receipt = self._receive(puree, [(unique("PUR"), 30.5)])
        our_lot = receipt.move_line_ids.lot_id
        our_lot.supplier_lot_code = "PUREE-XML-1"
        result = self._import(_read("supplier_puree_epcis.xml"), partner_id=self.supplier.id)
        self.assertEqual((result["created"], result["event_count"]), (True, 3))
        document = self.env["stock.lot.epcis.document"].browse(result["document_id"])
        self.assertEqual(document.attachment_id.mimetype, "application/xml")
        self.assertEqual(document.event_ids.mapped("biz_step"),
                         ["commissioning", "commissioning", "shipping"])
        shipped = document.event_ids.filtered(lambda e: e.biz_step == "shipping")
        self.assertEqual((shipped.lot_ids, shipped.event_time), (our_lot, "2026-02-02 06:30:00"))
        self.assertEqual(json.loads(shipped.body)["sourceList"], [
            {"source": "https://id.gs1.org/417/4012345000016", "type": "owning_party"}])
        orchard = self.env["stock.production.lot"].search([("name", "=", "ORCH-XML-1")])
        self.assertEqual(orchard.product_id, apple)
        self.assertTrue(orchard.epcis_external)
        self.assertIn(orchard.id, self.env["stock.lot.trace"].sudo(self.trace_user)
                      .trace_lot_ids(our_lot.ids, "upstream"))
        before = self._rows()
        again = self._import(_read("supplier_puree_epcis.xml"))
        self.assertEqual((again["created"], again["document_id"]), (False, document.id))
        self.assertEqual(self._rows(), before)

    def test_event_without_id_stored_once(self):
        """An event without eventID is named by its CBV 2.0 Event Hash ID: GS1's one event
        written in five forms (EPCs or quantities shuffled, another namespace prefix, an
        explicit xsi:type, JSON-LD instead of XML) is stored once; the same instant in another
        zone (another eventTimeZoneOffset) is another event; a given eventID is kept."""
        counts = []
        for number, ext in ((1, "xml"), (3, "xml"), (4, "xml"), (5, "xml"), (6, "xml"),
                            (7, "jsonld"), (2, "xml")):
            result = self._import(_read("epcis_hash/event_with_identical_hash_id_%s.%s"
                                        % (number, ext)), partner_id=self.supplier.id)
            counts.append((result["event_count"], result["skipped_count"]))
        self.assertEqual(counts, [(1, 0)] + [(0, 1)] * 5 + [(1, 0)])
        events = self.env["stock.lot.epcis.event"].search(
            [("event_id", "like", "ni:///sha-256;%")], order="id desc", limit=2)
        self.assertEqual(events[1].event_id, "ni:///sha-256;0bda5c32ccd2aed0d86966dc950bc88ef42"
                                             "49fd2e89735943812f32294561728?ver=CBV2.0")
        self.assertNotEqual(events[0].event_id, events[1].event_id)
        given = self._event()
        result = self._import(self._document([given]))
        self.assertEqual(self.env["stock.lot.epcis.event"].search(
            [("document_id", "=", result["document_id"])]).event_id, given["eventID"])

    def test_bad_xml_documents(self):
        """Bad XML: each refused naming where and why (line, or the path of the event as in a
        JSON document), nothing written; entities are not expanded."""
        good = _read("supplier_puree_epcis.xml")
        self._create_product("XML Apples", uom=self.uom_kg, barcode="4012345111118")
        bomb = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
                b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
                b'<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" '
                b'schemaVersion="2.0" creationDate="&c;"><EPCISBody><EventList/></EPCISBody>'
                b'</epcis:EPCISDocument>')
        cases = [
            (good[:400], r"line \d+, column \d+: not XML"),
            (good.replace(b"epcis:EPCISDocument", b"epcis:EPCISQueryDocument"),
             "EPCISQueryDocument, not EPCISDocument"),
            (good.replace(b'schemaVersion="2.0"', b'schemaVersion="1.2"'), "schemaVersion"),
            (good.replace(b"<quantity>40</quantity>", b"<quantity>forty</quantity>"),
             r"eventList\[0\]\.inputQuantityList\[0\]\.quantity: 'forty' is not a number"),
            (good.replace(b"<uom>KGM</uom>", b"", 1),
             r"eventList\[0\]\.inputQuantityList\[0\]: a quantity of 40.0 is a count without "
             r"a unit, but .*XML Apples.* is measured in kg"),
            (good.replace(b"<action>OBSERVE</action>", b"<action>LOOK</action>"), "LOOK"),
            (good.replace(b"<quantity>40</quantity>", b'<quantity xsi:nil="true" xmlns:xsi='
                          b'"http://www.w3.org/2001/XMLSchema-instance"/>'),
             r"inputQuantityList\[0\]: uom needs quantity"),
            (bomb, "creationDate"),
        ]
        before = self._rows()
        for document, pattern in cases:
            with self.assertRaisesRegex(UserError, pattern):
                self._import(document)
            self.assertEqual(self._rows(), before, pattern)
