# -*- coding: utf-8 -*-
"""GS1 element strings and GS1 Digital Link URIs: parse, build, check digits.

Pure Python, no Odoo import.  What a scanner sends is first read by
:func:`classify`:

* an AIM symbology identifier ``]Xm`` is stripped; only ``]C1`` (GS1-128),
  ``]e0`` (GS1 DataBar), ``]d2`` (GS1 DataMatrix), ``]Q3`` (GS1 QR Code) and
  ``]J1`` (GS1 DotCode) announce an element string; ``]E0``/``]E4`` carry an
  EAN-13/UPC-A or EAN-8 (a GTIN); every other identifier (``]C0``, ``]Q1``,
  ``]d1``...) carries plain data, which is GS1 only when it is a Digital Link URI;
* without identifier, a code is an element string only when it carries a
  group separator GS (ASCII 29, the FNC1 a scanner transmits); ``(01)...`` is
  the human-readable form; ``https://<domain>[/prefix]/<key AI>/<key>[/<qualifier
  AI>/<value>...][?<AI>=<value>&...]`` a GS1 Digital Link.  Plain digits are
  plain data: ``10ABC`` is not a lot ``ABC``.

:func:`parse` reads an element string (machine or human-readable form), a
Digital Link URI or the GTIN of an EAN/UPC.  Called on plain digits without
any marker it reads them as an element string: the caller asked for GS1.

Keyboard-wedge scanners often drop the GS.  A variable-length field that
comes last needs none; a variable-length field that is not last runs to the
end of the code (the following AIs become part of its value, which is then
usually refused as too long).  ``gs_substitute`` names a character the scanner
sends instead of GS.  The human-readable form is ambiguous when a lot holds an
AI-like text such as ``(17)``: the value stops before it.

The AIs of the GS1 Barcode Syntax Dictionary are known with their formats (the
table below): a value is checked whatever its AI, measures (310n...369n,
390n...395n) read as decimals.  Association rules (see :func:`check_associations`):
invalid pairs are always refused; mandatory associations are checked when the
data carries a GS1 identification key.  One rule is kept looser than the
dictionary's: (37) requires (02) or (8026), not also (00), because the (00) of a
logistic label is in another barcode than its (02)(37).

Parsing is linear in the length of the input.  Every malformed input raises
:class:`GS1Error` (a ``ValueError``) with a stable ``code`` and named ``params``.
"""
import calendar
import collections
import datetime
import decimal
import re
from urllib.parse import quote, unquote, unquote_plus, urlsplit

GS = '\x1d'
#: GS1 AI encodable character set 82.
CSET82 = ('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
          '!"%&\'()*+,-./:;<=>?_')
_CSET82 = frozenset(CSET82)
_CSETS = {
    'N': frozenset('0123456789'),
    'X': _CSET82,
    'Y': frozenset('#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'),
    'Z': frozenset('-0123456789=ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz'),
}
_BLANKS = ' \t\r\n'
_DIGITS = re.compile(r'[0-9]+')
_SYMBOLOGY = re.compile(r'\][A-Za-z][0-9A-Za-z]')
_HRI_AI = re.compile(r'\(([0-9]{2,4})\)')
_URI_START = re.compile(r'https?://', re.IGNORECASE)
_HEX2 = re.compile(r'%(?![0-9A-Fa-f]{2})')

#: AIM symbology identifiers (ISO/IEC 15424) whose data is a GS1 element string.
GS1_SYMBOLOGIES = frozenset([']C1', ']e0', ']d2', ']Q3', ']J1'])
#: AIM identifiers of EAN/UPC: the data is a GTIN of that many digits.
EAN_SYMBOLOGIES = {']E0': 13, ']E4': 8}
#: GS1 identification keys: data that carries one must meet the mandatory associations.
IDENTIFICATION_KEYS = frozenset(['00', '01', '02', '03', '253', '255', '401', '402', '414', '415',
                                 '417', '8003', '8004', '8006', '8010', '8013', '8017',
                                 '8018', '8026'])

_MESSAGES = {
    'invalid_type': 'A GS1 code must be text, got {type}.',
    'empty': 'The GS1 code is empty.',
    'invalid_ai': 'Invalid application identifier {ai!r} at position {position}.',
    'unknown_ai': ('Unknown application identifier starting with {ai!r} at position '
                   '{position}: the rest of the code cannot be read.'),
    'unknown_hri_ai': 'Unknown application identifier ({ai}) at position {position}.',
    'truncated': 'AI ({ai}) needs {length} characters, only {value!r} left.',
    'invalid_length': 'AI ({ai}) needs exactly {length} characters, got {value!r}.',
    'too_long': 'AI ({ai}) allows at most {length} characters, got {value!r}.',
    'too_short': 'AI ({ai}) needs at least {length} characters, got {value!r}.',
    'empty_value': 'AI ({ai}) has no value.',
    'not_numeric': 'AI ({ai}) allows digits only, got {value!r}.',
    'not_digits': 'Expected digits only, got {value!r}.',
    'invalid_characters': 'AI ({ai}) value {value!r} has characters not allowed by GS1.',
    'bad_check_digit': 'AI ({ai}) value {value!r} has a wrong check digit.',
    'invalid_date': 'AI ({ai}) value {value!r} is not a valid YYMMDD date.',
    'invalid_component': 'AI ({ai}) value {value!r} is not valid: {reason}.',
    'not_a_date': 'Expected a date, got {value!r}.',
    'duplicate_ai': 'AI ({ai}) appears twice, with {first!r} and {second!r}.',
    'excluded_pair': 'AI ({ai}) cannot be used together with AI ({other}).',
    'missing_pair': 'AI ({ai}) requires one of the AIs {required}.',
    'invalid_uri': 'Not a GS1 Digital Link URI: {uri!r} ({reason}).',
    'qualifier_order': ('AI ({ai}) is not allowed there in a Digital Link path: after '
                        '({key}) the qualifiers are {order}, in that order.'),
    'not_in_query': ('AI ({ai}) belongs in the path of a Digital Link with key ({key}), '
                     'not in its query string.'),
    'unknown_query_ai': 'The Digital Link query key {key!r} is numeric but no GS1 AI.',
    'invalid_gtin': 'Not a valid GTIN: {value!r}.',
    'invalid_value': 'Unsupported value for AI ({ai}): {value!r}.',
    'not_allowed': 'AI ({ai}) cannot be passed as an extra Digital Link attribute.',
    'not_attribute': ('AI ({ai}) is not a GS1 Digital Link data attribute: it cannot be '
                      'given in the query string ({ai}=...).'),
    'not_gs1': ('The scanner announced {symbology} ({what}): the code {value!r} is not '
                'GS1 data.'),
    'missing_item_code': ('The code carries a {found_name} ({found}) but no {needed_name} '
                          '({needed}).'),
    'invalid_gs_substitute': ('The group separator substitute must be one character '
                              'other than a digit, got {value!r}.'),
}


def _shorten(value):
    """A long text shortened for a message (the full value stays in ``params``)."""
    if isinstance(value, str) and len(value) > 60:
        return value[:40] + '...' + value[-10:]
    return value


class GS1Error(ValueError):
    """Malformed GS1 data; ``code`` is a stable id, ``params`` its named values."""

    def __init__(self, code, **params):
        self.code = code
        self.params = params
        shown = {key: _shorten(value) for key, value in params.items()}
        super(GS1Error, self).__init__(_MESSAGES[code].format(**shown))


# ------------------------------------------------------------------ the AI table

# Every AI of the GS1 General Specifications (section 3.2, "GS1 Application
# Identifiers in numerical order") with its data format, as the GS1 Barcode
# Syntax Dictionary (github.com/gs1/gs1-syntax-dictionary) writes it:
#   AI or AI range | '*' when the AI has a predefined length (no GS after it) |
#   components: charset N (digits), X (set 82), Y (set 39), Z (set 64) with a
#   length ('N6', 'X..20' up to 20), ',<check>', '[...]' when optional |
#   req=<AI,AI+AI> one of them is required, '+' joining AIs required together (a rule
#   per req) | ex=<AI,...> excluded |
#   dl=<qualifiers> a Digital Link primary key and its qualifier orders ('|' between
#   alternatives).  'n' in an AI of a rule stands for any digit.
_AI_TABLE = """
00 * N18,csum dl=
01 * N14,csum ex=02,03,255,37 dl=22,10,21|235
02 * N14,csum req=37
03 * N14,csum ex=01,02,37,235
10 X..20 req=01,02,03,8006,8026
11 * N6,yymmd0 req=01,02,03,8006,8026
12 * N6,yymmd0 req=8020
13 * N6,yymmd0 req=01,02,03,8006,8026
15 * N6,yymmd0 req=01,02,03,8006,8026
16 * N6,yymmd0 req=01,02,03,8006,8026
17 * N6,yymmd0 req=01,02,03,255,8006,8026
20 * N2 req=01,02,03,8006,8026
21 X..20 req=01,03,8006 ex=235
22 X..20 req=01
235 X..28 req=01
240 X..30 req=01,02,03,8006,8026
241 X..30 req=01,02,03,8006,8026
242 N..6 req=01,02,8006,8026
243 X..20 req=01,03
250 X..30 req=01+21,03+21,8006+21
251 X..30 req=01,03,8006
253 N13,csum [X..17] dl=
254 X..20 req=414
255 N13,csum [N..12] ex=01,02,415,8006,8020,8026 dl=
30 N..8 req=01,02
3100-3105 * N6 req=01,02 ex=310n
3110-3115 * N6 req=01,02 ex=311n
3120-3125 * N6 req=01,02 ex=312n
3130-3135 * N6 req=01,02 ex=313n
3140-3145 * N6 req=01,02 ex=314n
3150-3155 * N6 req=01,02 ex=315n
3160-3165 * N6 req=01,02 ex=316n
3200-3205 * N6 req=01,02 ex=320n
3210-3215 * N6 req=01,02 ex=321n
3220-3225 * N6 req=01,02 ex=322n
3230-3235 * N6 req=01,02 ex=323n
3240-3245 * N6 req=01,02 ex=324n
3250-3255 * N6 req=01,02 ex=325n
3260-3265 * N6 req=01,02 ex=326n
3270-3275 * N6 req=01,02 ex=327n
3280-3285 * N6 req=01,02 ex=328n
3290-3295 * N6 req=01,02 ex=329n
3300-3305 * N6 req=00,01 ex=330n
3310-3315 * N6 req=00,01 ex=331n
3320-3325 * N6 req=00,01 ex=332n
3330-3335 * N6 req=00,01 ex=333n
3340-3345 * N6 req=00,01 ex=334n
3350-3355 * N6 req=00,01 ex=335n
3360-3365 * N6 req=00,01 ex=336n
3370-3375 * N6 req=01 ex=337n
3400-3405 * N6 req=00,01 ex=340n
3410-3415 * N6 req=00,01 ex=341n
3420-3425 * N6 req=00,01 ex=342n
3430-3435 * N6 req=00,01 ex=343n
3440-3445 * N6 req=00,01 ex=344n
3450-3455 * N6 req=00,01 ex=345n
3460-3465 * N6 req=00,01 ex=346n
3470-3475 * N6 req=00,01 ex=347n
3480-3485 * N6 req=00,01 ex=348n
3490-3495 * N6 req=00,01 ex=349n
3500-3505 * N6 req=01,02 ex=350n
3510-3515 * N6 req=01,02 ex=351n
3520-3525 * N6 req=01,02 ex=352n
3530-3535 * N6 req=00,01 ex=353n
3540-3545 * N6 req=00,01 ex=354n
3550-3555 * N6 req=00,01 ex=355n
3560-3565 * N6 req=01,02 ex=356n
3570-3575 * N6 req=01,02 ex=357n
3600-3605 * N6 req=01,02 ex=360n
3610-3615 * N6 req=01,02 ex=361n
3620-3625 * N6 req=00,01 ex=362n
3630-3635 * N6 req=00,01 ex=363n
3640-3645 * N6 req=01,02 ex=364n
3650-3655 * N6 req=01,02 ex=365n
3660-3665 * N6 req=01,02 ex=366n
3670-3675 * N6 req=00,01 ex=367n
3680-3685 * N6 req=00,01 ex=368n
3690-3695 * N6 req=00,01 ex=369n
37 N..8 req=02,8026
3900-3909 N..15 req=255,8020 ex=390n,391n,394n,8111
3910-3919 N3 N..15 req=8020 ex=391n
3920-3929 N..15 req=01 req=30,31nn,32nn,35nn,36nn ex=392n,393n
3930-3939 N3 N..15 req=30,31nn,32nn,35nn,36nn ex=393n
3940-3943 N4 req=255 ex=394n,8111
3950-3955 N6 req=30,31nn,32nn,35nn,36nn ex=392n,393n,395n,8005
400 X..30
401 X..30 dl=
402 N17,csum dl=
403 X..30 req=00
410 * N13,csum
411 * N13,csum
412 * N13,csum
413 * N13,csum
414 * N13,csum dl=254|7040
415 * N13,csum req=8020 dl=8020
416 * N13,csum
417 * N13,csum dl=7040
420 X..20 ex=421
421 N3 X..9 ex=4307
422 N3 req=01,02,03,8006,8026 ex=426
423 N3 [N3] [N3] [N3] [N3] req=01,02,03 ex=426
424 N3 req=01,02,03 ex=426
425 N3 [N3] [N3] [N3] [N3] req=01,02,03 ex=426
426 N3 req=01,02,03
427 X..3 req=01+422,02+422,03+422
4300-4301 X..35,pcenc req=00
4302 X..70,pcenc req=00
4303 X..70,pcenc req=4302
4304-4306 X..70,pcenc req=00
4307 X2 req=00
4308 X..30 req=00
4309 N10,latitude N10,longitude req=00
4310-4311 X..35,pcenc req=00
4312 X..70,pcenc req=00
4313 X..70,pcenc req=4312
4314-4316 X..70,pcenc req=00
4317 X2 req=00
4318 X..20 req=00
4319 X..30 req=00
4320 X..35,pcenc req=00
4321-4323 N1,yesno req=00
4324-4325 N6,yymmd0 N4,hhmm req=00
4326 N6,yymmdd req=00
4330 N6 [X1],hyphen req=00 ex=4331
4331 N6 [X1],hyphen req=00 ex=4330
4332 N6 [X1],hyphen req=00 ex=4333
4333 N6 [X1],hyphen req=00 ex=4332
7001 N13 req=01,02,8006,8026
7002 X..30 req=01,02
7003 N6,yymmdd N4,hhmm req=01,02
7004 N..4 req=01+10,03+10
7005 X..12 req=01,02
7006 N6,yymmdd req=01,02
7007 N6,yymmdd [N6],yymmdd req=01,02
7008 X..3 req=01,02
7009 X..10 req=01,02
7010 X..2 req=01,02,03
7011 N6,yymmdd [N4],hhmm req=01,02
7020 X..20 req=01+416,03+416,8006+416
7021 X..20 req=01,03,8006
7022 X..20 req=01+7021,03+7021,8006+7021
7023 X..30
7030-7039 N3 X..27 req=01,02
7040 N1 X1 X1 X1
7041 X..4 req=00
710-717 X..20 req=01
7230-7239 X2 X..28 req=01,8004
7240 X..20 req=01,8006 ex=03
7241 N2 req=8017,8018
7242 X..25 req=8017,8018
7250 N8,yyyymmdd req=8018 ex=7251
7251 N8,yyyymmdd N4,hhmm req=8018 ex=7250
7252 N1,iso5218 req=8018
7253-7254 X..40,pcenc req=8017,8018 ex=7256,7259
7255 X..10 req=8017,8018 ex=7256,7259
7256 X..90,pcenc req=8017,8018
7257 X..70,pcenc req=8018
7258 X3,posinseqslash req=8018+7259
7259 X..40,pcenc req=8018 ex=7256
8001 N4,nonzero N5,nonzero N3,nonzero N1,winding N1 req=01
8002 X..20
8003 N1,zero N13,csum [X..16] dl=
8004 X..30 dl=7040
8005 N6 req=01,02
8006 N14,csum N4,pieceoftotal ex=01,03,37 dl=22,10,21
8007 X..34 req=415
8008 N8,yymmddhh [N..4],mmoptss req=01,02,03
8009 X..50 req=00,01,03
8010 Y..30 dl=8011
8011 N..12,nozeroprefix req=8010
8012 X..20 req=01,03,8006
8013 X..25 dl=
8014 X..25 req=01
8017 N18,csum ex=8018 dl=8019
8018 N18,csum ex=8017 dl=8019
8019 N..10 req=8017,8018
8020 X..25 req=415
8026 N14,csum N4,pieceoftotal req=37 ex=02,03,8006
8030 Z..90 req=00,01+21,03+21,253,255,8003,8004,8006+21,8010+8011,8017,8018
8040 N15 req=01+21
8041 N15 req=01+21+8040
8042 N32 req=01+21+8040
8043 N18 [N..2] req=01+21+8040
8110 X..70
8111 N4 req=255
8112 X..70
8200 X..70 req=01
90 X..30
91-99 X..90
"""

_Component = collections.namedtuple('_Component', 'charset min max optional check')
_Ai = collections.namedtuple('_Ai', 'components predefined req ex dl')


def _component(text):
    optional = text.startswith('[')
    text = text.replace('[', '').replace(']', '')
    spec, _sep, check = text.partition(',')
    length = spec[1:]
    if length.startswith('..'):
        low, high = 1, int(length[2:])
    else:
        low = high = int(length)
    return _Component(spec[0], low, high, optional, check or None)


def _rules(words, name):
    return [word[len(name) + 1:].split(',') for word in words if word.startswith(name + '=')]


def _table_entry(words):
    predefined = words[0] == '*'
    words = words[1:] if predefined else words
    components = tuple(_component(word) for word in words
                       if word[:1] in 'NXYZ[' and '=' not in word)
    dl = next((word[3:] for word in words if word.startswith('dl=')), None)
    dl = None if dl is None else tuple(
        tuple(order.split(',')) if order else () for order in dl.split('|'))
    ex = tuple(ai for rule in _rules(words, 'ex') for ai in rule)
    return _Ai(components, predefined, tuple(tuple(rule) for rule in _rules(words, 'req')),
               ex, dl)


def _load_table(text):
    table = {}
    for line in text.strip().splitlines():
        words = line.split()
        first, _sep, last = words[0].partition('-')
        entry = _table_entry(words[1:])
        for number in range(int(first), int(last or first) + 1):
            table[str(number).zfill(len(first))] = entry
    return table


_AIS = _load_table(_AI_TABLE)
#: Digital Link primary keys -> their qualifier orders.
DL_PRIMARY_KEYS = {ai: entry.dl for ai, entry in _AIS.items() if entry.dl is not None}
_DL_QUALIFIERS = frozenset(ai for orders in DL_PRIMARY_KEYS.values()
                           for order in orders for ai in order)
#: AIs of the table that the GS1 Barcode Syntax Dictionary does not flag as Digital Link
#: data attributes (its '?' flag): the key qualifiers and (8200).  They never go in a
#: Digital Link's query string, whatever its path.
DL_NOT_ATTRIBUTES = frozenset(['03', '21', '22', '235', '254', '7040', '7041', '8011', '8014',
                               '8019', '8020', '8040', '8041', '8042', '8043', '8200'])

#: Names of the AIs the addon reads; their values are typed (dates, counts, decimals).
AI_NAMES = {
    '00': 'sscc', '01': 'gtin', '02': 'content_gtin', '10': 'lot', '11': 'production_date',
    '12': 'due_date', '13': 'packaging_date', '15': 'best_before_date',
    '16': 'sell_by_date', '17': 'expiry_date', '20': 'variant', '21': 'serial',
    '22': 'cpv', '235': 'tpx', '240': 'additional_id', '241': 'customer_part_number',
    '254': 'gln_extension', '30': 'var_count', '37': 'count', '400': 'order_number',
    '410': 'ship_to_gln', '411': 'bill_to_gln', '412': 'purchased_from_gln',
    '413': 'ship_for_gln', '414': 'location_gln', '415': 'pay_to_gln',
    '416': 'production_location_gln', '417': 'party_gln', '8003': 'grai', '8004': 'giai',
    '8006': 'itip', '8017': 'gsrn_provider', '8018': 'gsrn_recipient', '253': 'gdti',
    '255': 'gcn', '401': 'ginc', '402': 'gsin', '8010': 'cpid', '8013': 'gmn',
}


def ai_name(ai):
    """The name of ``ai`` (e.g. 'lot' for '10'), or None."""
    return AI_NAMES.get(ai)


_DATA_LENGTHS = {ai: sum(component.max for component in entry.components)
                 for ai, entry in _AIS.items() if entry.predefined}


def data_length(ai):
    """Data length of ``ai`` when it has a predefined length (no GS after it), or None."""
    return _DATA_LENGTHS.get(ai)


def is_valid_ai(ai):
    """True when ``ai`` is an application identifier of the GS1 General Specifications."""
    return isinstance(ai, str) and ai in _AIS


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


def is_valid_gln(code):
    """True when ``code`` is a GS1 Global Location Number: 13 digits, valid check digit."""
    return isinstance(code, str) and len(code) == 13 and is_valid_check_digit(code)


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


def parse_date(value, today=None, ai='17', day_zero=True):
    """'YYMMDD' -> ``datetime.date``; DD=00 is the last day of the month."""
    if not isinstance(value, str) or len(value) != 6 or not _DIGITS.fullmatch(value):
        raise GS1Error('invalid_date', ai=ai, value=value)
    year = _century_year(int(value[:2]), today or datetime.date.today())
    month, day = int(value[2:4]), int(value[4:])
    try:
        if day == 0 and day_zero:
            day = calendar.monthrange(year, month)[1]
        return datetime.date(year, month, day)
    except (ValueError, OverflowError):
        raise GS1Error('invalid_date', ai=ai, value=value) from None


# -------------------------------------------------------------------- checks

def _is_hhmm(text):
    return int(text[:2]) < 24 and int(text[2:4]) < 60


def _is_piece_of_total(text):
    piece, total = int(text[:2]), int(text[2:])
    return 0 < piece <= total


def _is_position_in_sequence(text):
    """'1/2': the first of two (a birth sequence, AI 7258)."""
    position, slash, count = text[:1], text[1:2], text[2:]
    return (slash == '/' and position.isdigit() and count.isdigit()
            and 0 < int(position) <= int(count))


def _is_yyyymmdd(text):
    try:
        datetime.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return False
    return True


# Content checks of a component, by the Syntax Dictionary's name; True when valid.
# Not checked here: country, currency and media-type code lists, GS1 Company
# Prefixes, the GMN check pair, IBAN and coupon contents.
_CHECKS = {
    'csum': is_valid_check_digit,
    'hhmm': _is_hhmm,
    'mmoptss': lambda text: len(text) in (2, 4) and int(text[:2]) < 60
    and int(text[2:] or 0) < 60,
    'yesno': lambda text: text in ('0', '1'),
    'zero': lambda text: text == '0',
    'nonzero': lambda text: bool(text.strip('0')),
    'winding': lambda text: text in ('0', '1', '9'),
    'hyphen': lambda text: text == '-',
    'pieceoftotal': _is_piece_of_total,
    'posinseqslash': _is_position_in_sequence,
    'yyyymmdd': _is_yyyymmdd,
    'iso5218': lambda text: text in ('0', '1', '2', '9'),
    'pcenc': lambda text: not _HEX2.search(text),
    'nozeroprefix': lambda text: text == '0' or not text.startswith('0'),
    'latitude': lambda text: int(text) <= 1800000000,
    'longitude': lambda text: int(text) <= 3600000000,
}


def _check_date_component(ai, check, text, today):
    if check in ('yymmd0', 'yymmdd'):
        parse_date(text, today, ai, day_zero=check == 'yymmd0')
    elif check == 'yymmddhh':
        parse_date(text[:6], today, ai, day_zero=False)
        if int(text[6:]) > 23:
            raise GS1Error('invalid_component', ai=ai, value=text, reason='hour above 23')


def _check_component(ai, component, text, today):
    if not _CSETS[component.charset].issuperset(text):
        code = 'not_numeric' if component.charset == 'N' else 'invalid_characters'
        raise GS1Error(code, ai=ai, value=text)
    check = component.check
    if check == 'csum' and not is_valid_check_digit(text):
        raise GS1Error('bad_check_digit', ai=ai, value=text)
    if check in ('yymmd0', 'yymmdd', 'yymmddhh'):
        _check_date_component(ai, check, text, today)
    elif check in _CHECKS and not _CHECKS[check](text):
        raise GS1Error('invalid_component', ai=ai, value=text, reason=check)


def _lengths(components):
    low = sum(component.min for component in components if not component.optional)
    return low, sum(component.max for component in components)


def check_value(ai, value, today=None):
    """Check ``value`` against the format of ``ai``; raises :class:`GS1Error`."""
    entry = _AIS.get(ai)
    if entry is None:
        raise GS1Error('invalid_ai', ai=ai, position=1)
    if not value:
        raise GS1Error('empty_value', ai=ai)
    low, high = _lengths(entry.components)
    if low == high and len(value) != high:
        raise GS1Error('invalid_length', ai=ai, length=high, value=value)
    if len(value) > high:
        raise GS1Error('too_long', ai=ai, length=high, value=value)
    if len(value) < low:
        raise GS1Error('too_short', ai=ai, length=low, value=value)
    pos = 0
    for component in entry.components:
        if pos >= len(value) and component.optional:
            break
        end = pos + component.max if component.min == component.max else len(value)
        if end > len(value):
            # An optional fixed-length part present only in part ((423): 3 digits per country).
            raise GS1Error('invalid_component', ai=ai, value=value, reason=(
                'its last part needs %d characters' % component.max))
        _check_component(ai, component, value[pos:end], today)
        pos = end


def _measure_decimals(ai):
    """Number of decimals of a measure AI (310n...369n, 390n...395n), else None."""
    if len(ai) == 4 and ('31' <= ai[:2] <= '36' or ai[:3] in ('390', '392', '394', '395')):
        return int(ai[3])
    return None


def _convert(ai, value, today):
    """Validate the raw ``value`` of ``ai`` and return it converted."""
    check_value(ai, value, today)
    decimals = _measure_decimals(ai)
    if decimals is not None:
        return decimal.Decimal(value).scaleb(-decimals)
    if ai in ('391', '393') or ai[:3] in ('391', '393'):
        return value[:3], decimal.Decimal(value[3:]).scaleb(-int(ai[3]))
    if ai in ('11', '12', '13', '15', '16', '17'):
        return parse_date(value, today, ai)
    if ai in ('30', '37'):
        return int(value)
    return value


class GS1Result(object):
    """Parsed GS1 data.

    ``kind``: 'element_string' or 'digital_link'; ``ais``: OrderedDict AI -> raw
    text; ``values``: AI -> converted value (date, int, Decimal, (currency,
    Decimal) or text); ``unknown_ais``: AIs checked but not read by the addon
    (no name in :data:`AI_NAMES`, no measure); ``symbology``: the scanner's
    symbology identifier ('' when absent); ``key``: the Digital Link's primary key AI.
    """

    __slots__ = ('kind', 'ais', 'values', 'unknown_ais', 'symbology', 'key')

    def __init__(self, kind, ais, values, unknown_ais, symbology='', key=None):
        self.kind, self.ais, self.values = kind, ais, values
        self.unknown_ais, self.symbology, self.key = unknown_ais, symbology, key

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


def _result(kind, pairs, today, symbology, key=None):
    """GS1Result of (AI, raw value) pairs; repeated AIs must agree; associations checked."""
    ais, values, unknown = collections.OrderedDict(), {}, []
    for ai, raw in pairs:
        if ai in ais:
            if ais[ai] != raw or kind == 'digital_link':
                raise GS1Error('duplicate_ai', ai=ai, first=ais[ai], second=raw)
            continue
        values[ai] = _convert(ai, raw, today)
        ais[ai] = raw
        if ai not in AI_NAMES and _measure_decimals(ai) is None:
            unknown.append(ai)
    check_associations(ais)
    return GS1Result(kind, ais, values, unknown, symbology, key)


# ------------------------------------------------------------ lot or serial

#: The AI that names the tracked item of a product, by its tracking: a serial
#: number (21) or a batch/lot (10).
TRACKING_AIS = {'serial': '21', 'lot': '10'}
_ITEM_AI_NAMES = {'10': 'batch', '21': 'serial'}


def item_code(result, tracking):
    """The lot or serial code of ``result`` (a :class:`GS1Result`) that names an item of
    a product tracked by ``tracking`` ('serial', 'lot' or anything else).

    A serial-tracked product is named by its serial (21), a lot-tracked one by its batch
    (10), whatever else the code carries; raises :class:`GS1Error` ``missing_item_code``
    when the code carries only the other one.  For any other tracking (no product, not
    tracked), the batch, else the serial.  None when the code carries neither.
    """
    needed = TRACKING_AIS.get(tracking)
    if needed is None:
        return result.lot or result.serial
    code = result.values.get(needed)
    found = '10' if needed == '21' else '21'
    if code is None and result.values.get(found) is not None:
        raise GS1Error('missing_item_code', needed=needed, found=found,
                       needed_name=_ITEM_AI_NAMES[needed], found_name=_ITEM_AI_NAMES[found])
    return code


# ----------------------------------------------------------- association rules

def _matches(pattern, ai):
    return len(pattern) == len(ai) and all(p in ('n', a) for p, a in zip(pattern, ai))


def _present(pattern, ais):
    """The AI of ``ais`` matching ``pattern`` ('n' = any digit), or None."""
    if 'n' not in pattern:
        return pattern if pattern in ais else None
    return next((ai for ai in ais if _matches(pattern, ai)), None)


def check_associations(ais):
    """Enforce the GS1 association rules on the AIs of one scan.

    Invalid pairs ('ex': 01 with 02 or 37, two net weights...) are always refused.
    Mandatory associations ('req': 21 requires 01 or 8006, 37 requires 02 or 8026...)
    are checked when the data carries a GS1 identification key
    (:data:`IDENTIFICATION_KEYS`, always the case of a Digital Link): GS1 evaluates
    them over all the barcodes of an item, and a scan of one barcode of a
    logistic label (``(10)B2`` alone) cannot see the others.
    """
    present = set(ais)
    keyed = not present.isdisjoint(IDENTIFICATION_KEYS)
    for ai in ais:
        entry = _AIS[ai]
        for pattern in entry.ex:
            other = _present(pattern, present - {ai})
            if other is not None:
                raise GS1Error('excluded_pair', ai=ai, other=other)
        for rule in entry.req if keyed else ():
            if not any(all(_present(pattern, present) for pattern in group.split('+'))
                       for group in rule):
                raise GS1Error('missing_pair', ai=ai, required=', '.join(
                    group.replace('+', ' and ') for group in rule))


# ------------------------------------------------------------- element strings

def _read_ai(text, pos):
    """The AI starting at ``pos`` (GS1 AIs are prefix-free: the first match is the AI)."""
    for length in (2, 3, 4):
        ai = text[pos:pos + length]
        if ai in _AIS:
            return ai
    prefix = text[pos:pos + 2]
    if len(prefix) != 2 or not _DIGITS.fullmatch(prefix):
        raise GS1Error('invalid_ai', ai=text[pos:pos + 4], position=pos + 1)
    raise GS1Error('unknown_ai', ai=text[pos:pos + 4], position=pos + 1)


def _split_machine(text):
    """(AI, raw value) pairs of a GS-separated element string, one at a time."""
    pos, size = 0, len(text)
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
        yield ai, text[pos:end]
        pos = end


def _split_human_readable(text):
    """(AI, raw value) pairs of '(01)...(10)...', one at a time; a value ends at the next
    '(digits)'.  Every '(' followed by 2 to 4 digits and ')' starts an AI (GS1 escapes a
    bracket inside data), so one that is no AI is reported, not read as data."""
    previous = None
    for mark in _HRI_AI.finditer(text):
        if previous is None and mark.start() != 0:
            break
        if mark.group(1) not in _AIS:
            raise GS1Error('unknown_hri_ai', ai=mark.group(1), position=mark.start() + 1)
        if previous is not None:
            yield previous.group(1), text[previous.end():mark.start()].strip(' ')
        previous = mark
    if previous is None:
        raise GS1Error('invalid_ai', ai=text[:6], position=1)
    yield previous.group(1), text[previous.end():].strip(' ')


# ---------------------------------------------------------------- digital link

# Short names of GS1 Digital Link 1.1 (still read, never written).
_DL_ALIASES = {'gtin': '01', 'cpv': '22', 'lot': '10', 'ser': '21'}


def _split_uri(text):
    """(path segments, query) of an http(s) URI, or None if it has no host."""
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if not parts.netloc:
        return None
    return parts.path.rstrip('/').split('/')[1:], parts.query


def _find_primary(segments):
    """Index of the primary key segment: walking the path's last pairs back, only
    qualifiers follow it; None when the path is no Digital Link path.  Linear."""
    index = len(segments) - 2
    while index >= 0:
        ai = _DL_ALIASES.get(segments[index], segments[index])
        if ai in DL_PRIMARY_KEYS:
            return index
        if ai not in _DL_QUALIFIERS:
            return None
        index -= 2
    return None


def _in_order(qualifiers, order):
    pos = 0
    for ai in qualifiers:
        if ai not in order[pos:]:
            return False
        pos = order.index(ai, pos) + 1
    return True


def _check_qualifier_order(key, qualifiers):
    orders = DL_PRIMARY_KEYS[key]
    if any(_in_order(qualifiers, order) for order in orders):
        return
    bad = qualifiers[-1]
    for index in range(1, len(qualifiers) + 1):
        if not any(_in_order(qualifiers[:index], order) for order in orders):
            bad = qualifiers[index - 1]
            break
    raise GS1Error('qualifier_order', ai=bad, key=key,
                   order=' or '.join('/'.join(order) or 'none' for order in orders))


def _path_qualifiers(key, qualifiers):
    """The AIs that belong in the path of this Digital Link: those of the qualifier
    orders of ``key`` that the path's ``qualifiers`` follow."""
    return frozenset(ai for order in DL_PRIMARY_KEYS[key] if _in_order(qualifiers, order)
                     for ai in order)


def _padded(ai, value):
    """A GTIN-8/12/13 of AI (01) padded to 14 digits (zero-suppressed GTINs in URIs)."""
    if ai == '01' and len(value) in (8, 12, 13) and _DIGITS.fullmatch(value):
        return value.zfill(14)
    return value


def _query_pairs(query, key, qualifiers):
    """(AI, value) pairs of the query string: '+' is a space; non-numeric keys are
    ignored; a numeric key must be an AI that does not belong in the path and that GS1
    allows as a data attribute."""
    pairs, in_path = [], _path_qualifiers(key, qualifiers)
    for item in query.split('&'):
        name, _sep, value = item.partition('=')
        name = unquote_plus(name)
        if not _DIGITS.fullmatch(name):
            continue
        if name not in _AIS:
            raise GS1Error('unknown_query_ai', key=name)
        if name in in_path:
            raise GS1Error('not_in_query', ai=name, key=key)
        if name in DL_NOT_ATTRIBUTES:
            raise GS1Error('not_attribute', ai=name)
        pairs.append((name, _padded(name, unquote_plus(value))))
    return pairs


def _split_digital_link(text):
    """(primary key AI, (AI, raw value) pairs) of a Digital Link URI; GTIN-8/12/13 padded."""
    split = _split_uri(text)
    index = None if split is None else _find_primary(split[0])
    if index is None:
        keyed = split is not None and any(
            _DL_ALIASES.get(segment, segment) in DL_PRIMARY_KEYS for segment in split[0])
        raise GS1Error('invalid_uri', uri=text, reason=(
            'the path after its key is not qualifier AI/value pairs'
            if keyed else 'no GS1 primary key in the path'))
    segments, query = split
    key = _DL_ALIASES.get(segments[index], segments[index])
    value = _padded(key, unquote(segments[index + 1]))
    rest = segments[index + 2:]
    qualifiers = [(_DL_ALIASES.get(ai, ai), unquote(val)) for ai, val in zip(rest[::2], rest[1::2])]
    order = [ai for ai, _value in qualifiers]
    _check_qualifier_order(key, order)
    return key, [(key, value)] + qualifiers + _query_pairs(query, key, order)


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


#: What :func:`classify` read: the symbology identifier, the data without it, the form:
#: 'element_string', 'human_readable', 'digital_link', 'gtin' (EAN/UPC) or 'plain'.
Scan = collections.namedtuple('Scan', 'symbology data form')
GS1_FORMS = frozenset(['element_string', 'human_readable', 'digital_link', 'gtin'])


def _form_of(symbology, data):
    if symbology in GS1_SYMBOLOGIES:
        return 'element_string'
    if symbology in EAN_SYMBOLOGIES:
        size = EAN_SYMBOLOGIES[symbology]
        return 'gtin' if len(data) == size and is_valid_check_digit(data) else 'plain'
    if _URI_START.match(data):
        return 'digital_link' if _is_digital_link(data) else 'plain'
    if symbology:
        return 'plain'
    if GS in data:
        return 'element_string'
    match = _HRI_AI.match(data)
    return 'human_readable' if match and match.group(1) in _AIS else 'plain'


def _substituted(data, gs_substitute):
    if gs_substitute and not _URI_START.match(data):
        return data.replace(gs_substitute, GS)
    return data


def classify(code, gs_substitute=None):
    """:class:`Scan` of a scanned ``code``: which symbology, which data, which form.

    Only a GS1 symbology identifier, a GS (FNC1) or ``gs_substitute``, the
    ``(AI)`` form or a Digital Link URI make GS1: ``10ABC`` is plain data.
    ``data`` is the code without blanks around it nor symbology identifier.
    """
    if not isinstance(code, str):
        raise GS1Error('invalid_type', type=type(code).__name__)
    _check_substitute(gs_substitute)
    text = code.strip(_BLANKS)
    symbology = text[:3] if _SYMBOLOGY.match(text) else ''
    data = text[len(symbology):]
    return Scan(symbology, data, _form_of(symbology, _substituted(data, gs_substitute)))


def looks_like_gs1(code, gs_substitute=None):
    """True when ``code`` is GS1 data by :func:`classify` (markers, never a guess)."""
    try:
        return classify(code, gs_substitute).form in GS1_FORMS
    except GS1Error:
        return False


def _pairs_of(scan, text, gs_substitute):
    """(kind, key, pairs) of a classified scan."""
    data = _substituted(scan.data, gs_substitute)
    if scan.form == 'digital_link' or (scan.form == 'plain' and _URI_START.match(scan.data)):
        key, pairs = _split_digital_link(scan.data)
        return 'digital_link', key, pairs
    if scan.form == 'gtin':
        return 'element_string', None, [('01', scan.data.zfill(14))]
    if scan.form == 'plain' and scan.symbology:
        raise GS1Error('not_gs1', symbology=scan.symbology, value=text,
                       what='plain data of its symbology')
    if scan.form == 'human_readable' or (not scan.symbology and data.startswith('(')):
        return 'element_string', None, _split_human_readable(data)
    return 'element_string', None, _split_machine(data)


def parse(code, gs_substitute=None, today=None):
    """Parse GS1 data (element string, Digital Link, EAN/UPC GTIN) into a GS1Result.

    ``gs_substitute``: a character the scanner sends instead of GS;
    ``today``: reference date of the two-digit year rule (default: today).
    Plain digits without marker are read as an element string (the caller asks
    for GS1); a code whose symbology identifier announces plain data is refused.
    """
    scan = classify(code, gs_substitute)
    if not scan.data.strip(GS):
        raise GS1Error('empty')
    kind, key, pairs = _pairs_of(scan, code, gs_substitute)
    return _result(kind, pairs, today or datetime.date.today(), scan.symbology, key)

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
    """Decimal -> the digits of a measure AI (310n: 6 digits with n decimals)."""
    scaled = value.scaleb(_measure_decimals(ai))
    fixed = data_length(ai)
    if (not scaled.is_finite() or scaled < 0 or scaled >= 10 ** (fixed or 15)
            or scaled != scaled.to_integral_value()):
        raise GS1Error('invalid_value', ai=ai, value=value)
    return str(int(scaled)).zfill(fixed or 1)


def _encode(ai, value):
    """Validated text of ``value`` for ``ai``: dates, ints and Decimals are formatted."""
    if not is_valid_ai(ai):
        raise GS1Error('invalid_ai', ai=ai, position=1)
    if isinstance(value, datetime.date):
        value = format_date(value)
    elif isinstance(value, decimal.Decimal) and _measure_decimals(ai) is not None:
        value = _decimal_text(ai, value)
    elif isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        value = str(value).zfill(data_length(ai) or 0)
    if not isinstance(value, str):
        raise GS1Error('invalid_value', ai=ai, value=value)
    check_value(ai, value)
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
    check_associations(collections.OrderedDict(pairs))
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
        if ai in DL_PRIMARY_KEYS or ai in _DL_QUALIFIERS or ai in DL_NOT_ATTRIBUTES:
            raise GS1Error('not_allowed', ai=ai)
    check_associations(collections.OrderedDict(
        [('01', gtin14)] + [(ai, value) for ai, value in query]
        + [(ai, value) for ai, value in (('10', lot), ('21', serial)) if value is not None]))
    text = '&'.join('%s=%s' % (ai, quote(_encode(ai, value), safe='')) for ai, value in query)
    return base + path + ('?' + text if text else '')
