# The two set-up commands are `make demo` and `make test`; the rest are helpers.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=
EXAMPLE_PYTEST_ARGS ?=

.PHONY: demo test install lint format messages check-messages check clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,postgres,redis]'
	touch $@

install: $(VENV)/.installed

## Start the demo: web server on 127.0.0.1:8000 and a django-q2 worker (Ctrl-C stops both).
demo: install
	$(PY) scripts/run_demo.py

## Run the whole test suite (DATABASE_URL picks the database; SQLite by default): the plugin's
## tests (tests.settings, no example project), then the example project's (tests/example).
test: install
	$(PY) -m pytest $(PYTEST_ARGS)
	$(PY) -m pytest --ds=tests.example.settings $(EXAMPLE_PYTEST_ARGS) tests/example

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

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
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) db.sqlite3 static media *.egg-info
