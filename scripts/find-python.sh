#!/usr/bin/env bash
# Prints the path of a Python 3.7 interpreter (Odoo 11 needs 3.7), or explains how to get one.
# Looks at, in order: $PYTHON37, python3.7 on PATH, pyenv's 3.7.x versions, `uv python find 3.7`.
set -euo pipefail
is37() { [ -n "$1" ] && "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 7))' >/dev/null 2>&1; }
candidates=()
[ -n "${PYTHON37:-}" ] && candidates+=("$PYTHON37")
command -v python3.7 >/dev/null 2>&1 && candidates+=("$(command -v python3.7)")
if command -v pyenv >/dev/null 2>&1; then
    root="$(pyenv root)"
    while read -r v; do
        candidates+=("$root/versions/$v/bin/python3.7")
    done < <(pyenv versions --bare 2>/dev/null | grep -E '^3\.7(\.[0-9]+)?$' | sort -t. -k3 -n -r)
fi
command -v uv >/dev/null 2>&1 && candidates+=("$(uv python find 3.7 2>/dev/null || true)")
for c in "${candidates[@]}"; do
    if is37 "$c"; then
        "$c" -c 'import sys; print(sys.executable)'
        exit 0
    fi
done
printf '%s\n' >&2 \
    "ERROR: Python 3.7 not found (Odoo 11 runs on Python 3.7 only)." \
    "Looked for: \$PYTHON37, python3.7 on PATH, pyenv versions 3.7.x, \`uv python find 3.7\`." \
    "Install one, then run the command again, e.g.:" \
    "    pyenv install 3.7.16          (https://github.com/pyenv/pyenv)" \
    "    uv python install 3.7         (https://docs.astral.sh/uv/)" \
    "or point PYTHON37 at an existing python3.7 binary."
exit 1
