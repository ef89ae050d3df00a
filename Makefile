# Two commands on a fresh machine: `make serve` and `make test`. Every target installs what it needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum < requirements.lock | cut -d' ' -f1)
export PYTHONPATH := hooks
export NO_MKDOCS_2_WARNING := 1

.PHONY: install serve site check anchors new-entry new-case lint test linkcheck browser bench lock clean

$(STAMP): requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

## serve: build the site and serve it with live reload on http://127.0.0.1:8000 (an edit rebuilds only what it changes)
serve: $(STAMP)
	$(BIN)/mkdocs serve --strict --dirty --dev-addr 127.0.0.1:8000

## site: strict build into site/
site: $(STAMP)
	$(BIN)/mkdocs build --strict --site-dir site

## check: validate taxonomy_src/ without building (fast)
check: $(STAMP)
	$(BIN)/python -m taxonomy check taxonomy_src

## linkcheck: build the site, then prove every link, anchor, footnote and citation in it resolves (no network)
linkcheck: site
	$(BIN)/python -m taxonomy.sitecheck site --src taxonomy_src

## anchors: add newly published URLs and #fragments to taxonomy_src/anchors.txt (never removes any)
anchors: $(STAMP)
	$(BIN)/python -m taxonomy anchors taxonomy_src

## new-entry: scaffold an entry, e.g. make new-entry ID=reward-hacking KIND=failure-mode PARENT=inner-misalignment
new-entry: $(STAMP)
	$(BIN)/python -m taxonomy new "$(ID)" --kind "$(KIND)" $(if $(PARENT),--parent "$(PARENT)") $(if $(TITLE),--title "$(TITLE)")

## new-case: scaffold a worked case, e.g. make new-case ID=coinrun-coin KIND=perfect-correlate [TITLE=...]
new-case: $(STAMP)
	$(BIN)/python -m taxonomy new-case "$(ID)" --kind "$(KIND)" $(if $(TITLE),--title "$(TITLE)")

## lint: ruff (style, bugs, imports) and mypy (types) over the code
lint: $(STAMP)
	$(BIN)/ruff check hooks tests bench
	$(BIN)/mypy

## test: lint, then every test, including the real-browser tests
test: $(STAMP) browser lint
	$(BIN)/python -m pytest

## browser: Debian's chromium for the browser tests (Playwright's own download is never used)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Install Debian's chromium first: sudo apt-get install chromium" >&2; exit 1; fi; }

## bench: build time and size at N = 100 and 1000 synthetic entries against plain Material, and edit-to-page time
bench: $(STAMP)
	$(BIN)/python bench/build_bench.py

## lock: re-pin requirements.lock from requirements.in
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet -r requirements.in
	{ echo '# Exact versions installed by `make install`; generated from requirements.in by `make lock`.'; \
	  .lock-venv/bin/pip freeze | grep -v '^pip=='; } > requirements.lock
	rm -rf .lock-venv

clean:
	rm -rf site $(VENV) .pytest_cache
