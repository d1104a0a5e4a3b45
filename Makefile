# Préau — `make run` to try it, `make test` before a commit. GNU make; recipes use bash.
SHELL := /bin/bash
.DEFAULT_GOAL := run

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PREAU := $(BIN)/preau
# The editable install is redone only when the dependencies change.
INSTALLED := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium
XMLSEC1 := /usr/bin/xmlsec1

.PHONY: run test lint bench bench-aaf install chromium

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

install: $(INSTALLED)

# Runs the web server on http://127.0.0.1:8000 with the demo académie; Ctrl-C stops
# the server and the background task worker with it. The server is the ASGI one (uvicorn):
# pages and static files over HTTP, chat and live notifications over WebSocket; it restarts
# when a Python file under src/ changes.
run: $(INSTALLED)
	$(PREAU) migrate --no-input
	$(PREAU) load_demo
	$(PREAU) demo_logins
	@export DEBUG=1; \
	$(PREAU) db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	trap 'exit 130' INT TERM; \
	$(BIN)/uvicorn preau.asgi:application --host 127.0.0.1 --port 8000 --ws websockets-sansio --lifespan off \
	  --no-access-log --reload --reload-dir src

# Browser tests drive Debian's chromium (Playwright downloads no browser); SAML signs and
# checks its XML with Debian's xmlsec1 (pysaml2 calls it).
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  sudo=; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
	  $$sudo apt-get update && $$sudo apt-get install -y chromium; \
	fi
	@if [ ! -x $(XMLSEC1) ]; then \
	  sudo=; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
	  $$sudo apt-get update && $$sudo apt-get install -y xmlsec1; \
	fi

# The suite runs on as many processes as PYTEST_WORKERS (2: this project's CI machine).
test: $(INSTALLED) chromium
	$(BIN)/pytest -n $${PYTEST_WORKERS:-2}

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Benchmarks (never part of `make test`); method and figures: bench/README.md.
# `make bench`: the load scenario of a school morning against uvicorn, on a fresh PostgreSQL
# database preau_bench (127.0.0.1:5432, user postgres) holding a generated académie.
# BENCH_SCHOOLS=100 BENCH_WORKERS="1 2" BENCH_DURATION=60 … (see bench/run.py).
bench: $(INSTALLED)
	@$(BIN)/python -c "import locust" 2>/dev/null || $(BIN)/pip install --quiet -c constraints.txt -e '.[test,bench]'
	$(BIN)/python bench/run.py

# A full AAF import of a synthetic académie and its re-import (SQLite, or DATABASE_URL).
bench-aaf: $(INSTALLED)
	bench/aaf_import.sh $${BENCH_SCHOOLS:-1000}
