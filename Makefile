# Two commands do all set-up on a fresh Debian machine (see README.md):
#   make site   - build the site, the PDFs and the binder from sop_data/ into site/
#   make test   - run the test suite
# make test-fast runs the fast layer (loading, schema, checks, CLI, history) for your own loop.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: site test test-fast check serve deps system-deps system-deps-test clean

site: deps
	$(VENV)/bin/mkdocs build --clean --site-dir site

# The tests also need Poppler and DejaVu fonts (scripts/install-system-deps.sh test); `make site` does not.
test: system-deps-test deps
	$(VENV)/bin/pytest -q

# Loading, schema, checks, CLI and git history: no browser, no site build (well under 20 s).
FAST_TESTS := tests/test_load.py tests/test_schema.py tests/test_checks.py tests/test_cli.py tests/test_riwayat.py

test-fast: deps
	$(VENV)/bin/pytest -q $(FAST_TESTS)

check: deps
	$(VENV)/bin/sop check sop_data

serve: deps
	$(VENV)/bin/mkdocs serve

deps: system-deps $(STAMP)

system-deps:
	@bash scripts/install-system-deps.sh

system-deps-test:
	@bash scripts/install-system-deps.sh test

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf site .venv .pytest_cache
