#!/usr/bin/env bash
# odoo-runner.sh DB: the addon's tests under Odoo's own runner, as integrators and OCA's CI run
# them (`odoo-bin -i lot_traceability --test-enable`). Odoo 11 runs Python tests only while
# installing a module with demo data, and those of every module it installs in that run: so DB
# is re-created with demo data (Odoo's own; the addon's tests never read demo data) and the
# addon's dependencies first, then the addon alone with --test-enable. Prints one line with
# the count; exits non-zero on any failure or error.
source "$(dirname "$0")/common.sh"
name="${1:?database}"
log="$RUN/odoo-runner-$name.log"
psql -d postgres -qc "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$name'" >/dev/null
dropdb --if-exists "$name"
rm -rf "$RUN/filestore/filestore/$name"
start=$SECONDS
depends="$("$PY" -c 'import ast, sys
print(",".join(ast.literal_eval(open(sys.argv[1]).read())["depends"]))' "$ROOT/lot_traceability/__manifest__.py")"
odoo_cmd -d "$name" -i "$depends" --stop-after-init --log-level=warn >"$log" 2>&1 \
    || { tail -n 30 "$log" >&2; die "installing $depends into $name failed"; }
odoo_cmd -d "$name" -i "$ADDONS" --test-enable --stop-after-init --log-level=info >"$log" 2>&1 || true
ran="$(grep -oE 'Ran [0-9]+ tests?' "$log" | awk '{n += $2} END {print n + 0}')"
bad="$(grep -cE ' (ERROR|CRITICAL) .*(FAIL|ERROR): |Module [a-z_]+: [0-9]+ failures' "$log" || true)"
dropdb --if-exists "$name"
if [ "$ran" = 0 ] || [ "$bad" != 0 ]; then
    grep -E ' (ERROR|CRITICAL) ' "$log" | head -n 40 >&2
    die "Odoo's own test runner: $ran tests ran, $bad failure lines (log: ${log#$ROOT/})"
fi
say "Odoo's own test runner: $ran tests passed at install of $ADDONS in $((SECONDS - start)) s"
