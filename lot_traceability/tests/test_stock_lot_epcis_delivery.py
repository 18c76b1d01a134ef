# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The EPCIS document of a delivery, for its customer: attached to the delivery's chatter, or
e-mailed with the delivery slip. It covers the delivery's lots, what they were made from and
this shipment, never another customer's delivery nor our supplier's receipt."""
import base64
import json

from odoo.exceptions import AccessError, UserError

from ..tools import epcis
from .epcis_common import EpcisCase, document_errors


class TestEpcisDelivery(EpcisCase):

    @classmethod
    def setUpClass(cls):
        super(TestEpcisDelivery, cls).setUpClass()
        cls.apple_lot, cls.jam_lot, cls.receipt, cls.delivery = cls._chain()
        cls.other = cls._create_partner("Other Customer", customer=True)
        cls.other_delivery = cls._deliver(cls.jam, [(cls.jam_lot, 6.0)], partner=cls.other)

    def _attachments(self, picking):
        return self.env["ir.attachment"].search([("res_model", "=", "stock.picking"),
                                                 ("res_id", "=", picking.id)])

    def test_attach_to_the_delivery(self):
        """Attach EPCIS: one JSON-LD attachment on the delivery, posted in its chatter; the
        document passes the schema and holds the jam's making and this shipment only."""
        picking = self.delivery.sudo(self.trace_user)
        self.assertIs(picking.action_attach_epcis(), True)
        attachment = self._attachments(self.delivery)
        self.assertEqual(len(attachment), 1)
        self.assertEqual(attachment.datas_fname,
                         "epcis-%s.jsonld" % self.delivery.name.replace("/", "-"))
        message = self.delivery.message_ids.filtered(lambda m: attachment in m.attachment_ids)
        self.assertEqual(len(message), 1)
        document = json.loads(base64.b64decode(attachment.datas).decode("utf-8"))
        self.assertEqual(document_errors(document, self.schema), [])
        events = document["epcisBody"]["eventList"]
        kinds = sorted((e["type"], e.get("action"), e.get("bizStep")) for e in events)
        self.assertEqual(kinds, [("ObjectEvent", "ADD", "commissioning"),
                                 ("ObjectEvent", "OBSERVE", "shipping"),
                                 ("TransformationEvent", None, "commissioning")])
        shipped = next(e for e in events if e.get("bizStep") == "shipping")
        self.assertEqual(shipped["quantityList"], [{
            "epcClass": epcis.class_uri(self.jam.barcode, self.jam_lot.name),
            "quantity": 24.0, "uom": "C62"}])
        self.assertIn({"type": "owning_party",
                       "destination": epcis.gln_uri(self.gln_customer, party=True)},
                      shipped["destinationList"])
        made = next(e for e in events if e["type"] == "TransformationEvent")
        self.assertEqual(made["inputQuantityList"][0]["epcClass"],
                         epcis.class_uri(self.apple.barcode, self.apple_lot.name))
        # Neither the other customer's delivery nor our supplier's receipt.
        self.assertNotIn(self.other.name, json.dumps(document))
        self.assertNotIn(self.gln_supplier, json.dumps(document))

    def test_send_with_the_slip(self):
        """Send Slip and EPCIS: the composer to the customer with the delivery slip and the
        document attached; sending posts both on the delivery."""
        action = self.delivery.sudo(self.trace_user).action_send_epcis()
        self.assertEqual(action["res_model"], "mail.compose.message")
        context = action["context"]
        self.assertEqual(context["default_partner_ids"], self.customer.ids)
        attachments = self.env["ir.attachment"].browse(context["default_attachment_ids"][0][2])
        self.assertEqual(len(attachments), 2)
        # the document and the slip are the delivery's from the start: read by whoever
        # reads the delivery (a composer's draft attachment is open to every employee)
        self.assertEqual(attachments[1], self._attachments(self.delivery).filtered(
            lambda attachment: attachment.mimetype == "application/ld+json"))
        self.assertEqual(self._attachments(self.delivery), attachments)
        self.assertTrue(attachments[0].datas_fname.startswith(
            self.delivery.name.replace("/", "-")))
        # As the web client saves the composer: its defaults sent back as values.
        Composer = self.env["mail.compose.message"].sudo(self.trace_user).with_context(**context)
        composer = Composer.create(Composer.default_get(list(Composer._fields)))
        composer.send_mail()
        message = self.env["mail.message"].search([
            ("model", "=", "stock.picking"), ("res_id", "=", self.delivery.id),
            ("message_type", "=", "comment")], order="id desc", limit=1)
        self.assertEqual(message.attachment_ids, attachments)
        self.assertEqual(message.partner_ids, self.customer)
        self.assertEqual(self._attachments(self.delivery), attachments)

    def test_refused(self):
        """A receipt, an undone delivery, a wrong id, a plain stock user, another company:
        each refused naming what is wrong, nothing attached."""
        pending = self.env["stock.picking"].create(self.env["stock.picking"]._prepare_transfer_vals(
            self.delivery_type, self.customer))
        before = self.env["ir.attachment"].search_count([])
        for picking, pattern in ((self.receipt, "not a done delivery"),
                                 (pending, "not a done delivery")):
            with self.assertRaisesRegex(UserError, pattern):
                picking.sudo(self.trace_user).action_attach_epcis()
        with self.assertRaisesRegex(UserError, "999999999"):
            self.env["stock.picking"].sudo(self.trace_user).browse(999999999).action_send_epcis()
        with self.assertRaisesRegex(UserError, "picking"):
            self.env["stock.lot.epcis"].sudo(self.trace_user).export_picking_attachment("x")
        plain = self._create_user("plain_stock", "stock.group_stock_user")
        with self.assertRaises(AccessError):
            self.delivery.sudo(plain).action_attach_epcis()
        other = self.env["res.company"].create({"name": "Other Foods Ltd"})
        outsider = self._create_user("outsider", "lot_traceability.lot_traceability_group_user")
        outsider.write({"company_ids": [(6, 0, other.ids)], "company_id": other.id})
        with self.assertRaises(AccessError):
            self.delivery.sudo(outsider).action_attach_epcis()
        with self.assertRaises(AccessError):
            self.env["stock.lot.epcis"].sudo(outsider).export_picking_attachment(
                self.delivery.id)
        self.assertEqual(self.env["ir.attachment"].search_count([]), before)
