# The tracker's interface: make install | seed | run | test | bench
# DATABASE_URL selects PostgreSQL (postgres://user@host:port/name); SQLite db.sqlite3 otherwise.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installed

# Development defaults for the commands that serve or seed; production sets its own environment.
DEV_ENV := DJANGO_DEBUG=$${DJANGO_DEBUG:-1}

.PHONY: install seed run test lint migrations-check pytest fuzz bench clean chromium libreoffice messages loadtest

install: $(STAMP) node_modules/.installed locale/nl/LC_MESSAGES/django.mo chromium libreoffice

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; \
	  print("\n".join(p["dependencies"] + p["optional-dependencies"]["test"]))' > $(VENV)/requirements.txt
	$(PY) -m pip install --quiet -r $(VENV)/requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

locale/nl/LC_MESSAGES/django.mo: locale/nl/LC_MESSAGES/django.po $(STAMP)
	DJANGO_DEBUG=1 $(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0

# Browser tests drive Debian's Chromium (never a downloaded browser).
chromium:
	@command -v chromium >/dev/null || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# The Word letters are opened the way a reader would: converted by Debian's LibreOffice (Writer
# without a display) and poppler's pdftotext in the tests.
libreoffice:
	@command -v soffice >/dev/null && command -v pdftoppm >/dev/null || { \
	  echo "Installing Debian's LibreOffice Writer and poppler-utils for the Word tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    libreoffice-writer-nogui poppler-utils >/dev/null; }

seed: install
	$(DEV_ENV) $(MANAGE) migrate --noinput -v 0
	$(DEV_ENV) $(MANAGE) seed
	@if [ "$${DJANGO_DEBUG:-1}" = "1" ]; then $(DEV_ENV) $(MANAGE) create_demo_users; fi

run: seed
	$(DEV_ENV) $(MANAGE) runserver 127.0.0.1:8000

lint: install
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

migrations-check: install
	DJANGO_DEBUG=1 $(MANAGE) makemigrations --check --dry-run

pytest: install
	$(VENV)/bin/pytest $(PYTEST_ARGS)

test: lint migrations-check pytest

# The hostile-input tests with FUZZ_EXAMPLES examples each from a random seed (make test runs a
# fixed 25). A failure prints the example and a @reproduce_failure line to replay it.
FUZZ_EXAMPLES ?= 200
fuzz: install
	HYPOTHESIS_PROFILE=fuzz FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(VENV)/bin/pytest -p no:cacheprovider \
	  tests/test_hostile_input.py $(PYTEST_ARGS)

# The benchmark: the pages at 1,000 and 10,000 measures beside the admin and a raw floor.
# The first run builds bench/bench-<scale>.sqlite3 (a few minutes); later runs reuse them.
# Options: make bench BENCH_ARGS="--scales 1000 --requests 5 --rebuild"
bench: install
	$(PY) -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules staticfiles

# Collect every translatable string into the Dutch catalogue; then translate the empty entries
# (a test fails while any is left).
messages: install
	DJANGO_DEBUG=1 $(MANAGE) makemessages -l nl --no-obsolete --ignore=.venv --ignore=node_modules -v 0
	msgattrib --clear-fuzzy --empty -o locale/nl/LC_MESSAGES/django.po locale/nl/LC_MESSAGES/django.po
	msgfmt --check --statistics -o /dev/null locale/nl/LC_MESSAGES/django.po

# Gunicorn with production settings on a fresh PostgreSQL database on loopback, driven by
# concurrent readers and contributors for LOADTEST_SECONDS; fails on any server error or lost update.
LOADTEST_SECONDS ?= 30
loadtest: install
	$(PY) loadtest/run.py --seconds $(LOADTEST_SECONDS)
