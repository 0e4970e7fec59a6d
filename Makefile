# Two commands on a fresh machine:
#   make run   install, migrate, load the demo plans, serve on http://127.0.0.1:8000
#              (with a db_worker for background jobs, stopped with the server)
#   make test  install dev tools, ruff, pytest on SQLite and again on PostgreSQL (in
#              parallel, pytest-xdist), the browser tests once, a small benchmark
#   make bench the full benchmarks (the whole-piano PDF of 1,500 schede: ~10 minutes)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest-xdist workers for the suites without browser: one per core, at most 4 (each
# worker migrates its own test database; past 4 that costs more than it saves).
WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); [ "$$n" -gt 4 ] && n=4; echo $$n)
# Each step its own PEG_VAR_DIR (files, secret key): steps may also run side by side.
TEST_VAR := $(CURDIR)/var/test
BENCH_VAR := $(CURDIR)/var/bench

.PHONY: run test lint test-sqlite test-postgres test-browser bench bench-ci loadtest install install-dev clean
# A failed step leaves no half-made target behind (e.g. a venv without pip).
.DELETE_ON_ERROR:

$(BIN)/pip:
	PYTHON=$(PYTHON) bash scripts/system-packages.sh run
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py carica_demo --se-vuoto
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo "PEG su http://$(HOST):$(PORT)/ - utenti demo: segreteria, oiv, meschi, chiozzi, pacchetti, conti, sindaco, segretario, esempio (password: demo)"
	# The worker builds the whole-piano PDFs in the background; it stops with runserver.
	$(BIN)/python manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run --verbosity 1

# Without the browser tests (test-browser): in parallel, each xdist worker with its own
# test database (pytest-django) and its own directories for files (tests/conftest.py).
test-sqlite: install-dev
	env -u DATABASE_URL PEG_VAR_DIR=$(TEST_VAR)/sqlite DB_CONN_MAX_AGE=0 \
	  $(BIN)/pytest -n $(WORKERS) -m "not browser"

test-postgres: install-dev
	PEG_VAR_DIR=$(TEST_VAR)/postgres DB_CONN_MAX_AGE=0 bash scripts/with-postgres.sh \
	  $(BIN)/pytest -n $(WORKERS) -m "not browser"

# Playwright and Chromium against the live server: once, on PostgreSQL (as in production).
test-browser: install-dev
	# No persistent connections: the live server thread would keep the test database busy.
	PEG_VAR_DIR=$(TEST_VAR)/browser DB_CONN_MAX_AGE=0 bash scripts/with-postgres.sh \
	  $(BIN)/pytest -n $(WORKERS) -m browser

# Figures on speed: printed; fails if queries grow with the plan, or if one scheda's PDF
# takes more than 1.2× WeasyPrint alone with some built-in model. The fidelity of the
# demo books to the four documents: printed, never failing (tests/test_fedelta_stampe.py
# enforces the floors).
bench: install-dev
	# pdftotext reads the books back (benchmarks/fedelta.py).
	PYTHON=$(PYTHON) bash scripts/system-packages.sh bench
	$(call benchmarks,,$(BENCH_VAR))

# The same benchmarks on small plans, for make test: seconds, and the same failure if
# the queries grow with the plan (never on times, noisy on a shared machine); the
# fidelity figures as in bench (under a minute).
bench-ci: install-dev
	PYTHON=$(PYTHON) bash scripts/system-packages.sh bench
	$(call benchmarks,--piccolo,$(BENCH_VAR)/ci)

BENCHMARKS = punteggi pagine_scheda pagine pdf excel excel_import storico fedelta
# Every benchmark runs ($(1): their option, --piccolo or none, never for fedelta, whose
# figures are the same in both; $(2): their var directory), also after one that fails:
# one ratio over its bound does not hide the others' figures. The status says at the end
# whether any failed.
define benchmarks
	@falliti=""; for b in $(BENCHMARKS); do \
	  opzione="$(1)"; [ $$b = fedelta ] && opzione=""; \
	  echo "== benchmarks/$$b.py $$opzione"; \
	  env -u DATABASE_URL PEG_VAR_DIR=$(2) $(BIN)/python -W ignore::UserWarning \
	    benchmarks/$$b.py $$opzione || falliti="$$falliti $$b"; \
	done; \
	if [ -n "$$falliti" ]; then echo "Benchmark oltre i limiti o in errore:$$falliti"; exit 1; fi
endef

# 100 responsabili on gunicorn for 60 s, on PostgreSQL then on SQLite (benchmarks/loadtest/
# esegui.py): p50/p95/p99 and errors per request kind, the app's and a trivial page's
# ceilings. About 5 minutes; not part of make test (tests/test_loadtest.py keeps the mix working).
loadtest: install-dev
	PYTHON=$(PYTHON) bash scripts/system-packages.sh loadtest
	PEG_VAR_DIR=$(BENCH_VAR)/loadtest-postgres bash scripts/with-postgres.sh \
	  $(BIN)/python benchmarks/loadtest/esegui.py
	rm -f $(BENCH_VAR)/loadtest-sqlite/peg.sqlite3*
	env -u DATABASE_URL PEG_VAR_DIR=$(BENCH_VAR)/loadtest-sqlite $(BIN)/python benchmarks/loadtest/esegui.py

# Steps in order, also under make -j.
test:
	PYTHON=$(PYTHON) bash scripts/system-packages.sh test
	$(MAKE) lint
	$(MAKE) test-sqlite
	$(MAKE) bench-ci
	$(MAKE) test-postgres
	$(MAKE) test-browser

# Keeps var/peg.sqlite3, the secret key and uploaded files.
clean:
	rm -rf $(VENV) var/test var/bench var/static test-artifacts .pytest_cache .ruff_cache
