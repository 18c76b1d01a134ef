#!/usr/bin/env bash
# Idempotent setup shared by `make run` and `make test`:
#   1. Debian packages (postgresql, wkhtmltopdf; for tests chromium + driver, libzbar0, poppler-utils,
#      faketime), installed when missing and root;
#   2. .venv from the pinned requirement files (re-made only when they change);
#   3. lessc for Odoo's stylesheets and the camera's barcode decoder (npm, into .node/; the
#      decoder's built file and licence are copied into the addon's static/lib/);
#   4. the private PostgreSQL cluster in .pg/ (unix socket only, no system service), started if stopped;
#   5. .run/odoo.conf.
source "$(dirname "$0")/common.sh"

system_packages() {
    local missing=() pkg
    pg_bin >/dev/null || missing+=(postgresql)
    command -v wkhtmltopdf >/dev/null 2>&1 || missing+=(wkhtmltopdf)
    if [ "${WITH_BROWSER:-0}" = 1 ]; then
        command -v chromium >/dev/null 2>&1 || missing+=(chromium)
        command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
        dpkg -s libzbar0 >/dev/null 2>&1 || missing+=(libzbar0)
        command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
    fi
    # The tests at a fake clock (make test-clock, and one clock in make test) use libfaketime.
    if [ "${WITH_BROWSER:-0}" = 1 ] || [ "${WITH_CLOCK:-0}" = 1 ]; then
        dpkg -s faketime >/dev/null 2>&1 || missing+=(faketime)
    fi
    for pkg in fonts-dejavu-core; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" != 0 ]; then
        die "missing Debian packages: ${missing[*]}. Install them with: sudo apt-get install ${missing[*]}"
    fi
    say "Installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
        || die "apt-get install ${missing[*]} failed"
}

pip_install() {  # pip install ARGS into .venv; any pip error stops the setup (with pip's message)
    local log
    log="$(mktemp)"
    if ! "$PY" -m pip install -q --disable-pip-version-check "$@" >"$log" 2>&1; then
        grep -v '^WARNING: Location' "$log" >&2
        rm -f "$log"
        die "pip install $* failed"
    fi
    rm -f "$log"
}

python_env() {
    local stamp="$VENV/.requirements.sha" want
    want="$(cat "$ROOT"/requirements*.txt | sha256sum | cut -d' ' -f1)"
    if [ -x "$PY" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
        return 0
    fi
    local python
    python="$("$ROOT/scripts/find-python.sh")"
    if [ -x "$PY" ]; then say "Updating .venv (requirement files changed)"
    else say "Creating .venv with $("$python" --version 2>&1)"; fi
    [ -x "$PY" ] || "$python" -m venv "$VENV"
    pip_install "pip<24" "setuptools<68" wheel
    pip_install -r "$ROOT/requirements.txt" -r "$ROOT/requirements-test.txt"
    pip_install --no-deps -r "$ROOT/requirements-odoo.txt"
    "$PY" -c 'import odoo, odoo.addons.stock, odoo.addons.report_xlsx, xlsxwriter, qrcode, pytest_odoo' \
        || die "the Python environment is incomplete (see the pip messages above)"
    echo "$want" > "$stamp"
}

less_compiler() {
    # Odoo 11 compiles its stylesheets with lessc; without it the web client has no CSS.
    [ -x "$ROOT/.node/node_modules/.bin/lessc" ] && return 0
    if ! command -v npm >/dev/null 2>&1; then
        [ "$(id -u)" = 0 ] || die "npm is missing (Odoo 11 needs lessc). Install it: sudo apt-get install npm"
        say "Installing Debian packages: nodejs npm"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null \
            || die "apt-get install nodejs npm failed"
    fi
    say "Installing lessc (less 3.13.1) into .node/"
    npm install --silent --no-audit --no-fund --prefix "$ROOT/.node" less@3.13.1 >/dev/null \
        || die "npm install less@3.13.1 failed"
}

ZXING_VERSION=0.23.0
ZXING_LIB="$ROOT/lot_traceability/static/lib/zxing"

camera_decoder() {
    # The Scan screen's camera decodes QR codes and GS1 DataMatrix with ZXing's JavaScript port
    # (@zxing/library, Apache-2.0), pinned; served from the addon with its licence.
    local pkg="$ROOT/.node/node_modules/@zxing/library"
    if [ "$(cat "$ZXING_LIB/VERSION" 2>/dev/null)" = "$ZXING_VERSION" ] \
        && [ -f "$ZXING_LIB/zxing.min.js" ]; then
        return 0
    fi
    if ! grep -qs "\"version\": \"$ZXING_VERSION\"" "$pkg/package.json"; then
        say "Installing the camera's barcode decoder (@zxing/library $ZXING_VERSION) into .node/"
        npm install --silent --no-audit --no-fund --prefix "$ROOT/.node" \
            "@zxing/library@$ZXING_VERSION" >/dev/null \
            || die "npm install @zxing/library@$ZXING_VERSION failed"
    fi
    mkdir -p "$ZXING_LIB"
    cp "$pkg/umd/index.min.js" "$ZXING_LIB/zxing.min.js"
    cp "$pkg/LICENSE" "$ZXING_LIB/LICENSE"
    echo "$ZXING_VERSION" > "$ZXING_LIB/VERSION"
}

postgres() {
    local bin
    bin="$(pg_bin)" || die "PostgreSQL server binaries not found (Debian package: postgresql)"
    mkdir -p "$PGROOT" "$PGSOCK"
    if [ "$(id -u)" = 0 ]; then
        # PostgreSQL refuses to run as root: the cluster belongs to the `postgres` system user.
        id postgres >/dev/null 2>&1 || useradd --system --home-dir "$PGROOT" postgres
        chown postgres "$PGROOT" "$PGSOCK"
        [ -d "$PGDATA" ] && chown -R postgres "$PGDATA"
        # The postgres user must be able to reach .pg/: give traverse (x, not read) permission
        # to any folder on the way that lacks it (e.g. a checkout under /root).
        local dir="$PGROOT"
        while [ "$dir" != / ]; do
            su postgres -s /bin/sh -c "test -x '$dir'" || { chmod o+x "$dir"; say "chmod o+x $dir (for the postgres user)"; }
            dir="$(dirname "$dir")"
        done
    fi
    if [ ! -f "$PGDATA/PG_VERSION" ]; then
        say "Creating the private PostgreSQL cluster in .pg/"
        pg_initdb "$bin" "$PGDATA" "$PGSOCK" 200
    fi
    if ! as_pg "$bin/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
        say "Starting PostgreSQL (socket in .pg/run)"
        as_pg "$bin/pg_ctl" -D "$PGDATA" -l "$PGROOT/postgresql.log" -w -t 60 start >/dev/null \
            || die "PostgreSQL did not start; see .pg/postgresql.log"
    fi
}

odoo_config() {
    mkdir -p "$RUN"
    local odoo_addons
    odoo_addons="$("$PY" -c 'import os, odoo.addons.base as b; print(os.path.dirname(os.path.dirname(b.__file__)))')"
    cat > "$RUN/odoo.conf" <<CONF
[options]
addons_path = $odoo_addons,$ROOT
db_host = $PGSOCK
db_port = $PGPORT
db_user = $PGUSER
db_password = False
admin_passwd = admin
data_dir = $RUN/filestore
list_db = True
without_demo = False
log_level = warn
server_wide_modules = base,web
limit_time_real = 1200
limit_time_cpu = 1200

CONF
}

system_packages
python_env
less_compiler
camera_decoder
postgres
odoo_config
