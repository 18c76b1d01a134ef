"""The label URL resolver on the live server: logged in it redirects to the lot's page; not
logged in it goes through the login and then lands on the lot."""
import re
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
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


def test_traceability_link_goes_through_login(admin, odoo_url, odoo_db, unique_name):
    """A visitor who is not logged in and asks for the traceability link logs in first."""
    _product, lot_id = make_lot(admin, unique_name, barcode=random_gtin13())
    path = path_of(admin.execute("stock.production.lot", "get_label_payload", [lot_id])[0]["uri"])
    path += ("&" if "?" in path else "?") + "linkType=gs1:traceability"
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
    assert response.status_code == 404
    assert "No lot or serial number" in response.text and "/web" not in response.text


# --------------------------------------------------------------- a GS1-conformant resolver

LINKSET = "application/linkset+json"
VOC = "https://gs1.org/voc/"


@pytest.fixture
def labelled(admin, unique_name):
    """A lot of a GS1 product with a best-before date, received and delivered to a customer
    (quantities and a customer the public page must not show), and its label's path."""
    ref = unique_name("SECRET-REF")
    product_id = admin.execute("product.product", "create", {
        "name": unique_name("Public Jam"), "type": "product", "tracking": "lot",
        "barcode": random_gtin13(), "default_code": ref})
    lot_id = admin.execute("stock.production.lot", "create", {
        "name": unique_name("PUB"), "product_id": product_id, "ref": unique_name("INTERNAL"),
        "use_date": "2027-06-30 12:00:00", "life_date": "2027-12-31 12:00:00"})
    lot = admin.execute("stock.production.lot", "read", [lot_id], ["name", "ref"])[0]
    path = path_of(admin.execute("stock.production.lot", "get_label_payload", [lot_id])[0]["uri"])
    return {"product_id": product_id, "lot_id": lot_id, "lot": lot["name"], "ref": ref,
            "lot_ref": lot["ref"], "path": path,
            "product": admin.execute("product.product", "read", [product_id], ["name"])[0]["name"]}


@pytest.fixture
def portal(admin, odoo_url, odoo_db, unique_name):
    login = unique_name("portal").lower()
    admin.execute("res.users", "create", {
        "name": login, "login": login, "password": "portal-pass",
        "groups_id": [(6, 0, [admin.ref("base.group_portal")])]})
    return OdooClient(odoo_url, odoo_db).login(login, "portal-pass")


def with_link_type(path, link_type):
    return path + ("&" if "?" in path else "?") + "linkType=" + link_type


def assert_public_page(response, data, recalled=None):
    assert response.status_code == 200, response.text[:300]
    assert response.headers["Content-Type"].startswith("text/html")
    text = response.text
    assert data["product"] in text and data["lot"] in text
    assert "2027-06-30" in text  # best before
    assert ("This lot is recalled" in text) if recalled else ("No recall for this lot." in text)
    # nothing else: no internal references, quantities, customers nor backend links
    for secret in (data["ref"], data["lot_ref"], "/web", "Green Grocer", "Quantity"):
        assert secret not in text, secret
    assert 'name="viewport"' in text  # mobile first


def test_anonymous_gets_the_public_page(odoo_url, labelled):
    for link_type in (None, "gs1:pip", "gs1:recallStatus", "gs1:defaultLink",
                      "https://gs1.org/voc/pip", "https%3A%2F%2Fgs1.org%2Fvoc%2FrecallStatus"):
        path = with_link_type(labelled["path"], link_type) if link_type else labelled["path"]
        assert_public_page(requests.get(odoo_url + path, allow_redirects=False, timeout=60),
                           labelled)


def test_public_page_says_recalled_from_the_open_recall(admin, odoo_url, labelled):
    admin.execute("res.company", "write", [admin.ref("base.main_company")],
                  {"phone": "+1 555 0199"})
    recall_id = admin.execute("stock.lot.recall", "create", {
        "lot_ids": [(6, 0, [labelled["lot_id"]])],
        "public_notice": "This lot is recalled: do not eat it; bring it back to the shop."})
    admin.execute("stock.lot.recall", "action_open", [recall_id])
    try:
        response = requests.get(odoo_url + labelled["path"], allow_redirects=False, timeout=60)
        assert_public_page(response, labelled, recalled=True)
        assert "do not eat it; bring it back to the shop." in response.text
        assert "+1 555 0199" in response.text
    finally:
        admin.execute("stock.lot.recall", "action_close", [recall_id])
    response = requests.get(odoo_url + labelled["path"], allow_redirects=False, timeout=60)
    assert_public_page(response, labelled, recalled=False)


def test_unknown_lot_does_not_tell_whether_the_product_exists(odoo_url, labelled):
    known = labelled["path"].split("/10/")[0] + "/10/NO-SUCH-LOT"
    unknown_gtin = "/01/" + "0" + random_gtin13() + "/10/NO-SUCH-LOT"
    pages = [requests.get(odoo_url + path, allow_redirects=False, timeout=60)
             for path in (known, unknown_gtin)]
    assert [page.status_code for page in pages] == [404, 404]
    assert pages[0].text == pages[1].text
    assert "NO-SUCH-LOT" in pages[0].text and labelled["product"] not in pages[0].text


def test_employee_unknown_lot_of_a_known_gtin_is_not_the_product(admin, labelled):
    path = labelled["path"].split("/10/")[0] + "/10/NO-SUCH-LOT"
    response = resolve(admin, path)
    assert response.status_code == 404
    assert "product.product" not in response.text


def test_employee_link_types(admin, labelled):
    path = labelled["path"]
    for link_type in (None, "gs1:traceability", "https://gs1.org/voc/traceability"):
        response = resolve(admin, with_link_type(path, link_type) if link_type else path)
        assert_lands_on_lot(response, labelled["lot_id"])
        assert 'rel="linkset"' in response.headers["Link"]
        assert "linkType=linkset" in response.headers["Link"]
    for link_type in ("gs1:pip", "gs1:recallStatus"):
        assert_public_page(resolve(admin, with_link_type(path, link_type)), labelled)


def test_portal_partner_gets_the_public_page(portal, labelled):
    for link_type in (None, "gs1:pip", "gs1:recallStatus", "gs1:traceability"):
        path = with_link_type(labelled["path"], link_type) if link_type else labelled["path"]
        assert_public_page(resolve(portal, path), labelled)


def linkset(client_or_url, path, headers=None):
    if isinstance(client_or_url, str):
        response = requests.get(client_or_url + path, allow_redirects=False, timeout=60,
                                headers=headers)
    else:
        response = client_or_url.session.get(client_or_url.url + path, allow_redirects=False,
                                             timeout=60, headers=headers)
    assert response.headers["Content-Type"] == LINKSET
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    return response.status_code, response.json()


def test_linkset_depends_on_who_asks(admin, portal, odoo_url, labelled):
    """RFC 9264 link set: one context object anchored at the code, link relations of the GS1
    vocabulary, the default link first for this requester."""
    path = with_link_type(labelled["path"], "linkset")
    expected = {
        "anonymous": ({"pip", "recallStatus", "traceability"}, "gs1:pip"),
        "portal": ({"pip", "recallStatus"}, "gs1:pip"),
        "employee": ({"pip", "recallStatus", "traceability"}, "gs1:traceability"),
    }
    for who, client in (("anonymous", odoo_url), ("portal", portal), ("employee", admin)):
        status, body = linkset(client, path)
        assert status == 200
        (entry,) = body["linkset"]
        assert entry["anchor"].endswith(labelled["path"].split("?")[0])
        relations = {key[len(VOC):] for key in entry if key.startswith(VOC)}
        links, default = expected[who]
        assert relations == links | {"defaultLink"}, who
        for relation in links:
            (link,) = entry[VOC + relation]
            assert link["href"].endswith("linkType=gs1:" + relation) or \
                "linkType=gs1%3A" + relation in link["href"]
            assert link["type"] == "text/html" and link["title"]
        assert default.replace(":", "%3A") in entry[VOC + "defaultLink"][0]["href"], who


def test_linkset_of_an_unknown_lot_is_empty(odoo_url, labelled):
    path = labelled["path"].split("/10/")[0] + "/10/NO-SUCH-LOT?linkType=all"
    status, body = linkset(odoo_url, path)
    assert status == 404
    assert [set(entry) for entry in body["linkset"]] == [{"anchor"}]


@pytest.mark.parametrize("path", [
    "/00/952012345678912345",
    "/414/9520123456788/254/32a%2Fb",
    "/8004/9520614141234567?01=9520123456788",
])
def test_other_keys_answer_404(odoo_url, path):
    response = requests.get(odoo_url + path, allow_redirects=False, timeout=60)
    assert response.status_code == 404
    assert "Unknown code" in response.text


@pytest.mark.parametrize("path, says", [
    ("/01/09520123456788/21/S/10/L", "AI (10) is not allowed there"),  # qualifiers out of order
    ("/01/09520123456788?10=L", "belongs in the path"),  # a qualifier in the query
    ("/01/09520123456787/10/L", "wrong check digit"),
    ("/01/09520123456788/10/L/foo", "not qualifier AI/value pairs"),
    ("/01/09520123456788/235/TPX?22=ABC", "AI (22) is not a GS1 Digital Link data attribute"),
    ("/01/09520123456788?8200=https%3A%2F%2Fexample.com", "AI (8200) is not a GS1"),
])
def test_invalid_digital_links_answer_400(odoo_url, path, says):
    """GS1 resolver: a URI that is no valid Digital Link is reported with 400, saying why."""
    response = requests.get(odoo_url + path, allow_redirects=False, timeout=60)
    assert response.status_code == 400
    assert says in response.text
    assert response.headers["Access-Control-Allow-Origin"] == "*"


# --------------------------------------------------------------- GS1 resolver conformance

def test_linkset_by_link_type_or_accept_header(odoo_url, labelled):
    """linkType=linkset, the deprecated linkType=all and an Accept header asking for the
    link set all answer it, without redirect; a browser's Accept still gets the page."""
    expected = linkset(odoo_url, with_link_type(labelled["path"], "linkset"))
    assert expected[0] == 200
    assert linkset(odoo_url, with_link_type(labelled["path"], "all")) == expected
    assert linkset(odoo_url, labelled["path"], headers={"Accept": LINKSET}) == expected
    response = requests.get(odoo_url + labelled["path"], allow_redirects=False, timeout=60,
                            headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == expected[1]
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert_public_page(requests.get(odoo_url + labelled["path"], allow_redirects=False,
                                    timeout=60, headers={"Accept": browser}), labelled)


def test_unknown_link_type_answers_404(admin, odoo_url, labelled):
    """A link type the resolver never offers: 404 for everyone, whatever the code."""
    for path in (labelled["path"], "/01/" + "0" + random_gtin13() + "/10/NO-SUCH-LOT"):
        path = with_link_type(path, "gs1:nosuchlt")
        for response in (requests.get(odoo_url + path, allow_redirects=False, timeout=60),
                         resolve(admin, path)):
            assert response.status_code == 404
            assert "no link of the type gs1:nosuchlt" in response.text
            assert labelled["product"] not in response.text
    # any other text is not repeated on the label's domain
    notice = "THIS LOT IS RECALLED call 555 0100 " * 50
    response = requests.get(odoo_url + with_link_type(labelled["path"], notice),
                            allow_redirects=False, timeout=60)
    assert response.status_code == 404
    assert "no link of that type" in response.text and "RECALLED" not in response.text


def test_cors_head_and_options(odoo_url, labelled):
    url = odoo_url + labelled["path"]
    response = requests.options(url, allow_redirects=False, timeout=60)
    assert response.status_code in (200, 204)
    for header in ("Allow", "Access-Control-Allow-Methods"):
        assert {"GET", "HEAD", "OPTIONS"} <= set(
            method.strip() for method in response.headers[header].split(","))
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    response = requests.head(url, allow_redirects=False, timeout=60)
    assert response.status_code == 200 and not response.content
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    response = requests.get(url, allow_redirects=False, timeout=60)
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_resolver_description_file(odoo_url):
    response = requests.get(odoo_url + "/.well-known/gs1resolver", timeout=60,
                            headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    description = response.json()
    assert description["name"]
    assert description["resolverRoot"] == odoo_url.rstrip("/")
    assert description["supportedPrimaryKeys"] == ["01"]
    assert {"namespace": VOC, "prefix": "gs1:"} in description["supportedLinkType"]


def test_batch_and_serial_are_not_mixed_up(admin, odoo_url, unique_name):
    """(21) names a serial-tracked unit, (10) a lot-tracked lot; a code with only the other
    one is not that item (404), and a code with both finds the unit by its serial."""
    gtin = random_gtin13()
    _product, serial_id = make_lot(admin, unique_name, tracking="serial", barcode=gtin)
    serial = admin.execute("stock.production.lot", "read", [serial_id], ["name"])[0]["name"]
    key = "/01/0" + gtin
    assert_lands_on_lot(resolve(admin, "%s/10/B1/21/%s" % (key, serial)), serial_id)
    for path in ("%s/10/%s" % (key, serial), "%s/10/%s?linkType=linkset" % (key, serial)):
        assert resolve(admin, path).status_code == 404
        assert requests.get(odoo_url + path, allow_redirects=False,
                            timeout=60).status_code == 404
