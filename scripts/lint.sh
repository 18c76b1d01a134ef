#!/usr/bin/env bash
# `make lint`: flake8, isort and pylint-odoo (valid_odoo_versions=11.0) over the project's Python,
# and the addons' licences against those of every addon they depend on (check_licenses.py).
source "$(dirname "$0")/common.sh"
"$ROOT/scripts/setup.sh" >/dev/null
cd "$ROOT"
status=0
"$VENV/bin/flake8" ${DEMO_ADDONS//,/ } tests bench scripts || status=1
"$VENV/bin/isort" --check-only --diff ${DEMO_ADDONS//,/ } tests bench scripts || status=1
"$VENV/bin/pylint" --rcfile=.pylintrc ${DEMO_ADDONS//,/ } || status=1
addons_path="$(sed -n 's/^addons_path = //p' "$RUN/odoo.conf")"
"$PY" scripts/check_licenses.py "$addons_path" ${DEMO_ADDONS//,/ } || status=1
[ $status = 0 ] && say "lint: clean"
exit $status
