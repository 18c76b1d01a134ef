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
import json
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


def read_json(raw):
    """The JSON structure of a document's bytes (a BOM tolerated), or EpcisError."""
    try:
        return json.loads(strip_bom(raw).decode("utf-8"))
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
