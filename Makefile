# Two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORTFOLIO ?= portfolio.toml

.PHONY: run test test-fast check lint types contracts pytest bench install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## Install, copy the example portfolio if there is none, and open mlfolio on it.
run: $(STAMP)
	@test -f $(PORTFOLIO) || $(BIN)/mlfolio init $(PORTFOLIO)
	$(BIN)/mlfolio $(PORTFOLIO)

## Install and run every check: lint, format, strict types, import contracts, tests.
test: $(STAMP) lint types contracts pytest

## The fast loop while working: the tests of core and portfolio only (seconds).
test-fast: $(STAMP)
	$(BIN)/pytest --fast -m "not slow and not e2e and not bench"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(STAMP)
	$(BIN)/mypy core portfolio tui tests bench

contracts: $(STAMP)
	$(BIN)/lint-imports

pytest: $(STAMP)
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) build *.egg-info .mypy_cache .pytest_cache .ruff_cache
