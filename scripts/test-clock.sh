#!/usr/bin/env bash
# `make test-clock`: the unit suite with the clocks of Odoo AND PostgreSQL set to given times
# of the current UTC day (default 00:30 and 23:30 UTC, and 00:30 in New York), to prove it
# passes at any hour.
#   scripts/test-clock.sh [HH:MM ...] [-- pytest args...]    (CLOCK_REUSE=1: see below)
# Odoo runs under libfaketime (Debian package faketime). PostgreSQL's now() comes from its
# server process, so a second, private and temporary cluster (.run/pg-clock/, unix socket
# only) runs under the same fake clock; the shared cluster in .pg/ is never touched. Both
# get the same offset from the real clock (not a frozen time), so time still runs and the
# two agree to the microsecond. The database is installed once, at the first clock.
source "$(dirname "$0")/common.sh"
clocks=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do clocks+=("$1"); shift; done
[ "${1:-}" = -- ] && shift
# 00:30 in New York: still the day before in Chicago (a warehouse's day is not the company's)
[ ${#clocks[@]} -gt 0 ] || clocks=(00:30 23:30 "$(date -u -d 'TZ="America/New_York" 00:30' +%H:%M)")
# scripts/test.sh ran the setup already (and may be serving from its config right now).
[ "${LT_SETUP_DONE:-0}" = 1 ] || WITH_CLOCK=1 "$ROOT/scripts/setup.sh"

FAKETIME_LIB="$(ls /usr/lib/*/faketime/libfaketime.so.1 /usr/lib/faketime/libfaketime.so.1 \
    2>/dev/null | head -n 1)" || true
[ -n "$FAKETIME_LIB" ] || die "libfaketime is missing (Debian package faketime; scripts/setup.sh installs it for tests when run as root)"
CLOCK_ROOT="$RUN/pg-clock"
CLOCK_DATA="$CLOCK_ROOT/data"
CLOCK_SOCK="$CLOCK_ROOT/run"
CLOCK_CONF="$RUN/odoo-clock.conf"
CLOCK_DB="${CLOCK_DB:-${TEST_DB}_clock}"
BIN="$(pg_bin)" || die "PostgreSQL server binaries not found"
mkdir -p "$RUN/results"
rm -f "$RUN"/results/clock-*.xml

fake_env() {  # fake_env HH:MM: the env prefix that runs a command at HH:MM UTC today, running on
    local target offset
    target="$(date -u -d "$(date -u +%F) $1:00" +%s)" || die "not a clock time: $1"
    offset=$((target - $(date -u +%s)))
    printf '%s\n' env LD_PRELOAD="$FAKETIME_LIB" FAKETIME="$(printf '%+d' "$offset")"
}

cluster_stop() {
    [ -f "$CLOCK_DATA/postmaster.pid" ] && as_pg "$BIN/pg_ctl" -D "$CLOCK_DATA" -m fast -w stop >/dev/null 2>&1
    return 0
}

cluster_start() {  # cluster_start HH:MM: (re)start the private cluster at that clock
    local fake
    mapfile -t fake < <(fake_env "$1")
    cluster_stop
    as_pg "${fake[@]}" "$BIN/pg_ctl" -D "$CLOCK_DATA" -l "$CLOCK_ROOT/postgresql.log" -w -t 60 \
        start >/dev/null || die "the fake-clock PostgreSQL did not start; see $CLOCK_ROOT/postgresql.log"
}

cluster_init() {
    cluster_stop
    rm -rf "$CLOCK_ROOT"
    mkdir -p "$CLOCK_DATA" "$CLOCK_SOCK"
    [ "$(id -u)" = 0 ] && chown -R postgres "$CLOCK_ROOT"
    pg_initdb "$BIN" "$CLOCK_DATA" "$CLOCK_SOCK" 50
    sed "s|^db_host = .*|db_host = $CLOCK_SOCK|" "$RUN/odoo.conf" > "$CLOCK_CONF"
}

install_db() {  # install_db HH:MM: the addon without demo data into CLOCK_DB, at that clock
    local fake log="$RUN/install-$CLOCK_DB.log" start=$SECONDS
    mapfile -t fake < <(fake_env "$1")
    say "Creating database $CLOCK_DB at $1 UTC (fake-clock cluster)"
    "${fake[@]}" "$PY" "$ROOT/scripts/odoo-bin" -c "$CLOCK_CONF" -d "$CLOCK_DB" -i "$ADDONS" \
        --without-demo=all --stop-after-init --log-level=warn > "$log" 2>&1 \
        || { tail -n 40 "$log" >&2; die "installing into $CLOCK_DB failed (log: $log)"; }
    if grep -E " (ERROR|CRITICAL) " "$log" | grep -v "Unmet dependencies" >&2; then
        die "installing into $CLOCK_DB logged errors (log: $log)"
    fi
    PGHOST="$CLOCK_SOCK" psql -d "$CLOCK_DB" -qc "ALTER DATABASE $CLOCK_DB SET lock_timeout = '120s'"
    say "Database $CLOCK_DB ready in $((SECONDS - start)) s"
}

run_suite() {  # run_suite HH:MM PYTEST_ARGS...: the unit suite at that clock
    local clock="$1" fake start=$SECONDS rc=0; shift
    mapfile -t fake < <(fake_env "$clock")
    say "Unit tests (lot_traceability/tests) at $clock UTC ($(date -u +%F)), Odoo and PostgreSQL"
    (cd "$ROOT" && env -u HOST -u PORT -u USER -u PASSWORD PGHOST="$CLOCK_SOCK" "${fake[@]}" \
        "$PY" -m pytest -p no:cacheprovider --odoo-config "$CLOCK_CONF" \
        --odoo-database "$CLOCK_DB" --junitxml "$RUN/results/clock-${clock/:/}.xml" \
        "$@") || rc=1
    say "Unit tests at $clock UTC took $((SECONDS - start)) s"
    return $rc
}

trap cluster_stop EXIT
args=("$@")
has_path=0
for a in "${args[@]}"; do [ -e "$ROOT/${a%%::*}" ] && has_path=1; done
[ $has_path = 1 ] || args=(lot_traceability/tests --ignore="$MRP_TESTS" "${args[@]}")
status=0
# CLOCK_REUSE=1 keeps the fake-clock cluster and database of the previous run (quicker while
# fixing tests; after changes to fields or views, run without it).
reuse=0
[ "${CLOCK_REUSE:-0}" = 1 ] && [ -f "$CLOCK_DATA/PG_VERSION" ] && [ -f "$CLOCK_CONF" ] && reuse=1
[ $reuse = 1 ] || cluster_init
for index in "${!clocks[@]}"; do
    cluster_start "${clocks[$index]}"
    [ "$index" = 0 ] && [ $reuse = 0 ] && install_db "${clocks[$index]}"
    run_suite "${clocks[$index]}" "${args[@]}" || status=1
done
[ "${CLOCK_SUM:-1}" = 1 ] && { "$PY" "$ROOT/scripts/sum_results.py" "$RUN"/results/clock-*.xml || status=1; }
exit $status
