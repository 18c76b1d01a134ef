# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The input rules of the addon: codes, texts, numbers, dates and ids.

Pure Python, no Odoo import. Every check returns the clean value or raises
:class:`InputError` (a ``ValueError``) with a stable ``code`` and named ``params``
(``field`` always among them), so the Odoo layer can say which field of which row is wrong.

- A *code* (lot, serial, supplier lot code, assembly result lot) is text, NFC-normalised
  and trimmed, not blank, without control, format or surrogate characters (bidi overrides
  such as U+202E are format characters), at most :data:`MAX_CODE_LENGTH` characters.
  An *affix* (prefix, suffix of generated codes) follows the same rules but may be empty
  and is not trimmed.
- A *text* has no NUL character (PostgreSQL refuses it); a one-line text (a name) is at
  most :data:`MAX_NAME_LENGTH` characters (a longer one cannot be indexed).
- A *number* is finite and below :data:`MAX_QUANTITY` in absolute value; an *integer* fits
  PostgreSQL's ``integer``; an *id* is an integer from 1 to :data:`INT4_MAX`.
- A *date* is a real calendar date from :data:`DATE_MIN` to :data:`DATE_MAX`
  (``YYYY-MM-DD``, or ``YYYY-MM-DD HH:MM:SS`` for a date and time).
"""
import datetime
import math
import unicodedata

#: Longest code accepted, in characters after NFC normalisation (the serials' rule).
MAX_CODE_LENGTH = 64
#: Longest one-line text (names, references): PostgreSQL's btree index rows hold 2,704
#: bytes, so 600 characters of up to 4 bytes each always fit.
MAX_NAME_LENGTH = 600
#: Longest scan or typed search (a GS1 Digital Link with several attributes fits).
MAX_SCAN_LENGTH = 2000
#: Largest absolute quantity (or other float) a user can mean.
MAX_QUANTITY = 1e12
INT4_MIN, INT4_MAX = -2 ** 31, 2 ** 31 - 1
#: Dates a user can mean (a day of margin at both ends keeps time zone shifts in range).
DATE_MIN, DATE_MAX = datetime.date(1900, 1, 1), datetime.date(9998, 12, 31)

_REFUSED_CATEGORIES = frozenset(["Cc", "Cf", "Cs"])

_MESSAGES = {
    "invalid_type": "{field}: {value} is not {expected}.",
    "blank": "{field}: a code cannot be blank.",
    "control_character": "{field}: {value} contains a control or format character "
                         "({character}).",
    "too_long": "{field}: {value} has {length} characters, at most {maximum}.",
    "not_finite": "{field}: {value} is not a finite number.",
    "out_of_range": "{field}: {value} is out of range ({minimum} to {maximum}).",
    "invalid_date": "{field}: {value} is not a real date ({expected}).",
    "unknown_choice": "{field}: {value} is not one of {choices}.",
}


class InputError(ValueError):
    """A refused input; ``code`` is a stable id, ``params`` its named values."""

    def __init__(self, code, **params):
        self.code = code
        self.params = params
        super(InputError, self).__init__(_MESSAGES[code].format(**params))


def show(value, limit=40):
    """``value`` as it appears in a message: repr, cut after ``limit`` characters."""
    text = repr(value)
    if len(text) <= limit:
        return text
    return text[:limit] + "\u2026 (%d characters)" % len(
        value if isinstance(value, str) else text)


def refused_character(text, allowed=frozenset()):
    """First control, format or surrogate character of ``text`` (Cc/Cf/Cs) that is not in
    ``allowed``, or None."""
    if text.isprintable():
        return None
    return next((char for char in text if char not in allowed
                 and unicodedata.category(char) in _REFUSED_CATEGORIES), None)


def _clean_str(value, field):
    if not isinstance(value, str):
        raise InputError("invalid_type", field=field, value=show(value), expected="a text")
    return value


def clean_code(value, field="code", affix=False):
    """The clean code ``value`` (see the module's rules); ``affix`` for a prefix/suffix."""
    value = unicodedata.normalize("NFC", _clean_str(value, field))
    if not affix:
        value = value.strip()
        if not value:
            raise InputError("blank", field=field, value=show(value))
    char = refused_character(value)
    if char is not None:
        raise InputError("control_character", field=field, value=show(value),
                         character="U+%04X" % ord(char))
    if len(value) > MAX_CODE_LENGTH:
        raise InputError("too_long", field=field, value=show(value), length=len(value),
                         maximum=MAX_CODE_LENGTH)
    return value


def clean_text(value, field="text", multiline=True, max_length=None):
    """``value`` when it is a text PostgreSQL stores as given: no NUL character, at most
    ``max_length`` characters (one-line texts: :data:`MAX_NAME_LENGTH` unless told).
    Other control characters stay allowed: a scan carries GS1's group separator."""
    value = _clean_str(value, field)
    if "\x00" in value:
        raise InputError("control_character", field=field, value=show(value),
                         character="U+0000")
    max_length = max_length or (None if multiline else MAX_NAME_LENGTH)
    if max_length and len(value) > max_length:
        raise InputError("too_long", field=field, value=show(value), length=len(value),
                         maximum=max_length)
    return value


def clean_number(value, field="quantity", maximum=MAX_QUANTITY):
    """``value`` as a finite float below ``maximum`` in absolute value (numeric texts such
    as '2.5' are read; 'nan', 'inf' and '1e309' are refused)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise InputError("invalid_type", field=field, value=show(value), expected="a number")
    try:
        number = float(value.replace(",", ".") if isinstance(value, str) else value)
    except (ValueError, OverflowError):
        raise InputError("invalid_type", field=field, value=show(value), expected="a number")
    if not math.isfinite(number):
        raise InputError("not_finite", field=field, value=show(value))
    if abs(number) >= maximum:
        raise InputError("out_of_range", field=field, value=show(value),
                         minimum="%g" % -maximum, maximum="%g" % maximum)
    return number


def clean_integer(value, field="number", minimum=INT4_MIN, maximum=INT4_MAX):
    """``value`` as an int from ``minimum`` to ``maximum`` (integral floats accepted)."""
    if isinstance(value, float) and math.isfinite(value) and value == int(value):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError("invalid_type", field=field, value=show(value),
                         expected="an integer")
    if not minimum <= value <= maximum:
        raise InputError("out_of_range", field=field, value=show(value), minimum=minimum,
                         maximum=maximum)
    return value


def clean_id(value, field="id"):
    """``value`` as a database id (an integer from 1 to INT4_MAX)."""
    return clean_integer(value, field, 1, INT4_MAX)


def clean_ids(value, field="ids"):
    """``value`` (an id or a list of ids) as a list of unique ids, in their order."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise InputError("invalid_type", field=field, value=show(value),
                         expected="a list of ids")
    ids, seen = [], set()
    for item in value:
        item = clean_id(item, field)
        if item not in seen:  # a set: a list's ``in`` made 200,000 ids take minutes
            seen.add(item)
            ids.append(item)
    return ids


def clean_choice(value, choices, field="choice"):
    """``value`` when it is one of ``choices``."""
    if isinstance(value, (list, dict, set)) or value not in choices:
        raise InputError("unknown_choice", field=field, value=show(value),
                         choices=", ".join(repr(choice) for choice in choices))
    return value


def clean_date(value, field="date", with_time=False):
    """``value`` (text, date or datetime) as 'YYYY-MM-DD' (``with_time``: 'YYYY-MM-DD
    HH:MM:SS', a bare date meaning midnight), a real date from DATE_MIN to DATE_MAX."""
    expected = "YYYY-MM-DD HH:MM:SS" if with_time else "YYYY-MM-DD"
    if isinstance(value, datetime.date):
        stamp = value if isinstance(value, datetime.datetime) else \
            datetime.datetime.combine(value, datetime.time.min)
    else:
        text = _clean_str(value, field)
        text = text[:19] if with_time else text[:10]
        try:
            stamp = datetime.datetime.strptime(
                text, "%Y-%m-%d %H:%M:%S" if len(text) > 10 else "%Y-%m-%d")
        except ValueError:
            raise InputError("invalid_date", field=field, value=show(value), expected=expected)
    if not DATE_MIN <= stamp.date() <= DATE_MAX:
        raise InputError("out_of_range", field=field, value=show(value),
                         minimum=DATE_MIN.isoformat(), maximum=DATE_MAX.isoformat())
    return stamp.strftime("%Y-%m-%d %H:%M:%S" if with_time else "%Y-%m-%d")
