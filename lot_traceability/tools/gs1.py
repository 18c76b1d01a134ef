# -*- coding: utf-8 -*-
"""GS1 element strings and GS1 Digital Link URIs: parse, build, check digits.

Pure Python, no Odoo import.  Accepted input forms:

* machine element strings (``0109506000134352...``) where variable-length
  fields end with the group separator GS (ASCII 29), optionally prefixed by a
  symbology identifier (``]C1``, ``]e0``, ``]d2``, ``]Q3``...);
* the human-readable form ``(01)09506000134352(10)ABC``;
* GS1 Digital Link URIs ``https://<domain>[/prefix]/01/<gtin>[/10/<lot>][/21/<serial>]?17=..``.

Keyboard-wedge scanners often drop the GS.  A variable-length field that
comes last needs none; a variable-length field that is not last simply runs
to the end of the code (the following AIs become part of its value, and the
value is then usually refused as too long).  ``gs_substitute`` names a
character the scanner sends instead of GS.

The human-readable form is ambiguous when a lot contains an AI-like text such
as ``(17)``: the value stops before it.

Every malformed input raises :class:`GS1Error` (a ``ValueError``) with a
stable ``code`` and named ``params``.
"""
import calendar
import collections
import datetime
import decimal
import re
from urllib.parse import quote, unquote, urlsplit

GS = '\x1d'
#: GS1 AI encodable character set 82.
CSET82 = ('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
          '!"%&\'()*+,-./:;<=>?_')
_CSET82 = frozenset(CSET82)
_BLANKS = ' \t\r\n'
_DIGITS = re.compile(r'[0-9]+')
_SYMBOLOGY = re.compile(r'\][A-Za-z][0-9]')
_HRI_AI = re.compile(r'\(([0-9]{2,4})\)')
_URI_START = re.compile(r'https?://', re.IGNORECASE)

_MESSAGES = {
    'invalid_type': 'A GS1 code must be text, got {type}.',
    'empty': 'The GS1 code is empty.',
    'invalid_ai': 'Invalid application identifier {ai!r} at position {position}.',
    'unknown_ai': ('Unknown application identifier starting with {ai!r} at position '
                   '{position}: the rest of the code cannot be read.'),
    'truncated': 'AI ({ai}) needs {length} characters, only {value!r} left.',
    'invalid_length': 'AI ({ai}) needs exactly {length} characters, got {value!r}.',
    'too_long': 'AI ({ai}) allows at most {length} characters, got {value!r}.',
    'empty_value': 'AI ({ai}) has no value.',
    'not_numeric': 'AI ({ai}) allows digits only, got {value!r}.',
    'not_digits': 'Expected digits only, got {value!r}.',
    'invalid_characters': 'AI ({ai}) value {value!r} has characters not allowed by GS1.',
    'bad_check_digit': 'AI ({ai}) value {value!r} has a wrong check digit.',
    'invalid_date': 'AI ({ai}) value {value!r} is not a valid YYMMDD date.',
    'not_a_date': 'Expected a date, got {value!r}.',
    'duplicate_ai': 'AI ({ai}) appears twice, with {first!r} and {second!r}.',
    'invalid_uri': 'Not a GS1 Digital Link URI: {uri!r} ({reason}).',
    'invalid_gtin': 'Not a valid GTIN: {value!r}.',
    'invalid_value': 'Unsupported value for AI ({ai}): {value!r}.',
    'not_allowed': 'AI ({ai}) cannot be passed as an extra Digital Link attribute.',
    'invalid_gs_substitute': ('The group separator substitute must be one character '
                              'other than a digit, got {value!r}.'),
}


class GS1Error(ValueError):
    """Malformed GS1 data; ``code`` is a stable id, ``params`` its named values."""

    def __init__(self, code, **params):
        self.code = code
        self.params = params
        super(GS1Error, self).__init__(_MESSAGES[code].format(**params))


def _prefixes(first, last):
    return ['%02d' % number for number in range(first, last + 1)]


def _ai_lengths():
    """Length of the AI itself, by its first two digits."""
    lengths = {}
    for length, ranges in ((2, [(0, 4), (10, 22), (30, 30), (37, 37), (90, 99)]),
                           (3, [(23, 25), (40, 42), (71, 71)]),
                           (4, [(31, 36), (39, 39), (43, 43), (70, 70), (72, 72), (80, 82)])):
        for first, last in ranges:
            lengths.update(dict.fromkeys(_prefixes(first, last), length))
    return lengths


_AI_LENGTH = _ai_lengths()
# GS1 table of element strings with predefined length: AI prefix -> AI + data length.
_PREDEFINED = dict({'00': 20, '01': 16, '02': 16, '03': 16, '04': 18, '20': 4, '41': 16},
                   **dict.fromkeys(_prefixes(11, 19), 8),
                   **dict.fromkeys(_prefixes(31, 36), 10))

_Spec = collections.namedtuple('_Spec', 'name kind length')


def _specs():
    """Known AIs; kinds: check (mod-10 digits), date, n, count, decimal, x (set 82)."""
    specs = {
        '00': _Spec('sscc', 'check', 18), '01': _Spec('gtin', 'check', 14),
        '02': _Spec('content_gtin', 'check', 14), '10': _Spec('lot', 'x', 20),
        '11': _Spec('production_date', 'date', 6), '12': _Spec('due_date', 'date', 6),
        '13': _Spec('packaging_date', 'date', 6), '15': _Spec('best_before_date', 'date', 6),
        '16': _Spec('sell_by_date', 'date', 6), '17': _Spec('expiry_date', 'date', 6),
        '20': _Spec('variant', 'n', 2), '21': _Spec('serial', 'x', 20),
        '22': _Spec('cpv', 'x', 20), '240': _Spec('additional_id', 'x', 30),
        '241': _Spec('customer_part_number', 'x', 30), '30': _Spec('var_count', 'count', 8),
        '37': _Spec('count', 'count', 8), '400': _Spec('order_number', 'x', 30),
    }
    for decimals in range(6):
        specs['310%d' % decimals] = _Spec('net_weight_kg', 'decimal', 6)
    for index, name in enumerate(('ship_to', 'bill_to', 'purchased_from', 'ship_for',
                                  'location', 'pay_to', 'production_location')):
        specs['41%d' % index] = _Spec(name + '_gln', 'check', 13)
    return specs


_SPECS = _specs()


def data_length(ai):
    """Fixed data length of ``ai`` per GS1's predefined-length table, or None."""
    total = _PREDEFINED.get(ai[:2])
    return None if total is None else total - len(ai)


def is_valid_ai(ai):
    """True when ``ai`` is a digit string whose length matches its prefix."""
    return (isinstance(ai, str) and bool(_DIGITS.fullmatch(ai))
            and _AI_LENGTH.get(ai[:2]) == len(ai))


# ---------------------------------------------------------------- check digits

def check_digit(digits):
    """GS1 mod-10 check digit (int) of ``digits``, given without check digit."""
    if not isinstance(digits, str) or not _DIGITS.fullmatch(digits):
        raise GS1Error('not_digits', value=digits)
    total = sum(int(digit) * (1 if index % 2 else 3)
                for index, digit in enumerate(reversed(digits)))
    return (10 - total % 10) % 10


def is_valid_check_digit(code):
    """True when the last digit of ``code`` (GTIN, SSCC, GLN) is its check digit."""
    if not isinstance(code, str) or len(code) < 2 or not _DIGITS.fullmatch(code):
        return False
    return check_digit(code[:-1]) == int(code[-1])


def normalize_gtin(code):
    """GTIN-8/12/13/14 with a valid check digit -> 14-digit string, else None."""
    if not isinstance(code, str):
        return None
    code = code.strip()
    if len(code) not in (8, 12, 13, 14) or not is_valid_check_digit(code):
        return None
    return code.zfill(14)


def is_gs1_lot(value):
    """True when ``value`` can be a GS1 lot or serial: 1-20 characters of set 82."""
    return isinstance(value, str) and 0 < len(value) <= 20 and _CSET82.issuperset(value)


# ----------------------------------------------------------------------- dates

def format_date(value):
    """``datetime.date`` -> 'YYMMDD'."""
    if not isinstance(value, datetime.date):
        raise GS1Error('not_a_date', value=value)
    return '%02d%02d%02d' % (value.year % 100, value.month, value.day)


def _century_year(year, today):
    """Four-digit year of a two-digit ``year`` (GS1 General Specifications 7.12)."""
    century, current = divmod(today.year, 100)
    difference = year - current
    if 51 <= difference <= 99:
        century -= 1
    elif -99 <= difference <= -50:
        century += 1
    return century * 100 + year


def parse_date(value, today=None, ai='17'):
    """'YYMMDD' -> ``datetime.date``; DD=00 is the last day of the month."""
    if not isinstance(value, str) or len(value) != 6 or not _DIGITS.fullmatch(value):
        raise GS1Error('invalid_date', ai=ai, value=value)
    year = _century_year(int(value[:2]), today or datetime.date.today())
    month, day = int(value[2:4]), int(value[4:])
    try:
        if day == 0:
            day = calendar.monthrange(year, month)[1]
        return datetime.date(year, month, day)
    except (ValueError, OverflowError):
        raise GS1Error('invalid_date', ai=ai, value=value) from None


# ----------------------------------------------------------------------- values

def _convert(ai, value, today):
    """Validate the raw ``value`` of ``ai`` and return it converted."""
    fixed, spec = data_length(ai), _SPECS.get(ai)
    if not value:
        raise GS1Error('empty_value', ai=ai)
    if fixed is not None and len(value) != fixed:
        raise GS1Error('invalid_length', ai=ai, length=fixed, value=value)
    if spec is None:
        if GS in value:
            raise GS1Error('invalid_characters', ai=ai, value=value)
        return value
    if fixed is None and len(value) > spec.length:
        raise GS1Error('too_long', ai=ai, length=spec.length, value=value)
    if spec.kind == 'x':
        if not _CSET82.issuperset(value):
            raise GS1Error('invalid_characters', ai=ai, value=value)
        return value
    if not _DIGITS.fullmatch(value):
        raise GS1Error('not_numeric', ai=ai, value=value)
    if spec.kind == 'check' and not is_valid_check_digit(value):
        raise GS1Error('bad_check_digit', ai=ai, value=value)
    if spec.kind == 'date':
        return parse_date(value, today, ai)
    if spec.kind == 'count':
        return int(value)
    if spec.kind == 'decimal':
        return decimal.Decimal(value).scaleb(-int(ai[3]))
    return value


class GS1Result(object):
    """Parsed GS1 data.

    ``kind``: 'element_string' or 'digital_link'; ``ais``: OrderedDict AI -> raw
    text; ``values``: AI -> converted value (date, int, Decimal or text);
    ``unknown_ais``: AIs parsed but not known here; ``symbology``: the scanner's
    symbology identifier ('' when absent).
    """

    __slots__ = ('kind', 'ais', 'values', 'unknown_ais', 'symbology')

    def __init__(self, kind, ais, values, unknown_ais, symbology=''):
        self.kind, self.ais, self.values = kind, ais, values
        self.unknown_ais, self.symbology = unknown_ais, symbology

    def __repr__(self):
        return 'GS1Result(kind=%r, ais=%r)' % (self.kind, dict(self.ais))

    def get(self, ai, default=None):
        """Converted value of ``ai``."""
        return self.values.get(ai, default)

    @property
    def quantity(self):
        """Count of items, AI (30) or else (37), as int."""
        return self.values.get('30', self.values.get('37'))

    @property
    def net_weight(self):
        """Net weight in kg, AI (310n), as Decimal."""
        return next((self.values[ai] for ai in self.values if ai.startswith('310')), None)


def _ai_property(ai):
    return property(lambda self: self.values.get(ai), doc='Value of AI (%s).' % ai)


for _name, _ai in (('sscc', '00'), ('gtin', '01'), ('content_gtin', '02'), ('lot', '10'),
                   ('production_date', '11'), ('packaging_date', '13'),
                   ('best_before_date', '15'), ('expiry_date', '17'), ('serial', '21')):
    setattr(GS1Result, _name, _ai_property(_ai))


def _result(kind, pairs, today, symbology):
    """GS1Result of (AI, raw value) pairs; repeated AIs must agree."""
    ais, values, unknown = collections.OrderedDict(), {}, []
    for ai, raw in pairs:
        if ai in ais:
            if ais[ai] != raw:
                raise GS1Error('duplicate_ai', ai=ai, first=ais[ai], second=raw)
            continue
        values[ai] = _convert(ai, raw, today)
        ais[ai] = raw
        if ai not in _SPECS:
            unknown.append(ai)
    return GS1Result(kind, ais, values, unknown, symbology)


# ------------------------------------------------------------- element strings

def _read_ai(text, pos):
    """The AI starting at ``pos``."""
    prefix = text[pos:pos + 2]
    if not _DIGITS.fullmatch(prefix) or len(prefix) != 2:
        raise GS1Error('invalid_ai', ai=text[pos:pos + 4], position=pos + 1)
    length = _AI_LENGTH.get(prefix)
    if length is None:
        raise GS1Error('unknown_ai', ai=prefix, position=pos + 1)
    ai = text[pos:pos + length]
    if not is_valid_ai(ai):
        raise GS1Error('invalid_ai', ai=ai, position=pos + 1)
    return ai


def _split_machine(text):
    """(AI, raw value) pairs of a GS-separated element string."""
    pairs, pos, size = [], 0, len(text)
    while pos < size:
        if text[pos] == GS:
            pos += 1
            continue
        ai = _read_ai(text, pos)
        pos += len(ai)
        length = data_length(ai)
        if length is None:
            end = text.find(GS, pos)
            end = size if end < 0 else end
        else:
            end = pos + length
            if end > size or GS in text[pos:end]:
                raise GS1Error('truncated', ai=ai, length=length, value=text[pos:end])
        pairs.append((ai, text[pos:end]))
        pos = end
    return pairs


def _split_human_readable(text):
    """(AI, raw value) pairs of '(01)...(10)...'; values end at the next valid (AI)."""
    marks = [match for match in _HRI_AI.finditer(text) if is_valid_ai(match.group(1))]
    if not marks or marks[0].start() != 0:
        raise GS1Error('invalid_ai', ai=text[:6], position=1)
    ends = [mark.start() for mark in marks[1:]] + [len(text)]
    return [(mark.group(1), text[mark.end():end].strip(' '))
            for mark, end in zip(marks, ends)]


# ---------------------------------------------------------------- digital link

_DL_ALIASES = {'gtin': '01', 'cpv': '22', 'lot': '10', 'ser': '21'}
_DL_QUALIFIERS = frozenset(['22', '10', '21', '235', 'cpv', 'lot', 'ser'])


def _find_primary(segments):
    """Index of the '01' path segment followed by GTIN and qualifier pairs, or None."""
    for index, segment in enumerate(segments):
        rest = segments[index + 2:]
        if (segment in ('01', 'gtin') and index + 1 < len(segments) and len(rest) % 2 == 0
                and _DL_QUALIFIERS.issuperset(rest[::2])):
            return index
    return None


def _split_uri(text):
    """(path segments, query) of an http(s) URI, or None if it has no host."""
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if not parts.netloc:
        return None
    return parts.path.rstrip('/').split('/')[1:], parts.query


def _query_pairs(query):
    """(AI, value) pairs of the query string; non-AI keys are ignored."""
    pairs = []
    for item in query.split('&'):
        key, _sep, value = item.partition('=')
        key = unquote(key)
        if is_valid_ai(key):
            pairs.append((key, unquote(value)))
    return pairs


def _split_digital_link(text):
    """(AI, raw value) pairs of a Digital Link URI; GTIN-8/12/13 padded to 14."""
    split = _split_uri(text)
    index = None if split is None else _find_primary(split[0])
    if index is None:
        raise GS1Error('invalid_uri', uri=text, reason='no /01/<GTIN> path')
    segments, query = split
    gtin = unquote(segments[index + 1])
    if len(gtin) in (8, 12, 13) and _DIGITS.fullmatch(gtin):
        gtin = gtin.zfill(14)
    rest = segments[index + 2:]
    pairs = [('01', gtin)] + [(_DL_ALIASES.get(key, key), unquote(value))
                              for key, value in zip(rest[::2], rest[1::2])]
    return pairs + _query_pairs(query)


def _is_digital_link(text):
    split = _URI_START.match(text) and _split_uri(text)
    return bool(split) and _find_primary(split[0]) is not None


# ----------------------------------------------------------------------- parse

def _check_substitute(gs_substitute):
    if gs_substitute is None:
        return
    if (not isinstance(gs_substitute, str) or len(gs_substitute) != 1
            or gs_substitute.isdigit()):
        raise GS1Error('invalid_gs_substitute', value=gs_substitute)


def looks_like_gs1(code):
    """True when ``code`` carries GS1 markers.

    A symbology identifier, a GS, the '(AI)' form or a Digital Link URI;
    a plain '10ABC' is not GS1 (it may well be a lot name).
    """
    if not isinstance(code, str):
        return False
    code = code.strip(_BLANKS)
    return bool(_SYMBOLOGY.match(code) or GS in code or _HRI_AI.match(code)
                or _is_digital_link(code))


def parse(code, gs_substitute=None, today=None):
    """Parse a scanned GS1 code (element string or Digital Link) into a GS1Result.

    ``gs_substitute``: a character the scanner sends instead of GS;
    ``today``: reference date of the two-digit year rule (default: today).
    """
    if not isinstance(code, str):
        raise GS1Error('invalid_type', type=type(code).__name__)
    _check_substitute(gs_substitute)
    today = today or datetime.date.today()
    text = code.strip(_BLANKS)
    symbology = text[:3] if _SYMBOLOGY.match(text) else ''
    text = text[len(symbology):]
    if not text.strip(GS):
        raise GS1Error('empty')
    if _URI_START.match(text):
        return _result('digital_link', _split_digital_link(text), today, symbology)
    if text.startswith('('):
        pairs = _split_human_readable(text)
    else:
        pairs = _split_machine(text.replace(gs_substitute or GS, GS))
    return _result('element_string', pairs, today, symbology)


# ---------------------------------------------------------------------- build

def _pairs(ais):
    """(AI, value) pairs of a mapping or of an iterable of pairs; AIs once only."""
    pairs = list(ais.items()) if hasattr(ais, 'items') else [tuple(pair) for pair in ais]
    seen = {}
    for ai, value in pairs:
        if ai in seen:
            raise GS1Error('duplicate_ai', ai=ai, first=seen[ai], second=value)
        seen[ai] = value
    return pairs


def _decimal_text(ai, value):
    """Decimal -> the 6 digits of AI 310n (n decimals)."""
    scaled = value.scaleb(int(ai[3]))
    if (not scaled.is_finite() or scaled < 0 or scaled >= 10 ** 6
            or scaled != scaled.to_integral_value()):
        raise GS1Error('invalid_value', ai=ai, value=value)
    return '%06d' % int(scaled)


def _encode(ai, value):
    """Validated text of ``value`` for ``ai``: dates, ints and Decimals are formatted."""
    if not is_valid_ai(ai):
        raise GS1Error('invalid_ai', ai=ai, position=1)
    if isinstance(value, datetime.date):
        value = format_date(value)
    elif isinstance(value, decimal.Decimal) and ai.startswith('310'):
        value = _decimal_text(ai, value)
    elif isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        value = str(value).zfill(data_length(ai) or 0)
    if not isinstance(value, str):
        raise GS1Error('invalid_value', ai=ai, value=value)
    _convert(ai, value, datetime.date.today())
    return value


def build_element_string(ais, human_readable=False, gs=GS):
    """Element string of ``ais`` (mapping or pairs AI -> value), in the given order.

    Machine form: GS after each variable-length field that is not last (no
    symbology identifier nor leading FNC1).  ``human_readable``: '(AI)value'.
    """
    pairs = _pairs(ais)
    if not pairs:
        raise GS1Error('empty')
    parts = []
    for index, (ai, value) in enumerate(pairs):
        value = _encode(ai, value)
        if human_readable:
            parts.append('(%s)%s' % (ai, value))
            continue
        parts.append(ai + value)
        if data_length(ai) is None and index < len(pairs) - 1:
            parts.append(gs)
    return ''.join(parts)


def build_digital_link(domain, gtin, lot=None, serial=None, expiry=None, extra=None):
    """GS1 Digital Link URI ``<domain>/01/<gtin14>[/10/<lot>][/21/<serial>][?17=..&..]``.

    ``domain`` may carry a scheme (default https) and a path prefix; ``expiry``
    is a date; ``extra``: mapping or pairs AI -> value put in the query string.
    """
    if not isinstance(domain, str) or not domain.strip().strip('/'):
        raise GS1Error('invalid_uri', uri=domain, reason='no domain')
    base = domain.strip().rstrip('/')
    base = base if _URI_START.match(base) else 'https://' + base
    gtin14 = normalize_gtin(gtin)
    if gtin14 is None:
        raise GS1Error('invalid_gtin', value=gtin)
    path = '/01/' + gtin14
    for ai, value in (('10', lot), ('21', serial)):
        if value is not None:
            path += '/%s/%s' % (ai, quote(_encode(ai, value), safe=''))
    query = _pairs(([('17', expiry)] if expiry is not None else [])
                   + _pairs(extra or ()))
    for ai, _value in query:
        if ai in ('01', '10', '21', '22'):
            raise GS1Error('not_allowed', ai=ai)
    text = '&'.join('%s=%s' % (ai, quote(_encode(ai, value), safe='')) for ai, value in query)
    return base + path + ('?' + text if text else '')
