# Two entry points (see README): `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# One venv, and one stamp per extra: `make demo` installs the bot with `.[demo]` (SimCord), the
# other targets with `.[test]` (SimCord, pytest, ruff); each again whenever pyproject.toml changes.
DEMO := $(VENV)/.installed-demo
TEST := $(VENV)/.installed-test

# The message catalogues: bot/locales/<lang>/LC_MESSAGES/concord.po, compiled to .mo (not committed) before the
# bot runs from this checkout; a wheel compiles its own (setup.py). `make catalogues` extracts every phrase
# marked with _(), N_(), ngettext() or count_of() into concord.pot and merges it into each language's .po.
LOCALES := bot/locales
CATALOGUES := $(wildcard $(LOCALES)/*/LC_MESSAGES/concord.po)
COMPILED := $(CATALOGUES:.po=.mo)

.PHONY: demo preview test fuzz lint format bench clean catalogues

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed-%: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[$*]'
	touch $@

$(LOCALES)/%/LC_MESSAGES/concord.mo: $(LOCALES)/%/LC_MESSAGES/concord.po | $(BIN)/python
	$(BIN)/pybabel --quiet compile --domain concord --locale $* --input-file $< --output-file $@

catalogues: $(TEST)
	PYTHONPATH=. $(BIN)/pybabel --quiet extract --no-default-keywords --keyword _ --keyword N_ --keyword ngettext:1,2 --keyword count_of:2,3 \
		--mapping-file babel.cfg --project Concord --output-file $(LOCALES)/concord.pot bot cogs
	$(BIN)/pybabel --quiet update --domain concord --input-file $(LOCALES)/concord.pot --output-dir $(LOCALES) \
		--ignore-obsolete --no-fuzzy-matching
	$(MAKE) $(COMPILED)

# `make demo LANG_KEY=fr` runs the rehearsal in French (any of ar en es fr ru zh).
LANG_KEY ?= en
demo: $(DEMO) $(COMPILED)
	$(BIN)/python -m bot demo --out demo-out --lang $(LANG_KEY)

# Try the forum in a browser (no Discord account, no token): prints the address; Ctrl+C stops.
preview: $(DEMO) $(COMPILED)
	$(BIN)/python -m bot preview

test: $(TEST) $(COMPILED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

# The property-based tests with many more generated texts (minutes, not seconds), each run a new sample.
fuzz: $(TEST) $(COMPILED)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -m properties

lint: $(TEST)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(TEST)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(TEST) $(COMPILED)
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) demo-out .pytest_cache .hypothesis $(COMPILED)
