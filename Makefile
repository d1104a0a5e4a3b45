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
BENCH_DIR := $(CURDIR)/var/bench

.PHONY: run test lint bench install chromium

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

install: $(INSTALLED)

# Runs the web server on http://127.0.0.1:8000 with the demo académie; Ctrl-C stops
# the server and the background task worker with it.
run: $(INSTALLED)
	$(PREAU) migrate --no-input
	$(PREAU) load_demo
	$(PREAU) demo_logins
	@export DEBUG=1; \
	$(PREAU) db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	trap 'exit 130' INT TERM; \
	$(PREAU) runserver 127.0.0.1:8000

# Browser tests drive Debian's chromium (Playwright downloads no browser).
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  sudo=; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
	  $$sudo apt-get update && $$sudo apt-get install -y chromium; \
	fi

test: $(INSTALLED) chromium
	$(BIN)/pytest

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Benchmarks (never part of `make test`): generating a synthetic académie, then a full AAF
# import of 1,000 schools and its re-import. Figures and method: bench/README.md.
bench: $(INSTALLED)
	rm -rf $(BENCH_DIR)/generate
	mkdir -p $(BENCH_DIR)/generate
	@export PREAU_VAR_DIR=$(BENCH_DIR)/generate DATABASE_URL=sqlite:///$(BENCH_DIR)/generate/bench.sqlite3; \
	$(PREAU) migrate --no-input -v0 && \
	time $(PREAU) generate_academie --schools 20 --seed 1
	bench/aaf_import.sh $${BENCH_SCHOOLS:-1000}
