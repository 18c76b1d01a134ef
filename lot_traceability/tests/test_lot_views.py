# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
from datetime import datetime, timedelta

from odoo import fields
from odoo.tools.safe_eval import safe_eval

from .common import TraceabilityCase


class TestLotViews(TraceabilityCase):
    """The lot as a line item: on hand from quants, received from, expiry filters."""

    @classmethod
    def setUpClass(cls):
        super(TestLotViews, cls).setUpClass()
        cls.product = cls._create_product("Honey", uom=cls.uom_kg)
        cls.Lot = cls.env["stock.production.lot"]

    def _days(self, days):
        return fields.Datetime.to_string(datetime.now() + timedelta(days=days))

    def test_on_hand_and_received_from(self):
        """On hand sums internal quants and is searchable; received from names the vendor."""
        full, empty, never = (self._create_lot(self.product, name) for name in
                              ("H-FULL", "H-EMPTY", "H-NEVER"))
        picking = self._receive(self.product, [(full, 7.0), (empty, 2.0)])
        self._receive(self.product, [(full, 3.0)], location=self._create_location("Shelf"))
        self._deliver(self.product, [(empty, 2.0)])
        self.assertEqual(full.qty_on_hand, 10.0)
        self.assertEqual(empty.qty_on_hand, 0.0)
        self.assertEqual(len(full.internal_quant_ids), 2)
        lots = self.Lot.search([("product_id", "=", self.product.id)])
        self.assertEqual(self.Lot.search([("id", "in", lots.ids), ("qty_on_hand", ">", 0)]), full)
        self.assertEqual(self.Lot.search([("id", "in", lots.ids), ("qty_on_hand", "=", 0)]),
                         empty | never)
        self.assertEqual(full.received_partner_id, self.supplier)
        self.assertEqual(full.received_qty, 10.0)
        self.assertEqual(full.received_date, picking.move_line_ids[0].date)
        self.assertFalse(never.received_partner_id)

    def test_stock_per_sku_from_quants(self):
        """Grouped by product, the quant pivot gives the SKU's stock summed over its lots."""
        self._receive(self.product, [("H-1", 4.0), ("H-2", 6.0)])
        action = self.env.ref("lot_traceability.stock_quant_lot_action")
        domain = safe_eval(action.domain) + [("product_id", "=", self.product.id)]
        groups = self.env["stock.quant"].read_group(
            domain, ["product_id", "quantity"], ["product_id"])
        self.assertEqual([group["quantity"] for group in groups], [10.0])

    def test_expiry_filters(self):
        """Expired and expiring-within filters of the Lots search view."""
        expired = self._create_lot(self.product, life_date=self._days(-1))
        soon = self._create_lot(self.product, life_date=self._days(5))
        later = self._create_lot(self.product, life_date=self._days(60))
        ids = (expired | soon | later).ids
        view = self.env.ref("lot_traceability.stock_production_lot_view_search")
        self.assertIn('name="expiring_90"', view.arch)
        now = fields.Datetime.now()
        self.assertEqual(self.Lot.search([("id", "in", ids), ("life_date", "<", now)]), expired)
        within_7 = [("id", "in", ids), ("life_date", ">=", now),
                    ("life_date", "<=", self._days(7))]
        self.assertEqual(self.Lot.search(within_7), soon)

    def test_every_view_extension_of_the_addon_is_applied(self):
        """The partner form shows both the carrier box and the GLN: two view records sharing
        one id leave only the last (the form lost its carrier box to the GLN field that way)."""
        arch = self.env["res.partner"].fields_view_get(view_type="form")["arch"]
        for name in ("is_carrier", "gln"):
            self.assertIn('name="%s"' % name, arch)

    def test_every_list_in_a_form_has_a_phone_layout(self):
        """On a phone Odoo 11 draws a one2many / many2many as a kanban unless told otherwise
        (``mode``); without a kanban view of its model that kanban shows each line's display
        name alone: "1", "2", "3" for lines without a name (the recall's Affected Lots and
        Stock on Hold were drawn so). Every such field of the addons' forms says how it is
        drawn, or its model has a kanban view."""
        from lxml import etree
        Data = self.env["ir.model.data"]
        modules = ("lot_traceability", "lot_traceability_hr")
        views = self.env["ir.ui.view"].browse(Data.search([
            ("module", "in", modules), ("model", "=", "ir.ui.view")]).mapped("res_id")).filtered(
                lambda view: view.type == "form")
        self.assertGreater(len(views), 20)
        kanban_models = set(self.env["ir.ui.view"].search(
            [("type", "=", "kanban")]).mapped("model"))
        undrawn, checked = [], []

        def walk(node, model):
            for child in node:
                if not isinstance(child.tag, str):
                    continue
                field = self.env[model]._fields.get(child.get("name")) \
                    if child.tag == "field" and model in self.env else None
                if field is None or field.type not in ("one2many", "many2many"):
                    walk(child, model)
                    continue
                subviews = {sub.tag for sub in child if isinstance(sub.tag, str)}
                drawn_as_list = child.get("widget") in (None, "one2many", "one2many_list",
                                                        "many2many")
                if drawn_as_list and child.get("invisible") != "1":
                    checked.append(field.name)
                    if not (child.get("mode") or "kanban" in subviews
                            or field.comodel_name in kanban_models):
                        undrawn.append("%s: %s.%s" % (view.xml_id, model, field.name))
                for sub in child:
                    if isinstance(sub.tag, str):
                        walk(sub, field.comodel_name)

        for view in views:
            walk(etree.fromstring(view.arch), view.model)
        self.assertIn("held_line_ids", checked)
        self.assertFalse(undrawn, "drawn on a phone by display name alone:\n%s"
                         % "\n".join(sorted(set(undrawn))))

    def test_epcis_export_dialog_downloads_as_a_file_field(self):
        """After Export the EPCIS Export dialog keeps its title and shows the document as a
        file to download (Odoo's file link, which leaves the dialog usable: a Download button
        opening a URL in the same window left its buttons disabled)."""
        lot = self._create_lot(self.product, "H-EPCIS")
        self._receive(self.product, [(lot, 2.0)])
        wizard = self.env["stock.lot.epcis.export"].sudo(self.trace_user).with_context(
            active_model="stock.production.lot", active_ids=lot.ids).create({})
        action = wizard.action_export()
        self.assertEqual((action["name"], action["res_id"], action["target"]),
                         ("EPCIS Export", wizard.id, "new"))
        attachment = wizard.attachment_id
        self.assertTrue(attachment)
        self.assertEqual(wizard.document, attachment.datas)
        self.assertEqual(wizard.document_name, attachment.datas_fname)
        self.assertIn(b'"epcisBody"', base64.b64decode(wizard.document))
        arch = self.env["stock.lot.epcis.export"].fields_view_get(view_type="form")["arch"]
        self.assertIn('filename="document_name"', arch)
        self.assertNotIn('name="action_download"', arch)
