# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Tests of the CBV 2.0 Event Hash ID (tools/epcis.py, pure Python, no Odoo, no database).

Test data in data/epcis_hash/ (see data/README.md):
- ``event_with_identical_hash_id_*``: GS1's EPCIS repository, ``XML/WithEventHashID/`` (one
  event written in different forms; 7 is its JSON-LD form);
- ``ref_*``: the test examples of GS1's reference implementation of the hash
  (github.com/RalphTro/epcis-event-hash-generator, ``tests/examples/``, MIT licence, see
  LICENSE.epcis-event-hash-generator), each with the hashes it expects (``.hashes``).
"""
import copy
import json
import os

import pytest
from hypothesis import given, settings, strategies as st

from ..tools import epcis, epcis_xml

DATA = os.path.join(os.path.dirname(__file__), "data", "epcis_hash")
# What the GS1 event of XML/WithEventHashID (files 1, 3, 4, 5, 6 and its JSON-LD form 7) hashes to.
GS1_EVENT_HASH = ("ni:///sha-256;0bda5c32ccd2aed0d86966dc950bc88ef4249fd2e89735943812f32294561728"
                  "?ver=CBV2.0")


def _document(name):
    with open(os.path.join(DATA, name), "rb") as handle:
        raw = handle.read()
    return epcis_xml.read_document(raw) if epcis_xml.is_xml(raw) else epcis.read_json(raw)


def _hashes(name):
    document = _document(name)
    return [epcis.event_hash_id(event, document["@context"])
            for event in document["epcisBody"]["eventList"]]


def _expected(name):
    with open(os.path.join(DATA, os.path.splitext(name)[0] + ".hashes")) as handle:
        return handle.read().split()


def test_gs1_files_of_one_event_give_one_hash_id():
    """GS1's one event with its EPCs shuffled (3), its quantities shuffled (4), another
    namespace prefix (5), an explicit ``xsi:type`` (6), and as JSON-LD (7)."""
    ids = {number: _hashes("event_with_identical_hash_id_%s.%s" % (
        number, "jsonld" if number == 7 else "xml"))[0] for number in range(1, 8)}
    assert {ids[number] for number in (1, 3, 4, 5, 6, 7)} == {GS1_EVENT_HASH}
    # File 2 writes the same instant in another zone, and with it another
    # eventTimeZoneOffset (-05:00): a field of the pre-hash string in CBV 2.0 (and in the
    # reference implementation), so another event hash.
    assert ids[2] != GS1_EVENT_HASH and ids[2].endswith("?ver=CBV2.0")


def test_gs1_event_pre_hash_string():
    document = _document("event_with_identical_hash_id_1.xml")
    text = epcis.pre_hash_string(document["epcisBody"]["eventList"][0], document["@context"])
    assert text.startswith(
        "eventType=ObjectEventeventTime=2005-04-05T02:33:31.116ZeventTimeZoneOffset=-06:00"
        "epcListepc=https://id.gs1.org/01/10614141073464/21/2016epc=https://id.gs1.org/01/"
        "10614141073464/21/2017epc=https://id.gs1.org/01/10614141073464/21/2018"
        "quantityListquantityElementepcClass=https://id.gs1.org/01/04012345123456/10/998876"
        "quantity=300uom=KGMquantityElementepcClass=https://id.gs1.org/01/04012345123456/10/"
        "998877quantity=200uom=KGMaction=ADDbizStep=https://ref.gs1.org/cbv/BizStep-receiving"
        "disposition=https://ref.gs1.org/cbv/Disp-in_progresspersistentDispositionset="
        "https://ref.gs1.org/cbv/Disp-completeness_verifiedunset=https://ref.gs1.org/cbv/"
        "Disp-completeness_inferredreadPointid=https://id.gs1.org/414/0012345111112/254/400"
        "bizLocationid=https://id.gs1.org/414/0012345111112sensorElementList")
    assert ("sensorReporttype=https://gs1.org/voc/Temperature" in text
            and "booleanValue=true" in text and "{http://example.com/ext1}int=10" in text)
    assert text.endswith("{http://example.com/ext1}default=stringAsDefaultValue"
                         "{http://example.com/ext1}float=20{http://example.com/ext1}int=10")


@pytest.mark.parametrize("name", [
    "ref_ReferenceEventHashAlgorithm.jsonld", "ref_ReferenceEventHashAlgorithm.xml",
    "ref_ReferenceEventHashAlgorithm2.jsonld", "ref_ReferenceEventHashAlgorithm2.xml",
    "ref_ReferenceEventHashAlgorithm3.jsonld", "ref_ReferenceEventHashAlgorithm3.xml",
    "ref_epcisDocWithVariousEventTypes.jsonld", "ref_epcisDocWithVariousEventTypes.xml",
    "ref_persistentDisposition.jsonld", "ref_persistentDisposition.xml",
    "ref_epcisEventWithCURIEs.jsonld", "ref_epcisEventWithCURIEs.xml",
    "ref_epcisDocWithSensorComponent.jsonld", "ref_epcisDocWithSensorComponent.xml",
    "ref_TimeStampRoundOff.jsonld", "ref_epclist_normalisation.jsonld",
    "ref_SensorDataExamples.xml"])
def test_reference_implementation_examples(name):
    """The hashes the reference implementation's tests expect, event by event."""
    assert _hashes(name) == _expected(name)


def test_reference_example_1():
    """The first example of the reference implementation's description, by value."""
    assert _hashes("ref_ReferenceEventHashAlgorithm.xml") == [
        "ni:///sha-256;6ae96341e0acc6d7a261364751f60e68278a81cdf51da0abb6b4e617014e39d7"
        "?ver=CBV2.0"]


def test_json_and_xml_forms_give_one_hash():
    assert _hashes("ref_epcisDocWithVariousEventTypes.xml") == _hashes(
        "ref_epcisDocWithVariousEventTypes.jsonld")
    assert (_hashes("event_with_identical_hash_id_7.jsonld")
            == _hashes("event_with_identical_hash_id_1.xml"))


def _gs1_event():
    document = _document("event_with_identical_hash_id_7.jsonld")
    return document["epcisBody"]["eventList"][0], document["@context"]


@pytest.mark.parametrize("change", [
    lambda e: e.update(eventTime="2005-04-04T20:33:31.117-06:00"),
    lambda e: e.update(eventTimeZoneOffset="+00:00"),
    lambda e: e["epcList"].pop(),
    lambda e: e["epcList"].append("urn:epc:id:sgtin:0614141.107346.2019"),
    lambda e: e["quantityList"][0].update(quantity=201),
    lambda e: e["quantityList"][0].update(uom="LTR"),
    lambda e: e.update(action="OBSERVE"),
    lambda e: e.update(bizStep="shipping"),
    lambda e: e.update(disposition="in_transit"),
    lambda e: e["readPoint"].update(id="urn:epc:id:sgln:0012345.11111.401"),
    lambda e: e["bizTransactionList"][0].update(type="inv"),
    lambda e: e["sourceList"].pop(),
    lambda e: e["destinationList"][0].update(type="owning_party"),
    lambda e: e["sensorElementList"][0]["sensorReport"][0].update(value=26.1),
    lambda e: e["sensorElementList"][0]["sensorMetadata"].update(
        time="2019-04-02T14:05:00.001+01:00"),
    lambda e: e["ilmd"].update({"ext1:int": 11}),
    lambda e: e.update({"ext1:default": "another"}),
    lambda e: e.update({"ext1:new": "field"}),
    lambda e: e["persistentDisposition"].pop("unset"),
    lambda e: e.update(type="TransactionEvent"),
])
def test_a_change_changes_the_hash(change):
    event, context = _gs1_event()
    changed = copy.deepcopy(event)
    change(changed)
    assert epcis.event_hash_id(changed, context) != epcis.event_hash_id(event, context)


@pytest.mark.parametrize("change", [
    lambda e: e.update(eventID="urn:uuid:1", recordTime="2026-01-01T00:00:00Z"),
    lambda e: e.update(eventTime="2005-04-05T02:33:31.116Z"),
    lambda e: e.update(eventTime="2005-04-05T02:33:31.11600Z"),
    lambda e: e.update(eventTime="2005-04-05T02:33:31.1155Z"),
    lambda e: e["epcList"].reverse(),
    lambda e: e.update(epcList=["https://example.com/01/10614141073464/21/%s?x=1" % serial
                                for serial in (2016, 2017, 2018)]),
    lambda e: e["quantityList"][0].update(quantity=200),
    lambda e: e.update(bizStep="https://ref.gs1.org/cbv/BizStep-receiving"),
    lambda e: e.update(disposition="cbv:Disp-in_progress"),
    lambda e: e["sourceList"].reverse(),
    lambda e: e["sensorElementList"][0]["sensorReport"][0].update(type="Temperature"),
    lambda e: e.update(errorDeclaration={"declarationTime": "2026-01-01T00:00:00Z"}),
])
def test_forms_of_one_event_keep_the_hash(change):
    event, context = _gs1_event()
    changed = copy.deepcopy(event)
    change(changed)
    assert epcis.event_hash_id(changed, context) == epcis.event_hash_id(event, context)


def test_namespace_not_prefix():
    """An extension field is named by its namespace, whatever the prefix."""
    event = {"type": "ObjectEvent", "eventTime": "2026-01-01T00:00:00Z",
             "eventTimeZoneOffset": "+00:00", "action": "OBSERVE", "a:x": "1"}
    other = dict(event)
    other["b:x"] = other.pop("a:x")
    assert (epcis.event_hash_id(event, ["c", {"a": "https://ns.example/"}])
            == epcis.event_hash_id(other, ["c", {"b": "https://ns.example/"}]))
    assert (epcis.event_hash_id(event, ["c", {"a": "https://ns.example/"}])
            != epcis.event_hash_id(event, ["c", {"a": "https://other.example/"}]))


@pytest.mark.parametrize("uri, canonical", [
    ("urn:epc:id:sgtin:0614141.107346.2017", "https://id.gs1.org/01/10614141073464/21/2017"),
    ("urn:epc:class:lgtin:4012345.012345.998877",
     "https://id.gs1.org/01/04012345123456/10/998877"),
    ("urn:epc:idpat:sgtin:4012345.012345.*", "https://id.gs1.org/01/04012345123456"),
    ("urn:epc:id:sscc:0614141.1234567890", "https://id.gs1.org/00/106141412345678908"),
    ("urn:epc:id:sgln:0012345.11111.0", "https://id.gs1.org/414/0012345111112"),
    ("urn:epc:id:sgln:0012345.11111.400", "https://id.gs1.org/414/0012345111112/254/400"),
    ("urn:epc:id:pgln:4012345.00225", "https://id.gs1.org/417/4012345002256"),
    ("urn:epc:id:giai:4000001.111", "https://id.gs1.org/8004/4000001111"),
    ("urn:epc:id:gdti:0614141.00001.1618034", "https://id.gs1.org/253/06141410000121618034"),
    ("urn:epc:id:sgtin:0614141.107346.A(1)", "https://id.gs1.org/01/10614141073464/21/A%281%29"),
    ("https://example.com/gtin/9506000134352/lot/L1?17=261231",
     "https://id.gs1.org/01/09506000134352/10/L1"),
    ("https://id.gs1.org/01/09506000134352/22/2A/10/L1/21/S1",
     "https://id.gs1.org/01/09506000134352/21/S1"),
    ("https://www.ncbi.nlm.nih.gov/taxonomy/1126011", None),
    ("urn:epc:id:sgtin:0614141.10734.2017", None),
    ("urn:example:1", None),
])
def test_canonical_digital_link(uri, canonical):
    assert epcis.canonical_digital_link(uri) == canonical


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["type", "eventTime", "epcList", "quantityList", "sensorElementList",
                         "sensorReport", "sensorMetadata", "ilmd", "readPoint", "id", "a:b",
                         "bizTransactionList", "persistentDisposition", "set", "quantity",
                         "@context", "time", "value"]) | st.text(max_size=8),
        children, max_size=5),
    max_leaves=25)


@settings(max_examples=300, deadline=None)
@given(event=st.dictionaries(st.text(max_size=20), _JSON, max_size=8) | _JSON.filter(
    lambda value: isinstance(value, dict)), context=_JSON)
def test_any_structure_gives_a_hash(event, context):
    """Whatever the (schema-checked or not) structure, a hash, never an exception."""
    assert epcis.event_hash_id(event, context).startswith("ni:///sha-256;")


def test_stable_for_json_round_trip():
    event, context = _gs1_event()
    again = json.loads(json.dumps(event))
    assert epcis.event_hash_id(again, context) == epcis.event_hash_id(event, context)
