# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import importlib
import os
import re

from odoo.exceptions import AccessError

from .common import TraceabilityCase


class TestInstall(TraceabilityCase):
    """The addon's groups, menus and factories, as a user meets them."""

    def test_user_group_implies_stock_user_and_lots(self):
        """A Traceability user can work in Inventory and sees lots (Odoo hides them otherwise)."""
        self.assertTrue(self.trace_user.has_group("stock.group_stock_user"))
        self.assertTrue(self.trace_user.has_group("stock.group_production_lot"))
        user_group = "lot_traceability.lot_traceability_group_user"
        manager_group = "lot_traceability.lot_traceability_group_manager"
        self.assertFalse(self.trace_user.has_group(manager_group))
        self.assertTrue(self.trace_manager.has_group(user_group))

    def test_stock_manager_is_traceability_manager(self):
        manager = self._create_user("stock_manager", "stock.group_stock_manager")
        self.assertTrue(manager.has_group("lot_traceability.lot_traceability_group_manager"))

    def test_menu_visible_to_traceability_users_only(self):
        """Inventory > Traceability shows for a Traceability user, not for a plain employee."""
        root = self.env.ref("lot_traceability.lot_traceability_menu_root")
        self.assertEqual(root.parent_id, self.env.ref("stock.menu_stock_root"))
        menus = self.env["ir.ui.menu"]
        self.assertIn(root.id, menus.sudo(self.trace_user)._visible_menu_ids())
        employee = self._create_user("employee")
        self.assertNotIn(root.id, menus.sudo(employee)._visible_menu_ids())

    def test_menu_actions_open_for_a_user(self):
        """Every action under the Traceability menu loads its views for a Traceability user."""
        menus = self.env["ir.ui.menu"].sudo(self.trace_user).search(
            [("id", "child_of", self.env.ref("lot_traceability.lot_traceability_menu_root").id),
             ("action", "!=", False)])
        self.assertTrue(menus)
        for menu in menus:
            action = menu.action
            self.assertEqual(action._name, "ir.actions.act_window", menu.complete_name)
            model = self.env[action.res_model].sudo(self.trace_user)
            for view_type in action.view_mode.split(","):
                model.fields_view_get(view_type=view_type)
            model.search([], limit=1)

    def test_receive_and_deliver_factories(self):
        """The factories move real stock: a receipt puts lots on hand, a delivery takes them."""
        product = self._create_product(tracking="lot", uom=self.uom_kg)
        picking = self._receive(product, [("A1", 10.0), ("A2", 5.0)])
        self.assertEqual(picking.state, "done")
        lots = picking.move_line_ids.mapped("lot_id")
        self.assertEqual(sorted(lots.mapped("product_qty")), [5.0, 10.0])
        lot = lots.filtered(lambda l: l.product_qty == 10.0)
        self._deliver(product, [(lot, 4.0)])
        self.assertEqual(self._on_hand(product, lot), 6.0)

    def test_plain_employee_cannot_create_lots(self):
        employee = self._create_user("employee")
        product = self._create_product()
        with self.assertRaises(AccessError):
            self.env["stock.production.lot"].sudo(employee).create(
                {"name": "X", "product_id": product.id})

    def test_odoo_runner_imports_every_test_case_module(self):
        """`odoo-bin --test-enable` runs only the test modules tests/__init__.py imports: a new
        module with an Odoo test case that is not imported there would silently not run."""
        package = importlib.import_module(__package__)
        folder = os.path.dirname(package.__file__)
        for name in sorted(os.listdir(folder)):
            if not (name.startswith("test_") and name.endswith(".py")):
                continue
            with open(os.path.join(folder, name), encoding="utf-8") as source:
                has_case = re.search(r"^class \w+\((\w+\.)*\w*(Case|Traceability\w*)\)",
                                     source.read(), re.M)
            if has_case:
                self.assertTrue(hasattr(package, name[:-3]),
                                "%s is not imported in tests/__init__.py" % name)
