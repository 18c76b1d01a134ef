#!/usr/bin/env bash
# `make lint`: flake8, isort and pylint-odoo (valid_odoo_versions=11.0) over the project's Python.
source "$(dirname "$0")/common.sh"
"$ROOT/scripts/setup.sh" >/dev/null
cd "$ROOT"
status=0
"$VENV/bin/flake8" lot_traceability tests bench scripts || status=1
"$VENV/bin/isort" --check-only --diff lot_traceability tests bench scripts || status=1
"$VENV/bin/pylint" --rcfile=.pylintrc lot_traceability || status=1
[ $status = 0 ] && say "lint: clean"
exit $status
