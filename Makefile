# `make demo` serves the example site; `make test` runs every check.
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
BIN := $(abspath $(VENV))/bin
INSTALLED := $(VENV)/.installed
MANAGE := cd example_site && $(BIN)/python manage.py

.PHONY: demo test lint docs messages clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,docs,example]"
	touch $@

demo: $(INSTALLED)
	$(MANAGE) migrate --noinput
	PORT=$(PORT) $(MANAGE) load_demo
	$(MANAGE) runserver 127.0.0.1:$(PORT)

test: $(INSTALLED)
	$(BIN)/pytest
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet --site-dir "$$(mktemp -d)"

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run

docs: $(INSTALLED)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve

# Refresh the translation catalogue after changing user-facing strings.
messages: $(INSTALLED)
	cd wagtail_petition && $(BIN)/django-admin makemessages --locale en --no-obsolete \
		&& $(BIN)/django-admin compilemessages

clean:
	rm -rf $(VENV) site example_site/db.sqlite3*
