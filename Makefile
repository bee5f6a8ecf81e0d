# The two commands a new machine needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The address exports name (Web Annotation and ClaimReview ids, links): the one served, unless
# set (`make run PORT=8080`, or WORKBENCH_BASE_URL=https://facts.example.org behind a proxy).
WORKBENCH_BASE_URL ?= http://$(HOST):$(PORT)
export WORKBENCH_BASE_URL

.PHONY: run test test-postgres setup setup-dev browser clean mutation
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py embed_claims
	$(PY) manage.py setup_demo --url $(WORKBENCH_BASE_URL)/

## Set up (venv, requirements, database, seeds, demo account) and serve on 127.0.0.1:8000
## (`make run HOST=0.0.0.0 PORT=8080` to change), with one background worker (browser
## uploads) beside the web server; Ctrl-C stops both.
run: setup
	$(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

## Debian's chromium for the browser tests (never a Playwright browser download).
browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium; }

## Set up and run the whole test suite, browser tests included.
test: $(VENV)/.installed-dev browser
	$(PY) -m pytest $(PYTEST_ARGS)

## The same suite against PostgreSQL (a server on 127.0.0.1:5432, trust auth, database `test`).
test-postgres: $(VENV)/.installed-dev browser
	DATABASE_URL=$(POSTGRES_URL) $(PY) -m pytest $(PYTEST_ARGS)

## Mutation score per module and the surviving mutants (mutmut; minutes per module on two
## cores, so a report to read, never part of `make test`): `make mutation MODULES="permissions values"`.
MODULES ?=
mutation: $(VENV)/.installed-dev
	nice -n 15 $(PY) -m bench mutation $(MODULES)

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles test-results
