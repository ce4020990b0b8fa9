# Two commands do all the set-up on a fresh clone:
#   make demo   - create .venv, install, get a browser, audit the built-in demo store
#   make test   - the same set-up, then the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.cx-installed

.PHONY: setup demo demo-clean test test-fast lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	$(BIN)/cx-audit install-browser
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(BIN)/cx-audit demo --variant flawed --out cx-audit-report

demo-clean: setup
	$(BIN)/cx-audit demo --variant clean --out cx-audit-report

# Two workers: browser tests mostly wait (pages settling, servers answering), so two overlap
# well even on two cores; tests sharing a demo audit stay on one worker (tests/conftest.py).
PYTEST_WORKERS ?= 2
test: setup
	$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) --dist loadgroup --no-loadscope-reorder

test-fast: setup
	$(BIN)/python -m pytest -q -m "not browser"

lint: setup
	$(BIN)/ruff check auditor checks reports tests benchmarks

bench: setup
	$(BIN)/python benchmarks/bench_audit.py

clean:
	rm -rf $(VENV) cx-audit-report .cx-audit .pytest_cache
