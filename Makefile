# Two commands on a fresh machine: `make serve` and `make test`. Every target installs what it needs.
# `make help` lists the targets (from the `## target: …` lines below).
PYTHON     ?= python3
PYTHON_MIN := 3.11
VENV       ?= .venv
BIN        := $(VENV)/bin
export PYTHONPATH := hooks
export NO_MKDOCS_2_WARNING := 1

.DEFAULT_GOAL := help
.PHONY: help install install-dev serve site preview check linkcheck anchors new-entry new-case release freeze editions \
        lint test test-fast test-core goldens browser latex bench lock properdocs clean

# The interpreter is checked before anything is installed; help and clean need none.
PYVERSION := $(shell $(PYTHON) -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null)
PYOK      := $(shell $(PYTHON) -c 'import sys; print(int(sys.version_info >= tuple(map(int, "$(PYTHON_MIN)".split(".")))))' 2>/dev/null)
ifneq ($(filter-out help clean,$(or $(MAKECMDGOALS),help)),)
  ifeq ($(PYVERSION),)
    $(error No Python found (got nothing runnable as '$(PYTHON)'). Fix: install Python $(PYTHON_MIN) or newer, or name one, e.g. make test PYTHON=python3.12)
  endif
  ifneq ($(PYOK),1)
    $(error Python $(PYTHON_MIN) or newer is needed (got $(PYVERSION) from '$(PYTHON)'). Fix: install a newer Python and name it, e.g. make test PYTHON=python3.12)
  endif
endif
PYVER := $(basename $(PYVERSION))

# Hashed locks (requirements/*.txt, from `make lock`): the runtime for serving and building, dev on top for tests.
# A stamp names the interpreter and the lock it installed, so a change of either reinstalls.
RUNTIME := $(VENV)/.runtime-$(PYVER)-$(firstword $(shell cksum < requirements/runtime.txt))
DEV     := $(VENV)/.dev-$(PYVER)-$(firstword $(shell cksum < requirements/dev.txt))
# NO_INSTALL=1 uses the environment in VENV as it is (e.g. one made by `make install-dev` in an earlier CI step).
ifeq ($(NO_INSTALL),)
  NEEDS_RUNTIME := $(RUNTIME)
  NEEDS_DEV     := $(DEV)
endif

# A venv made by another Python is rebuilt, never reused.
define fresh_venv
	@if [ -x $(BIN)/python ] && [ "$$($(BIN)/python -c 'import sys; print("%d.%d" % sys.version_info[:2])')" != "$(PYVER)" ]; then \
	  echo "$(VENV) was made by another Python; rebuilding it with $(PYTHON) ($(PYVERSION))."; rm -rf $(VENV); fi
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
endef

$(RUNTIME): requirements/runtime.txt pyproject.toml
	$(fresh_venv)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/runtime.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation --editable .
	rm -f $(VENV)/.runtime-* && touch $@

$(DEV): requirements/dev.txt pyproject.toml
	$(fresh_venv)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation --editable .
	rm -f $(VENV)/.dev-* $(VENV)/.runtime-* && touch $@ $(RUNTIME)

## help: list the targets
help:
	@echo "Usage: make <target> [VAR=value]. Targets:"
	@sed -n 's/^## \([a-z-]*\): \(.*\)/\1\t\2/p' $(firstword $(MAKEFILE_LIST)) | awk -F'\t' '{printf "  %-12s %s\n", $$1, $$2}'

## install: create .venv with the runtime lock and the `taxonomy` command (serve, site, check)
install: $(NEEDS_RUNTIME)

## install-dev: add the test, lint and type-check tools (make test does this itself)
install-dev: $(NEEDS_DEV)

## serve: build the site and serve it with live reload on http://127.0.0.1:8000/misalignment-taxonomy/ (an edit rebuilds only what it changes; content errors show on the page)
serve: $(NEEDS_RUNTIME)
	$(BIN)/mkdocs serve --strict --dirty --dev-addr 127.0.0.1:8000

## site: strict build into site/
site: $(NEEDS_RUNTIME)
	$(BIN)/mkdocs build --strict --site-dir site

## preview: strict build into preview/ that opens from the file system (open preview/index.html; no server)
preview: $(NEEDS_RUNTIME)
	$(BIN)/mkdocs build --strict --no-directory-urls --site-dir preview

## check: validate taxonomy_src/ without building (fast)
check: $(NEEDS_RUNTIME)
	$(BIN)/taxonomy check taxonomy_src

## linkcheck: build the site, then prove every link, anchor, footnote and citation in it resolves (no network)
linkcheck: site
	$(BIN)/taxonomy sitecheck site --src taxonomy_src

## anchors: validate, then add newly published URLs and #fragments to taxonomy_src/anchors.txt (never removes any)
anchors: $(NEEDS_RUNTIME)
	$(BIN)/taxonomy anchors taxonomy_src

# Values given on the command line reach commands through the environment, never through the shell's command
# text, so an id or title can hold quotes, backticks or $(...) without running anything.
override ID      := $(value ID)
override KIND    := $(value KIND)
override PARENT  := $(value PARENT)
override TITLE   := $(value TITLE)
override VERSION := $(value VERSION)
override DATE    := $(value DATE)
override COMMIT  := $(value COMMIT)
export ID KIND PARENT TITLE VERSION DATE COMMIT

## new-entry: scaffold an entry, e.g. make new-entry ID=reward-hacking KIND=failure-mode PARENT=inner-misalignment
new-entry: $(NEEDS_RUNTIME)
	$(BIN)/taxonomy new "$$ID" --kind "$$KIND" $${PARENT:+--parent "$$PARENT"} $${TITLE:+--title "$$TITLE"}

## new-case: scaffold a worked case, e.g. make new-case ID=my-new-case KIND=perfect-correlate [TITLE=...]
new-case: $(NEEDS_RUNTIME)
	$(BIN)/taxonomy new-case "$$ID" --kind "$$KIND" $${TITLE:+--title "$$TITLE"}

## release: date the upcoming release and set the version everywhere, e.g. make release VERSION=0.2.0 [DATE=…]
release: $(NEEDS_RUNTIME)
	@test -n "$$VERSION" || { echo "Usage: make release VERSION=x.y.z [DATE=YYYY-MM-DD]" >&2; exit 2; }
	$(BIN)/taxonomy release "$$VERSION" $${DATE:+--date "$$DATE"}

## freeze: store a released version's frozen edition in editions/, built from the commit that dated it (or COMMIT=…)
freeze: $(NEEDS_RUNTIME)
	@test -n "$$VERSION" || { echo "Usage: make freeze VERSION=x.y.z [COMMIT=sha]" >&2; exit 2; }
	$(BIN)/taxonomy editions freeze "$$VERSION" $${COMMIT:+--commit "$$COMMIT"}

## editions: strict build of the current site, plus every stored edition (verified) at site/v/<version>/
editions: site
	$(BIN)/taxonomy editions assemble site

## lint: ruff (style, bugs, imports) and mypy (types) over the code
lint: $(NEEDS_DEV)
	$(BIN)/ruff check hooks tests bench
	$(BIN)/mypy

# Tests run in parallel, one worker per core (WORKERS=1 runs them in one process); tests that share an expensive
# pass (the browser survey of every page) are kept on one worker by their xdist_group.
WORKERS ?= auto
PYTEST  := $(BIN)/python -m pytest -n $(WORKERS) --dist loadgroup

## test: lint, then every test, including the real-browser and LaTeX tests
test: $(NEEDS_DEV) browser latex lint
	$(PYTEST)

## test-fast: lint, then every test except the browser and LaTeX tests (needs no Chromium, TeX or root)
test-fast: $(NEEDS_DEV) lint
	$(PYTEST) -m "not browser and not latex"

## test-core: the pure-core tests only (tests/core: no browser, no site build; seconds)
test-core: $(NEEDS_DEV)
	$(PYTEST) tests/core -m "not slow"

## goldens: write the golden files of tests/core/ again after an intended change to a template or the renderer
goldens: $(NEEDS_DEV)
	$(BIN)/python -m pytest tests/core/test_goldens.py --snapshot-update

## browser: find Chromium for the browser tests (CHROMIUM=/path, or on PATH); as root on Debian, install it
browser: $(NEEDS_DEV)
	@$(BIN)/python tests/chromium.py >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else $(BIN)/python tests/chromium.py; fi; }

## latex: find latex, bibtex and dvi2tty for the citation tests; as root on Debian, install them (texlive-latex-base)
latex:
	@command -v latex >/dev/null 2>&1 && command -v bibtex >/dev/null 2>&1 && command -v dvi2tty >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq texlive-latex-base >/dev/null; \
	  else echo "latex, bibtex or dvi2tty not found: the LaTeX citation tests will be skipped (in CI they fail). Fix: install" \
	    "Debian's texlive-latex-base (sudo apt-get install texlive-latex-base), or TeX Live elsewhere." >&2; fi; }

# `make lock` resolves against PyPI alone (local pip configuration and mirrors are ignored), so that the hashes
# work on any fresh machine. UPGRADE=1 moves every pin to the newest version the bounds in pyproject.toml allow.
LOCK_ENV := env -u PIP_FIND_LINKS -u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL -u PIP_CONSTRAINT PIP_CONFIG_FILE=/dev/null \
            CUSTOM_COMPILE_COMMAND="make lock"
COMPILE  := .lock-venv/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
            --no-emit-find-links --index-url https://pypi.org/simple $(if $(UPGRADE),--upgrade)

## bench: build time and size at N = 100 and 1000 synthetic entries against plain Material, and edit-to-page time (BENCH="--pieces": what each piece of the lean layer saves)
bench: $(NEEDS_DEV)
	$(BIN)/python bench/build_bench.py $(BENCH)

## lock: re-pin the hashed locks in requirements/ after changing dependencies in pyproject.toml
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	$(LOCK_ENV) .lock-venv/bin/python -m pip install --quiet --require-hashes --index-url https://pypi.org/simple \
	  -r requirements/tools.txt
	$(LOCK_ENV) $(COMPILE) --output-file requirements/runtime.txt pyproject.toml requirements/build.in
	$(LOCK_ENV) $(COMPILE) --extra dev --constraint requirements/runtime.txt --output-file requirements/dev.txt \
	  pyproject.toml requirements/build.in
	$(LOCK_ENV) $(COMPILE) --output-file requirements/tools.txt requirements/tools.in
	rm -rf .lock-venv

# ProperDocs, the maintained drop-in fork of MkDocs 1.x, in an environment of its own beside the runtime lock (it
# answers `import mkdocs` with its own modules). Not in the locks: pinned here by version, installed from PyPI.
PROPERDOCS_VERSION := 1.6.7
PROPERDOCS_VENV    := .properdocs-venv
PROPERDOCS_STAMP   := $(PROPERDOCS_VENV)/.installed-$(PROPERDOCS_VERSION)-$(firstword $(shell cksum < requirements/runtime.txt))

$(PROPERDOCS_STAMP): requirements/runtime.txt
	rm -rf $(PROPERDOCS_VENV) && $(PYTHON) -m venv $(PROPERDOCS_VENV)
	$(PROPERDOCS_VENV)/bin/python -m pip install --quiet --require-hashes -r requirements/runtime.txt
	$(PROPERDOCS_VENV)/bin/python -m pip install --quiet properdocs==$(PROPERDOCS_VERSION)
	touch $@

## properdocs: build the site with ProperDocs and with MkDocs, and prove the two the same but for the generator line
properdocs: $(NEEDS_RUNTIME) $(PROPERDOCS_STAMP)
	$(BIN)/mkdocs build --strict --quiet --site-dir .cache/site-mkdocs
	$(PROPERDOCS_VENV)/bin/properdocs build --strict --quiet -f mkdocs.yml --site-dir .cache/site-properdocs
	$(BIN)/python tests/same_site.py .cache/site-mkdocs .cache/site-properdocs

## clean: remove built sites, the venv and every cache
clean:
	rm -rf site preview $(VENV) .lock-venv $(PROPERDOCS_VENV) .pytest_cache .mypy_cache .ruff_cache .cache hooks/*.egg-info
