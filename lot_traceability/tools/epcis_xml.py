# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The XML binding of EPCIS 2.0, read into the structure of the JSON-LD binding, so that an XML
document goes through the one validation of the import (schema, rules, identifiers).

- the root ``EPCISDocument`` (namespace ``urn:epcglobal:epcis:xsd:2``) gives ``schemaVersion``
  and ``creationDate``; its ``EPCISBody/EventList`` the events, each named by its element;
- the standard's elements are unqualified; CBV values written as URNs (``urn:epcglobal:cbv:
  bizstep:shipping``, ``...:disp:in_transit``, ``...:btt:po``, ``...:sdt:owning_party``) become
  the bare names the JSON-LD binding uses; lists become lists (``epcList/epc``,
  ``quantityList/quantityElement``, ``bizTransactionList/bizTransaction@type``, ``sourceList/
  source@type``...); EPCIS 1.x ``extension`` / ``baseExtension`` wrappers are read through;
- ``<quantity xsi:nil="true"/>`` is an absent quantity, as in the JSON-LD binding;
- qualified (user extension) elements, ``ilmd`` among others, keep their prefixed names
  (``cbvmda:lotNumber``), nested elements as objects, repeated ones as lists; the namespaces
  of their prefixes go to the document's ``@context``, as a JSON-LD document declares them;
- a sensor element's ``sensorMetadata`` and ``sensorReport`` (attributes in XML) become
  objects of those attributes (numbers and booleans as such); ``xsi:`` typing attributes are
  no data;
- ``readPoint`` and ``bizLocation`` keep their extension elements next to ``id``.

The parser resolves no entity, loads no DTD and reaches no network. Errors are
:class:`epcis.EpcisError` naming the line or the path in the document.
"""
from lxml import etree

from .epcis import CONTEXT, EpcisError, strip_bom

NAMESPACE = "urn:epcglobal:epcis:xsd:2"
_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
_CBV_VALUES = {"bizStep": "urn:epcglobal:cbv:bizstep:", "disposition": "urn:epcglobal:cbv:disp:"}
_CBV_TYPES = ("urn:epcglobal:cbv:btt:", "urn:epcglobal:cbv:sdt:")
_TEXTS = ("eventTime", "recordTime", "eventTimeZoneOffset", "eventID", "action", "bizStep",
          "disposition", "transformationID", "parentID", "certificationInfo")
_EPC_LISTS = ("epcList", "inputEPCList", "outputEPCList", "childEPCs")
_QUANTITY_LISTS = ("quantityList", "inputQuantityList", "outputQuantityList",
                   "childQuantityList")
_PARTY_LISTS = {"sourceList": "source", "destinationList": "destination"}
_WRAPPERS = ("extension", "baseExtension")
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_SENSOR_NUMBERS = ("value", "minValue", "maxValue", "meanValue", "sDev", "percRank",
                   "percValue")


def is_xml(raw):
    """True when the bytes look like an XML document (its first character, after a UTF-8
    byte order mark, is ``<``)."""
    return strip_bom(raw).lstrip()[:1] == b"<"


def read_document(raw):
    """The JSON-LD structure of an EPCIS 2.0 XML document (bytes), or EpcisError."""
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True,
                             remove_comments=True, remove_pis=True, huge_tree=False)
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as error:
        raise EpcisError("not_xml", "line %s, column %s" % tuple(error.position),
                         "not XML: %s" % error.msg)
    if etree.QName(root).localname != "EPCISDocument":
        raise EpcisError("type", "(document)", "the root element is %s, not EPCISDocument"
                         % etree.QName(root).localname)
    document = {"@context": [CONTEXT], "type": "EPCISDocument"}
    for name in ("schemaVersion", "creationDate"):
        if root.get(name) is not None:
            document[name] = root.get(name)
    events = []
    for body in _children(root, "EPCISBody"):
        for event_list in _children(body, "EventList"):
            events += [_read_event(element, "epcisBody.eventList[%s]" % (len(events) + index))
                       for index, element in enumerate(_elements(event_list))]
    document["epcisBody"] = {"eventList": events}
    prefixes = _prefixes(root)
    if prefixes:
        document["@context"].append(prefixes)
    return document


def _prefixes(root):
    """``{prefix: namespace}`` of the qualified names the events' keys use (a prefix bound
    to two namespaces keeps the first; a default namespace is the prefix ``ns``)."""
    found = {}
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        names = [element.tag] + [name for name in element.attrib if name.startswith("{")]
        for name in names:
            namespace = etree.QName(name).namespace
            if namespace and namespace not in (NAMESPACE, _XSI):
                prefix = element.prefix or "ns" if name == element.tag else _prefix_of(
                    element, namespace)
                found.setdefault(prefix, namespace)
    return found


def _prefix_of(element, namespace):
    return next((prefix for prefix, uri in element.nsmap.items()
                 if uri == namespace and prefix), "ns")


# --- elements ------------------------------------------------------------------------------
def _elements(parent):
    """The element children of ``parent``, those of extension wrappers in their place."""
    for child in parent:
        if not isinstance(child.tag, str):
            continue
        if not etree.QName(child).namespace and etree.QName(child).localname in _WRAPPERS:
            yield from _elements(child)
        else:
            yield child


def _children(parent, name):
    return [child for child in _elements(parent) if etree.QName(child).localname == name]


def _text(element):
    return (element.text or "").strip()


def _key(element):
    """An element's name as JSON-LD writes it: bare if unqualified, else ``prefix:name``."""
    qname = etree.QName(element)
    if not qname.namespace or qname.namespace == NAMESPACE:
        return qname.localname
    return "%s:%s" % (element.prefix or "ns", qname.localname)


def _strip(value, prefixes):
    for prefix in prefixes:
        if value.startswith(prefix):
            return value[len(prefix):]
    return value


def _generic(element):
    """Text, or an object of the attributes (but ``xsi:`` typing) and children (a name
    repeated: a list), its text then under ``#text``."""
    children = list(_elements(element))
    attributes = [name for name in element.attrib if etree.QName(name).namespace != _XSI]
    if not children and not attributes:
        return _text(element)
    value = {_attribute_key(element, name): element.get(name).strip() for name in attributes}
    if _text(element):
        value["#text"] = _text(element)
    for child in children:
        _add(value, _key(child), _generic(child))
    return value


def _add(value, key, item):
    """``value[key] = item``, a key repeated making a list."""
    if key in value:
        value[key] = value[key] if isinstance(value[key], list) else [value[key]]
        value[key].append(item)
    else:
        value[key] = item


def _attribute_key(element, name):
    qname = etree.QName(name)
    if not qname.namespace:
        return qname.localname
    return "%s:%s" % (_prefix_of(element, qname.namespace), qname.localname)


def _attributes(element):
    """The attributes of a sensor's metadata or report (``prefix:name`` when qualified;
    ``xsi:`` typing left out), numbers and booleans as such, and its child elements."""
    item = {}
    for name, text in element.attrib.items():
        qname = etree.QName(name)
        if qname.namespace == _XSI:
            continue
        key = _attribute_key(element, name)
        item[key] = text.strip()
        if key in _SENSOR_NUMBERS:
            try:
                item[key] = float(item[key])
            except ValueError:
                pass
        elif key == "booleanValue" and item[key] in ("true", "1", "false", "0"):
            item[key] = item[key] in ("true", "1")
    for child in _elements(element):
        _add(item, _key(child), _generic(child))
    return item


def _sensor_element(element):
    """A ``sensorElement``: its metadata, its reports (a list) and extension elements."""
    sensor = {}
    for child in _elements(element):
        name = _key(child)
        if name == "sensorMetadata":
            sensor[name] = _attributes(child)
        elif name == "sensorReport":
            sensor.setdefault(name, []).append(_attributes(child))
        else:
            _add(sensor, name, _generic(child))
    return sensor


# --- events --------------------------------------------------------------------------------
def _read_event(element, path):
    event = {"type": etree.QName(element).localname}
    for child in _elements(element):
        name = _key(child)
        event[name] = _read_field(name, child, path)
    return event


def _read_field(name, element, path):
    if name in _TEXTS:
        return _strip(_text(element), (_CBV_VALUES.get(name, ""),) if name in _CBV_VALUES
                      else ())
    if name in _EPC_LISTS:
        return [_text(epc) for epc in _elements(element)]
    if name in _QUANTITY_LISTS:
        return [_read_quantity(item, "%s.%s[%s]" % (path, name, index))
                for index, item in enumerate(_elements(element))]
    if name in ("readPoint", "bizLocation"):
        place = {"id": "".join(_text(child) for child in _children(element, "id"))}
        for child in _elements(element):
            if etree.QName(child).namespace not in (None, NAMESPACE):
                _add(place, _key(child), _generic(child))
        return place
    if name == "bizTransactionList":
        return [_typed(item, "bizTransaction") for item in _elements(element)]
    if name in _PARTY_LISTS:
        return [_typed(item, _PARTY_LISTS[name]) for item in _elements(element)]
    if name == "persistentDisposition":
        return {key: [_strip(_text(child), ("urn:epcglobal:cbv:disp:",))
                      for child in _children(element, key)]
                for key in ("set", "unset") if _children(element, key)}
    if name in ("sensorElementList",):
        return [_sensor_element(child) for child in _elements(element)]
    value = _generic(element)
    return value if value != "" or name != "ilmd" else {}


def _read_quantity(element, path):
    """A quantity element; a child ``xsi:nil="true"`` is absent, as JSON's missing key."""
    item = {}
    for child in _elements(element):
        if child.get(_NIL) not in ("true", "1"):
            item[_key(child)] = _text(child)
    if "quantity" in item:
        try:
            item["quantity"] = float(item["quantity"])
        except ValueError:
            raise EpcisError("bad_quantity", path + ".quantity",
                             "%r is not a number" % item["quantity"])
    return item


def _typed(element, key):
    item = {key: _text(element)}
    if element.get("type"):
        item["type"] = _strip(element.get("type"), _CBV_TYPES)
    return item
