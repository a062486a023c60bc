# Städtenetz – `make run` serves the app with demo data, `make test` runs every test on SQLite and PostgreSQL.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PORT ?= 5000
PG_ADMIN_URL ?= postgresql://postgres@127.0.0.1:5432/postgres

.PHONY: run setup venv test-deps assets translations db test test-sqlite test-postgres screenshots bench bench-search bench-crash clean extract-messages

$(BIN)/python:
	$(PY) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e ".[test]"
	touch $@

venv: $(VENV)/.installed
test-deps: $(VENV)/.installed-test assets translations
	bash scripts/ensure-test-packages.sh

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

assets: node_modules/.package-lock.json
	bash scripts/copy-assets.sh

translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d network/translations -f

setup: venv assets translations

db: setup
	$(FLASK) db upgrade
	$(FLASK) network ozg-import
	$(FLASK) network seed-demo --if-empty

# both processes get the address the app runs on (links in the scheduler's mails), unless the user set one
run: export STAEDTENETZ_PUBLIC_URL ?= http://127.0.0.1:$(PORT)
run: db
	@echo "Städtenetz läuft auf http://127.0.0.1:$(PORT) – Demo-Konten siehe README (Passwort Demo-Passwort-2026)."
	@trap 'kill 0' INT TERM EXIT; \
	$(FLASK) network scheduler & \
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

# both databases at once (two processes, each with its own throwaway databases and live servers);
# --output-sync prints each run's output in one piece when it ends
test: test-deps
	bash scripts/ensure-postgres.sh
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

# each pass runs in TEST_WORKERS processes (pytest-xdist); the live app and browser tests stay together in one
# of them (xdist group "live", tests/conftest.py); TEST_WORKERS=0 runs a pass in one process
TEST_WORKERS ?= 2
XDIST = $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadgroup)

test-sqlite:
	@echo "=== Tests auf SQLite ==="
	STAEDTENETZ_TEST_DB=sqlite $(BIN)/pytest $(XDIST) --durations=15 $(PYTEST_ARGS)

test-postgres:
	@echo "=== Tests auf PostgreSQL ==="
	STAEDTENETZ_TEST_DB=postgresql STAEDTENETZ_TEST_PG_ADMIN_URL=$(PG_ADMIN_URL) $(BIN)/pytest $(XDIST) --durations=15 $(PYTEST_ARGS)

screenshots: test-deps
	STAEDTENETZ_TEST_DB=sqlite STAEDTENETZ_SCREENSHOTS=docs/screenshots $(BIN)/pytest tests/e2e/test_screenshots.py -q

extract-messages: venv
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs '.* __pycache__' -o network/translations/messages.pot .
	$(BIN)/pybabel update -i network/translations/messages.pot -d network/translations

# the page bench (bench/README.md): demo and land scale on both databases, each page against the floor app;
# the databases stay under /tmp and in staedtenetz_bench_<scale> (generate.py resumes, so a rerun only measures)
BENCH_RUNS ?= 11
BENCH_SCALES ?= demo land
BENCH_DBS ?= sqlite postgresql
bench: test-deps
	bash scripts/ensure-postgres.sh
	set -e; for db in $(BENCH_DBS); do for scale in $(BENCH_SCALES); do \
	  $(BIN)/python bench/pages.py --generate --scale $$scale --db $$db --runs $(BENCH_RUNS); done; done

# the segfault regression bench (issue #17): anonymous GET /praxis/ 10,000 times across 4 gunicorn workers with
# PYTHONFAULTHANDLER=1, counting worker crashes in gunicorn's log (exit 1 on a crash); not part of `make test`
BENCH_CRASH_SCALE ?= land
BENCH_CRASH_DB ?= postgresql
BENCH_CRASH_REQUESTS ?= 10000
bench-crash: test-deps
	bash scripts/ensure-postgres.sh
	$(BIN)/python bench/crashes.py --generate --scale $(BENCH_CRASH_SCALE) --db $(BENCH_CRASH_DB) --requests $(BENCH_CRASH_REQUESTS)

# the practices search bench (100,000 practices on both databases)
bench-search: test-deps
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) node_modules network/static/vendor
