# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""GET /epcis/events over HTTP on the live demo database: filters, paging through the Link
header, a partner's token seeing only its own deliveries, a revoked token and bad requests
answered with the standard's errors (never a 500); an export's file read by its maker
only."""
import re

import pytest
import requests

from .odoo_client import OdooClient, RPCError


def _get(odoo_url, auth=None, token=None, **params):
    headers = {"Authorization": "Bearer %s" % token} if token else {}
    return requests.get(odoo_url + "/epcis/events", params=params, auth=auth,
                        headers=headers, timeout=180)


def _events(response):
    assert response.status_code == 200, response.text
    document = response.json()
    assert document["type"] == "EPCISQueryDocument"
    return document["epcisBody"]["queryResults"]["resultsBody"]["eventList"]


def test_filters_and_paging(odoo_url):
    """A user's login and password; perPage pages chained by the Link header's next URL."""
    first = _get(odoo_url, auth=("admin", "admin"), perPage="2", EQ_bizStep="shipping")
    events = _events(first)
    assert len(events) == 2 and {e["bizStep"] for e in events} == {"shipping"}
    link = re.match(r'<([^>]+)>; rel="next"', first.headers["Link"])
    second = requests.get(link.group(1), auth=("admin", "admin"), timeout=180)
    assert _events(second) and _events(second)[0]["eventID"] not in {
        e["eventID"] for e in events}
    made = _events(_get(odoo_url, auth=("admin", "admin"), eventType="TransformationEvent",
                        perPage="5"))
    assert made and {e["type"] for e in made} == {"TransformationEvent"}
    empty = _get(odoo_url, auth=("admin", "admin"), LT_eventTime="2000-01-01T00:00:00Z")
    assert _events(empty) == [] and "Link" not in empty.headers


def test_errors_are_the_standards(odoo_url):
    """Unknown parameter: 400 QueryParameterException; no or wrong credentials: 401."""
    bad = _get(odoo_url, auth=("admin", "admin"), color="red")
    assert bad.status_code == 400
    assert bad.json()["type"] == "epcisException:QueryParameterException"
    assert "color" in bad.json()["title"]
    for auth in (None, ("admin", "wrong")):
        refused = _get(odoo_url, auth=auth)
        assert refused.status_code == 401
        assert refused.json()["type"] == "epcisException:SecurityException"


def test_partner_token(admin, odoo_url, unique_name):
    """A token shows a customer its own deliveries only; revoked, it is refused."""
    grocer, deli = (admin.execute("res.partner", "search", [("name", "=", name)], limit=1)[0]
                    for name in ("Green Grocer Ltd", "Corner Deli Co."))
    token_id = admin.execute("stock.lot.epcis.token", "create",
                             {"name": unique_name("TOKEN"), "partner_id": grocer})
    secret = admin.execute("stock.lot.epcis.token", "action_issue", [token_id])
    events = _events(_get(odoo_url, token=secret, perPage="1000"))
    shipped = [e for e in events if e.get("bizStep") == "shipping"]
    assert shipped
    destinations = {d["destination"] for e in shipped for d in e["destinationList"]
                    if d["type"] == "owning_party"}
    # The demo customers have no GLN: a URI of the company's domain names them.
    assert destinations and all(uri.endswith("/epcis/party/%s" % grocer)
                                for uri in destinations)
    assert deli != grocer
    assert not [e for e in events if e.get("bizStep") == "receiving"]
    admin.execute("stock.lot.epcis.token", "action_revoke", [token_id])
    assert _get(odoo_url, token=secret).status_code == 401


def test_an_export_file_is_its_owners(admin, odoo_url, odoo_db):
    """An EPCIS export made over JSON-RPC is a file of its maker's: the demo Traceability
    user of the same company can neither download it nor read it (a file of no record was
    open to every employee of every company)."""
    lot_id = admin.execute("stock.production.lot", "search", [("name", "=", "APL-0001")],
                           limit=1)[0]
    attachment_id = admin.execute("stock.lot.epcis", "export_attachment",
                                  lot_ids=[lot_id])["attachment_id"]
    url = "%s/web/content/%d?download=true" % (odoo_url, attachment_id)
    assert admin.session.get(url, timeout=60).status_code == 200
    demo = OdooClient(odoo_url, odoo_db).login("demo", "demo")
    assert demo.session.get(url, timeout=60).status_code != 200
    with pytest.raises(RPCError) as refused:
        demo.execute("ir.attachment", "read", [attachment_id], ["datas"])
    assert refused.value.name == "odoo.exceptions.AccessError"
    assert demo.execute("ir.attachment", "search", [("id", "=", attachment_id)]) == []
