#!/usr/bin/env bash
# `make stop`: stop every Odoo server the scripts started, then the private PostgreSQL cluster.
source "$(dirname "$0")/common.sh"
for pidfile in "$RUN"/odoo-*.pid; do
    [ -f "$pidfile" ] || continue
    pid="$(odoo_pid "$pidfile")" && kill "$pid" && say "Stopped Odoo (${pidfile##*/})"
    rm -f "$pidfile"
done
if bin="$(pg_bin)" && [ -f "$PGDATA/PG_VERSION" ] && as_pg "$bin/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
    as_pg "$bin/pg_ctl" -D "$PGDATA" -m fast stop >/dev/null && say "Stopped PostgreSQL"
fi
exit 0
