# Two entry points (see README): `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# One venv, and one stamp per extra: `make demo` installs the bot with `.[demo]` (SimCord), the
# other targets with `.[test]` (SimCord, pytest, ruff); each again whenever pyproject.toml changes.
DEMO := $(VENV)/.installed-demo
TEST := $(VENV)/.installed-test

.PHONY: demo preview test fuzz lint format bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed-%: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[$*]'
	touch $@

demo: $(DEMO)
	$(BIN)/python -m bot demo --out demo-out

# Try the forum in a browser (no Discord account, no token): prints the address; Ctrl+C stops.
preview: $(DEMO)
	$(BIN)/python -m bot preview

test: $(TEST)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

# The property-based tests with many more generated texts (minutes, not seconds), each run a new sample.
fuzz: $(TEST)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -m properties

lint: $(TEST)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(TEST)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(TEST)
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) demo-out .pytest_cache .hypothesis
