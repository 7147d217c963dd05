# Quick start: `make brief` (the main job) and `make test` (lint, types, tests).
# Both create .venv with the Python 3.11+ found as $(PYTHON) and install what they need.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: brief findings test lint types unit bench catalogs mutation golden docs docs-examples docs-reference clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "wbbrief needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m compileall -q src  # as pip does for a wheel: no compiling at every start
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m compileall -q src
	touch $@ $(STAMP)

## brief: write the regional policy brief as a PDF in this folder (prints its name)
brief: $(STAMP)
	$(BIN)/wbbrief export-pdf

## test: ruff, mypy and pytest
test: lint types unit

lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

types: $(TEST_STAMP)
	$(BIN)/mypy

unit: $(TEST_STAMP)
	$(BIN)/pytest -q

## catalogs: refresh the interface strings' gettext catalogs from the source (see locales/README.md)
# Extract the msgids into locales/wbbrief.pot, merge them into each language's .po (a language whose
# language.toml says `derived_from` has none), and compile each to prove it compiles (to /dev/null:
# wbbrief reads the .po files themselves, so no .mo file is made, shipped or committed).
catalogs: $(TEST_STAMP)
	$(BIN)/pybabel -q extract -F babel.cfg -k N_ -k _ --no-location --sort-output \
		--project wbbrief --copyright-holder "wbbrief developers" -o locales/wbbrief.pot src
	for po in locales/*/LC_MESSAGES/wbbrief.po; do \
		tag=$$(basename $$(dirname $$(dirname $$po))); \
		locale=$$(sed -n 's/^babel_locale = "\(.*\)"/\1/p' locales/$$tag/language.toml); \
		$(BIN)/pybabel -q update --no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date -w 120 \
			-i locales/wbbrief.pot -o $$po -l $$locale -D wbbrief || exit 1; \
		$(BIN)/pybabel -q compile --statistics -i $$po -o /dev/null -l $$locale -D wbbrief || exit 1; \
	done

## docs: build the manual (docs/, mkdocs.yml) into site/ with MkDocs and the Material theme, offline
DOCS_STAMP := $(VENV)/.installed-docs
$(DOCS_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[docs]'
	touch $@ $(STAMP)

docs: $(DOCS_STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir site

## docs-examples: rerun the query examples of README.md and docs/ and rewrite their output
docs-examples: $(STAMP)
	$(BIN)/python scripts/doc_examples.py

## docs-reference: rewrite docs/reference/cli.md from the CLI's own help
docs-reference: $(STAMP)
	$(BIN)/python scripts/cli_reference.py

## golden: rewrite tests/golden (every brief and query output) after a change made on purpose
golden: $(TEST_STAMP)
	$(BIN)/python scripts/golden.py write

## bench: start-up and export timings (see benchmarks/README.md)
bench: $(TEST_STAMP)
	$(BIN)/python benchmarks/run.py

## mutation: mutmut over the modules that guard files and data ([tool.mutmut] in pyproject.toml); slow
mutation: $(TEST_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,mutation]'
	$(BIN)/mutmut run --max-children 2
	$(BIN)/mutmut results

clean:
	rm -rf $(VENV) build dist site .pytest_cache .mypy_cache .ruff_cache mutants
