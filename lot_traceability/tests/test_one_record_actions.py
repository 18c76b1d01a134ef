# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A public method that works on one record, called over JSON-RPC on none or several, is
refused with a UserError naming the method (Odoo's ``ensure_one`` raises a ValueError, an
internal error): one conversion in ``check_arguments``, checked here on every decorated
public method of the addon's models that takes no argument."""
import ast
import inspect
import os

from odoo.exceptions import AccessError, UserError, ValidationError

from .common import TraceabilityCase

REFUSALS = (UserError, AccessError, ValidationError)


def _public_methods(env):
    """(model name, method name) of the addon's public methods behind check_arguments
    that take no argument but the records."""
    for name in sorted(env.registry):
        model = env[name]
        for cls in type(model).__mro__:
            if not str(getattr(cls, "_module", "")).startswith("lot_traceability"):
                continue
            for attr, function in vars(cls).items():
                wrapped = inspect.isfunction(function) and getattr(function, "__wrapped__", None)
                if attr.startswith("_") or not wrapped:
                    continue
                params = list(inspect.signature(wrapped).parameters.values())[1:]
                if all(param.default is not param.empty or param.kind in (
                        param.VAR_POSITIONAL, param.VAR_KEYWORD) for param in params):
                    yield name, attr


class TestOneRecordActions(TraceabilityCase):

    def test_no_record_is_a_clear_refusal(self):
        found = sorted(set(_public_methods(self.env)))
        self.assertIn(("stock.lot.recall", "action_open"), found)
        for model, method in found:
            records = self.env[model].browse()
            try:
                with self.env.cr.savepoint():
                    getattr(records, method)()
            except REFUSALS:
                pass
            except ValueError as error:
                self.fail("%s.%s on no record: %s" % (model, method, error))
            finally:
                self.env.cache.invalidate()

    def test_two_records(self):
        product = self._create_product("Sauce")
        lots = self._create_lot(product) | self._create_lot(product)
        for method in ("action_open_page", "action_open_upstream", "action_split_into_units"):
            with self._assert_refused(UserError, "%s works on one" % method):
                getattr(lots.sudo(self.trace_user), method)()
        Recall = self.env["stock.lot.recall"].sudo(self.trace_manager)
        recalls = Recall.create({"lot_ids": [(6, 0, lots[:1].ids)], "reason": "one"}) | \
            Recall.create({"lot_ids": [(6, 0, lots[1:].ids)], "reason": "two"})
        with self._assert_refused(UserError, r"action_open works on one .* not on 2 \(ids: %d, "
                                             r"%d\)" % tuple(recalls.ids)):
            recalls.action_open()
        self.assertEqual(set(recalls.mapped("state")), {"draft"})

    def test_many_records_are_counted_not_listed(self):
        """Called on thousands of records, the refusal names ten and counts the others: a
        message of every id (or name) would be megabytes over JSON-RPC."""
        product = self._create_product("Sauce")
        lots = self.env["stock.production.lot"].sudo(self.trace_user).browse(
            [self._create_lot(product).id for _i in range(12)])
        with self.assertRaises(UserError) as caught:
            lots.action_open_page()
        message = str(caught.exception)
        self.assertIn(", ".join(str(i) for i in lots.ids[:10]) + " and 2 more", message)
        self.assertNotIn(str(lots.ids[10]), message)


class TestWindowActions(TraceabilityCase):

    def test_actions_are_made_by_one_method(self):
        """An action read from another (``env.ref(...).read()``) carries that one's
        ``display_name``, which Odoo 11's web client shows before ``name``: the addon makes
        its actions with ``_get_window_action``, which sets both, and reads none itself."""
        addons = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        found = []
        for path, tree in _addon_trees(addons):
            found += ["%s:%d" % (os.path.relpath(path, addons), node.lineno)
                      for node in ast.walk(tree) if isinstance(node, ast.Call)
                      and isinstance(node.func, ast.Attribute) and node.func.attr == "read"
                      and isinstance(node.func.value, ast.Call)
                      and getattr(node.func.value.func, "attr", None) == "ref"]
        self.assertEqual(found, ["lot_traceability/models/base.py:%d" % _line_of(
            addons, "lot_traceability/models/base.py", ".read()[0]")])
        action = self.env["base"]._get_window_action("stock.action_production_lot_form",
                                                     name="Used in X", domain=[])
        self.assertEqual((action["name"], action["display_name"]), ("Used in X", "Used in X"))
        untitled = self.env["base"]._get_window_action("stock.action_production_lot_form")
        self.assertEqual(untitled["display_name"], untitled["name"])

    def test_refusals_name_ten_records(self):
        """No refusal joins the names or ids of a recordset itself, which may hold
        thousands over JSON-RPC: they go through ``named_first`` (ten named, the others
        counted), checked here in the source of the three addons."""
        addons = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        found = []
        for path, tree in _addon_trees(addons):
            for node in ast.walk(tree):
                if not isinstance(node, ast.Raise):
                    continue
                for call in ast.walk(node):
                    if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) \
                            and call.func.attr == "join" and call.args:
                        joined = ast.dump(call.args[0])
                        if "attr='mapped'" in joined or "attr='ids'" in joined:
                            found.append("%s:%d" % (os.path.relpath(path, addons),
                                                    call.lineno))
        self.assertEqual(found, [])


def _addon_trees(addons):
    """``(path, AST)`` of every Python file of the three addons but their tests."""
    for addon in ("lot_traceability", "lot_traceability_hr", "lot_traceability_demo"):
        for folder, _dirs, files in os.walk(os.path.join(addons, addon)):
            if os.sep + "tests" in folder:
                continue
            for name in (name for name in files if name.endswith(".py")):
                path = os.path.join(folder, name)
                with open(path) as source:
                    yield path, ast.parse(source.read())


def _line_of(addons, path, text):
    with open(os.path.join(addons, path)) as source:
        return next(number for number, line in enumerate(source, 1) if text in line)
