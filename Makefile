# The two set-up commands are `make demo` and `make test`; the rest are helpers.
PYTHON ?= python3
VENV ?= .venv
# A second virtualenv with the lowest versions pyproject.toml allows (make test-lowest).
LOWEST ?= .venv-lowest
PY := $(VENV)/bin/python
PYTEST_ARGS ?=
# Coverage of the plugin ([coverage:*] in setup.cfg); `make test COV_ARGS=` runs without it.
COV_ARGS ?= --cov --cov-report=term
EXAMPLE_PYTEST_ARGS ?=

.PHONY: demo test test-fast test-lowest install install-lowest lint format messages check-messages check clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,postgres,redis,server]'
	touch $@

install: $(VENV)/.installed

$(LOWEST)/.installed: pyproject.toml scripts/lowest_constraints.py
	$(PYTHON) -m venv $(LOWEST)
	$(LOWEST)/bin/python -m pip install --quiet --upgrade pip
	$(LOWEST)/bin/python scripts/lowest_constraints.py > $(LOWEST)/constraints.txt
	$(LOWEST)/bin/python -m pip install --quiet -c $(LOWEST)/constraints.txt -e '.[test,postgres,redis,server]'
	$(LOWEST)/bin/python scripts/lowest_constraints.py --check
	touch $@

install-lowest: $(LOWEST)/.installed

## Start the demo: web server on 127.0.0.1:8000 and a django-q2 worker (Ctrl-C stops both).
demo: install
	$(PY) scripts/run_demo.py

## Run the whole test suite (DATABASE_URL picks the database; SQLite by default): the plugin's
## tests with coverage (tests.settings, no example project), then the example project's
## (tests/example).
test: install
	$(PY) -m pytest $(COV_ARGS) $(PYTEST_ARGS)
	$(PY) -m pytest --ds=tests.example.settings $(EXAMPLE_PYTEST_ARGS) tests/example

## The quick loop: no browser tests, no real worker processes, no coverage; stops at the first failure.
test-fast: install
	$(PY) -m pytest -m "not browser and not workers" -x $(PYTEST_ARGS)

## The suite on the lowest versions pyproject.toml allows (Django 5.2.1, Wagtail 8.0, ...), on SQLite:
## no browser and no PostgreSQL-only tests.
test-lowest: install-lowest
	$(LOWEST)/bin/python -m pytest -m "not browser and not postgres" $(PYTEST_ARGS)

## ruff, and the import rules of setup.cfg ([importlinter] contracts).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-logo

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## Rebuild the fi/sv/en catalogues from the sources and compile them (needs GNU gettext).
messages: install
	PY=$(PY) scripts/translations.sh

check-messages: install
	PY=$(PY) scripts/translations.sh --check

## Django system checks and migrations, as CI runs them.
check: install
	DJANGO_ENV=dev $(PY) manage.py check --fail-level WARNING
	DJANGO_ENV=dev $(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) $(LOWEST) db.sqlite3 static media *.egg-info
