# Two entry points: `make serve` (build the graph and serve it) and `make test` (everything).
# Both create a virtual environment in .venv and install what they need on first use.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT    := DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends
BUNDLED_RELEASE := bclm_kg/_bundle/release

.PHONY: serve build test lint bench dist runtime-deps system-deps bench-deps clean web-assets

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

# System packages, in three sets, each installed only where something is missing:
# - to build and serve: Java (the HermiT reasoner), Node and npm (the browser assets), git
#   (the curated data's history);
# - to test, also: Chromium and a CJK font (browser tests, readable screenshots), the OWL API
#   (the OWL 2 DL profile check) and Virtuoso (a remote store for the backend tests);
# - to benchmark, also: wrk (the HTTP load generator).
# Each entry is a Debian package, or COMMAND=PACKAGE[+PACKAGE] where having the command is enough
# (npm may come with another build of Node).
RUNTIME_DEPS := java=openjdk-17-jre-headless npm=nodejs+npm git=git
TEST_DEPS    := $(RUNTIME_DEPS) chromium=chromium fonts-noto-cjk libowlapi-java \
                virtuoso-t=virtuoso-opensource
BENCH_DEPS   := $(TEST_DEPS) wrk=wrk
apt-ensure = @missing=$$(for p in $(1); do case $$p in \
	  *=*) command -v $${p%%=*} >/dev/null 2>&1 || echo $${p\#*=} | tr + ' ';; \
	  *) dpkg -s $$p >/dev/null 2>&1 || echo $$p;; esac; done); \
	[ -z "$$missing" ] || { $(SUDO) apt-get update -qq && $(APT) $$missing; }

runtime-deps:
	$(call apt-ensure,$(RUNTIME_DEPS))

system-deps:
	$(call apt-ensure,$(TEST_DEPS))

bench-deps:
	$(call apt-ensure,$(BENCH_DEPS))

serve: runtime-deps $(STAMP)
	$(BIN)/bclm-kg serve

build: runtime-deps $(STAMP)
	$(BIN)/bclm-kg build

lint: $(STAMP)
	$(BIN)/ruff check .

test: system-deps $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

bench: bench-deps $(STAMP)
	$(BIN)/pip install --quiet -e ".[bench]"
	$(BIN)/python -m bench
	$(BIN)/python -m bench.search

# A wheel and an sdist in dist/ that carry the curated data and a release built from it, so an
# installed `bclm-kg serve` answers at once. The bundled release is removed again afterwards.
dist: runtime-deps $(STAMP) web-assets
	rm -rf $(BUNDLED_RELEASE) dist
	$(BIN)/bclm-kg build --out $(BUNDLED_RELEASE)
	$(BIN)/python -m build --no-isolation --outdir dist . ; status=$$?; \
	  rm -rf $(BUNDLED_RELEASE); exit $$status

clean:
	rm -rf build dist $(BUNDLED_RELEASE) $(VENV) .pytest_cache .ruff_cache node_modules \
	  bclm_kg/web/static/vendor test-artifacts
