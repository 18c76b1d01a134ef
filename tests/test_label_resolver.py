"""The label URL resolver on the live server: logged in it redirects to the lot's page; not
logged in it goes through the login and then lands on the lot."""
import re
import uuid
from urllib.parse import parse_qs, urlsplit

import requests

from .odoo_client import OdooClient
from .test_lot_labels_live import make_lot, random_gtin13


def path_of(uri):
    parts = urlsplit(uri)
    return parts.path + ("?" + parts.query if parts.query else "")


def resolve(client, path):
    return client.session.get(client.url + path, allow_redirects=False, timeout=60)


def assert_lands_on_lot(response, lot_id):
    assert response.status_code == 303, response.text[:300]
    location = response.headers["Location"]
    fragment = parse_qs(urlsplit(location).fragment)
    assert fragment["model"] == ["stock.production.lot"]
    assert fragment["id"] == [str(lot_id)]
    assert fragment["view_type"] == ["form"]


def test_digital_link_with_encoded_lot_and_expiry(admin, unique_name):
    product_id = admin.execute("product.product", "create", {
        "name": unique_name("Resolver Jam"), "type": "product", "tracking": "lot",
        "barcode": random_gtin13()})
    name = "A/B-" + uuid.uuid4().hex[:6]
    lot_id = admin.execute("stock.production.lot", "create", {
        "name": name, "product_id": product_id, "life_date": "2027-12-31 00:00:00"})
    uri = admin.execute("stock.production.lot", "get_label_payload", [lot_id])[0]["uri"]
    path = path_of(uri)
    assert "/10/A%2FB-" in path and path.endswith("?17=271231")
    assert_lands_on_lot(resolve(admin, path), lot_id)
    # The same without the query string, and with a 13-digit GTIN in the path.
    assert_lands_on_lot(resolve(admin, path.split("?")[0].replace("/01/0", "/01/")), lot_id)


def test_serial_and_plain_lot_url(admin, unique_name):
    _product, serial_id = make_lot(admin, unique_name, tracking="serial",
                                   barcode=random_gtin13())
    path = path_of(admin.execute("stock.production.lot", "get_label_payload",
                                 [serial_id])[0]["uri"])
    assert "/21/" in path
    assert_lands_on_lot(resolve(admin, path), serial_id)
    ref = unique_name("REF/X")
    product_id = admin.execute("product.product", "create", {
        "name": unique_name("Bulk"), "type": "product", "tracking": "lot", "default_code": ref})
    lot_id = admin.execute("stock.production.lot", "create",
                           {"name": "Lot 1/" + ref, "product_id": product_id})
    path = path_of(admin.execute("stock.production.lot", "get_label_payload", [lot_id])[0]["uri"])
    assert path.startswith("/lot/REF%2FX-")
    assert_lands_on_lot(resolve(admin, path), lot_id)


def test_unknown_and_ambiguous(admin, unique_name):
    response = resolve(admin, "/lot/NO-SUCH-REF/NO-SUCH-LOT")
    assert response.status_code == 404
    assert "NO-SUCH-LOT" in response.text
    name = unique_name("SHARED")
    refs = []
    for _index in range(2):
        ref = unique_name("AMB")
        product_id = admin.execute("product.product", "create", {
            "name": ref, "default_code": ref, "type": "product", "tracking": "lot"})
        admin.execute("stock.production.lot", "create", {"name": name, "product_id": product_id})
        refs.append(ref)
    # Two products with the same reference cannot be told apart: the page lists both lots.
    admin.execute("product.product", "write",
                  admin.execute("product.product", "search", [("default_code", "in", refs)]),
                  {"default_code": refs[0]})
    response = resolve(admin, "/lot/%s/%s" % (refs[0], name))
    assert response.status_code == 200
    assert response.text.count("model=stock.production.lot") == 2


def test_not_logged_in_goes_through_login(admin, odoo_url, odoo_db, unique_name):
    _product, lot_id = make_lot(admin, unique_name, barcode=random_gtin13())
    path = path_of(admin.execute("stock.production.lot", "get_label_payload", [lot_id])[0]["uri"])
    phone = OdooClient(odoo_url, odoo_db)
    response = resolve(phone, path)
    assert response.status_code == 303
    login = urlsplit(response.headers["Location"])
    assert login.path == "/web/login"
    assert parse_qs(login.query)["redirect"] == [path]
    page = phone.session.get(odoo_url + "/web/login?db=%s" % odoo_db, timeout=60)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = phone.session.post(odoo_url + "/web/login", allow_redirects=False, timeout=60,
                                  data={"login": "demo", "password": "demo",
                                        "csrf_token": token, "redirect": path})
    # Odoo answers with a page whose script goes to the redirect URL (keeping the hash).
    target = re.search(r"window.location = '([^']+)'", response.text).group(1)
    assert target == path
    assert_lands_on_lot(resolve(phone, target), lot_id)


def test_anonymous_request_reveals_nothing(odoo_url):
    response = requests.get(odoo_url + "/lot/x/y", allow_redirects=False, timeout=60)
    assert response.status_code == 303
    assert "/web/login" in response.headers["Location"]
