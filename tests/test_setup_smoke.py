"""The product as `make run` serves it: login page, addon installed, demo chain present."""
import requests


def test_login_page_served(odoo_url):
    response = requests.get(odoo_url + "/web/login", timeout=30)
    assert response.status_code == 200
    assert 'name="login"' in response.text


def test_addon_installed_with_demo_data(admin):
    modules = admin.execute("ir.module.module", "search_read",
                            [("name", "=", "lot_traceability")], ["state", "demo"])
    assert modules == [{"id": modules[0]["id"], "state": "installed", "demo": True}]


def test_demo_chain_reads_like_history(admin):
    """The demo receipts are done, back-dated, and their move lines have distinct dates."""
    pickings = admin.execute("stock.picking", "search_read",
                             [("origin", "in", ["PO-VO-1187", "PO-SS-0452", "SO-GG-0311"])],
                             ["origin", "state", "date_done"], order="date_done")
    assert [p["origin"] for p in pickings] == ["PO-VO-1187", "PO-SS-0452", "SO-GG-0311"]
    assert {p["state"] for p in pickings} == {"done"}
    lines = admin.execute("stock.move.line", "search_read",
                          [("lot_id.name", "in", ["APL-0001", "APL-0002", "SUG-0001"]),
                           ("picking_id.origin", "in", ["PO-VO-1187", "PO-SS-0452",
                                                        "SO-GG-0311"])],
                          ["date"])
    dates = [line["date"] for line in lines]
    assert len(dates) == len(set(dates)) == 4
    now = admin.execute("res.users", "read", [admin.uid], ["login_date"])[0]["login_date"]
    assert max(dates) < now


def test_demo_stock_on_hand(admin):
    """Lots, per-SKU stock and serials in two locations, as a person sees them after `make run`."""
    def on_hand(product_xmlid, lot=None):
        domain = [("product_id", "=", admin.ref(product_xmlid)),
                  ("location_id.usage", "=", "internal")]
        if lot:
            domain.append(("lot_id.name", "=", lot))
        quants = admin.execute("stock.quant", "search_read", domain, ["quantity", "location_id"])
        return sum(q["quantity"] for q in quants), {q["location_id"][1] for q in quants}

    # The assembly demo builds a 50 kg jam batch from 40 kg of APL-0001 and 100 jars.
    assert on_hand("lot_traceability.product_apples_demo", "APL-0001")[0] == 310.0
    assert on_hand("lot_traceability.product_jar_demo")[0] == 1900.0
    drills, locations = on_hand("lot_traceability.product_drill_demo")
    assert drills == 4.0
    assert len(locations) == 2
