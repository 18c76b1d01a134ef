# -*- coding: utf-8 -*-
"""Label payloads: what a lot's QR code carries, built and read back here.

Pure Python, no Odoo import.  A lot whose product has a GTIN and whose code
GS1 can carry gets a GS1 Digital Link URI (see ``gs1.build_digital_link``);
any other lot gets a plain URL of the same server::

    <base>/lot/<product reference or id>/<lot code>

with both path segments percent-encoded (a lot code may hold '/', spaces or
any Unicode character).  :func:`parse_lot_url` reads that URL back.
"""
import ipaddress
import re
from urllib.parse import quote, unquote, urlsplit

from . import gs1

LOT_PATH = 'lot'
_URI_START = re.compile(r'https?://', re.IGNORECASE)


def _base(domain):
    base = (domain or '').strip().rstrip('/')
    if not base:
        raise gs1.GS1Error('invalid_uri', uri=domain, reason='no domain')
    return base if _URI_START.match(base) else 'https://' + base


def is_local_domain(domain):
    """True when a label domain leads to the machine that reads the label, never to this
    server: ``localhost`` (and ``*.localhost``), a loopback or unspecified address."""
    try:
        host = urlsplit(_base(domain)).hostname or ''
    except (gs1.GS1Error, ValueError):
        return False
    host = host.rstrip('.').lower()
    if host == 'localhost' or host.endswith('.localhost'):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def build_lot_url(domain, product_ref, lot):
    """``<domain>/lot/<product_ref>/<lot>``, both segments percent-encoded."""
    if not product_ref or not lot:
        raise gs1.GS1Error('invalid_uri', uri=domain, reason='no product or lot')
    return '%s/%s/%s/%s' % (_base(domain), LOT_PATH, quote(str(product_ref), safe=''),
                            quote(lot, safe=''))


def parse_lot_url(text):
    """(product_ref, lot) of a URL made by :func:`build_lot_url`, else None."""
    if not isinstance(text, str) or not _URI_START.match(text.strip()):
        return None
    try:
        parts = urlsplit(text.strip())
    except ValueError:
        return None
    segments = parts.path.split('/')
    # The lot URL may sit under a path prefix: read its last three segments.
    if len(segments) < 4 or segments[-3] != LOT_PATH or not parts.netloc:
        return None
    ref, lot = unquote(segments[-2]), unquote(segments[-1])
    return (ref, lot) if ref and lot else None


def can_use_gs1(gtin, lot):
    """True when a Digital Link can carry this product barcode and lot code."""
    return gs1.normalize_gtin(gtin or '') is not None and gs1.is_gs1_lot(lot)


def build_payload(domain, lot, product_ref, gtin=None, serial=False, expiry=None):
    """The QR content and human-readable line of a label, as a dict.

    ``gtin``: the product barcode (used only when it is a valid GTIN);
    ``serial``: the code is a serial number (AI 21) rather than a lot (AI 10);
    ``expiry``: a ``datetime.date`` (AI 17) or None.
    """
    if can_use_gs1(gtin, lot):
        ai = '21' if serial else '10'
        uri = gs1.build_digital_link(domain, gtin, expiry=expiry,
                                     **{'serial' if serial else 'lot': lot})
        pairs = [('01', gs1.normalize_gtin(gtin)), (ai, lot)]
        if expiry is not None:
            pairs.append(('17', expiry))
        return {'gs1': True, 'uri': uri, 'gtin': gs1.normalize_gtin(gtin),
                'text': gs1.build_element_string(pairs, human_readable=True)}
    return {'gs1': False, 'uri': build_lot_url(domain, product_ref, lot), 'gtin': False,
            'text': '%s %s' % (product_ref, lot)}
