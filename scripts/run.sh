#!/usr/bin/env bash
# `make run`: set up, make sure the demo database exists with the addon, serve it.
source "$(dirname "$0")/common.sh"
"$ROOT/scripts/setup.sh"
"$ROOT/scripts/db.sh" ensure "$DB" demo
# Bring the addon up to date in an existing database when its files changed since the last run.
stamp="$RUN/addon-$DB.sha"
current="$(cd "$ROOT" && find ${DEMO_ADDONS//,/ } -type f ! -name '*.pyc' -print0 | sort -z \
    | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$current" ]; then
    say "Updating $DEMO_ADDONS in $DB"
    odoo_cmd -d "$DB" -u "$DEMO_ADDONS" --stop-after-init --log-level=warn >"$RUN/update-$DB.log" 2>&1 \
        || { tail -n 30 "$RUN/update-$DB.log" >&2; die "updating $DEMO_ADDONS in $DB failed"; }
    echo "$current" > "$stamp"
fi
exec "$ROOT/scripts/serve.sh" "$DB" "$PORT" foreground
