# Jiedao — two commands for a new user:
#   make demo   set everything up and serve the Wenyan demo on http://127.0.0.1:$(PORT)
#   make test   the whole test suite (lint, types, SQLite, PostgreSQL, browser)

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
POSTGRES_URL ?= postgres://root@127.0.0.1:5432/root

.PHONY: demo test setup assets messages lint typecheck test-sqlite test-postgres test-browser bench clean
.PHONY: chaos

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

assets: node_modules/.package-lock.json
	scripts/vendor-assets.sh

messages: $(VENV)/.installed
	cd jiedao && ../$(BIN)/django-admin compilemessages --ignore=.venv -v 0

setup: $(VENV)/.installed assets
	scripts/system-packages.sh
	$(MAKE) messages

demo: setup
	$(BIN)/jiedao migrate --no-input -v 0
	$(BIN)/jiedao load-demo
	$(BIN)/jiedao collectstatic --no-input -v 0
	@echo "Jiedao is at http://127.0.0.1:$(PORT)/ — demo users are listed in README.md"
	$(BIN)/jiedao runserver 127.0.0.1:$(PORT)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed
	$(BIN)/mypy jiedao

test-sqlite: setup
	env -u DATABASE_URL -u DJANGO_SETTINGS_MODULE $(BIN)/pytest -m "not browser and not redis" -p no:cacheprovider -n 2

test-postgres: setup
	@if DATABASE_URL=$(POSTGRES_URL) $(BIN)/python scripts/check-postgres.py; then \
		env -u DJANGO_SETTINGS_MODULE DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest -m "not browser" -p no:cacheprovider -n 2; \
	elif [ "$$CI" = "true" ]; then \
		echo "CI: PostgreSQL is required and unreachable"; exit 1; \
	else \
		echo "WARNING: PostgreSQL unreachable, its test run is SKIPPED (it is required in CI)"; \
	fi

test-browser: setup
	env -u DJANGO_SETTINGS_MODULE DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest -m browser -p no:cacheprovider

test: lint typecheck test-sqlite test-postgres test-browser

bench: setup
	DATABASE_URL=$(POSTGRES_URL) $(BIN)/python -m bench

# Not part of `make test`: restarts a private PostgreSQL (its own port) under a load of reports.
chaos: setup
	$(BIN)/python scripts/chaos.py

clean:
	rm -rf $(VENV) node_modules jiedao/web/static/vendor var
