# motcua — the two commands of the README, and the checks CI runs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
MOTCUA_BIND ?= 127.0.0.1:8000
MOTCUA_WORKERS ?= 2
MOTCUA_THREADS ?= 8
export MOTCUA_BIND

.PHONY: run serve install install-test test check lint types imports migrations-check openapi openapi-check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## Install, migrate, load the demo and serve at http://$(MOTCUA_BIND) (SQLite by default).
run: install
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python manage.py seed_demo
	$(MAKE) --no-print-directory serve

serve:
	@echo "motcua: http://$(MOTCUA_BIND)/  (demo accounts in README.md, password motcua-demo)"
	$(BIN)/gunicorn config.wsgi --bind $(MOTCUA_BIND) --workers $(MOTCUA_WORKERS) --threads $(MOTCUA_THREADS) \
		--worker-class gthread --access-logfile - --graceful-timeout 10 --timeout 60

## Install the test dependencies (Python packages; Debian chromium, fonts and axe-core for the
## browser and PDF tests) and run the whole suite.
test: install-test
	bash scripts/install-browser.sh
	$(BIN)/python -m pytest

lint: install-test
	$(BIN)/ruff check .

# mypy --strict on every domain.py, services and selectors of every app (found anew at each run, so a
# new app is covered at once), the step engine, and the modules of the dossier face; the modules they
# import are read but reported by their own checks (--follow-imports=silent).
STRICT = $(sort $(wildcard motcua/*/domain.py motcua/*/services.py motcua/*/services/*.py motcua/*/selectors.py \
	motcua/*/selectors/*.py motcua/workflow/*.py) motcua/dossiers/availability.py motcua/dossiers/pools.py motcua/dossiers/reads.py \
	motcua/dossiers/shapes.py motcua/dossiers/state.py motcua/dossiers/worklists.py)

types: install-test
	$(BIN)/mypy --strict --follow-imports=silent $(STRICT)

imports: install-test
	$(BIN)/lint-imports

migrations-check: install-test
	$(BIN)/python manage.py makemigrations --check --dry-run

openapi: install-test
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py export_openapi docs/openapi.json

openapi-check: install-test
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py export_openapi --check docs/openapi.json

check: lint types imports migrations-check openapi-check

clean:
	rm -rf $(VENV) var
