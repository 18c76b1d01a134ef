# -*- coding: utf-8 -*-
"""Tests of tools/labels.py (pure Python, no Odoo): every label payload reads back."""
import datetime

import pytest
from hypothesis import given, settings, strategies as st

from ..tools import gs1, labels

GTIN = '09506000134352'
EXPIRY = datetime.date(2027, 3, 31)
PROPERTY_SETTINGS = settings(max_examples=200, deadline=None)


def test_gs1_payload():
    payload = labels.build_payload('https://t.example.com', 'ABC/1', 'REF', gtin='9506000134352',
                                   expiry=EXPIRY)
    assert payload == {
        'gs1': True, 'gtin': GTIN,
        'uri': 'https://t.example.com/01/09506000134352/10/ABC%2F1?17=270331',
        'text': '(01)09506000134352(10)ABC/1(17)270331'}


def test_serial_payload_without_expiry():
    payload = labels.build_payload('t.example.com/x', 'S1', 'REF', gtin=GTIN, serial=True)
    assert payload['uri'] == 'https://t.example.com/x/01/09506000134352/21/S1'
    assert payload['text'] == '(01)09506000134352(21)S1'


@pytest.mark.parametrize('domain, local', [
    ('http://localhost:8069', True), ('localhost', True), ('https://LOCALHOST./x', True),
    ('http://app.localhost', True), ('http://127.0.0.1:8069', True), ('127.1.2.3', True),
    ('http://[::1]:8069', True), ('http://0.0.0.0:8069', True),
    ('https://trace.example.com', False), ('http://192.168.1.20:8069', False),
    ('http://localhost.example.com', False), ('http://[2001:db8::1]/t', False), ('', False),
    ('http://[::1', False),
])
def test_is_local_domain(domain, local):
    """A label pointing at localhost opens the scanning phone itself, not our server."""
    assert labels.is_local_domain(domain) is local


@pytest.mark.parametrize('gtin, lot', [
    (None, 'A1'), ('', 'A1'), ('ABC', 'A1'), ('09506000134353', 'A1'),  # no valid GTIN
    (GTIN, 'A' * 21), (GTIN, 'A B'), (GTIN, 'caf\u00e9'), (GTIN, 'A#1'), (GTIN, 'A\x1d1'),
])
def test_non_gs1_payload(gtin, lot):
    payload = labels.build_payload('http://erp:8069/', lot, 'R/1', gtin=gtin, expiry=EXPIRY)
    assert payload['gs1'] is False and payload['gtin'] is False
    assert payload['uri'].startswith('http://erp:8069/lot/R%2F1/')
    assert labels.parse_lot_url(payload['uri']) == ('R/1', lot)
    assert not gs1.looks_like_gs1(payload['uri'])


@pytest.mark.parametrize('text', [
    None, 42, '', 'lot/REF/LOT', '/lot/REF/LOT', 'https://e.com/lot/REF', 'https://e.com/lot//L',
    'https://e.com/lots/REF/L', 'https://e.com/lot/REF/', 'ftp://e.com/lot/R/L', 'https:///lot/R/L',
    'https://[::1/lot/R/L'])
def test_parse_lot_url_refuses(text):
    assert labels.parse_lot_url(text) is None


def test_parse_lot_url_under_a_prefix():
    assert labels.parse_lot_url('HTTPS://e.com/erp/lot/R%20X/L%2F1?x=1') == ('R X', 'L/1')


def test_build_lot_url_needs_all_parts():
    for args in (('', 'R', 'L'), ('e.com', '', 'L'), ('e.com', 'R', '')):
        with pytest.raises(gs1.GS1Error):
            labels.build_lot_url(*args)


GTINS = st.text('0123456789', min_size=13, max_size=13).map(
    lambda d: d + str(gs1.check_digit(d)))


@PROPERTY_SETTINGS
@given(st.text(min_size=1, max_size=30).filter(lambda s: s.strip() == s),
       st.text(min_size=1, max_size=12), st.none() | GTINS, st.booleans(),
       st.none() | st.dates(datetime.date(2000, 1, 1), datetime.date(2049, 12, 31)))
def test_property_every_payload_reads_back(lot, ref, gtin, serial, expiry):
    """Whatever the lot code, the payload's URI gives back the lot (and GTIN) it was built from."""
    payload = labels.build_payload('https://e.com', lot, ref, gtin=gtin, serial=serial,
                                   expiry=expiry)
    if payload['gs1']:
        result = gs1.parse(payload['uri'], today=datetime.date(2024, 1, 1))
        assert (result.gtin, result.serial if serial else result.lot) == (gtin, lot)
        assert result.expiry_date == expiry
        assert gs1.parse(payload['text'], today=datetime.date(2024, 1, 1)).values == \
            result.values or '(' in lot
    else:
        assert labels.parse_lot_url(payload['uri']) == (ref, lot)
