#!/usr/bin/env bash
# `make bench [SCALE=...]`: run every benchmark in bench/ on generated data in its own database
# (never on lot_demo, never in CI). Each prints `BENCH <name> key=value ...` lines comparing our
# time with Odoo's native way of doing the same thing in the same run.
source "$(dirname "$0")/common.sh"
"$ROOT/scripts/setup.sh"
BENCH_DB="${BENCH_DB:-lot_bench}"
status=0
for bench in "$ROOT"/bench/bench_*.py; do
    [ -f "$bench" ] || continue
    say "$(basename "$bench") on a fresh $BENCH_DB"
    "$ROOT/scripts/db.sh" recreate "$BENCH_DB" nodemo
    # the wide recall is timed on committed, vacuumed data, as a real database holds it (the
    # database is a fresh throwaway one)
    extra=(); [ "$(basename "$bench")" = bench_recall.py ] && extra=(--committed)
    (cd "$ROOT" && env -u PORT -u USER -u HOST -u PASSWORD "$PY" "$bench" \
        --config "$RUN/odoo.conf" --db "$BENCH_DB" ${1:+--scale "$1"} "${extra[@]}") || status=1
done
exit $status
