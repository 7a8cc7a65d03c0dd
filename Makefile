# Everyday commands. `make run` and `make test` work on a fresh machine: they install what is
# missing first (a virtualenv in .venv, the Python packages, Debian's Chromium for browser tests).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test test-sqlite test-postgresql lint bench clean browser messages

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# Debian's Chromium for the Playwright browser tests (never `playwright install`: no downloads).
browser:
	@test -x /usr/bin/chromium || { \
	  echo "Installing Debian's chromium for browser tests"; \
	  (apt-get update -qq && apt-get install -y -qq chromium chromium-driver) >/dev/null; }

## Install everything, create the SQLite database, load the demo and serve it on :8050.
run: install
	$(BIN)/python app.py

## Install everything and run the whole test suite on SQLite and on PostgreSQL, in two
## processes (pytest-xdist; TEST_WORKERS=1 for one).
TEST_WORKERS ?= 2
test: install browser
	$(BIN)/pytest -n $(TEST_WORKERS) --durations=25 --backends=sqlite,postgresql

test-sqlite: install
	$(BIN)/pytest -n $(TEST_WORKERS) --backends=sqlite

## Extract the texts to translate into delivery/i18n/locale/messages.pot and add new ones to
## each language's messages.po (pybabel extract + update; see delivery/i18n/catalogues.py).
## No compile step: the app reads the .po files themselves.
messages: install
	$(BIN)/python -m delivery.i18n.catalogues

lint: install
	$(BIN)/ruff check .

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) instance .pytest_cache
