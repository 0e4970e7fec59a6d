# Two commands on a fresh machine:
#   make run   install, migrate, load the demo plans, serve on http://127.0.0.1:8000
#   make test  install dev tools, ruff, pytest on SQLite and again on PostgreSQL
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint test-sqlite test-postgres system-packages install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py carica_demo --se-vuoto
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo "PEG su http://$(HOST):$(PORT)/ - utenti demo: segreteria, oiv, meschi, chiozzi, pacchetti, conti (password: demo)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

system-packages:
	bash scripts/system-packages.sh

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run --verbosity 1

test-sqlite: install-dev
	env -u DATABASE_URL PEG_VAR_DIR=$(CURDIR)/var/test $(BIN)/pytest

test-postgres: install-dev
	bash scripts/with-postgres.sh $(BIN)/pytest

test: system-packages lint test-sqlite test-postgres

clean:
	rm -rf $(VENV) var test-artifacts .pytest_cache .ruff_cache
