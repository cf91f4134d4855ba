# Two commands do all the set-up on a fresh machine:
#   make run    start taskerlog (the app) on your own logbook, at http://localhost:8501
#   make test   run the whole test suite (installs what it needs first)
# `make help` lists the rest.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: run test setup browser bench lint help messages

help:
	@echo "make run    - start the taskerlog app on your logbook (http://localhost:8501)"
	@echo "make test   - install everything and run the whole test suite"
	@echo "make bench  - run the benchmark (writes docs/performance.md)"
	@echo "make setup  - only create .venv and install taskerlog into it"
	@echo "make messages - extract strings to translate, update and compile the catalogues"

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@rm -f $(VENV)/.installed-*
	@touch $@

setup: $(STAMP)

run: setup
	$(VENV)/bin/taskerlog app

browser:
	@scripts/ensure-browser

test: setup browser
	$(PY) -m pytest

bench: setup
	$(PY) bench/bench.py

# docs/languages.md: extract the strings marked for translation (taskerlog's and the installed
# click's), update every catalogue, compile.
CLICK = $(shell $(PY) -c 'import click, os; print(os.path.dirname(click.__file__))')
messages: setup
	$(VENV)/bin/pybabel -q extract -F babel.cfg -k N_ -k pgettext:1c,2 -k say:2 -k nsay:2,3 --no-location --sort-output \
		--project taskerlog --add-comments Translators: -o taskerlog/locale/taskerlog.pot . $(CLICK)/*.py
	$(VENV)/bin/pybabel -q update --no-fuzzy-matching --ignore-obsolete -i taskerlog/locale/taskerlog.pot -d taskerlog/locale -D taskerlog
	$(VENV)/bin/pybabel -q compile -d taskerlog/locale -D taskerlog
