# Shared settings for the scripts in this folder; sourced, never run.
# Everything the setup makes lives inside the project, in ignored folders:
#   .venv/  the Python 3.7 virtualenv     .pg/  the private PostgreSQL cluster     .run/  config, logs, pids
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
PGROOT="$ROOT/.pg"
PGDATA="$PGROOT/data"
PGSOCK="$PGROOT/run"
RUN="$ROOT/.run"
PORT="${PORT:-8069}"
DB="${DB:-lot_demo}"
TEST_DB="${TEST_DB:-lot_test}"
E2E_DB="${E2E_DB:-lot_e2e}"
# The system tests' second company (tests/test_epcis_two_companies.py): a copy of E2E_DB served
# by the same server to requests whose Host header is $SUPPLIER_HOST.localhost (scripts/serve.sh).
SUPPLIER_HOST=supplier
SUPPLIER_DB="${E2E_DB}_$SUPPLIER_HOST"
RUNNER_DB="${RUNNER_DB:-${TEST_DB}_odoo}"   # the unit tests under Odoo's own runner
MRP_DB="${MRP_DB:-lot_test_mrp}"   # the addon next to Manufacturing and valuation
# The addons of this repository: what a production database installs, and the demo story on top.
ADDONS="lot_traceability,lot_traceability_hr"
DEMO_ADDONS="lot_traceability,lot_traceability_hr,lot_traceability_demo"
MRP_ADDONS="lot_traceability,mrp,stock_account"
MRP_TESTS="lot_traceability/tests/test_with_mrp.py"
# The tests whose subject is a date ("today", days, periods, expiry, overdue, time zones): the
# ones `make test` runs again at a fake clock beside the system tests (make test-clock runs all).
CLOCK_TESTS=(lot_traceability/tests/test_stock_lot_tz.py lot_traceability/tests/test_stock_lot_fsma.py
    lot_traceability/tests/test_receive_lots.py lot_traceability/tests/test_low_stock.py
    lot_traceability/tests/test_stock_lot_recall.py lot_traceability/tests/test_stock_lot_recall_call_list.py
    lot_traceability/tests/test_stock_lot_recall_notice.py lot_traceability/tests/test_lot_trace.py
    lot_traceability/tests/test_lot_views.py lot_traceability/tests/test_stock_lot_page.py
    lot_traceability/tests/test_stock_lot_trace_xlsx.py lot_traceability/tests/test_stock_lot_epcis_export.py
    lot_traceability/tests/test_stock_lot_epcis_query.py lot_traceability/tests/test_input_checks.py
    lot_traceability/tests/test_tools_gs1.py lot_traceability/tests/test_tools_labels.py
    lot_traceability/tests/test_serial_bulk_entry.py lot_traceability_hr/tests/test_asset_custody.py)
E2E_PORT="${E2E_PORT:-8079}"
# The cluster listens on a unix socket only; the port number just names the socket file.
export PGHOST="$PGSOCK" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-odoo}"
# Debian's wkhtmltopdf is the unpatched-Qt build: it needs a platform that draws without a screen.
export QT_QPA_PLATFORM=offscreen
export PYTHONDONTWRITEBYTECODE=1
# Odoo 11 imports every addon on the first HTTP request before serving static files; the wheels
# carry addons whose dependencies they lack (website_crm...), the import fails and no static file
# (dialog templates, fonts) is ever served. Not preloading keeps the static files.
export ODOO_PRELOAD_ADDONS=no
export PATH="$ROOT/.node/node_modules/.bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

pg_bin() {
    local dir
    for dir in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
        [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
    done
    command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
    return 1
}

odoo_cmd() {  # odoo_cmd ARGS...: the Odoo 11 command line with the project's config
    "$PY" "$ROOT/scripts/odoo-bin" -c "$RUN/odoo.conf" "$@"
}

as_pg() {  # run a PostgreSQL server command as the cluster's owner (PostgreSQL refuses root)
    if [ "$(id -u)" = 0 ]; then
        su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
    else
        "$@"
    fi
}

pg_initdb() {  # pg_initdb BIN DATA SOCKET MAX_CONNECTIONS: a new private cluster for test and
    # demo data: unix socket only, trust, no durability (a crash loses nothing worth keeping)
    as_pg "$1/initdb" -D "$2" -U "$PGUSER" --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    cat >> "$2/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$3'
unix_socket_permissions = 0777
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 256MB
max_connections = $4
CONF
}

odoo_pid() {  # odoo_pid PIDFILE: print the pid if it is one of our Odoo servers still running
    local pid
    pid="$(cat "$1" 2>/dev/null)" || return 1
    [ -n "$pid" ] && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q "scripts/odoo-bin" \
        && echo "$pid"
}
