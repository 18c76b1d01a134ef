# lot_traceability: thin targets over scripts/ (see README.md).
#   make run    set up everything and serve the demo database on http://localhost:8069
#   make test   set up everything and run every test (unit, system, browser)
PORT ?= 8069
DB ?= lot_demo
export PORT DB

.PHONY: run test test-unit test-system bench lint stop clean

run:
	@bash scripts/run.sh

test:
	@bash scripts/test.sh

test-unit:
	@bash scripts/test.sh unit

test-system:
	@bash scripts/test.sh system

bench:
	@bash scripts/bench.sh $(SCALE)

lint:
	@bash scripts/lint.sh

stop:
	@bash scripts/stop.sh

clean: stop
	rm -rf .venv .node .pg .run .pytest_cache .hypothesis bench/out tests/artifacts
