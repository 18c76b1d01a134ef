# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Tests of tools/epcis_xml.py (pure Python, no Odoo): the XML binding read into the JSON-LD
structure; whatever the bytes, the reader answers a structure or an EpcisError."""
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
