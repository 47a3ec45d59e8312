# Two entry points: `make serve` (build the graph and serve it) and `make test` (everything).
# Both create a virtual environment in .venv and install what they need on first use.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT    := DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends
BUNDLED_RELEASE := bclm_kg/_bundle/release

.PHONY: serve build test lint bench dist system-deps clean web-assets


$(STAMP): pyproject.toml package-lock.json web-assets/build.mjs web-assets/editor.js
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	$(MAKE) web-assets
	touch $@

# The browser assets come from npm (package.json, locked): the query editor (CodeMirror 6) is
# bundled and the map geometry (world-atlas) copied into bclm_kg/web/static/vendor/, which the
# service serves and the wheel ships; axe-core stays in node_modules/ for the browser tests.
web-assets:
	npm ci --no-audit --no-fund --loglevel=error
	npm run --silent build

# Java runs the HermiT reasoner; the OWL API (libowlapi-java) checks the OWL 2 DL profile in
# the tests; Chromium (with a CJK font for readable screenshots) runs the browser tests; Node
# and npm install and bundle the browser assets; Virtuoso is a remote store for the backend
# tests; wrk is the benchmark's load generator.
system-deps:
	@command -v java >/dev/null 2>&1 && command -v chromium >/dev/null 2>&1 && \
	  command -v npm >/dev/null 2>&1 && dpkg -s fonts-noto-cjk >/dev/null 2>&1 && \
	  dpkg -s libowlapi-java >/dev/null 2>&1 && command -v wrk >/dev/null 2>&1 && \
	  command -v virtuoso-t >/dev/null 2>&1 || { \
	  $(SUDO) apt-get update -qq && \
	  $(APT) openjdk-17-jre-headless chromium fonts-noto-cjk libowlapi-java nodejs npm \
	  wrk virtuoso-opensource; }

serve: system-deps $(STAMP)
	$(BIN)/bclm-kg serve

build: system-deps $(STAMP)
	$(BIN)/bclm-kg build

lint: $(STAMP)
	$(BIN)/ruff check .

test: system-deps $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

bench: system-deps $(STAMP)
	$(BIN)/pip install --quiet -e ".[bench]"
	$(BIN)/python -m bench
	$(BIN)/python -m bench.search

# A wheel and an sdist in dist/ that carry the curated data and a release built from it, so an
# installed `bclm-kg serve` answers at once. The bundled release is removed again afterwards.
dist: system-deps $(STAMP) web-assets
	rm -rf $(BUNDLED_RELEASE) dist
	$(BIN)/bclm-kg build --out $(BUNDLED_RELEASE)
	$(BIN)/python -m build --no-isolation --outdir dist . ; status=$$?; \
	  rm -rf $(BUNDLED_RELEASE); exit $$status

clean:
	rm -rf build dist $(BUNDLED_RELEASE) $(VENV) .pytest_cache .ruff_cache node_modules \
	  bclm_kg/web/static/vendor test-artifacts
