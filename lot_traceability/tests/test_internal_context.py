# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The addon's internal context keys (tools/internal_context.py): its own code passes them
wrapped, a caller's plain value under the same key is ignored, and no module of the addon
reads such a key any other way. tests/test_lot_hold_browser.py and tests/test_jobs_live.py
send forged keys over JSON-RPC to the live server."""
import ast
import os

from odoo.tests.common import TransactionCase

from ..tools.internal_context import INTERNAL_KEYS, Internal, get_internal, internal_context

ADDONS = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CODE = ("lot_traceability", "lot_traceability_hr", "lot_traceability_demo")


def _context_reads(tree):
    """(line, key expression) of each ``<...>.context.get(key ...)`` and
    ``<...>.context[key]`` of a module."""
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "get" and isinstance(node.func.value, ast.Attribute)
                and node.func.value.attr == "context" and node.args):
            yield node.lineno, node.args[0]
        elif (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute)
              and node.value.attr == "context" and isinstance(node.slice, ast.Index)):
            yield node.lineno, node.slice.value


def _constants(tree):
    """Module-level ``NAME = "text"`` assignments."""
    return {target.id: node.value.s for node in tree.body if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Str) for target in node.targets
            if isinstance(target, ast.Name)}


class TestInternalContext(TransactionCase):

    def test_only_the_addons_own_values_are_read(self):
        context = dict(internal_context(lot_traceability_sync=True),
                       lot_bulk_done_line_ids=[1, 2, 3])
        self.assertIsInstance(context["lot_traceability_sync"], Internal)
        self.assertIs(get_internal(context, "lot_traceability_sync"), True)
        # what a caller sends over JSON-RPC or XML-RPC: plain values, ignored
        self.assertIsNone(get_internal(context, "lot_bulk_done_line_ids"))
        self.assertEqual(get_internal({}, "lot_transform_bulk", "default"), "default")
        with self.assertRaisesRegex(KeyError, "active_id"):
            internal_context(active_id=1)

    def test_no_module_reads_an_internal_key_from_the_plain_context(self):
        """Every key of INTERNAL_KEYS is read with get_internal: a ``context.get(key)`` or
        ``context[key]`` of one, written as text or as a module constant, would take a
        caller's value."""
        trees = {}
        for addon in CODE:
            for folder, _dirs, files in os.walk(os.path.join(ADDONS, addon)):
                if os.sep + "tests" in folder:
                    continue
                for name in files:
                    if name.endswith(".py"):
                        path = os.path.join(folder, name)
                        with open(path) as handle:
                            trees[path] = ast.parse(handle.read(), path)
        # a key's constant may be defined in one module and read in another
        constants = {}
        for tree in trees.values():
            constants.update(_constants(tree))
        found, plain = set(), []
        for path, tree in sorted(trees.items()):
            for line, key in _context_reads(tree):
                text = key.s if isinstance(key, ast.Str) else (
                    constants.get(key.id) if isinstance(key, ast.Name) else None)
                found.add(path)
                if text in INTERNAL_KEYS:
                    plain.append("%s:%d %s" % (os.path.relpath(path, ADDONS), line, text))
        self.assertTrue(found, "no context read found: the scan is broken")
        self.assertEqual(plain, [])

    def test_a_forged_progress_reporter_is_ignored(self):
        """A caller's plain value where the job puts its reporter: progress is not reported,
        and nothing fails."""
        Job = self.env["lot.traceability.job"].with_context(
            lot_traceability_progress="report me")
        self.assertIsNone(Job.report_progress(5))
