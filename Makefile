# The two commands: `make run` (demo on SQLite, no services needed) and
# `make test` (the whole suite on PostgreSQL and Redis).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

TEST_DATABASE_URL := $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/factcheck)
TEST_BROKER_URL := $(or $(CELERY_BROKER_URL),redis://127.0.0.1:6379/0)

.PHONY: run test lint bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found " + sys.version.split()[0] + "); set PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.run-deps: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-deps: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.run-deps

## run: install, migrate, load the demo once, serve web + worker + beat on 127.0.0.1:$(PORT)
run: $(VENV)/.run-deps
	@mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	@if [ ! -f var/.demo-loaded ]; then $(BIN)/python manage.py seed_demo && touch var/.demo-loaded; fi
	@echo "Serving http://127.0.0.1:$(PORT)/ — log in at /accounts/login/ as factchecker, reviewer or admin (password demo-password). Ctrl-C stops all."
	PATH="$(CURDIR)/$(BIN):$$PATH" PORT=$(PORT) exec $(BIN)/honcho start

## test: the whole suite on PostgreSQL + Redis, plus a smoke test of the SQLite default
test: $(VENV)/.dev-deps
	@DATABASE_URL=$(TEST_DATABASE_URL) CELERY_BROKER_URL=$(TEST_BROKER_URL) $(BIN)/python tests/preflight.py
	$(BIN)/ruff check .
	DATABASE_URL=$(TEST_DATABASE_URL) CELERY_BROKER_URL=$(TEST_BROKER_URL) CACHE_URL=locmem:// \
		$(BIN)/pytest --create-db -p no:cacheprovider

lint: $(VENV)/.dev-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) var
