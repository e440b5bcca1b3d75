# Two commands do all set-up on a fresh Debian machine (see README.md):
#   make site   - build the site, the PDFs and the binder from sop_data/ into site/
#   make test   - run every test: the unit tests, real site builds, Chromium, the installed wheel
# make test-fast runs the fast layer for your own loop: every test not marked slow or browser
# (the markers are listed in pyproject.toml), in under 20 s: on every core (pytest-xdist).
VENV ?= .venv
# Material for MkDocs prints an English end-of-life notice when its theme is imported, before any
# plugin of ours runs; this variable (material/templates/__init__.py) keeps `make site` and
# `make serve` in Indonesian.
export NO_MKDOCS_2_WARNING := 1
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: site test test-fast check serve deps system-deps system-deps-test clean lint

site: deps
	$(VENV)/bin/mkdocs build --clean --site-dir site

# The tests also need Poppler and DejaVu fonts (scripts/install-system-deps.sh test); `make site` does not.
# On every core (pytest-xdist), one test module per worker at a time (--dist loadfile): a module's
# shared site build is made once, not once per worker.
test: system-deps-test deps lint
	$(VENV)/bin/pytest -q -n auto --dist loadfile

# ruff and mypy as configured in pyproject.toml: zero findings.
lint: deps
	$(VENV)/bin/ruff check plugins tests scripts
	$(VENV)/bin/mypy

# No site build, no Chromium, nothing over about a second: loading, schema, rules, history, diff,
# pagination, routing, drawing single SOPs with Graphviz, the CLI.
test-fast: deps
	$(VENV)/bin/pytest -q -n auto -m "not slow and not browser"

check: deps
	$(VENV)/bin/sop check sop_data

serve: deps
	$(VENV)/bin/mkdocs serve

deps: system-deps $(STAMP)

system-deps:
	@bash scripts/install-system-deps.sh

system-deps-test:
	@bash scripts/install-system-deps.sh test

# axe-core for the accessibility audit (tests/test_axe.py): the wheel axe-playwright-python ships
# axe.min.js (axe-core 4.12.1, MPL-2.0); installed without its dependencies, since they pull
# Playwright, which we do not use.
$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps 'axe-playwright-python==0.1.8'
	touch $(STAMP)

clean:
	rm -rf site .venv .pytest_cache
