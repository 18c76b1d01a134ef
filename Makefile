# lot_traceability: thin targets over scripts/ (see README.md).
#   make run    set up everything and serve the demo database on http://localhost:8069
#   make test   set up everything and run every test (unit, system, browser)
PORT ?= 8069
DB ?= lot_demo
# WORKERS=4: Odoo multi-process (4 HTTP workers, long polling on PORT + 1000); 0: threaded.
WORKERS ?= 0
export PORT DB WORKERS

.PHONY: run test test-unit test-system test-clock bench lint stop clean screenshots reset-demo pot wheel check-wheel

run:
	@bash scripts/run.sh

test:
	@bash scripts/test.sh

test-unit:
	@bash scripts/test.sh unit

test-system:
	@bash scripts/test.sh system

# The unit suite with Odoo's and PostgreSQL's clocks at 00:30 and 23:30 UTC and at 00:30 in
# New York today (libfaketime; the defaults are scripts/test-clock.sh's); CLOCKS="01:10" picks
# others.
CLOCKS ?=
test-clock:
	@bash scripts/test-clock.sh $(CLOCKS)

bench:
	@bash scripts/bench.sh $(SCALE)

lint:
	@bash scripts/lint.sh

# Export the translatable terms to lot_traceability/i18n/lot_traceability.pot.
pot:
	@bash scripts/pot.sh

# One wheel per addon (setup/, setuptools-odoo) into dist/; check-wheel installs it into a fresh
# venv next to the Odoo wheels and the module into a new database from there.
wheel:
	@bash scripts/wheel.sh build

check-wheel:
	@bash scripts/wheel.sh check

stop:
	@bash scripts/stop.sh

# Drop the demo database and install it again (a newer demo story only loads at install).
reset-demo:
	@bash scripts/setup.sh && bash scripts/db.sh recreate $(DB) demo

clean: stop
	rm -rf .venv .node .pg .run .pytest_cache .hypothesis bench/out tests/artifacts dist

# Refresh the README's screenshots from the last browser test run (tests/artifacts/).
screenshots:
	@for f in traceability_menu receive_lots_wizard feature-labels-scan feature-labels-lot \
	    phone_scan phone_lot_page settings_label_domain \
	    serials_bulk_entry serials_assets serials_asset_details fsma_export_wizard \
	    assembly_scan assembly_done split_preview genealogy_lot_page genealogy_recall \
	    assets_checkout assets_serial_custody background_job_progress background_job_done; do \
	    [ -f tests/artifacts/$$f.png ] && cp tests/artifacts/$$f.png docs/ || true; done
