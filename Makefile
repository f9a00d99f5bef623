# Aduan — `make run` starts the portal, `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
export PORT

HTMX_VERSION := 2.0.11
HTMX_SHA256  := d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717
HTMX_JS      := portal/static/vendor/htmx.min.js
# axe-core, injected by the accessibility browser tests; never committed.
AXE_VERSION  := 4.14.1
AXE_SHA256   := 29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c
AXE_JS       := tests/.vendor/axe.min.js
CATALOGS     := $(wildcard portal/translations/*/LC_MESSAGES/messages.po)
COMPILED     := $(CATALOGS:.po=.mo)

.PHONY: run test bench install install-test instance db messages clean-venv

run: install $(HTMX_JS) $(COMPILED) instance db
	@scripts/run

# The suite runs on SQLite files; where PostgreSQL answers (always on CI),
# the same suite runs on PostgreSQL at the same time (a fresh database per
# test, each its own Redis database), its report printed after SQLite's.
# Why side by side: both passes spend much of their time waiting on real
# servers, browsers and sleeps, so two cores finish them in little more than
# the longer one.  PG_SERIAL=1 runs them one after the other.
test: install-test $(HTMX_JS) $(AXE_JS) $(COMPILED)
	$(BIN)/lint-imports --no-cache
	$(BIN)/ruff check .
	@scripts/test-both $(BIN)/python $(PYTEST_ARGS)

# BENCH_QUICK=1 make bench: a smoke run of every benchmark in about a minute.
bench: install-test $(VENV)/.installed-bench $(HTMX_JS) $(COMPILED)
	$(BIN)/python -m benchmarks

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

$(VENV)/.installed: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

# gunicorn for the throughput suite; wrk is a system package (apt-get install wrk).
$(VENV)/.installed-bench: $(VENV)/.installed
	$(BIN)/python -m pip install -q -e '.[bench]'
	touch $@

# htmx comes from the npm registry at a pinned version and is checked
# against a pinned hash; it is never committed.  Citizen pages never load it.
$(HTMX_JS):
	@mkdir -p $(dir $@)
	@tmp=$$(mktemp -d) && cd $$tmp && npm pack --silent htmx.org@$(HTMX_VERSION) >/dev/null \
	  && tar xzf htmx.org-$(HTMX_VERSION).tgz \
	  && echo "$(HTMX_SHA256)  package/dist/htmx.min.js" | sha256sum -c --quiet \
	  && cp package/dist/htmx.min.js $(CURDIR)/$@ && rm -rf $$tmp
	@echo "htmx $(HTMX_VERSION) verified -> $@"

$(AXE_JS):
	@mkdir -p $(dir $@)
	@tmp=$$(mktemp -d) && cd $$tmp && npm pack --silent axe-core@$(AXE_VERSION) >/dev/null \
	  && tar xzf axe-core-$(AXE_VERSION).tgz \
	  && echo "$(AXE_SHA256)  package/axe.min.js" | sha256sum -c --quiet \
	  && cp package/axe.min.js $(CURDIR)/$@ && rm -rf $$tmp
	@echo "axe-core $(AXE_VERSION) verified -> $@"

%.mo: %.po
	$(BIN)/pybabel compile -i $< -o $@

# Re-extract the catalog after changing UI text, then translate the .po.
messages:
	$(BIN)/pybabel extract -F babel.cfg -k _l -o portal/translations/messages.pot .
	$(BIN)/pybabel update -i portal/translations/messages.pot -d portal/translations

instance:
	@$(BIN)/flask --app portal init-instance
	@[ "$${SIMULATORS:-1}" = 0 ] || $(BIN)/python -m simulators.demo \
	  --sp4n-port $${SP4N_PORT:-8701} --rabeg-port $${RABEG_PORT:-8702} \
	  --instance "$${ADUAN_INSTANCE_PATH:-instance}"

db:
	@$(BIN)/flask --app portal db upgrade
	@$(BIN)/flask --app portal seed

clean-venv:
	rm -rf $(VENV)
