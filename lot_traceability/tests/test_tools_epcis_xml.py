# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Tests of tools/epcis_xml.py (pure Python, no Odoo): the XML binding read into the JSON-LD
structure; whatever the bytes, the reader answers a structure or an EpcisError. And of the
reading parts of tools/epcis.py: JSON, times, identifiers, schema errors in words."""
import datetime
import json
import os

import pytest
from hypothesis import given, settings, strategies as st

from ..tools import epcis, epcis_xml

DATA = os.path.join(os.path.dirname(__file__), "data")


def _fixture():
    with open(os.path.join(DATA, "supplier_puree_epcis.xml"), "rb") as handle:
        return handle.read()


def test_reads_the_json_ld_structure():
    document = epcis_xml.read_document(_fixture())
    assert (document["type"], document["schemaVersion"]) == ("EPCISDocument", "2.0")
    made, added, shipped = document["epcisBody"]["eventList"]
    assert made["type"] == "TransformationEvent" and made["bizStep"] == "commissioning"
    assert made["inputQuantityList"] == [{
        "epcClass": "urn:epc:class:lgtin:4012345.011111.ORCH-XML-1", "quantity": 40.0,
        "uom": "KGM"}]
    assert made["hp:batchRecord"] == "BR-2026-017"
    assert added["ilmd"]["cbvmda:lotNumber"] == "PUREE-XML-1"
    assert shipped["bizTransactionList"] == [{
        "bizTransaction": "https://hillside-preserves.example/epcis/po/PO-881", "type": "po"}]
    assert shipped["destinationList"][0]["type"] == "owning_party"


def test_epcis_1_extension_wrappers_are_read_through():
    """EPCIS 1.x put quantities and transformations under ``extension``."""
    raw = (b'<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0"'
           b' creationDate="2026-01-01T00:00:00Z"><EPCISBody><EventList><extension>'
           b'<TransformationEvent><eventTime>2026-01-01T00:00:00Z</eventTime>'
           b'<eventTimeZoneOffset>+00:00</eventTimeZoneOffset><baseExtension>'
           b'<eventID>urn:uuid:1</eventID></baseExtension></TransformationEvent></extension>'
           b'</EventList></EPCISBody></epcis:EPCISDocument>')
    event, = epcis_xml.read_document(raw)["epcisBody"]["eventList"]
    assert (event["type"], event["eventID"]) == ("TransformationEvent", "urn:uuid:1")


def test_byte_order_mark_and_nil_quantity():
    """A UTF-8 BOM before the XML is XML; ``<quantity xsi:nil="true"/>`` is no quantity."""
    raw = (b'\xef\xbb\xbf<?xml version="1.0" encoding="UTF-8"?>\n<epcis:EPCISDocument '
           b'xmlns:epcis="urn:epcglobal:epcis:xsd:2" xmlns:xsi="http://www.w3.org/2001/'
           b'XMLSchema-instance" schemaVersion="2.0" creationDate="2026-01-01T00:00:00Z">'
           b'<EPCISBody><EventList><ObjectEvent><quantityList><quantityElement><epcClass>'
           b'urn:epc:class:lgtin:4012345.022222.L1</epcClass><quantity xsi:nil="true"/>'
           b'</quantityElement></quantityList></ObjectEvent></EventList></EPCISBody>'
           b'</epcis:EPCISDocument>')
    assert epcis_xml.is_xml(raw)
    event, = epcis_xml.read_document(raw)["epcisBody"]["eventList"]
    assert event["quantityList"] == [{"epcClass": "urn:epc:class:lgtin:4012345.022222.L1"}]


def test_read_json():
    """JSON with a BOM is read; too deep or not JSON is an EpcisError, never another."""
    assert epcis.read_json(b'\xef\xbb\xbf{"a": 1}') == {"a": 1}
    for raw, path, reason in ((b"[" * 100000, "(document)", "nested too deep"),
                              (b'{"a": ', "line 1, column 7", "not JSON"),
                              (b"\xff", "(document)", "not UTF-8")):
        with pytest.raises(epcis.EpcisError) as caught:
            epcis.read_json(raw)
        assert caught.value.path == path and reason in caught.value.reason


def test_times():
    """Lowercase t and z (RFC 3339 5.6); dates out of range or impossible named."""
    assert epcis.parse_time("2005-04-03t20:33:31.116z", "t") == datetime.datetime(
        2005, 4, 3, 20, 33, 31, 116000)
    for text, reason in (("0001-01-01T00:00:00+14:00", "out of range"),
                         ("9999-12-31T23:59:59-14:00", "out of range"),
                         ("2024-02-30T00:00:00Z", "not a real date")):
        with pytest.raises(epcis.EpcisError) as caught:
            epcis.parse_time(text, "t")
        assert reason in caught.value.reason


def test_identifiers():
    """GTIN-based identifiers read; other schemes are None (not mapped), a malformed
    GTIN-based one an error; our private URIs read back."""
    assert epcis.read_identifier("urn:epc:id:sgtin:0614141.107346.2017", "p", True) == (
        "10614141073464", None, "2017")
    for uri in ("urn:epc:id:giai:4000001.12345", "urn:epc:id:sscc:4012345.0000000333",
                "https://id.gs1.org/8004/4000001123456", "urn:example:epcis:id:obj:1"):
        assert epcis.read_identifier(uri, "p", True) is None
    with pytest.raises(epcis.EpcisError):
        epcis.read_identifier("urn:epc:class:lgtin:061.4.L1", "p")
    uri = epcis.private_uri("https://trace.example.com/", "class/ING%20SUG%2F2", "L 1/2")
    assert uri == "https://trace.example.com/epcis/class/ING%20SUG%2F2/L%201%2F2"
    assert epcis.parse_private(uri, "trace.example.com") == ("class", "ING SUG/2", "L 1/2")
    assert epcis.parse_private(uri, "https://other.example") is None
    assert epcis.parse_private(uri + "/x", "trace.example.com") is None


def test_schema_errors_in_words():
    """The addon's schema errors say the path's rule in words, not the whole event."""
    jsonschema = pytest.importorskip("jsonschema")
    with open(os.path.join(os.path.dirname(DATA), "..", "data",
                           "epcis_document.schema.json")) as handle:
        validator = jsonschema.Draft7Validator(json.load(handle))
    event = {"type": "ObjectEvent", "action": "ADD", "eventTimeZoneOffset": "+01:00",
             "eventTime": "2026-01-01 10:00"}
    document = {"@context": "https://x.example/c", "type": "EPCISDocument",
                "schemaVersion": "2.0", "creationDate": "2026-01-01T00:00:00Z",
                "epcisBody": {"eventList": [event]}}
    reasons = sorted(epcis.schema_reason(error) for error in validator.iter_errors(document))
    assert reasons == [
        "'2026-01-01 10:00' is not a date and time with its time zone (RFC 3339, e.g. "
        "2026-01-31T09:30:00.000+01:00)",
        "needs epcList or quantityList or sensorElementList with readPoint"]


@pytest.mark.parametrize("raw, path", [
    (b"<a", "line 1, column 3"),
    (b"<EPCISQueryDocument/>", "(document)"),
])
def test_errors_name_the_place(raw, path):
    with pytest.raises(epcis.EpcisError) as caught:
        epcis_xml.read_document(raw)
    assert caught.value.path == path


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300).map(lambda raw: b"<" + raw) | st.text(max_size=300).map(
    lambda text: ("<epcis:EPCISDocument xmlns:epcis='urn:epcglobal:epcis:xsd:2'><EPCISBody>"
                  "<EventList><ObjectEvent>" + text).encode("utf-8")))
def test_any_bytes_give_a_structure_or_an_epcis_error(raw):
    try:
        document = epcis_xml.read_document(raw)
    except epcis.EpcisError as error:
        assert error.path and error.reason
    else:
        assert isinstance(document["epcisBody"]["eventList"], list)


NAMES = ("ObjectEvent", "quantityList", "quantityElement", "quantity", "uom", "epcClass",
         "readPoint", "id", "bizTransactionList", "bizTransaction", "ilmd", "epcList", "epc",
         "extension", "sourceList", "source", "persistentDisposition", "set",
         "sensorElementList", "eventTime", "action")
TREES = st.recursive(st.sampled_from(["", "x", "1.5", "KGM", "urn:epcglobal:cbv:sdt:x"]),
                     lambda children: st.tuples(st.sampled_from(NAMES), st.lists(
                         children, max_size=3)).map(lambda node: "<%s>%s</%s>" % (
                             node[0], "".join(node[1]), node[0])), max_leaves=15)


@settings(max_examples=100, deadline=None)
@given(TREES)
def test_well_formed_trees_give_a_structure_or_an_epcis_error(tree):
    """Well-formed documents of the binding's own elements nested in any way."""
    raw = ("<epcis:EPCISDocument xmlns:epcis='urn:epcglobal:epcis:xsd:2'><EPCISBody>"
           "<EventList><ObjectEvent>%s</ObjectEvent></EventList></EPCISBody>"
           "</epcis:EPCISDocument>" % tree).encode("utf-8")
    try:
        document = epcis_xml.read_document(raw)
    except epcis.EpcisError as error:
        assert error.path.startswith("epcisBody.eventList[0].") and error.reason
    else:
        assert document["epcisBody"]["eventList"][0]["type"] == "ObjectEvent"


def test_sensor_attributes_and_extension_namespaces():
    """A sensor's metadata and reports are read from their attributes (numbers and booleans
    as such, xsi: typing no data); extension prefixes are declared in ``@context``, as a
    JSON-LD document does; readPoint keeps its extension elements."""
    raw = (b'<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" xmlns:e="https://ns'
           b'.example/x/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" schemaVersion='
           b'"2.0" creationDate="2026-01-01T00:00:00Z"><EPCISBody><EventList><ObjectEvent>'
           b'<readPoint><id>urn:epc:id:sgln:4012345.00001.0</id><e:dock>3</e:dock></readPoint>'
           b'<sensorElementList><sensorElement><sensorMetadata time="2026-01-01T00:00:00Z" '
           b'e:batch="B1"/><sensorReport type="gs1:Temperature" value="4.5" uom="CEL" '
           b'booleanValue="true"/><sensorReport type="gs1:Humidity" value="40"/>'
           b'<e:note xsi:type="xsd:string" e:lang="en">ok</e:note></sensorElement>'
           b'</sensorElementList></ObjectEvent></EventList></EPCISBody></epcis:EPCISDocument>')
    document = epcis_xml.read_document(raw)
    event, = document["epcisBody"]["eventList"]
    assert document["@context"] == [epcis.CONTEXT, {"e": "https://ns.example/x/"}]
    assert event["readPoint"] == {"id": "urn:epc:id:sgln:4012345.00001.0", "e:dock": "3"}
    assert event["sensorElementList"] == [{
        "sensorMetadata": {"time": "2026-01-01T00:00:00Z", "e:batch": "B1"},
        "sensorReport": [{"type": "gs1:Temperature", "value": 4.5, "uom": "CEL",
                          "booleanValue": True}, {"type": "gs1:Humidity", "value": 40.0}],
        "e:note": {"e:lang": "en", "#text": "ok"}}]
