#!/usr/bin/env bash
# `make run`: set up, make sure the demo database exists with the addon, serve it.
source "$(dirname "$0")/common.sh"
"$ROOT/scripts/setup.sh"
"$ROOT/scripts/db.sh" ensure "$DB" demo
# Bring the addon's code up to date in an existing database (fast when nothing changed).
odoo_cmd -d "$DB" -u lot_traceability --stop-after-init --log-level=warn >"$RUN/update-$DB.log" 2>&1 \
    || { tail -n 30 "$RUN/update-$DB.log" >&2; die "updating lot_traceability in $DB failed"; }
exec "$ROOT/scripts/serve.sh" "$DB" "$PORT" foreground
