# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""tools/ is pure Python: it must not import odoo, so it runs and is fuzzed without a database."""
import ast
import os

TOOLS = os.path.join(os.path.dirname(os.path.dirname(__file__)), "tools")


def _imported_modules(path):
    with open(path) as source:
        tree = ast.parse(source.read(), path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            yield "." * node.level + (node.module or "")


def test_tools_import_no_odoo():
    files = [name for name in os.listdir(TOOLS) if name.endswith(".py")]
    assert "gs1.py" in files and "serials.py" in files
    for name in files:
        modules = list(_imported_modules(os.path.join(TOOLS, name)))
        bad = [m for m in modules if m.split(".")[0] == "odoo" or m.startswith("..")]
        assert not bad, "%s imports %s" % (name, bad)
