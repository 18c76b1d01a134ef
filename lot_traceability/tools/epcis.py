# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""GS1 EPCIS 2.0 identifiers, times and document rules, in pure Python (no Odoo import).

- class and instance identifiers of lots and serials: GS1 Digital Link URIs on GS1's
  canonical domain (``https://id.gs1.org/01/<gtin>/10/<lot>``, ``.../21/<serial>``) when the
  product has a GTIN and the code fits GS1, read back from Digital Links of any domain and
  from the EPC URNs ``urn:epc:class:lgtin:...`` and ``urn:epc:id:sgtin:...``;
- places and parties by GLN (``https://id.gs1.org/414/<gln>``, ``.../417/<gln>``);
- event times as EPCIS writes them (UTC with milliseconds, and the zone's offset);
- the rules of the standard's text that a JSON schema cannot say (:func:`rule_errors`), and
  the schema's errors said in words (:func:`schema_reason`);
- identifiers that are not GTIN-based (GIAI, SSCC, private URIs...) are not refused: they
  read as None ("not mapped") and the import lists them; our own private URIs (see
  :func:`private_uri`) read back as product reference and lot (:func:`parse_private`).

Errors are :class:`EpcisError` with a stable ``code`` and the ``path`` in the document: every
function of this module and of ``epcis_xml`` answers bad input with one, nothing else.
"""
import datetime
import hashlib
import json
import math
import re
from urllib.parse import quote, unquote

from . import gs1

CANONICAL = "https://id.gs1.org"
CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
BOM = b"\xef\xbb\xbf"
EVENT_TYPES = ("ObjectEvent", "AggregationEvent", "TransactionEvent",
               "TransformationEvent", "AssociationEvent")
_URN_CLASS = re.compile(r"^urn:epc:class:lgtin:([0-9]+)\.([0-9]+)\.(.+)$")
_URN_ID = re.compile(r"^urn:epc:id:sgtin:([0-9]+)\.([0-9]+)\.(.+)$")
_URN_IDPAT = re.compile(r"^urn:epc:idpat:sgtin:([0-9]+)\.([0-9]+)\.\*$")
_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[Tt](\d{2}:\d{2}:\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
_OFFSET = re.compile(r"^[+-](\d{2}):(\d{2})$")


class EpcisError(ValueError):
    """A value of a document that is not what EPCIS 2.0 (or this addon) accepts."""

    def __init__(self, code, path, reason):
        self.code, self.path, self.reason = code, path, reason
        super(EpcisError, self).__init__("%s: %s" % (path, reason))


# --- the document ------------------------------------------------------------------------
def strip_bom(raw):
    """The bytes without a leading UTF-8 byte order mark (XML 1.0 4.3.3, RFC 8259 8.1)."""
    return raw[len(BOM):] if raw.startswith(BOM) else raw


#: How deep a document's objects and lists may nest (EPCIS 2.0 documents nest about 10 deep;
#: the reader and the Event Hash ID walk them).
MAX_DEPTH = 40


def _refuse_constant(name):
    raise ValueError("%s is not a JSON value" % name)


def check_structure(document):
    """``document`` if every text is Unicode text (no lone surrogate, which a JSON escape
    can write), every number finite and nothing nested deeper than :data:`MAX_DEPTH`; else
    EpcisError naming the path. Read without recursion, whatever the depth."""
    stack = [(document, "(document)", 0)]
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise EpcisError("too_deep", path, "nested deeper than %d levels" % MAX_DEPTH)
        if isinstance(value, dict):
            for key, item in value.items():
                _check_text(key, path)
                stack.append((item, key if depth == 0 else "%s.%s" % (path, key), depth + 1))
        elif isinstance(value, list):
            stack.extend((item, "%s[%d]" % (path, index), depth + 1)
                         for index, item in enumerate(value))
        elif isinstance(value, str):
            _check_text(value, path)
        elif isinstance(value, float) and not math.isfinite(value):
            raise EpcisError("not_number", path, "%s is not a finite number" % value)
    return document


def _check_text(text, path):
    try:
        str(text).encode("utf-8")
    except UnicodeEncodeError:
        raise EpcisError("not_text", path,
                         "%s is not Unicode text (a lone surrogate)" % _show(text))


def read_json(raw):
    """The JSON structure of a document's bytes (a BOM tolerated), or EpcisError (NaN and
    Infinity are no JSON; see :func:`check_structure` for the rest)."""
    try:
        return json.loads(strip_bom(raw).decode("utf-8"), parse_constant=_refuse_constant)
    except UnicodeDecodeError as error:
        raise EpcisError("not_utf8", "(document)", "not UTF-8 text (byte %s)" % error.start)
    except RecursionError:
        raise EpcisError("not_json", "(document)", "not JSON this import reads: nested too "
                                                   "deep")
    except ValueError as error:
        raise EpcisError("not_json", "line %s, column %s" % (
            getattr(error, "lineno", "?"), getattr(error, "colno", "?")),
            "not JSON: %s" % getattr(error, "msg", error))


_KINDS = {"string": "a text", "array": "a list", "object": "an object", "number": "a number",
          "integer": "a whole number", "boolean": "true or false", "null": "null"}


def _show(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _needs(schema):
    """A schema of ``required`` fields (and of ``anyOf`` such) in words."""
    if "anyOf" in schema:
        return " or ".join(_needs(branch) for branch in schema["anyOf"])
    return " with ".join(schema.get("required", ())) or "?"


def schema_reason(error):
    """What a JSON schema error (of jsonschema, read by its attributes) says, in words a
    user understands: the missing fields, the value and what it should be."""
    rule, value, schema = error.validator, error.instance, error.schema
    if rule == "required":
        missing = [name for name in error.validator_value if name not in value]
        return "%s missing" % " and ".join(missing or error.validator_value)
    if rule == "anyOf":
        return "needs %s" % _needs(schema)
    if rule == "not":
        return "must not have %s" % _needs(error.validator_value)
    if rule in ("enum", "const"):
        allowed = error.validator_value if rule == "enum" else [error.validator_value]
        return "%s is not one of %s" % (_show(value), ", ".join(map(str, allowed)))
    if rule == "additionalProperties":
        known = set(schema.get("properties", {}))
        extra = sorted(name for name in value if name not in known
                       and not any(re.match(pattern, name)
                                   for pattern in schema.get("patternProperties", {})))
        return "unknown field %s" % ", ".join(extra)
    if rule == "type":
        kinds = error.validator_value if isinstance(error.validator_value, list) \
            else [error.validator_value]
        return "%s is not %s" % (_show(value), " or ".join(_KINDS.get(k, k) for k in kinds))
    if rule == "dependencies":
        return "; ".join("%s needs %s" % (name, " and ".join(needed))
                         for name, needed in sorted(error.validator_value.items())
                         if name in value and not set(needed) <= set(value))
    if rule in ("minItems", "minimum"):
        return {"minItems": "needs at least %s item" % error.validator_value,
                "minimum": "%s is less than %s" % (_show(value), error.validator_value)}[rule]
    return "%s is not %s" % (_show(value), schema.get("description") or "valid (%s)" % rule)


# --- identifiers -------------------------------------------------------------------------
def class_uri(gtin, lot=None):
    """The Digital Link of a GTIN's lot class (or of the GTIN without lot), or None when the
    GTIN is not valid or the lot does not fit GS1 (then the caller's fallback applies)."""
    gtin14 = gs1.normalize_gtin(gtin) if isinstance(gtin, str) else None
    if gtin14 is None or (lot is not None and not gs1.is_gs1_lot(lot)):
        return None
    return gs1.build_digital_link(CANONICAL, gtin14, lot=lot)


def instance_uri(gtin, serial):
    """The Digital Link of one serialised item, or None (see :func:`class_uri`)."""
    gtin14 = gs1.normalize_gtin(gtin) if isinstance(gtin, str) else None
    if gtin14 is None or not gs1.is_gs1_lot(serial):
        return None
    return gs1.build_digital_link(CANONICAL, gtin14, serial=serial)


def gln_uri(gln, party=False):
    """A GLN as a Digital Link: AI 414 for a place, AI 417 for a party."""
    return "%s/%s/%s" % (CANONICAL, "417" if party else "414", gln)


def private_uri(domain, kind, key):
    """A URI of our own domain for what has no GS1 key (``<domain>/epcis/<kind>/<key>``)."""
    base = domain.rstrip("/") if re.match(r"^https?://", domain or "") \
        else "https://" + (domain or "localhost").rstrip("/")
    return "%s/epcis/%s/%s" % (base, kind, quote(str(key), safe=""))


def parse_private(uri, domain):
    """``(kind, product_ref, code)`` of one of our own private URIs of ``domain``
    (``<domain>/epcis/class|serial/<product ref>/<lot or serial>``), else None."""
    base = private_uri(domain, "", "")[:-len("//")]
    if not isinstance(uri, str) or not uri.startswith(base + "/"):
        return None
    parts = uri[len(base) + 1:].split("/")
    if len(parts) != 3 or parts[0] not in ("class", "serial") or not parts[1]:
        return None
    return parts[0], unquote(parts[1]), unquote(parts[2])


def _gtin_of_urn(prefix, item_ref, path):
    """GTIN-14 of an EPC URN's company prefix and item reference (indicator digit first)."""
    if len(prefix) + len(item_ref) != 13 or not item_ref:
        raise EpcisError("not_gtin", path, "%s.%s is not a GS1 company prefix and item "
                                           "reference of 13 digits" % (prefix, item_ref))
    body = item_ref[0] + prefix + item_ref[1:]
    return body + str(gs1.check_digit(body))


def _urn_part(text):
    """The lot or serial of an EPC URN (URN escapes %xx undone)."""
    return re.sub(r"%([0-9A-Fa-f]{2})", lambda m: chr(int(m.group(1), 16)), text)


def read_identifier(uri, path, instance=False):
    """``(gtin14, lot, serial)`` of a GTIN-based identifier, or None when it is of another
    scheme (GIAI, SSCC, GRAI, a Digital Link of another key, a URI of any other kind): not
    mapped, not wrong. A GTIN-based identifier that is malformed, or a class where an
    instance is due (or the reverse), raises EpcisError naming the path."""
    try:
        return parse_identifier(uri, path, instance)
    except EpcisError as error:
        if error.code == "other_scheme":
            return None
        raise


def parse_identifier(uri, path, instance=False):
    """``(gtin14, lot, serial)`` of a GTIN-based identifier (Digital Link of any domain, or
    LGTIN/SGTIN EPC URN), or EpcisError naming the path: code "other_scheme" for an
    identifier of another scheme, "not_gtin" for one that cannot be read."""
    if not isinstance(uri, str) or not uri:
        raise EpcisError("not_gtin", path, "an identifier must be a text, got %r" % (uri,))
    match = (_URN_ID if instance else _URN_CLASS).match(uri)
    if match:
        gtin = _gtin_of_urn(match.group(1), match.group(2), path)
        code = _urn_part(match.group(3))
        return (gtin, None, code) if instance else (gtin, code, None)
    match = _URN_IDPAT.match(uri)
    if match and not instance:
        return _gtin_of_urn(match.group(1), match.group(2), path), None, None
    try:
        result = gs1.parse(uri) if uri.startswith(("http://", "https://")) else None
    except gs1.GS1Error as error:
        raise EpcisError("other_scheme", path, "%r is not a GTIN-based identifier (not a GS1 "
                                               "Digital Link: %s)" % (uri, error))
    if result is None or result.key != "01":
        raise EpcisError("other_scheme", path, "%r is not a GTIN-based identifier (a GS1 "
                                               "Digital Link with AI 01 or an LGTIN/SGTIN EPC "
                                               "URN)" % uri)
    if instance != bool(result.serial):
        raise EpcisError("not_gtin", path, "%r names %s" % (
            uri, "a class, not one item (AI 21)" if instance else "one item, not a class"))
    return result.gtin, result.lot, result.serial


# --- times -------------------------------------------------------------------------------
def format_time(utc):
    """A naive UTC datetime as EPCIS writes it: ``2026-01-31T09:30:00.000Z``."""
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (utc.microsecond // 1000)


def format_offset(aware):
    """The UTC offset of an aware datetime as ``+01:00``."""
    minutes = int(aware.utcoffset().total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return "%s%02d:%02d" % (sign, abs(minutes) // 60, abs(minutes) % 60)


def parse_time(text, path):
    """A naive UTC datetime (to the microsecond) of an EPCIS date-time with its zone."""
    match = _TIME.match(text) if isinstance(text, str) else None
    if not match:
        raise EpcisError("bad_time", path, "%r is not a date and time with its time zone "
                                           "(e.g. 2026-01-31T09:30:00.000+01:00)" % (text,))
    try:
        value = datetime.datetime.strptime(match.group(1) + "T" + match.group(2),
                                           "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        raise EpcisError("bad_time", path, "%r is not a real date" % text)
    fraction = match.group(3) or ".0"
    value = value.replace(microsecond=int((fraction[1:] + "000000")[:6]))
    zone = match.group(4).upper()
    if zone != "Z":
        sign = -1 if zone[0] == "-" else 1
        try:
            value -= sign * datetime.timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
        except OverflowError:
            raise EpcisError("bad_time", path, "%r is out of range (years 1 to 9999 in UTC)"
                             % text)
    return value


def check_offset(text, path):
    match = _OFFSET.match(text) if isinstance(text, str) else None
    if not match or int(match.group(1)) > 14 or int(match.group(2)) > 59:
        raise EpcisError("bad_offset", path, "%r is not a time zone offset such as +01:00"
                         % (text,))
    return text


# --- rules of the standard's text --------------------------------------------------------
def rule_errors(event, path):
    """The errors of one event against the rules of EPCIS 2.0 that a JSON schema leaves to
    the text: ``parentID`` on an aggregation ADD/DELETE, ``ilmd`` only on an ADD (object
    events) and a ``transformationID`` on a transformation event that has only inputs or
    only outputs."""
    errors = []
    kind, action = event.get("type"), event.get("action")
    if kind == "AggregationEvent" and action in ("ADD", "DELETE") and not event.get("parentID"):
        errors.append(EpcisError("rule", path + ".parentID",
                                 "an AggregationEvent %s needs a parentID" % action))
    if kind == "ObjectEvent" and "ilmd" in event and action != "ADD":
        errors.append(EpcisError("rule", path + ".ilmd",
                                 "ilmd is allowed only on an ObjectEvent with action ADD"))
    if kind == "TransformationEvent" and not event.get("transformationID"):
        inputs = event.get("inputEPCList") or event.get("inputQuantityList")
        outputs = event.get("outputEPCList") or event.get("outputQuantityList")
        if not (inputs and outputs):
            errors.append(EpcisError(
                "rule", path + ".transformationID",
                "a TransformationEvent with only %s needs a transformationID"
                % ("outputs" if outputs else "inputs")))
    return errors


# --- the query interface -----------------------------------------------------------------
QUERY_PARAMS = ("eventType", "GE_eventTime", "LT_eventTime", "EQ_bizStep",
                "MATCH_anyEPCClass", "MATCH_epcClass", "perPage", "nextPageToken")
MAX_PER_PAGE = 1000


def _query_list(params, name):
    return {value.strip() for value in (params.get(name) or "").split(",") if value.strip()}


def read_query(params):
    """The checked query of the REST binding's parameters (a dict of strings), or EpcisError
    "query" naming the first parameter that is unknown or unreadable."""
    if not isinstance(params, dict):
        raise EpcisError("query", "params", "the query is a dictionary of parameter names and "
                                            "texts, not %s" % _show(params))
    for name, value in params.items():
        if name not in QUERY_PARAMS:
            raise EpcisError("query", str(name), "unknown query parameter (this endpoint "
                                                 "reads %s)" % ", ".join(QUERY_PARAMS))
        if not isinstance(value, str):
            raise EpcisError("query", name, "%s is not a text (several values: one text, "
                                            "separated by commas)" % _show(value))
    query = {"types": _query_list(params, "eventType"),
             "steps": _query_list(params, "EQ_bizStep"),
             "any_classes": _query_list(params, "MATCH_anyEPCClass"),
             "classes": _query_list(params, "MATCH_epcClass"), "start": None, "stop": None}
    for name in query["types"] - set(EVENT_TYPES):
        raise EpcisError("query", "eventType", "%r is not an EPCIS event type" % name)
    for name, key in (("GE_eventTime", "start"), ("LT_eventTime", "stop")):
        if params.get(name):
            query[key] = parse_time(params[name], name).strftime("%Y-%m-%d %H:%M:%S.%f")
    for key, name in (("any_classes", "MATCH_anyEPCClass"), ("classes", "MATCH_epcClass")):
        canonical = set()
        for uri in query[key]:
            gtin, lot, _serial = _query_class(uri, name)
            if lot is None:
                raise EpcisError("query", name, "%r names no lot" % uri)
            canonical.add(class_uri(gtin, lot) or uri)
        query[key] = canonical
    query["per_page"] = _query_int(params, "perPage", 30, 1, MAX_PER_PAGE)
    query["offset"] = _query_int(params, "nextPageToken", 0, 0, 10 ** 9)
    return query


def _query_class(uri, name):
    try:
        return parse_identifier(uri, name)
    except EpcisError as error:
        raise EpcisError("query", name, error.reason)


def _query_int(params, name, default, low, high):
    text = params.get(name)
    if text in (None, ""):
        return default
    if not str(text).isdigit() or not low <= int(text) <= high:
        raise EpcisError("query", name, "%r is not a whole number from %s to %s"
                         % (text, low, high))
    return int(text)


def matches(event, query):
    """True when ``event`` passes the query's event type, business step and class filters."""
    if query["types"] and event["type"] not in query["types"]:
        return False
    if query["steps"] and event.get("bizStep") not in query["steps"]:
        return False
    own = {item["epcClass"] for key in ("quantityList", "childQuantityList")
           for item in event.get(key, [])}
    every = own | {item["epcClass"] for key in ("inputQuantityList", "outputQuantityList")
                   for item in event.get(key, [])}
    if query["classes"] and not own & query["classes"]:
        return False
    return not query["any_classes"] or bool(every & query["any_classes"])


# --- the Event Hash ID (CBV 2.0, "EPCIS Event Hash ID") ----------------------------------
# An event without eventID is named by a hash of a canonical "pre-hash string" of its
# content, so that the same event gives the same ID whatever its binding (XML or JSON-LD),
# the order of its lists, its time zone notation or its namespace prefixes. The order of
# the fields and their canonical values follow GS1's reference implementation
# (github.com/RalphTro/epcis-event-hash-generator), whose test data the tests check.
HASH_VERSION = "CBV2.0"
_CBV_WEB = "https://ref.gs1.org/cbv/"
_GS1_VOC = "https://gs1.org/voc/"
_CBV_URNS = (("urn:epcglobal:cbv:bizstep:", "BizStep-"), ("urn:epcglobal:cbv:disp:", "Disp-"),
             ("urn:epcglobal:cbv:btt:", "BTT-"), ("urn:epcglobal:cbv:sdt:", "SDT-"),
             ("urn:epcglobal:cbv:er:", "ER-"))
# The prefixes of the EPCIS 2.0 JSON-LD context that name extension namespaces and CURIEs.
_STANDARD_PREFIXES = {"cbvmda": "urn:epcglobal:cbv:mda:", "gs1": _GS1_VOC, "cbv": _CBV_WEB,
                      "epcis": "https://ref.gs1.org/epcis/"}
_CURIE_PREFIXES = ("gs1", "cbv", "epcis")
_NOT_HASHED = ("type", "eventID", "recordTime", "errorDeclaration", "comment",
               "rdfs:comment")
_HEAD = ("eventTime", "eventTimeZoneOffset", "certificationInfo", "parentID")
_WHAT = (("epcList", False), ("inputEPCList", False), ("childEPCs", False),
         ("quantityList", True), ("childQuantityList", True), ("inputQuantityList", True),
         ("outputEPCList", False), ("outputQuantityList", True))
_WHY = ("action", "transformationID", "bizStep", "disposition")
_TYPED_LISTS = {"bizTransactionList": ("bizTransaction", "BTT-"),
                "sourceList": ("source", "SDT-"), "destinationList": ("destination", "SDT-")}
_SENSOR_METADATA = ("time", "startTime", "endTime", "deviceID", "deviceMetadata", "rawData",
                    "dataProcessingMethod", "bizRules")
_SENSOR_REPORT = ("type", "exception", "deviceID", "deviceMetadata", "rawData",
                  "dataProcessingMethod", "time", "microorganism", "chemicalSubstance",
                  "value", "component", "stringValue", "booleanValue", "hexBinaryValue",
                  "uriValue", "minValue", "maxValue", "meanValue", "sDev", "percRank",
                  "percValue", "uom", "coordinateReferenceSystem")
# Bare names of the JSON-LD binding: field -> the vocabulary they expand in.
_BARE = {"bizStep": _CBV_WEB + "BizStep-", "disposition": _CBV_WEB + "Disp-",
         "set": _CBV_WEB + "Disp-", "unset": _CBV_WEB + "Disp-",
         "sensor:type": _GS1_VOC, "exception": _GS1_VOC}
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_HASH_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?"
                        r"([Zz]|[+-]\d{2}:?\d{2})?$")


def event_hash_id(event, context=None):
    """The CBV 2.0 Event Hash ID of an event in the JSON-LD structure (the one the XML
    binding is read into): ``ni:///sha-256;<hex>?ver=CBV2.0``. ``context``: the document's
    ``@context`` (its prefixes name the namespaces of extension fields)."""
    digest = hashlib.sha256(pre_hash_string(event, context).encode("utf-8")).hexdigest()
    return "ni:///sha-256;%s?ver=%s" % (digest, HASH_VERSION)


def pre_hash_string(event, context=None):
    """The canonical text of an event that its Event Hash ID hashes: ``eventType``, then the
    standard fields in their canonical order (``key=value``, lists sorted), then the business
    transactions, sources, destinations, ``ilmd`` and extension fields (``{namespace}name``),
    sorted."""
    names = dict(_STANDARD_PREFIXES)
    for ctx in (context, event.get("@context")):
        for entry in (ctx if isinstance(ctx, list) else [ctx]):
            if isinstance(entry, dict):
                names.update((key, value) for key, value in entry.items()
                             if isinstance(value, str))
    rest = {key: value for key, value in event.items()
            if key not in _NOT_HASHED and not key.startswith("@")}
    text = "eventType=%s" % event.get("type")
    for key in _HEAD:
        text += _fields(key, rest.pop(key, None))
    for key, quantities in _WHAT:
        items = _as_list(rest.pop(key, None))
        parts = sorted(_quantity(item) if quantities else "epc=" + _canonical(item)
                       for item in items)
        text += key + "".join(parts) if "".join(parts) else ""
    for key in _WHY:
        text += _fields(key, rest.pop(key, None))
    persistent = rest.pop("persistentDisposition", None)
    persistent = persistent if isinstance(persistent, dict) else {}
    parts = "".join("".join(sorted("%s=%s" % (key, _canonical(value, key)) for value in
                                   _as_list(persistent.get(key)) if _canonical(value, key)))
                    for key in ("set", "unset"))
    text += "persistentDisposition" + parts if parts else ""
    for key in ("readPoint", "bizLocation"):
        place = rest.pop(key, None)
        if isinstance(place, dict):
            extra = [part for name, value in place.items() if name != "id"
                     for part in _generic(name, value, names)]
            text += key + _fields("id", place.get("id")) + "".join(sorted(extra))
        elif place:
            text += key + _fields("id", place)
    sensors = [_sensor_element(element, names)
               for element in _as_list(rest.pop("sensorElementList", None))]
    parts = "".join(sorted(part for part, _left in sensors))
    text += "sensorElementList" + parts if parts else ""
    left = "".join(sorted(rest for _part, rest in sensors))
    tail = ["sensorElementList" + left] if left else []
    for key, value in rest.items():
        if key in _TYPED_LISTS:
            items = sorted(_typed(item, *_TYPED_LISTS[key]) for item in _as_list(value))
            tail += [key + "".join(items)] if "".join(items) else []
        elif key == "ilmd":
            ilmd = value if isinstance(value, dict) else {}
            fields = sorted(part for name, item in ilmd.items()
                            for part in _generic(name, item, names))
            tail += ["ilmd" + "".join(fields)] if fields else []
        else:
            tail += _generic(key, value, names)
    return text + "".join(sorted(tail))


def _as_list(value):
    return value if isinstance(value, list) else [] if value is None else [value]


def _fields(key, value, bare=None):
    """``key=value`` of each value (a list sorted); nothing for an empty one."""
    return "".join(sorted("%s=%s" % (key, text) for text in
                          (_canonical(item, bare or key) for item in _as_list(value)) if text))


def _quantity(item):
    item = item if isinstance(item, dict) else {}
    return "quantityElement" + "".join(_fields(key, item.get(key))
                                       for key in ("epcClass", "quantity", "uom"))


def _typed(item, key, vocabulary):
    """A business transaction, source or destination: its type first, then its value."""
    if not isinstance(item, dict):
        return _fields(key, item)
    kind = item.get("type")
    if isinstance(kind, str) and kind.strip() and ":" not in kind:
        kind = _CBV_WEB + vocabulary + kind.strip()
    return _fields("type", kind) + _fields(key, item.get(key))


def _sensor_element(element, names):
    """``(text, left)``: a sensor element's part of the pre-hash string (its metadata, its
    reports sorted, then its extension fields), and the part of its unknown unqualified
    fields, which the pre-hash string gives after the standard fields."""
    if not isinstance(element, dict):
        return "", ""
    text, extra, left = "", [], []
    metadata = element.get("sensorMetadata")
    if isinstance(metadata, dict):
        part, rest = _sensor_part("sensorMetadata", metadata, _SENSOR_METADATA, names)
        text, left = part, [rest] if rest else []
    reports = []
    for report in _as_list(element.get("sensorReport")):
        part, rest = _sensor_part("sensorReport", report, _SENSOR_REPORT, names)
        reports += [part] if part else []
        left += [rest] if rest else []
    for key, value in element.items():
        if key not in ("sensorMetadata", "sensorReport"):
            extra += _generic(key, value, names)
    text += "".join(sorted(reports)) + "".join(sorted(extra))
    return ("sensorElement" + text if text else "",
            "sensorElement" + "".join(sorted(left)) if left else "")


def _sensor_part(name, part, order, names):
    """``(text, left)`` of a sensor's metadata or report: its fields in their order and its
    extension fields (``prefix:name``), and its unknown unqualified fields."""
    if not isinstance(part, dict):
        return "", ""
    text = "".join(_fields(key, part.get(key), "sensor:type" if key == "type" else key)
                   for key in order)
    extra, left = [], []
    for key, value in part.items():
        if key not in order:
            (extra if ":" in key else left).extend(_generic(key, value, names))
    text += "".join(sorted(extra))
    return (name + text if text else "",
            name + "".join(sorted(left)) if left else "")


def _qualified(key, names):
    """An extension field's name as ``{namespace}local`` (its prefix resolved)."""
    prefix, _sep, local = key.partition(":")
    if local and prefix in names and not local.startswith("//"):
        return "{%s}%s" % (names[prefix], local)
    return key


def _generic(key, value, names):
    """The pre-hash parts of an extension field: one per value of a list; an object's
    fields nested (sorted), a value (an XML element's text, ``#text``) as ``=value``."""
    if isinstance(value, list):
        return [part for item in value for part in _generic(key, item, names)]
    name = _qualified(key, names)
    if isinstance(value, dict):
        if "@value" in value:
            return _generic(key, value["@value"], names)
        text = _canonical(value.get("#text"), time=False)
        return [name + ("=" + text if text else "") + "".join(sorted(
            part for child, item in value.items() if not child.startswith(("@", "#"))
            for part in _generic(child, item, names)))]
    text = _canonical(value, time=False)
    return [name + ("=" + text if text else "")]


def _canonical(value, key=None, time=True):
    """A value as the pre-hash string writes it: trimmed; times in UTC to the millisecond;
    CBV URNs, bare names and CURIEs of the standard vocabularies as GS1 Web URIs; numbers
    without trailing zeros; GS1 identifiers (EPC URIs, Digital Links) as canonical Digital
    Links on id.gs1.org."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return _hash_number(repr(value))
    text = str(value).strip()
    if not text:
        return ""
    if time and key and "time" in key.lower() and "offset" not in key.lower():
        return _hash_time(text)
    if key in _BARE and ":" not in text:
        return _BARE[key] + text
    for urn, term in _CBV_URNS:
        if text.startswith(urn):
            return _CBV_WEB + term + text[len(urn):]
    prefix, _sep, local = text.partition(":")
    if prefix in _CURIE_PREFIXES and local and not local.startswith("//"):
        return _STANDARD_PREFIXES[prefix] + local
    text = _hash_number(text)
    return canonical_digital_link(text) or text


def _hash_number(text):
    """A decimal number without leading ``+``, trailing zeros or exponent where whole;
    other text as it is."""
    if not _NUMBER.match(text):
        return text
    number = float(text)
    if number != number or number in (float("inf"), float("-inf")):
        return text
    return str(int(number)) if number == int(number) else repr(number)


def _hash_time(text):
    """A date-time in UTC with milliseconds (a 4th decimal of 5 or more rounds up):
    ``2005-04-05T02:33:31.116Z``; text that is no date-time as it is."""
    match = _HASH_TIME.match(text)
    if not match:
        return text
    try:
        value = datetime.datetime.strptime(match.group(1) + "T" + match.group(2),
                                           "%Y-%m-%dT%H:%M:%S")
        fraction = (match.group(3) or "") + "0000"
        value += datetime.timedelta(milliseconds=int(fraction[:3]) + (fraction[3] >= "5"))
        zone = (match.group(4) or "Z").upper().replace(":", "")
        if zone != "Z":
            sign = -1 if zone[0] == "-" else 1
            value -= sign * datetime.timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5]))
    except (ValueError, OverflowError):
        return text
    return format_time(value)


# --- canonical GS1 Digital Links (for the Event Hash ID) ---------------------------------
_DL_KEYS = {"00": "sscc", "01": "gtin", "253": "gdti", "255": "gcn", "401": "ginc",
            "402": "gsin", "414": "gln", "417": "party", "8003": "grai", "8004": "giai",
            "8006": "itip", "8010": "cpid", "8017": "gsrnp", "8018": "gsrn"}
_DL_SHORT = dict([(name, ai) for ai, name in _DL_KEYS.items()]
                 + [("cpv", "22"), ("lot", "10"), ("ser", "21")])
# The only key qualifiers a constrained canonical Digital Link keeps (the finest level).
_DL_QUALIFIERS = {"01": ("21", "10", "235"), "8006": ("21", "10"), "414": ("254",),
                  "8010": ("8011",)}
_DL_URI = re.compile(r"^https?://[^/?#]+(/[^?#]*)(?:[?#].*)?$", re.IGNORECASE)
_EPC_URN = re.compile(r"^urn:epc:(id|class|idpat):([a-z]+):(.+)$")


def canonical_digital_link(uri):
    """The constrained canonical GS1 Digital Link of an EPC URI (``urn:epc:id:...``,
    ``urn:epc:class:lgtin:...``, ``urn:epc:idpat:...``) or of a GS1 Digital Link of any
    domain: on ``https://id.gs1.org``, AIs instead of short names, a GTIN on 14 digits,
    no query, no CPV (22), only the finest level (a serial without its lot); else None."""
    if not isinstance(uri, str):
        return None
    if uri.startswith("urn:epc:"):
        return _epc_urn_link(uri)
    match = _DL_URI.match(uri)
    if not match:
        return None
    segments = match.group(1).split("/")[1:]
    if segments and segments[-1] == "":
        segments.pop()
    for index in range(len(segments) - 1):
        key = _DL_SHORT.get(segments[index], segments[index])
        if key in _DL_KEYS and re.match(r"^\d{4}[^/]+$", segments[index + 1]):
            break
    else:
        return None
    value, pairs = segments[index + 1], segments[index + 2:]
    if len(pairs) % 2:
        return None
    qualifiers = [(_DL_SHORT.get(pairs[i], pairs[i]), pairs[i + 1])
                  for i in range(0, len(pairs), 2)]
    qualifiers = [pair for pair in qualifiers if pair[0] != "22"]
    if key == "01":
        if not value.isdigit() or len(value) not in (8, 12, 13, 14):
            return None
        value = value.zfill(14)
    if {"10", "21"} <= {ai for ai, _v in qualifiers}:
        qualifiers = [pair for pair in qualifiers if pair[0] != "10"]
    if len(qualifiers) > 1 or any(ai not in _DL_QUALIFIERS.get(key, ())
                                  for ai, _v in qualifiers):
        return None
    return "/".join([CANONICAL, key, value] + [part for pair in qualifiers for part in pair])


def _escape_dl(text):
    """An EPC URI's component as a Digital Link writes it (the characters a Digital Link
    must percent-encode and an EPC URI may leave as they are)."""
    return "".join("%%%02X" % ord(char) if char in "!()*+,:" else char for char in text)


def _with_check(digits):
    return digits + str(gs1.check_digit(digits))


def _epc_urn_link(uri):
    """The canonical Digital Link of an EPC URI of a GS1 key, else None."""
    match = _EPC_URN.match(uri)
    if not match:
        return None
    kind, scheme, rest = match.groups()
    parts = rest.split(".")
    company = parts[0]
    if not company.isdigit() or not 6 <= len(company) <= 12:
        return None
    pattern = kind == "idpat"
    if pattern:
        if parts[-1] != "*":
            return None
        parts = parts[:-1] + [None]
    try:
        return _epc_scheme_link(kind, scheme, company, parts)
    except (IndexError, gs1.GS1Error):
        return None


def _gtin_of(company, reference):
    if len(company) + len(reference) != 13 or not reference.isdigit():
        raise IndexError(reference)
    return _with_check(reference[0] + company + reference[1:])


def _digits(company, reference, total):
    if len(company) + len(reference) != total or not (reference.isdigit() or not reference):
        raise IndexError(reference)
    return company + reference


def _epc_scheme_link(kind, scheme, company, parts):
    """The Digital Link of EPC URI ``parts`` (the company prefix first; None in place of a
    pattern's ``*``) of one scheme, or None; IndexError when malformed."""
    link = None
    tail = ".".join(part for part in parts[2:] if part is not None) if len(parts) > 2 else ""
    if (kind, scheme) in (("id", "sgtin"), ("class", "lgtin"), ("idpat", "sgtin")):
        link = "/01/" + _gtin_of(company, parts[1])
        if kind != "idpat":
            link += ("/21/" if kind == "id" else "/10/") + _escape_dl(tail or parts[2])
    elif (kind, scheme) in (("id", "upui"), ("idpat", "upui")):
        link = "/01/" + _gtin_of(company, parts[1])
        link += "" if kind == "idpat" else "/235/" + _escape_dl(tail or parts[2])
    elif (kind, scheme) in (("id", "itip"), ("idpat", "itip")):
        link = "/8006/" + _gtin_of(company, parts[1]) + parts[2] + parts[3]
        link += "" if kind == "idpat" else "/21/" + _escape_dl(".".join(parts[4:]))
    elif kind == "id" and scheme == "sscc":
        reference = parts[1]
        if len(company) + len(reference) != 17 or not reference.isdigit():
            return None
        link = "/00/" + _with_check(reference[0] + company + reference[1:])
    elif kind == "id" and scheme in ("sgln", "pgln"):
        link = ("/414/" if scheme == "sgln" else "/417/") + _with_check(
            _digits(company, parts[1], 12))
        if scheme == "sgln" and tail != "0":
            link += "/254/" + _escape_dl(tail)
    elif scheme in ("grai", "gdti", "sgcn") and kind in ("id", "idpat"):
        ai = {"grai": "8003", "gdti": "253", "sgcn": "255"}[scheme]
        key = _with_check(("0" if scheme == "grai" else "") + _digits(company, parts[1], 12))
        link = "/%s/%s%s" % (ai, key, "" if kind == "idpat" else _escape_dl(tail))
    elif kind == "id" and scheme in ("gsrn", "gsrnp", "gsin"):
        total = 16 if scheme == "gsin" else 17
        ai = {"gsrn": "8018", "gsrnp": "8017", "gsin": "402"}[scheme]
        link = "/%s/%s" % (ai, _with_check(_digits(company, parts[1], total)))
    elif kind == "id" and scheme in ("giai", "ginc"):
        ai = "8004" if scheme == "giai" else "401"
        link = "/%s/%s%s" % (ai, company, _escape_dl(".".join(parts[1:])))
    elif scheme == "cpi" and kind in ("id", "idpat"):
        link = "/8010/" + _escape_dl(company + parts[1])
        link += "" if kind == "idpat" else "/8011/" + parts[2]
    return CANONICAL + link if link else None
