# Two commands for a newcomer: `make run` and `make test`. Both create .venv first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test check bench screenshots clean

# An editable install leaves hansei's own bytecode to its first run: compileall writes
# it now, so that the first `hansei` starts as fast as the next.
$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m compileall -q src
	touch $@

# The main job: the web app on a demo SQLite store, filled with demo postmortems;
# it prints its address and the demo login.
DEMO_DB := sqlite:///build/demo.db
run: $(BIN)/.installed
	$(BIN)/hansei serve --demo --db $(DEMO_DB)

# Everything CI checks: lint, types, layering, and the whole test suite.
test: $(BIN)/.installed check
	$(BIN)/python -m pytest

check: $(BIN)/.installed
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

bench: $(BIN)/.installed
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/parse.py
	$(BIN)/python bench/store.py
	$(BIN)/python bench/web.py
	$(BIN)/python bench/cli.py

# The browser test saves the main pages under build/screenshots/; the docs show a copy.
screenshots: $(BIN)/.installed
	$(BIN)/python -m pytest tests/web/test_browser_journey.py
	mkdir -p docs/screenshots
	cp build/screenshots/*.png docs/screenshots/

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis build
