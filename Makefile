# `make demo` serves the example site; `make test` runs every check.
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
export PORT
BIN := $(abspath $(VENV))/bin
INSTALLED := $(VENV)/.installed
MANAGE := cd example_site && $(BIN)/python manage.py

# The newest Python here, for the suite on Django 6.x (`make test-django6`).
PYTHON_NEXT ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3) \
	$(shell command -v python3.13 2>/dev/null))
VENV_NEXT ?= .venv-django6

.PHONY: demo test test-fast test-django6 test-lowest lint docs messages bench clean browser redis \
	varnish screenshots leaflet

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,docs,example]"
	touch $@

# The task worker (webhooks, emails) runs beside the server and stops with it.
demo: $(INSTALLED)
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	$(BIN)/python example_site/manage.py db_worker --backend petition & worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(MANAGE) runserver 127.0.0.1:$(PORT)

# $(call apt-install,PACKAGE,TESTS): as root, install a Debian package with apt; otherwise
# say which tests will be skipped and how to install it.
apt-install = if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing $(1) for $(2)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(1) >/dev/null; \
	else \
		echo "No $(1): $(2) will be skipped. To run them: sudo apt-get install $(1)"; \
	fi

# The browser tests' needs: Debian's Chromium (installed through apt when missing and root)
# and axe-core from the npm registry. Without them the browser tests are skipped, with a
# message saying why (under CI they fail instead).
AXE := tests/browser/node_modules/axe-core/axe.min.js
CHROMIUM ?= /usr/bin/chromium
export CHROMIUM

browser:
	@if [ ! -x "$(CHROMIUM)" ]; then $(call apt-install,chromium,the browser tests); fi
	@if [ ! -f $(AXE) ]; then \
		if command -v npm >/dev/null; then npm ci --prefix tests/browser --no-audit --no-fund --silent; \
		else echo "No npm: the browser tests will be skipped (they need axe-core from npm)."; fi; \
	fi

# Redis, for the rate limits on a shared cache: installed through apt when missing and root.
redis:
	@if ! command -v redis-server >/dev/null; then $(call apt-install,redis-server,the shared-cache tests); fi

# Varnish, for the shared-cache tests (docs/varnish.vcl in front of the live server):
# installed through apt when missing and root. Debian's package starts its own service
# on port 6081; the tests start their own on a free port and leave that one alone.
VARNISHD := $(firstword $(shell command -v varnishd 2>/dev/null) $(wildcard /usr/sbin/varnishd))

varnish:
	@if [ -z "$(VARNISHD)" ]; then $(call apt-install,varnish,the Varnish tests); fi

# The screening tests once more on a throwaway Redis, with several server processes.
SCREENING_TESTS := tests/test_trust.py tests/test_organizer_controls.py tests/test_redis.py

# The suite on SQLite, then on a throwaway PostgreSQL cluster when its server is installed,
# then the screening tests on a throwaway Redis when its server is installed.
test: $(INSTALLED) browser redis varnish
	$(BIN)/pytest -m "not redis"
	@if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then \
		echo "$(BIN)/python -m tests.postgres -- $(BIN)/pytest -m \"not redis\""; \
		$(BIN)/python -m tests.postgres -- $(BIN)/pytest -m "not redis"; \
	else \
		echo "Skipping the PostgreSQL run: initdb and pg_ctl are not on the PATH."; \
		echo "To enable it, install PostgreSQL's server and put its bin folder on the PATH"; \
		echo "(Debian: apt install postgresql, then /usr/lib/postgresql/<version>/bin); see docs/contributing.md."; \
	fi
	@if command -v redis-server >/dev/null; then \
		echo "$(BIN)/python -m tests.redis_server -- $(BIN)/pytest $(SCREENING_TESTS)"; \
		$(BIN)/python -m tests.redis_server -- $(BIN)/pytest $(SCREENING_TESTS); \
	elif [ -n "$$CI" ]; then \
		echo "redis-server is missing under CI: the shared-cache tests cannot run."; exit 1; \
	else \
		echo "Skipping the Redis run: redis-server is not installed (sudo apt-get install redis-server)."; \
	fi
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet --site-dir $(VENV)/docs-check

# Day-to-day: the suite without the wheel build, the OS processes, the browser, Redis and
# Varnish, on both cores.
test-fast: $(INSTALLED)
	$(BIN)/pytest -n 2 -m "not browser and not concurrency and not package and not redis and not varnish"

$(VENV_NEXT)/.installed: pyproject.toml
	@test -n "$(PYTHON_NEXT)" || { echo "No Python 3.13 found: set PYTHON_NEXT"; exit 1; }
	$(PYTHON_NEXT) -m venv $(VENV_NEXT)
	$(VENV_NEXT)/bin/python -m pip install --quiet --upgrade pip
	$(VENV_NEXT)/bin/python -m pip install --quiet "Django>=6.0,<7" -e ".[test]"
	touch $@

test-django6: $(VENV_NEXT)/.installed browser varnish
	$(VENV_NEXT)/bin/pytest -m "not redis"

# The lowest supported pair, Wagtail 8.0 and Django 5.2, with the lower bound of every
# dependency pyproject.toml declares, on the lowest Python.
VENV_LOWEST ?= .venv-lowest
LOWEST := "wagtail==8.0" "Django==5.2" "django-filter==23.3" "django-modelcluster==6.5" \
	"django-ninja==1.6.3" "django-tasks==0.12.0" "django-tasks-db==0.13.0" \
	"phonenumbers==8.13.0" "Pillow==10.1.0" \
	"reportlab==4.0.4" "tqdm==4.66.0"
$(VENV_LOWEST)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV_LOWEST)
	$(VENV_LOWEST)/bin/python -m pip install --quiet --upgrade pip
	$(VENV_LOWEST)/bin/python -m pip install --quiet -e ".[test]" $(LOWEST)
	touch $@

test-lowest: $(VENV_LOWEST)/.installed browser varnish
	$(VENV_LOWEST)/bin/pytest -m "not redis"

# Leaflet, the page's map, vendored as the app's own static files (nothing is fetched at
# run time and the wheel needs no npm): the version wagtail_petition/static_src/package.json
# pins. To update, change the pin there, `npm install --prefix wagtail_petition/static_src`,
# then `make leaflet` and commit what it copied.
LEAFLET_SRC := wagtail_petition/static_src/node_modules/leaflet
LEAFLET_DEST := wagtail_petition/static/wagtail_petition/vendor/leaflet

leaflet:
	npm ci --prefix wagtail_petition/static_src --no-audit --no-fund
	rm -rf $(LEAFLET_DEST)
	mkdir -p $(LEAFLET_DEST)/images
	cp $(LEAFLET_SRC)/dist/leaflet.js $(LEAFLET_SRC)/dist/leaflet.js.map \
		$(LEAFLET_SRC)/dist/leaflet.css $(LEAFLET_SRC)/LICENSE $(LEAFLET_DEST)/
	cp $(LEAFLET_SRC)/dist/images/* $(LEAFLET_DEST)/images/

# The docs' and README's screenshots, taken by the browser tests.
screenshots: $(INSTALLED) browser
	WAGTAILPETITION_SCREENSHOTS=$(CURDIR)/docs/images $(BIN)/pytest -m browser

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run
	@if [ -n "$(VARNISHD)" ]; then $(BIN)/python -m tests.varnish --check; \
	else echo "No varnishd: docs/varnish.vcl not compiled."; fi

docs: $(INSTALLED)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve

# Refresh the translation catalogues after changing user-facing strings: the app's and
# the example site's home app, in every language that ships (docs/developer-guide.md,
# "Languages"), then compile them. New strings come in untranslated:
# tests/test_catalogues.py fails until each language has them.
LOCALES := en es
MESSAGE_DIRS := wagtail_petition example_site/home

messages: $(INSTALLED)
	for dir in $(MESSAGE_DIRS); do \
		(cd $$dir && $(BIN)/django-admin makemessages $(addprefix --locale ,$(LOCALES)) \
			--no-obsolete && $(BIN)/django-admin compilemessages) || exit 1; \
	done

# Benchmarks, printed as tables of ratios (several minutes; not part of `make test`):
# SQLite, then a throwaway PostgreSQL when its server tools are here. BENCH_ARGS=--quick
# for a short smoke run. See benchmarks/README.md.
$(VENV)/.installed-bench: $(INSTALLED)
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	touch $@

# The rate limits count in a throwaway Redis, shared by the server's workers, when
# redis-server is installed; the `cache` section puts a throwaway Varnish in front.
WITH_REDIS = $(if $(shell command -v redis-server 2>/dev/null),$(BIN)/python -m tests.redis_server --)

bench: $(VENV)/.installed-bench redis varnish
	env -u DATABASE_URL $(WITH_REDIS) $(BIN)/python -m benchmarks.run $(BENCH_ARGS)
	@if $(BIN)/python -c 'import sys, tests.postgres as pg; sys.exit(not pg.available())'; then \
		$(BIN)/python -m tests.postgres -- $(WITH_REDIS) $(BIN)/python -m benchmarks.run $(BENCH_ARGS); \
	else echo "PostgreSQL's initdb and pg_ctl are not on the PATH: PostgreSQL skipped."; fi

clean:
	rm -rf $(VENV) $(VENV_NEXT) $(VENV_LOWEST) site example_site/db.sqlite3* tests/browser/node_modules
