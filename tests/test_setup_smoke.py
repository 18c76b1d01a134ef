"""The product as `make run` serves it: login page, addon installed, demo chain present."""
from datetime import datetime, timedelta

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
    # Every done move line of the demo (receipts, builds, splits, deliveries) has its own past
    # second, so Odoo's traceability report, which links moves by strictly later dates, works.
    # (Other system tests add data of today to this database: the demo's is weeks old.)
    now = admin.execute("res.users", "read", [admin.uid], ["login_date"])[0]["login_date"]
    day_before = (datetime.strptime(now, "%Y-%m-%d %H:%M:%S") - timedelta(days=1)).strftime(
        "%Y-%m-%d %H:%M:%S")
    lines = admin.execute("stock.move.line", "search_read",
                          [("state", "=", "done"), ("lot_id", "!=", False),
                           ("date", "<", day_before)], ["date"])
    dates = [line["date"] for line in lines]
    assert len(dates) >= 20
    assert len(dates) == len(set(dates))


def test_demo_stock_on_hand(admin):
    """Lots, per-SKU stock and serials in their locations, as a person sees them after
    `make run`."""
    def on_hand(product_xmlid, lot=None):
        domain = [("product_id", "=", admin.ref(product_xmlid)),
                  ("location_id.usage", "=", "internal")]
        if lot:
            domain.append(("lot_id.name", "=", lot))
        quants = admin.execute("stock.quant", "search_read", domain, ["quantity", "location_id"])
        return sum(q["quantity"] for q in quants), {q["location_id"][1] for q in quants}

    def ledger(product_xmlid, lot=None):
        """What the done move lines say is on hand: into internal locations minus out of them."""
        domain = [("product_id", "=", admin.ref(product_xmlid)), ("state", "=", "done")]
        if lot:
            domain.append(("lot_id.name", "=", lot))
        total = 0.0
        for line in admin.execute("stock.move.line", "search_read", domain,
                                  ["qty_done", "location_id", "location_dest_id"]):
            if line["location_dest_id"][0] in internal:
                total += line["qty_done"]
            if line["location_id"][0] in internal:
                total -= line["qty_done"]
        return total

    internal = set(admin.execute("stock.location", "search", [("usage", "=", "internal")]))
    for product, lot in (("product_apples_demo", "APL-0001"), ("product_sugar_demo", "SUG-0001"),
                         ("product_jar_demo", None)):
        quantity = on_hand("lot_traceability_demo." + product, lot)[0]
        assert quantity > 0, (product, lot)
        assert quantity == ledger("lot_traceability_demo." + product, lot), (product, lot)
    drills, locations = on_hand("lot_traceability_demo.product_drill_demo")
    assert drills == 10.0  # 4 received by the base demo, 6 by Bulk Serial Entry (serials demo)
    # in two stock locations, and three checked out to employees (the custody story of
    # lot_traceability_hr's demo) in the warehouse's Issued location
    assert locations == {"WH/Stock", "WH/Stock/Tool Crib", "WH/Issued"}, locations
