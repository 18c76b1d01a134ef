#!/usr/bin/env bash
# serve.sh NAME PORT [foreground|background]: serve database NAME on PORT, wait until the login
# page answers. In the foreground it prints the URL and logins and runs until Ctrl-C or `make stop`.
# WORKERS=N (N > 0) runs Odoo multi-process: N HTTP workers and the long-polling (notification)
# server on PORT + 1000 (LONGPOLLING_PORT overrides). queue_job's runner (server_wide_modules in
# .run/odoo.conf) starts inside the server either way and runs the background jobs.
# DB_FILTER overrides Odoo's database filter (default ^NAME$, NAME only). The system tests serve
# a second company's database beside NAME with ^NAME(_%d)?$: a request whose Host header is
# supplier.localhost may use NAME_supplier (Odoo's %d is the host's first label), a request to
# 127.0.0.1 or localhost sees NAME alone, as before.
source "$(dirname "$0")/common.sh"
name="${1:?database}"; port="${2:?port}"; mode="${3:-foreground}"
pidfile="$RUN/odoo-$port.pid"
log="$RUN/odoo-$port.log"

if old="$(odoo_pid "$pidfile")"; then
    kill "$old"; sleep 1
fi
if command -v ss >/dev/null 2>&1 && ss -ltn "sport = :$port" | grep -q LISTEN; then
    die "port $port is in use by another program; choose another, e.g. make run PORT=8070"
fi
workers=()
if [ "${WORKERS:-0}" -gt 0 ]; then
    workers=(--workers="$WORKERS" --longpolling-port="${LONGPOLLING_PORT:-$((port + 1000))}")
fi
# Started directly (not through the odoo_cmd function) so that $! is Odoo's own pid.
"$PY" "$ROOT/scripts/odoo-bin" -c "$RUN/odoo.conf" -d "$name" --db-filter="${DB_FILTER:-^$name\$}" \
    --http-port="$port" --http-interface=127.0.0.1 "${workers[@]}" \
    --log-level=info --logfile="$log" --pidfile="$pidfile" --max-cron-threads=1 </dev/null >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 120); do
    if "$PY" - "$port" <<'PYEOF' 2>/dev/null; then break; fi
import sys, urllib.request
urllib.request.urlopen("http://127.0.0.1:%s/web/login" % sys.argv[1], timeout=5)
PYEOF
    kill -0 "$pid" 2>/dev/null || { tail -n 30 "$log" >&2; die "Odoo stopped while starting (log: $log)"; }
    sleep 0.5
done
if [ "$mode" = background ]; then
    echo "$pid"
    exit 0
fi
cat <<MSG

  lot_traceability is running: http://localhost:$port   (database $name, ${WORKERS:-0} workers;
    background jobs: queue_job's runner is on)
    Administrator:     admin / admin   (Traceability manager)
    Demo user:         demo  / demo    (Traceability user)
  Menus: Inventory > Traceability.  Server log: ${log#$ROOT/}
  Ctrl-C (or \`make stop\` from another terminal) stops it.

MSG
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; exit 0' INT TERM
wait "$pid"
