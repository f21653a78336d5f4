# The two commands: `make run` (demo on SQLite, no services needed) and
# `make test` (the whole suite on PostgreSQL and Redis).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
VAR_DIR := $(or $(FACTCHECK_VAR_DIR),var)
# The demo's language: en, or fa for a Persian-language newsroom (seed_demo --language).
DEMO_LANGUAGE ?= en

TEST_DATABASE_URL := $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/factcheck)
TEST_BROKER_URL := $(or $(CELERY_BROKER_URL),redis://127.0.0.1:6379/0)

.PHONY: run test smoke preflight lint lock messages bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found " + sys.version.split()[0] + "); set PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Installs come from the locks (every package pinned, for Linux and macOS, Python 3.11 to 3.13);
# requirements.txt and requirements-dev.txt are the readable top-level lists they are made from.
$(VENV)/.run-deps: requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.lock
	touch $@

$(VENV)/.dev-deps: requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.lock
	touch $@ $(VENV)/.run-deps

## lock: after editing requirements.txt or requirements-dev.txt, pin the whole resolved set again
# One universal resolution (environment markers where platforms differ); the dev lock is
# constrained by the run lock, so both install the same versions of what they share.
UV_COMPILE := $(BIN)/uv pip compile --quiet --universal --python-version 3.11 --custom-compile-command "make lock"
lock: $(VENV)/.dev-deps
	$(UV_COMPILE) requirements.txt -o requirements.lock
	$(UV_COMPILE) requirements-dev.txt -c requirements.lock -o requirements-dev.lock

## run: install, migrate, load the demo once (in $(DEMO_LANGUAGE)), serve web + worker + beat on 127.0.0.1:$(PORT)
# honcho hands each process type its own PORT (web $(PORT), worker +100, beat +200),
# so SITE_URL, which settings would build from PORT, is fixed here for all three.
# FETCH_ALLOW_LOOPBACK lets the worker fetch the demo feed the web process serves from
# static/demo-feed/ (the settings refuse it with DEBUG off). TWO_FACTOR_REQUIRED=False lets the
# demo reviewer and admin in with the published password alone (never do that on a real site).
run: $(VENV)/.run-deps
	@mkdir -p $(VAR_DIR)
	$(BIN)/python manage.py migrate --noinput
	@if [ ! -f $(VAR_DIR)/.demo-loaded-$(DEMO_LANGUAGE) ]; then SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}" $(BIN)/python manage.py seed_demo --language $(DEMO_LANGUAGE) && touch $(VAR_DIR)/.demo-loaded-$(DEMO_LANGUAGE); fi
	@echo "Serving http://127.0.0.1:$(PORT)/ — log in at /accounts/login/ as factchecker, reviewer or admin (password demo-password). Ctrl-C stops all."
	PATH="$(CURDIR)/$(BIN):$$PATH" PORT=$(PORT) SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}" FETCH_ALLOW_LOOPBACK=True TWO_FACTOR_REQUIRED=False \
		exec $(BIN)/honcho start

## test: the whole suite on PostgreSQL + Redis, plus a smoke test of the SQLite default
# The preflight needs only the standard library: it runs before the install so
# a missing service is reported at once, not after the dependencies download.
# Then the deploy smoke test: the production stack (gunicorn, two workers, beat, a PostgreSQL and a
# Redis of its own) started without containers and walked through over HTTP (docs/deploy.md).
test: preflight lint
	DATABASE_URL=$(TEST_DATABASE_URL) CELERY_BROKER_URL=$(TEST_BROKER_URL) CACHE_URL=locmem:// \
		$(BIN)/pytest --create-db -p no:cacheprovider
	$(BIN)/python deploy/smoke.py

## smoke: the deploy smoke test alone (needs PostgreSQL's initdb and redis-server installed, not running)
smoke: $(VENV)/.dev-deps
	$(BIN)/python deploy/smoke.py

preflight:
	@DATABASE_URL=$(TEST_DATABASE_URL) CELERY_BROKER_URL=$(TEST_BROKER_URL) $(PYTHON) tests/preflight.py

## lint: the guard rails (docs/architecture.md): style, formatting, import contracts, types
lint: $(VENV)/.dev-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

## messages: regenerate the translation catalogues (locale/<lang>/LC_MESSAGES/django.po) and compile them
# Needs GNU gettext (Debian: gettext; .ci/run installs it). Every language of settings.LANGUAGES but English,
# the language the code is written in. The compiled .mo files are committed, so `make run` needs no gettext.
# No djangojs domain: the scripts read their texts from the templates (data- attributes), translated there.
MESSAGES_IGNORE := --ignore=.venv --ignore=var --ignore=tests --ignore=bench --ignore=static --ignore=locale
messages: $(VENV)/.dev-deps
	@command -v msgfmt >/dev/null || { echo "make messages needs GNU gettext (apt-get install gettext)"; exit 1; }
	$(BIN)/python manage.py makemessages --domain django --no-obsolete --add-location file $(MESSAGES_IGNORE) \
		$$($(BIN)/python -c 'import factcheck.settings as s; print(" ".join("-l " + code for code, _name in s.LANGUAGES if code != s.LANGUAGE_CODE))')
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=var

## bench: the import benchmark (a generated 5,000-item feed served on 127.0.0.1); figures in docs/benchmarks.md
bench: $(VENV)/.dev-deps
	$(BIN)/python bench/import_bench.py

clean:
	rm -rf $(VENV) var
