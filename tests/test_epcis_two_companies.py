# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Traceability across two companies, each in its own database on the same live server.

The supplier (LT_SUPPLIER_DB, a copy of the end-to-end database that this test makes a
company of its own over JSON-RPC, reached with the Host header LT_SUPPLIER_HOST) receives
apples from a farm, makes apple purée of them and ships it to us. Its EPCIS document of
that delivery (Attach EPCIS on the delivery) is downloaded over HTTP as its user would,
and imported by us from our receipt. We make apple sauce of the purée and ship it to two
customers. Then, in our database: a recall of the supplier's apple lot reaches our sauce and
both customers; the upstream trace of our sauce reaches the supplier's apples; the same
document imported again changes nothing.
"""
import base64
import json
import os

import pytest

from .odoo_client import OdooClient
from .stock_steps import transfer
from .test_lot_labels_live import random_gtin13

COUNTED = ("stock.lot.epcis.document", "stock.lot.epcis.event", "stock.lot.external.edge",
           "stock.production.lot", "product.product", "ir.attachment")


@pytest.fixture
def supplier(odoo_url):
    db, host = os.environ.get("LT_SUPPLIER_DB"), os.environ.get("LT_SUPPLIER_HOST")
    if not (db and host):
        pytest.fail("LT_SUPPLIER_DB / LT_SUPPLIER_HOST are not set: run the system tests "
                    "through `make test` (scripts/test.sh copies the supplier's database)")
    return OdooClient(odoo_url, db, host=host).login("admin", "admin")


def _company(client, gln, name=None):
    """The client's company (renamed when ``name`` is given) with its party GLN and its
    warehouse's GLN, unless it has them already; returns the party GLN."""
    company_id = client.execute("res.users", "read", [client.uid],
                                ["company_id"])[0]["company_id"][0]
    if name:
        client.execute("res.company", "write", [company_id], {"name": name})
    partner_id = client.execute("res.company", "read", [company_id],
                                ["partner_id"])[0]["partner_id"][0]
    gln = client.execute("res.partner", "read", [partner_id], ["gln"])[0]["gln"] or gln
    client.execute("res.partner", "write", [partner_id], {"gln": gln})
    warehouse = client.execute("stock.warehouse", "search_read",
                               [("company_id", "=", company_id)], ["gln"], limit=1)[0]
    if not warehouse["gln"]:
        client.execute("stock.warehouse", "write", [warehouse["id"]], {"gln": random_gtin13()})
    return gln


def _partner(client, name, gln, **vals):
    return client.execute("res.partner", "create", dict(vals, name=name, is_company=True,
                                                        gln=gln))


def _product(client, name, gtin, uom="product.product_uom_kgm"):
    uom_id = client.ref(uom)
    return client.execute("product.product", "create", {
        "name": name, "type": "product", "tracking": "lot", "barcode": gtin,
        "uom_id": uom_id, "uom_po_id": uom_id})


def _lot(client, product_id, name, **vals):
    return client.execute("stock.production.lot", "create",
                          dict(vals, product_id=product_id, name=name))


def _build(client, product_id, qty, lot_name, component_id, component_qty, scan):
    """A build of ``qty`` of the product under a new lot, scanning one component lot."""
    composition_id = client.execute("stock.composition", "create", {
        "name": "List %s" % lot_name, "product_id": product_id, "product_qty": qty,
        "line_ids": [(0, 0, {"product_id": component_id, "product_qty": component_qty,
                             "product_uom_id": client.ref("product.product_uom_kgm")})]})
    build_id = client.execute("stock.assembly", "create", {
        "composition_id": composition_id, "product_id": product_id, "product_qty": qty,
        "lot_name": lot_name})
    assert client.execute("stock.assembly", "action_scan", [build_id], scan)["status"] == "ok"
    client.execute("stock.assembly", "action_done", [build_id])
    return client.execute("stock.assembly", "read", [build_id], ["lot_id"])[0]["lot_id"][0]


def _counts(client):
    return {model: client.execute(model, "search_count", [],
                                  context={"active_test": False}) for model in COUNTED}


def _supplier_ships(supplier, unique_name, our_gln, gtins):
    """The supplier's side: apples received from a farm, purée made of them, shipped to us.
    Returns (its company's GLN, apple lot name, purée lot name, its EPCIS document)."""
    gln = _company(supplier, random_gtin13(), unique_name("Hillside Preserves"))
    farm = _partner(supplier, unique_name("Hillside Farm"), random_gtin13(), supplier=True)
    us = _partner(supplier, unique_name("Our Sauce Co"), our_gln, customer=True)
    apples = _product(supplier, unique_name("Orchard Apples"), gtins["apples"])
    puree = _product(supplier, unique_name("Apple Puree"), gtins["puree"])
    apple_lot = unique_name("ORCH")
    apple_id = _lot(supplier, apples, apple_lot)
    transfer(supplier, "in", farm, apples, apple_id, 60.0, origin="PO/SO %s" % apple_id)
    puree_lot = unique_name("PUREE")
    puree_id = _build(supplier, puree, 40.0, puree_lot, apples, 50.0, apple_lot)
    delivery = transfer(supplier, "out", us, puree, puree_id, 40.0, origin="PO/SO %s" % puree_id)
    # Its user attaches the delivery's EPCIS document to the delivery and downloads it.
    supplier.execute("stock.picking", "action_attach_epcis", [delivery])
    attachment = supplier.execute("ir.attachment", "search", [
        ("res_model", "=", "stock.picking"), ("res_id", "=", delivery),
        ("mimetype", "=", "application/ld+json")])
    assert len(attachment) == 1
    document = supplier.get("/web/content/%s?download=true" % attachment[0]).content
    assert json.loads(document.decode("utf-8"))["lt:sender"].endswith("/417/%s" % gln)
    return gln, apple_lot, puree_lot, document


def test_recall_and_trace_cross_the_company_boundary(admin, supplier, odoo_url, odoo_db,
                                                     unique_name):
    """Supplier receives, builds, ships; we import its document, build, ship; a recall of
    its apples reaches our customers, our sauce's upstream trace reaches its apples."""
    gtins = {"apples": random_gtin13(), "puree": random_gtin13(), "sauce": random_gtin13()}
    # Our company keeps its name (other tests read it); it gets GLNs if it has none.
    our_gln = _company(admin, random_gtin13())
    their_gln, apple_lot, puree_lot, document = _supplier_ships(
        supplier, unique_name, our_gln, gtins)
    assert supplier.db != admin.db
    assert not admin.execute("stock.production.lot", "search", [("name", "=", apple_lot)])

    # Our side: the purée received under our lot code with the supplier's, the document
    # imported from the receipt by the Traceability user, sauce made and shipped.
    hillside = _partner(admin, unique_name("Hillside Preserves"), their_gln, supplier=True)
    puree = _product(admin, unique_name("Apple Puree"), gtins["puree"])
    sauce = _product(admin, unique_name("Apple Sauce"), gtins["sauce"])
    our_puree_name = unique_name("PUR")
    our_puree = _lot(admin, puree, our_puree_name, supplier_lot_code=puree_lot)
    receipt = transfer(admin, "in", hillside, puree, our_puree, 40.0, origin="PO/SO %s" % our_puree)
    demo = OdooClient(odoo_url, odoo_db).login("demo", "demo")
    wizard = demo.execute("stock.lot.epcis.import", "create", {
        "data_file": base64.b64encode(document).decode(), "file_name": "hillside.jsonld"},
        context={"active_model": "stock.picking", "active_id": receipt})
    imported = demo.execute("stock.lot.epcis.import", "action_import", [wizard])
    stored = admin.execute("stock.lot.epcis.document", "read", [imported["res_id"]],
                           ["partner_id", "picking_id", "event_count"])[0]
    assert (stored["partner_id"][0], stored["picking_id"][0]) == (hillside, receipt)
    sauce_lot = unique_name("SAUCE")
    sauce_id = _build(admin, sauce, 80.0, sauce_lot, puree, 40.0, our_puree_name)
    customers = [_partner(admin, unique_name(name), random_gtin13(), customer=True)
                 for name in ("Corner Bistro", "Harbour Cafe")]
    for customer, qty in zip(customers, (30.0, 20.0)):
        transfer(admin, "out", customer, sauce, sauce_id, qty, origin="PO/SO %s" % sauce_id)

    # The supplier's apples are an external lot here; the recall goes through its purée.
    external = admin.execute("stock.production.lot", "search_read", [("name", "=", apple_lot)],
                             ["epcis_external", "epcis_partner_id"])
    assert len(external) == 1 and external[0]["epcis_external"]
    assert external[0]["epcis_partner_id"][0] == hillside
    recall = admin.execute("stock.lot.recall", "create", {
        "lot_ids": [(6, 0, [external[0]["id"]])], "reason": "Supplier's apples: patulin"})
    admin.execute("stock.lot.recall", "action_open", [recall])
    scope = admin.execute("stock.lot.recall.lot", "search_read", [("recall_id", "=", recall)],
                          ["lot_id"])
    assert {row["lot_id"][0] for row in scope} >= {external[0]["id"], our_puree, sauce_id}
    called = admin.execute("stock.lot.recall.call", "search_read",
                           [("recall_id", "=", recall)], ["partner_id"])
    assert sorted(row["partner_id"][0] for row in called) == sorted(customers)

    # Upstream from our sauce: our purée, then the supplier's apples, shown as external.
    upstream = demo.execute("stock.lot.trace", "trace", [sauce_id], "upstream")
    depths = {row["lot_id"]: row["depth"] for row in upstream["lots"]}
    assert depths[our_puree] == 1 and depths[external[0]["id"]] == 2
    made_from = demo.execute("stock.lot.trace", "lot_details", sauce_id)["made_from"]["lots"]
    outside = [(row["name"], bool(row["external"])) for row in made_from
               if row["name"] == apple_lot]
    assert outside == [(apple_lot, True)]

    # The same document again: the first import answers, nothing is written.
    before = _counts(admin)
    again = demo.execute("stock.lot.epcis.document", "import_document",
                         base64.b64encode(document).decode(), "again", hillside, receipt)
    assert (again["created"], again["document_id"]) == (False, imported["res_id"])
    assert _counts(admin) == before
