# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A delivery's traceability for its customer, as the demo Traceability user does it: open the
done delivery from Inventory > Operations > Transfers, press Attach EPCIS, see the note with the
document in the chatter; press Send Slip and EPCIS, see Odoo's composer with the customer, the
delivery slip and the document attached. The document itself is read back over JSON-RPC."""
import base64
import json

import pytest

from .stock_steps import transfer
from .stories import open_row, search


@pytest.fixture
def delivery(admin, unique_name):
    """A done delivery of one lot of a new product to a new customer."""
    product_id = admin.execute("product.product", "create", {
        "name": unique_name("Oat Milk"), "type": "product", "tracking": "lot"})
    lot_id = admin.execute("stock.production.lot", "create", {
        "product_id": product_id, "name": unique_name("OAT")})
    partner_id = admin.execute("res.partner", "create", {
        "name": unique_name("Corner Cafe"), "customer": True, "is_company": True,
        "email": "orders@cafe.example.com"})
    transfer(admin, "in", False, product_id, lot_id, 12)
    picking_id = transfer(admin, "out", partner_id, product_id, lot_id, 5)
    picking = admin.execute("stock.picking", "read", [picking_id], ["name"])[0]
    lot = admin.execute("stock.production.lot", "read", [lot_id], ["name"])[0]
    return {"id": picking_id, "name": picking["name"], "lot": lot["name"],
            "partner": admin.execute("res.partner", "read", [partner_id], ["name"])[0]["name"]}


def test_attach_and_send_the_epcis_of_a_delivery(demo_desk, admin, delivery):
    client = demo_desk
    client.menu("Inventory", "Operations", "Transfers")
    client.wait(".o_list_view")
    search(client, delivery["name"])
    open_row(client, delivery["name"])
    client.wait(".o_form_view h1", delivery["name"])
    client.click(".o_form_statusbar button", "Attach EPCIS")
    client.wait(".o_chatter .o_thread_message",
                "GS1 EPCIS 2.0 document of this delivery attached. Events: 1.")
    client.wait(".o_chatter .o_attachment", ".jsonld")
    client.screenshot("delivery_epcis_attached")

    [attachment] = admin.execute("ir.attachment", "search_read", [
        ("res_model", "=", "stock.picking"), ("res_id", "=", delivery["id"]),
        ("mimetype", "=", "application/ld+json")], ["datas"])
    document = json.loads(base64.b64decode(attachment["datas"]).decode("utf-8"))
    assert document["type"] == "EPCISDocument"
    events = document["epcisBody"]["eventList"]
    shipping = [event for event in events if event.get("bizStep") == "shipping"]
    assert len(shipping) == 1, "the delivery's own shipment, not another"
    [transaction] = shipping[0]["bizTransactionList"]
    assert transaction["type"] == "desadv"
    assert transaction["bizTransaction"].endswith(delivery["name"].replace("/", "%2F"))

    client.click(".o_form_statusbar button", "Send Slip and EPCIS")
    client.wait(".modal .modal-title", "Send Slip and EPCIS")
    client.wait(".modal .o_field_many2manytags", delivery["partner"])
    names = [box.text for box in client.visible(".modal .oe_attachments .oe_attachment")]
    slip = delivery["name"].replace("/", "-")
    assert sorted(names) == sorted([slip + ".pdf", "epcis-%s.jsonld" % slip]), names
    client.screenshot("delivery_epcis_send")
    client.click(".modal-footer button", "Cancel")
    client.wait_gone(".modal .o_form_view")
