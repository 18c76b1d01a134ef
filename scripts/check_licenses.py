"""Licence check of this repository's addons against every addon they depend on.

An addon may only depend on addons whose licence lets it be combined under its own: an LGPL-3
module cannot depend on an AGPL-3 one (such as report_xlsx), an AGPL-3 one can depend on
LGPL-3, GPL-3 and AGPL-3 modules. Reads the manifests on Odoo's addons path (the installed Odoo
wheels, the OCA wheels, this checkout) and exits non-zero, naming each pair, when one does not
fit. Usage: check_licenses.py ADDONS_PATH ADDON [ADDON ...]
"""
import ast
import os
import sys

# licence -> the licences of the modules it may depend on
COMPATIBLE = {
    "LGPL-3": {"LGPL-3", "MIT", "BSD-2-Clause", "BSD-3-Clause", "Apache-2.0"},
    "GPL-3": {"LGPL-3", "GPL-3", "GPL-3 or any later version", "GPL-2 or any later version",
              "MIT", "BSD-2-Clause", "BSD-3-Clause", "Apache-2.0"},
    "AGPL-3": {"LGPL-3", "GPL-3", "GPL-3 or any later version", "GPL-2 or any later version",
               "AGPL-3", "MIT", "BSD-2-Clause", "BSD-3-Clause", "Apache-2.0"},
}
COMPATIBLE["GPL-3 or any later version"] = COMPATIBLE["GPL-3"]
DEFAULT_LICENCE = "LGPL-3"  # Odoo's default when a manifest names none


def read_manifest(addons_path, name):
    for folder in addons_path:
        path = os.path.join(folder, name, "__manifest__.py")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as manifest:
                return ast.literal_eval(manifest.read())
    raise SystemExit("addon %s is not on the addons path" % name)


def dependencies(addons_path, name, seen=None):
    seen = set() if seen is None else seen
    for dep in read_manifest(addons_path, name).get("depends", []):
        if dep not in seen:
            seen.add(dep)
            dependencies(addons_path, dep, seen)
    return seen


def check(addons_path, addon):
    """The conflicts of ``addon`` with its dependencies, as sentences."""
    licence = read_manifest(addons_path, addon).get("license", DEFAULT_LICENCE)
    allowed = COMPATIBLE.get(licence)
    if allowed is None:
        return ["%s: unknown licence %r" % (addon, licence)]
    problems = []
    for dep in sorted(dependencies(addons_path, addon)):
        dep_licence = read_manifest(addons_path, dep).get("license", DEFAULT_LICENCE)
        if dep_licence not in allowed:
            problems.append("%s (%s) depends on %s (%s)" % (addon, licence, dep, dep_licence))
    if not problems:
        print("licences: %s (%s) fits every dependency" % (addon, licence))
    return problems


def main(argv):
    addons_path = argv[1].split(",")
    problems = [problem for addon in argv[2:] for problem in check(addons_path, addon)]
    for problem in problems:
        print("licence conflict: " + problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
