# -*- coding: utf-8 -*-
"""Serial number lists and ranges for bulk serial entry.

Pure Python, no Odoo import.  Errors raise :class:`SerialError` (a
``ValueError``) with a stable ``code`` and named ``params``.
"""
import collections
import re
import unicodedata

from .inputs import MAX_CODE_LENGTH, refused_character

#: Longest serial number accepted, in characters (after NFC normalisation): every code's.
MAX_LENGTH = MAX_CODE_LENGTH
#: Most serial numbers one range may generate.
MAX_RANGE_COUNT = 100000
#: How many bad entries the error message details (params list them all).
MAX_REPORTED = 10

_SEPARATORS = re.compile(r'\r\n|[\n\r,;\t]')
# Unicode white space that is not a control character (those are refused).
_TRIM = ' \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a' \
        '\u2028\u2029\u202f\u205f\u3000'

_MESSAGES = {
    'invalid_type': 'The {field} must be {expected}, got {type}.',
    'invalid_entries': '{count} invalid serial number(s): {details}.',
    'invalid_count': 'The number of serial numbers must be at least 1, got {count}.',
    'too_many': 'At most {maximum} serial numbers can be generated at once, got {count}.',
    'invalid_first': 'The first number must be 0 or more, with at most {digits} digits.',
    'invalid_padding': 'The padding must be between 0 and {maximum}, got {padding}.',
    'invalid_affix': 'The {field} {value!r} contains a control character ({character}).',
    'too_long': ('Serial number {example!r} would be longer than {maximum} '
                 'characters ({length}).'),
}


class SerialError(ValueError):
    """Invalid serial numbers; ``code`` is a stable id, ``params`` its named values."""

    def __init__(self, code, **params):
        self.code = code
        self.params = params
        super(SerialError, self).__init__(_MESSAGES[code].format(**params))


def _entry_problem(entry, position):
    """Problem dict of the entry at 1-based ``position``, or None when valid."""
    char = refused_character(entry)
    reasons = (['control_character'] if char is not None else []) + \
        (['too_long'] if len(entry) > MAX_LENGTH else [])
    if not reasons:
        return None
    return {'position': position, 'entry': entry, 'reasons': reasons,
            'character': None if char is None else 'U+%04X' % ord(char),
            'length': len(entry)}


def _describe(problem):
    """English description of a problem dict."""
    entry = problem['entry']
    shown = entry if len(entry) <= 30 else entry[:30] + '\u2026'
    texts = []
    if 'control_character' in problem['reasons']:
        texts.append('contains a control character (%s)' % problem['character'])
    if 'too_long' in problem['reasons']:
        texts.append('is too long (%d characters, at most %d)' % (problem['length'], MAX_LENGTH))
    return 'entry %d %r %s' % (problem['position'], shown, ' and '.join(texts))


def _entries_error(problems):
    details = '; '.join(_describe(problem) for problem in problems[:MAX_REPORTED])
    if len(problems) > MAX_REPORTED:
        details += '; and %d more' % (len(problems) - MAX_REPORTED)
    return SerialError('invalid_entries', entries=problems, count=len(problems),
                       details=details)


def parse_serials(text):
    """Serial numbers of ``text``, in input order, duplicates kept.

    Separators: newlines (LF, CRLF, CR), commas, semicolons, tabs.  Entries are
    NFC-normalised and trimmed of white space (inner spaces kept); blank ones
    are skipped.  Entries with control/format characters or longer than
    MAX_LENGTH raise one SerialError 'invalid_entries' listing them all in
    ``params['entries']`` (dicts: position among non-blank entries, entry,
    reasons, character, length).  None or False (empty Odoo field) gives [].
    """
    if text is None or text is False:
        return []
    if not isinstance(text, str):
        raise SerialError('invalid_type', field='serial list', expected='text',
                          type=type(text).__name__)
    serials, problems = [], []
    for raw in _SEPARATORS.split(unicodedata.normalize('NFC', text)):
        entry = raw.strip(_TRIM)
        if not entry:
            continue
        problem = _entry_problem(entry, len(serials) + len(problems) + 1)
        if problem:
            problems.append(problem)
        else:
            serials.append(entry)
    if problems:
        raise _entries_error(problems)
    return serials


def find_duplicates(serials):
    """[(serial, count)] of serials given more than once, by first appearance."""
    counts = collections.OrderedDict()
    for serial in serials:
        counts[serial] = counts.get(serial, 0) + 1
    return [(serial, count) for serial, count in counts.items() if count > 1]


def _clean_affix(field, value):
    """NFC-normalised prefix/suffix (None -> ''); control characters refused."""
    if value is None:
        return ''
    if not isinstance(value, str):
        raise SerialError('invalid_type', field=field, expected='text',
                          type=type(value).__name__)
    value = unicodedata.normalize('NFC', value)
    char = refused_character(value)
    if char is not None:
        raise SerialError('invalid_affix', field=field, value=value,
                          character='U+%04X' % ord(char))
    return value


def _check_numbers(first, count, padding):
    for field, value in (('first', first), ('count', count), ('padding', padding)):
        if not isinstance(value, int) or isinstance(value, bool):
            raise SerialError('invalid_type', field=field, expected='an integer',
                              type=type(value).__name__)
    if count <= 0:
        raise SerialError('invalid_count', count=count)
    if count > MAX_RANGE_COUNT:
        raise SerialError('too_many', count=count, maximum=MAX_RANGE_COUNT)
    if not 0 <= first < 10 ** MAX_LENGTH:
        raise SerialError('invalid_first', first=first, digits=MAX_LENGTH)
    if not 0 <= padding <= MAX_LENGTH:
        raise SerialError('invalid_padding', padding=padding, maximum=MAX_LENGTH)


def generate_range(prefix, first, count, padding=0, suffix=''):
    """``count`` serials prefix + number + suffix from ``first``, in order.

    Numbers are zero-padded to ``padding`` digits and widen past it
    ('SN-', 999998, 4, 6 -> SN-999998 ... SN-1000001).  Prefix and suffix are
    kept as given (NFC-normalised, not trimmed).
    """
    prefix, suffix = _clean_affix('prefix', prefix), _clean_affix('suffix', suffix)
    _check_numbers(first, count, padding)
    last = prefix + str(first + count - 1).zfill(padding) + suffix
    if len(last) > MAX_LENGTH:
        raise SerialError('too_long', example=last, length=len(last), maximum=MAX_LENGTH)
    return [prefix + str(number).zfill(padding) + suffix
            for number in range(first, first + count)]
