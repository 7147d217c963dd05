# Quick start: `make brief` (the main job) and `make test` (lint, types, tests).
# Both create .venv with the Python 3.11+ found as $(PYTHON) and install what they need.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: brief findings test lint types unit bench mutation clean

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

## bench: start-up and export timings (see benchmarks/README.md)
bench: $(TEST_STAMP)
	$(BIN)/python benchmarks/run.py

## mutation: mutmut over the modules that guard files and data ([tool.mutmut] in pyproject.toml); slow
mutation: $(TEST_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,mutation]'
	$(BIN)/mutmut run --max-children 2
	$(BIN)/mutmut results

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache mutants
