# Two commands on a fresh machine:
#   make run   install, migrate, load the demo plans, serve on http://127.0.0.1:8000
#              (with a db_worker for background jobs, stopped with the server)
#   make test  install dev tools, ruff, pytest on SQLite and again on PostgreSQL
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint test-sqlite test-postgres bench install install-dev clean
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
	@echo "PEG su http://$(HOST):$(PORT)/ - utenti demo: segreteria, oiv, meschi, chiozzi, pacchetti, conti (password: demo)"
	# The worker builds the whole-piano PDFs in the background; it stops with runserver.
	$(BIN)/python manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run --verbosity 1

test-sqlite: install-dev
	env -u DATABASE_URL PEG_VAR_DIR=$(CURDIR)/var/test DB_CONN_MAX_AGE=0 $(BIN)/pytest

test-postgres: install-dev
	# No persistent connections: the live server thread would keep the test database busy.
	PEG_VAR_DIR=$(CURDIR)/var/test DB_CONN_MAX_AGE=0 bash scripts/with-postgres.sh $(BIN)/pytest

# Figures on speed: printed, not asserted (fails only if queries grow with the plan).
bench: install-dev
	env -u DATABASE_URL PEG_VAR_DIR=$(CURDIR)/var/bench $(BIN)/python benchmarks/punteggi.py
	env -u DATABASE_URL PEG_VAR_DIR=$(CURDIR)/var/bench $(BIN)/python -W ignore::UserWarning benchmarks/pagine_oiv.py
	env -u DATABASE_URL PEG_VAR_DIR=$(CURDIR)/var/bench $(BIN)/python benchmarks/pdf.py

# Steps in order, also under make -j.
test:
	PYTHON=$(PYTHON) bash scripts/system-packages.sh test
	$(MAKE) lint
	$(MAKE) test-sqlite
	$(MAKE) bench
	$(MAKE) test-postgres

# Keeps var/peg.sqlite3, the secret key and uploaded files.
clean:
	rm -rf $(VENV) var/test var/bench var/static test-artifacts .pytest_cache .ruff_cache
