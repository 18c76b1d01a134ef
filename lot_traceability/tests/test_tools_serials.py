# -*- coding: utf-8 -*-
"""Tests of tools/serials.py (pure Python, no Odoo)."""
import time
import unicodedata

import pytest
from hypothesis import given, settings, strategies as st

from ..tools import serials


def parse_error(text):
    with pytest.raises(serials.SerialError) as info:
        serials.parse_serials(text)
    assert isinstance(info.value, ValueError)
    return info.value


# ----------------------------------------------------------------- parse_serials

@pytest.mark.parametrize('separator', ['\n', '\r\n', '\r', ',', ';', '\t'])
def test_each_separator(separator):
    assert serials.parse_serials(separator.join(['A1', 'B2', 'C3'])) == ['A1', 'B2', 'C3']


def test_mixed_separators_and_blank_entries():
    text = 'A1\r\n\r\nB2,,C3;\tD4\r\rE5\n\n  \n,;F6\n'
    assert serials.parse_serials(text) == ['A1', 'B2', 'C3', 'D4', 'E5', 'F6']


def test_trimming_keeps_inner_spaces_and_case():
    text = '  SN 001  \n\u00a0Ab c\u3000\n x '
    assert serials.parse_serials(text) == ['SN 001', 'Ab c', 'x']


def test_case_is_kept_and_duplicates_are_not_removed():
    assert serials.parse_serials('abc\nABC\nabc') == ['abc', 'ABC', 'abc']


def test_nfc_normalisation():
    assert serials.parse_serials('cafe\u0301\nA\u030a') == ['caf\u00e9', '\u00c5']


@pytest.mark.parametrize('text', ['', '\n\n', ' , ; \t ', None, False])
def test_empty_input(text):
    assert serials.parse_serials(text) == []


def test_non_text_input_refused():
    error = parse_error(b'A1\nA2')
    assert error.code == 'invalid_type'
    assert error.params['type'] == 'bytes'


@pytest.mark.parametrize('char', ['\x07', '\x00', '\x1b', '\x0b', '\x0c', '\x1d', '\x7f',
                                  '\x85', '\u200b', '\ufeff', '\u00ad', '\u202e'])
def test_control_and_format_characters_refused(char):
    error = parse_error('OK1\nBA' + char + 'D\nOK2')
    assert error.code == 'invalid_entries'
    assert error.params['count'] == 1
    [entry] = error.params['entries']
    assert entry['position'] == 2
    assert entry['entry'] == 'BA' + char + 'D'
    assert entry['reasons'] == ['control_character']
    assert entry['character'] == 'U+%04X' % ord(char)
    assert 'entry 2' in str(error)
    assert 'control character' in str(error)


def test_length_limit():
    assert serials.parse_serials('A' * 64) == ['A' * 64]
    error = parse_error('x\n' + 'A' * 65)
    [entry] = error.params['entries']
    assert (entry['position'], entry['reasons'], entry['length']) == (2, ['too_long'], 65)
    assert 'entry 2' in str(error) and 'too long (65 characters, at most 64)' in str(error)


def test_length_counts_after_normalisation():
    assert serials.parse_serials('e\u0301' * 64) == ['\u00e9' * 64]


def test_all_bad_entries_in_one_error():
    text = '\n'.join(['ok', 'a\x00', '', 'B' * 70, 'ok2', 'c\x07' + 'C' * 70])
    error = parse_error(text)
    entries = error.params['entries']
    assert [e['position'] for e in entries] == [2, 3, 5]
    assert entries[2]['reasons'] == ['control_character', 'too_long']
    message = str(error)
    assert message.startswith('3 invalid serial number(s): entry 2 ')
    assert 'entry 3' in message and 'entry 5' in message


def test_error_message_is_capped_but_params_complete():
    error = parse_error('\n'.join('bad\x01%d' % index for index in range(25)))
    assert len(error.params['entries']) == 25
    assert error.params['count'] == 25
    assert str(error).endswith('; and 15 more.')


def test_many_serials_parse_quickly():
    expected = ['SN-%06d' % index for index in range(20000)]
    start = time.monotonic()
    result = serials.parse_serials('\r\n'.join(expected) + '\r\n')
    assert time.monotonic() - start < 1.0
    assert result == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(st.characters(blacklist_categories=('Cc', 'Cf', 'Cs', 'Zs', 'Zl',
                                                                  'Zp'),
                                      blacklist_characters=',;'),
                        min_size=1, max_size=20), max_size=30),
       st.sampled_from(['\n', '\r\n', '\r', ',', ';', '\t']))
def test_property_join_then_parse(values, separator):
    expected = [unicodedata.normalize('NFC', value) for value in values]
    assert serials.parse_serials(separator.join(values)) == expected


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_property_random_text_raises_only_serial_error(text):
    try:
        result = serials.parse_serials(text)
    except serials.SerialError as error:
        assert error.code == 'invalid_entries' and error.params['entries']
        return
    assert all(0 < len(serial) <= 64 for serial in result)


# ---------------------------------------------------------------- find_duplicates

def test_find_duplicates():
    values = ['B', 'A', 'b', 'B', 'C', 'A', 'B']
    assert serials.find_duplicates(values) == [('B', 3), ('A', 2)]
    assert serials.find_duplicates(['A', 'a', 'B']) == []
    assert serials.find_duplicates([]) == []


def test_find_duplicates_on_parsed_text():
    parsed = serials.parse_serials('X1\nX2\n X1 \nx1')
    assert serials.find_duplicates(parsed) == [('X1', 2)]


# ----------------------------------------------------------------- generate_range

def test_range_widens_past_padding():
    assert serials.generate_range('SN-', 999998, 4, padding=6) == [
        'SN-999998', 'SN-999999', 'SN-1000000', 'SN-1000001']


def test_range_padding_and_suffix():
    assert serials.generate_range('LOT', 7, 3, padding=4, suffix='/B') == [
        'LOT0007/B', 'LOT0008/B', 'LOT0009/B']
    assert serials.generate_range('', 0, 2) == ['0', '1']
    assert serials.generate_range(None, 9, 2, suffix=None) == ['9', '10']


def test_range_keeps_affix_spaces_and_normalises():
    assert serials.generate_range(' A ', 1, 1, suffix=' e\u0301') == [' A 1 \u00e9']


def test_range_count_limit():
    assert len(serials.generate_range('S', 1, serials.MAX_RANGE_COUNT)) == 100000
    with pytest.raises(serials.SerialError) as info:
        serials.generate_range('S', 1, serials.MAX_RANGE_COUNT + 1)
    assert info.value.code == 'too_many'
    assert info.value.params == {'count': 100001, 'maximum': 100000}


@pytest.mark.parametrize('args, kwargs, code', [
    (('S', 1, 0), {}, 'invalid_count'),
    (('S', 1, -3), {}, 'invalid_count'),
    (('S', -1, 3), {}, 'invalid_first'),
    (('S', 10 ** 64, 1), {}, 'invalid_first'),
    (('S', 1, 3), {'padding': -1}, 'invalid_padding'),
    (('S', 1, 3), {'padding': 65}, 'invalid_padding'),
    (('S', '1', 3), {}, 'invalid_type'),
    (('S', 1, 2.0), {}, 'invalid_type'),
    (('S', True, 2), {}, 'invalid_type'),
    ((5, 1, 2), {}, 'invalid_type'),
    (('S\x00', 1, 2), {}, 'invalid_affix'),
    (('S', 1, 2), {'suffix': '\u200b'}, 'invalid_affix'),
    (('P' * 60, 9998, 3), {'padding': 4}, 'too_long'),
])
def test_range_errors(args, kwargs, code):
    with pytest.raises(serials.SerialError) as info:
        serials.generate_range(*args, **kwargs)
    assert info.value.code == code
    assert str(info.value)


def test_range_length_limit_boundary():
    assert serials.generate_range('P' * 60, 9998, 2, padding=4)[-1] == 'P' * 60 + '9999'
    with pytest.raises(serials.SerialError) as info:
        serials.generate_range('P' * 60, 9998, 3, padding=4)
    assert info.value.params['example'] == 'P' * 60 + '10000'
    assert info.value.params['length'] == 65


def test_range_affix_error_names_character():
    with pytest.raises(serials.SerialError) as info:
        serials.generate_range('SN\t', 1, 1)
    assert info.value.params == {'field': 'prefix', 'value': 'SN\t', 'character': 'U+0009'}
    assert str(info.value) == "The prefix 'SN\\t' contains a control character (U+0009)."
