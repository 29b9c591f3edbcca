# The two front-door commands: `make run` and `make test`, each complete from a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test system-packages node-packages lint typecheck unit ingest serve bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	# CPU build of torch first, pinned to the wheel the machine holds, so no GPU packages download.
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/kg ingest
	$(BIN)/kg serve

ingest: $(STAMP)
	$(BIN)/kg ingest

serve: $(STAMP)
	$(BIN)/kg serve

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -q -m "not e2e and not browser"

# The end-to-end tests drive Chromium, roqet, rapper and Virtuoso: installed (or named) first.
system-packages:
	bash tests/system-packages.sh

# YASGUI for the browser test of the SPARQL endpoint (tests/e2e/test_yasgui_browser.py), from npm
# into the git-ignored var/yasgui/.
YASGUI_VERSION := 4.6.2
node-packages:
	test -f var/yasgui/node_modules/@zazuko/yasgui/package.json || \
		npm install --no-audit --no-fund --prefix var/yasgui @zazuko/yasgui@$(YASGUI_VERSION)

test: system-packages node-packages lint typecheck
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python -m bench.run_all

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache
