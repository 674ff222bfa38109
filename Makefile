# Two commands for a newcomer: `make run` and `make test`. Both create .venv first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test check bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# The main job: the incident metrics of the bundled example postmortems, then
# the same postmortems in a demo SQLite store, found by a two-character search.
DEMO_DB := sqlite:///build/demo.db
run: $(BIN)/.installed
	$(BIN)/hansei metrics examples/*.md
	$(BIN)/hansei import examples --db $(DEMO_DB) --user demo
	$(BIN)/hansei search 障害 --db $(DEMO_DB)

# Everything CI checks: lint, types, layering, and the whole test suite.
test: $(BIN)/.installed check
	$(BIN)/python -m pytest

check: $(BIN)/.installed
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

bench: $(BIN)/.installed
	$(BIN)/python bench/parse.py
	$(BIN)/python bench/store.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis build
