#!/usr/bin/env bash
# `make pot`: export the addon's translatable terms to lot_traceability/i18n/lot_traceability.pot
# from a scratch database with the addon installed (Odoo 11 exports templates as .po).
source "$(dirname "$0")/common.sh"
"$ROOT/scripts/setup.sh" >/dev/null
db="${POT_DB:-lot_pot}"
"$ROOT/scripts/db.sh" recreate "$db" nodemo
tmp="$(mktemp -d)"
odoo_cmd -d "$db" --i18n-export="$tmp/lot_traceability.po" --modules=lot_traceability \
    --stop-after-init --log-level=warn >/dev/null 2>&1 || die "the export failed"
# A template carries no dates of its own making: keep diffs to real term changes.
grep -v '^"\(POT-Creation\|PO-Revision\)-Date: ' "$tmp/lot_traceability.po" \
    > "$ROOT/lot_traceability/i18n/lot_traceability.pot"
rm -rf "$tmp"
dropdb --if-exists "$db" && rm -rf "$RUN/filestore/filestore/$db"
say "lot_traceability/i18n/lot_traceability.pot: $(grep -c '^msgid ' "$ROOT/lot_traceability/i18n/lot_traceability.pot") terms"
