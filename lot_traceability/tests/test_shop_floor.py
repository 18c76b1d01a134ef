# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The shop-floor screens as an operator meets them: builds, Split Into Units, the menu."""
import json

from lxml import etree

from odoo.exceptions import UserError
from odoo.tools.safe_eval import safe_eval

from .common import TraceabilityCase, unique


class TestShopFloor(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        super(TestShopFloor, cls).setUpClass()
        cls.sauce = cls._create_product("Sauce", uom=cls.uom_kg)
        cls.batch = cls._create_lot(cls.sauce, unique("SAUCE"))
        cls._receive(cls.sauce, [(cls.batch, 10.0)])
        cls.user_env = cls.env(user=cls.trace_user.id)

    def _arch_field(self, model, field_name, view_type="form"):
        arch = self.user_env[model].fields_view_get(view_type=view_type)["arch"]
        return etree.fromstring(arch).xpath("//field[@name='%s']" % field_name)

    # --- builds --------------------------------------------------------------------------
    def test_build_title_new_until_saved(self):
        """A build not yet saved is titled New, not "/"; saving numbers it."""
        Assembly = self.user_env["stock.assembly"]
        self.assertEqual(Assembly.default_get(["name"])["name"], "New")
        build = Assembly.create({"product_id": self.sauce.id, "product_qty": 1.0,
                                 "name": "New"})
        self.assertTrue(build.name.startswith("BUILD/"), build.name)

    def test_builds_list_shows_done_builds(self):
        """The builds menu's default filter keeps done builds (newest first), so a first
        visit shows the past builds; only cancelled ones are left out."""
        action = self.env.ref("lot_traceability.stock_assembly_action")
        defaults = [key[len("search_default_"):] for key, value
                    in safe_eval(action.context).items()
                    if key.startswith("search_default_") and value]
        search = etree.fromstring(self.user_env["stock.assembly"].fields_view_get(
            view_type="search")["arch"])
        domain = []
        for name in defaults:
            domain += safe_eval(search.xpath("//filter[@name='%s']" % name)[0].get("domain"))
        build = self._create_assembly(self.sauce, qty=1.0)
        build.write({"state": "done"})
        cancelled = self._create_assembly(self.sauce, qty=1.0)
        cancelled.action_cancel()
        found = self.user_env["stock.assembly"].search(domain)
        self.assertIn(build, found)
        self.assertNotIn(cancelled, found)

    def test_line_without_quantity_to_use_is_blank(self):
        """Lines of a build made on the fly have no quantity to use: the cell is blank
        (after Done too), the Scanned column shows what was used."""
        line_tree = self.user_env["stock.assembly"].fields_view_get(
            view_type="form")["fields"]["line_ids"]["views"]["tree"]["arch"]
        node = etree.fromstring(line_tree).xpath("//field[@name='product_qty']")[0]
        self.assertEqual(json.loads(node.get("modifiers"))["invisible"],
                         [["product_qty", "=", 0]])

    def test_refused_scan_on_saved_build_keeps_the_form_message(self):
        """A refusal by JSON-RPC stays an error (nothing changed); the form's last message
        is the last accepted scan."""
        build = self._create_assembly(self.sauce, qty=1.0)
        with self.assertRaises(UserError):
            build.sudo(self.trace_user).action_scan("NO-SUCH-CODE-%s" % unique("X"))
        self.assertFalse(build.last_scan_refused)

    # --- Split Into Units ----------------------------------------------------------------
    def _split_wizard(self, **vals):
        return self.user_env["stock.lot.split"].with_context(
            active_model="stock.production.lot", active_id=self.batch.id).create(
            dict(vals, location_id=self.stock_location.id))

    def test_split_whole_batch_is_explicit(self):
        """Whole Batch (ticked by default) shows the quantity it will split; unticked, a
        quantity is needed, never 0 meaning all."""
        wizard = self._split_wizard(unit_count=4)
        self.assertTrue(wizard.split_all)
        self.assertEqual((wizard.planned_qty, wizard.consumed_qty), (10.0, 10.0))
        wizard.split_all = False
        self.assertIn("must be positive", wizard.problems)
        with self.assertRaises(UserError):
            wizard.action_apply()
        wizard.split_qty = 4.0
        self.assertEqual((wizard.planned_qty, wizard.consumed_qty, wizard.remainder_qty),
                         (4.0, 4.0, 6.0))
        scripted = self._split_wizard(unit_count=2, split_qty=2.0)
        self.assertFalse(scripted.split_all)
        self.assertEqual(scripted.planned_qty, 2.0)

    def test_split_from_the_menu(self):
        """From the menu, choosing the batch proposes what opening it from the lot does;
        unticking Whole Batch proposes the batch's quantity (as the client's onchanges)."""
        Split = self.user_env["stock.lot.split"]
        spec = Split._onchange_spec()
        values = {name: False for name in spec if "." not in name}
        values.update(Split.default_get(list(Split._fields)), lot_id=self.batch.id)
        changed = Split.onchange(values, "lot_id", spec)["value"]
        self.assertEqual(changed["unit_product_id"][0], self.sauce.id)
        self.assertEqual(changed["location_id"][0], self.stock_location.id)
        self.assertEqual(changed["name_prefix"], "%s-" % self.batch.name)
        values.update({name: value[0] if isinstance(value, tuple) else value
                       for name, value in changed.items()}, split_all=False)
        changed = Split.onchange(values, "split_all", spec)["value"]
        self.assertEqual(changed["split_qty"], 10.0)

    # --- full-page wizards, scan fields, the menu ----------------------------------------
    def test_full_page_wizards_have_no_save_discard(self):
        """Wizards opened as full pages show their own button only."""
        action = self.batch.action_split_into_units()
        self.assertEqual(action["flags"], {"default_buttons": False})
        move = self._create_incoming([(self._create_product(tracking="serial"), 2.0)]).move_lines
        self.assertFalse(move.action_serial_bulk_entry()["flags"]["default_buttons"])
        for xmlid in ("lot_traceability.stock_lot_split_action",
                      "lot_traceability.stock_serial_bulk_entry_action"):
            self.assertEqual(self.env.ref(xmlid).target, "inline", xmlid)

    def test_scan_fields_take_the_focus(self):
        """Scan and Receive Lots open with the cursor in their scan field."""
        for model, field_name in (("stock.lot.scanner", "code"), ("stock.lot.receive", "scan")):
            self.assertEqual(self._arch_field(model, field_name)[0].get("default_focus"), "1")

    def test_menu_grouped_by_use(self):
        """Inventory > Traceability lists daily work, then documents, reports and
        configuration."""
        root = self.env.ref("lot_traceability.lot_traceability_menu_root")
        menus = self.env["ir.ui.menu"].sudo(self.trace_manager).search(
            [("parent_id", "=", root.id)], order="sequence, id")
        names = [menu.name for menu in menus]
        expected = ["Scan", "Receive Lots", "Assembly Builds", "Split Into Units",
                    "Bulk Serial Entry", "Lots/Serial Numbers", "Assets", "Recalls",
                    "Stock per Lot", "Lot Attribute Values", "FSMA 204 Export",
                    "Composition Lists", "Lot Attributes"]
        self.assertEqual([name for name in names if name in expected], expected)
        groups = [menu.sequence // 10 for menu in menus if menu.name in expected]
        self.assertEqual(groups, sorted(groups))
