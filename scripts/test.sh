#!/usr/bin/env bash
# `make test`: set up, then run every test and sum them up on the last line.
#   unit:   re-create the test database (addon without demo data, no Odoo module tests at
#           install), run lot_traceability/tests with pytest-odoo; then, on a second database
#           with mrp and stock_account installed too, the tests of the addon next to them;
#   odoo:   (full runs only) the same unit tests under Odoo's own runner, on a database of its
#           own, alongside the above (scripts/odoo-runner.sh);
#   system: re-create the end-to-end database (with demo data) and copy it for a second
#           company (SUPPLIER_DB), serve both, run tests/ (setup smoke, JSON-RPC, headless
#           Chromium) against that live server;
#   clock:  the date tests (CLOCK_TESTS) again with Odoo's and PostgreSQL's clocks at 00:30 UTC
#           (scripts/test-clock.sh: the hour where the UTC day and America's differ).
# `scripts/test.sh unit|system|clock [pytest args...]` runs one part only.
source "$(dirname "$0")/common.sh"
part="${1:-all}"; [ $# -gt 0 ] && shift
WITH_BROWSER=1 "$ROOT/scripts/setup.sh"
mkdir -p "$RUN/results"
rm -f "$RUN"/results/*.xml
status=0
# Paths among the arguments replace the default test folders; other arguments go to pytest.
has_path() { local a; for a in "$@"; do [ -e "$ROOT/${a%%::*}" ] && return 0; done; return 1; }
# The tests of the addon next to mrp run on their own database (MRP_DB), not on TEST_DB.
unit_paths=(lot_traceability/tests lot_traceability_hr/tests --ignore="$MRP_TESTS"); system_paths=(tests); mrp_paths=("$MRP_TESTS")
run_mrp=1; run_unit=1; run_odoo=1
if has_path "$@"; then
    unit_paths=(); system_paths=(); mrp_paths=(); run_mrp=0; run_unit=0; run_odoo=0
    for a in "$@"; do
        [ -e "$ROOT/${a%%::*}" ] || continue
        if [[ "$a" == "$MRP_TESTS"* ]]; then run_mrp=1
        elif [[ "$a" != tests/* ]]; then run_unit=1; fi
    done
fi
{ [ "$part" = system ] || [ "$part" = clock ]; } && { run_mrp=0; run_unit=0; run_odoo=0; }
[ "$part" = unit ] && run_odoo=0
run_system=0; { [ "$part" = all ] || [ "$part" = system ]; } && run_system=1

# The databases are made at once: installing is mostly single-core work. The unit tests start
# as soon as theirs are ready; the end-to-end database (with demo data, the longest to make)
# goes on being made beside them and is waited for by the system tests only.
pids=(); e2e_pid=""
[ $run_unit = 1 ] && { "$ROOT/scripts/db.sh" recreate "$TEST_DB" nodemo & pids+=($!); }
[ $run_mrp = 1 ] && { DB_ADDONS="$MRP_ADDONS" "$ROOT/scripts/db.sh" recreate "$MRP_DB" nodemo & pids+=($!); }
[ $run_system = 1 ] && { "$ROOT/scripts/db.sh" recreate "$E2E_DB" demo & e2e_pid=$!; }
for pid in "${pids[@]}"; do wait "$pid" || die "could not create the test databases"; done

# unit_tests DB RESULT_NAME PYTEST_ARGS...: pytest-odoo on DB.
unit_tests() {
    local db="$1" result="$2"; shift 2
    # A test class whose setUpClass fails keeps its cursor (and its locks) open; later tests
    # that need the same rows would wait forever. Turn such waits into errors.
    psql -d "$db" -qc "ALTER DATABASE $db SET lock_timeout = '120s'"
    # pytest-odoo turns HOST, PORT, USER and PASSWORD from the environment into database options
    # (a convention of Odoo's Docker image): keep ours and the shell's out of its way.
    (cd "$ROOT" && env -u HOST -u PORT -u USER -u PASSWORD "$PY" -m pytest -p no:cacheprovider \
        --odoo-config "$RUN/odoo.conf" --odoo-database "$db" --junitxml "$RUN/results/$result.xml" "$@")
}

odoo_runner=""
if [ $run_odoo = 1 ]; then
    "$ROOT/scripts/odoo-runner.sh" "$RUNNER_DB" & odoo_runner=$!
fi

if [ $run_unit = 1 ]; then
    say "Unit tests (lot_traceability/tests) on $TEST_DB"
    unit_tests "$TEST_DB" unit "${unit_paths[@]}" "$@" || status=1
fi

if [ $run_mrp = 1 ]; then
    say "Unit tests next to mrp and stock_account ($MRP_TESTS) on $MRP_DB"
    unit_tests "$MRP_DB" unit-mrp "${mrp_paths[@]}" "$@" || status=1
fi

# The unit suite at a fake clock runs on its own cluster and database, so it can run beside the
# system tests (which mostly wait on a browser and a server): its output goes to a log, shown
# when it ends. make test-clock runs all its clocks; one is enough for every CI run.
clock=""
if [ "$part" = all ] || [ "$part" = clock ]; then
    [ "$part" = all ] && clock_args=("${CLOCK_TESTS[@]}") || clock_args=("$@")
    clock_log="$RUN/test-clock.log"
    if [ "$part" = all ] && [ $run_system = 1 ]; then
        LT_SETUP_DONE=1 CLOCK_SUM=0 "$ROOT/scripts/test-clock.sh" "${CI_CLOCK:-00:30}" -- \
            "${clock_args[@]}" >"$clock_log" 2>&1 & clock=$!
        say "Unit tests at ${CI_CLOCK:-00:30} UTC started beside the system tests (log: ${clock_log#$ROOT/})"
    else
        LT_SETUP_DONE=1 CLOCK_SUM=0 "$ROOT/scripts/test-clock.sh" "${CI_CLOCK:-00:30}" -- \
            "${clock_args[@]}" || status=1
    fi
fi

if [ $run_system = 1 ]; then
    wait "$e2e_pid" || die "could not create the end-to-end database $E2E_DB"
    # The second company of the system tests: a copy of the fresh end-to-end database
    # (seconds); the test gives it its own company data over JSON-RPC.
    "$ROOT/scripts/db.sh" copy "$E2E_DB" "$SUPPLIER_DB"
    say "System tests (tests/) against a live server on $E2E_DB, port $E2E_PORT"
    server="$(DB_FILTER="^$E2E_DB(_%d)?\$" "$ROOT/scripts/serve.sh" "$E2E_DB" "$E2E_PORT" background)"
    (cd "$ROOT" && LT_URL="http://127.0.0.1:$E2E_PORT" LT_DB="$E2E_DB" LT_ODOO_CONF="$RUN/odoo.conf" \
        LT_SUPPLIER_DB="$SUPPLIER_DB" LT_SUPPLIER_HOST="$SUPPLIER_HOST.localhost:$E2E_PORT" \
        "$PY" -m pytest -p no:cacheprovider -p no:odoo --junitxml "$RUN/results/system.xml" "${system_paths[@]}" "$@") \
        || status=1
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
fi

if [ -n "$odoo_runner" ]; then wait "$odoo_runner" || status=1; fi

if [ -n "$clock" ]; then
    wait "$clock" || status=1
    cat "$clock_log"
fi

"$PY" "$ROOT/scripts/sum_results.py" "$RUN"/results/*.xml || status=1
exit $status
