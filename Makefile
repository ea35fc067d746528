# Laomo: one entry point. `make run` serves the demo; `make test` installs what is missing and
# runs lint, type check and the whole suite (SQLite; PostgreSQL too with DATABASE_URL, see .ci/run).
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/laomo
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test test-sqlite test-postgres lint fmt typecheck bench system-deps venv demo clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PYTHON) || $(PY) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PYTHON) -m pip install -q --upgrade pip
	$(PYTHON) -m pip install -q -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP)

# Debian packages the tests and PDFs need (browser, CJK fonts, PDF text); skipped when present.
system-deps:
	@scripts/system-deps.sh

var:
	mkdir -p var/static var/media

run: $(STAMP) var
	$(PYTHON) manage.py migrate --noinput
	$(PYTHON) manage.py seed_reference
	$(PYTHON) manage.py demo_data --once
	$(PYTHON) manage.py demo_accounts
	$(PYTHON) manage.py runserver $(HOST):$(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: $(STAMP)
	$(BIN)/mypy .

test: $(STAMP) system-deps var lint typecheck
	$(PYTHON) manage.py makemigrations --check --dry-run
	LAOMO_TESTING=true $(BIN)/pytest -n 2 -q $(PYTEST_ARGS)

# The suite on PostgreSQL (CI runs both; this needs a server at $(PG_URL)).
test-postgres: $(STAMP) system-deps var
	LAOMO_TESTING=true DATABASE_URL=$(PG_URL) $(BIN)/pytest -n 2 -q $(PYTEST_ARGS)

bench: $(STAMP) var
	$(PYTHON) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf var/laomo.sqlite3* var/static
