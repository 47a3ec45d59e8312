# Two entry points: `make serve` (build the graph and serve it) and `make test` (everything).
# Both create a virtual environment in .venv and install what they need on first use.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: serve build test lint bench system-deps clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Java runs the HermiT reasoner; the OWL API checks the OWL 2 DL profile in the tests;
# Chromium runs the browser tests of the query page.
system-deps:
	@command -v java >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
	  $(SUDO) apt-get install -y -qq openjdk-17-jre-headless; }
	@[ -f /usr/share/java/owlapi-distribution.jar ] || { $(SUDO) apt-get update -qq && \
	  $(SUDO) apt-get install -y -qq --no-install-recommends libowlapi-java; }
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
	  $(SUDO) apt-get install -y -qq chromium; }

serve: system-deps $(STAMP)
	$(BIN)/bclm-kg serve

build: system-deps $(STAMP)
	$(BIN)/bclm-kg build

test: system-deps $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

bench: system-deps $(STAMP)
	$(BIN)/python -m bench.run

clean:
	rm -rf build $(VENV) .pytest_cache .ruff_cache
