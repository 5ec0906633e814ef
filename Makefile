# convention_docs — every target sets up what it needs on a fresh Debian machine.
#   make demo    render the 2026 example to out/ (.docx and .pdf), validate it, print the report
#   make test    the whole suite, real LibreOffice included
#   make check   lint (ruff), types (mypy strict), then the whole suite
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SYSTEM_STAMP := .system-deps.ok

.PHONY: demo test check lint types bench setup system-deps template logos clean

setup: $(STAMP) $(SYSTEM_STAMP)

system-deps: $(SYSTEM_STAMP)

$(SYSTEM_STAMP): tools/install-system-deps.sh
	bash tools/install-system-deps.sh
	touch $@

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m compileall -q src  # as an installed package is, whatever PYTHONDONTWRITEBYTECODE says
	touch $@

demo: setup
	$(BIN)/convention-docs render examples/paca-2026.yaml -o out/paca-2026.docx
	$(BIN)/convention-docs render examples/paca-2026.yaml -o out/paca-2026.pdf
	$(BIN)/convention-docs check out/paca-2026.docx out/paca-2026.pdf

test: setup
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests tools benchmarks examples

types: $(STAMP)
	$(BIN)/mypy

check: lint types test

bench: setup
	$(BIN)/python benchmarks/run.py

template: $(STAMP)
	$(BIN)/python tools/make_template.py

logos: $(STAMP)
	$(BIN)/python tools/make_logos.py

clean:
	rm -rf out build dist .pytest_cache .mypy_cache .ruff_cache
