# Two commands for a newcomer: `make book` and `make test`. CI calls `make test` exactly so, and
# `make check` on a second Python in a fresh clone without Node.js (.ci/run).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# uv (from PyPI, pinned) installs the lock exactly. It lives in a small tools venv shared by every
# clone on this machine (made once with pip), so a fresh clone with warm caches never runs pip.
UV_VERSION := 0.13.9
TOOLS ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/cyberspace-edition/uv-$(UV_VERSION)
UV := $(TOOLS)/bin/uv
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | sha256sum | cut -c1-12)
JB_FLAGS := -n -W --keep-going
# sphinx-tippy writes tooltips in set order: a fixed hash seed makes two builds byte-identical
export PYTHONHASHSEED := 0
# Python keeps the compiled libraries in .venv: with PYTHONDONTWRITEBYTECODE set (some shells and
# containers set it) every build compiled Sphinx, pandas and Altair again, ~7 s each time
unexport PYTHONDONTWRITEBYTECODE

.PHONY: book test check deps test-deps serve clean lock bench pdf vendor lab

# a failed build prints its file:line problems alone (the whole log: _build/build.log); VERBOSE=1 prints everything
book: $(STAMP)  ## set up and build the HTML book into _build/html
	$(BIN)/python -m cyberspace_edition.build . $(JB_FLAGS) $(if $(VERBOSE),--verbose)
	@echo "The book is in _build/html: open _build/html/index.html, or run 'make serve'."

deps: $(STAMP)

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(BIN)/python: | $(UV)
	$(UV) venv --quiet --python $(PYTHON) $(VENV)

# exactly the lock (packages not in it are removed), then this package, editable (bytecode is written
# as modules are first imported: see unexport PYTHONDONTWRITEBYTECODE above)
$(STAMP): requirements.lock pyproject.toml | $(BIN)/python
	$(UV) pip sync --quiet --python $(BIN)/python requirements.lock
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -e .
	rm -f $(VENV)/.installed-* && touch $@

test-deps: $(STAMP)  ## system packages the tests need, installed when missing
	@bash tools/install-system-deps.sh

test: book pdf  ## build the book and its PDF, install what the tests need, run every test
	$(BIN)/python -m pytest

pdf: $(STAMP) test-deps  ## an A4 PDF of the whole book: _build/pdf/book.pdf, published in the site as downloads/book.pdf
	$(BIN)/jupyter-book build . --builder singlehtml $(JB_FLAGS)
	$(BIN)/python -m cyberspace_edition.pdf _build/singlehtml/index.html _build/pdf/book.pdf
	$(BIN)/jupyter-book build . $(JB_FLAGS)

serve: book  ## preview the built book on http://127.0.0.1:8000
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory _build/html 8000

# JupyterLab lives in a venv of its own, .venv-lab, from requirements-lab.lock (the book's lock plus the lab extra):
# in .venv its dependencies (jupyter-events pulls jsonschema's format checkers, which compile 39 lark grammars on
# import) would add about 1 s to every build, a no-change rebuild included
LAB_VENV := .venv-lab
LAB_STAMP := $(LAB_VENV)/.installed-$(shell cat requirements-lab.lock pyproject.toml | sha256sum | cut -c1-12)

$(LAB_STAMP): requirements-lab.lock pyproject.toml | $(UV)
	test -x $(LAB_VENV)/bin/python || $(UV) venv --quiet --python $(PYTHON) $(LAB_VENV)
	$(UV) pip sync --quiet --python $(LAB_VENV)/bin/python requirements-lab.lock
	$(UV) pip install --quiet --python $(LAB_VENV)/bin/python --no-deps -e .
	rm -f $(LAB_VENV)/.installed-* && touch $@

lab: $(LAB_STAMP)  ## open the chapters in JupyterLab: a double-click opens a chapters/*.md as a notebook that draws its charts
	mkdir -p $(LAB_VENV)/share/jupyter/lab/settings
	cp tools/lab/overrides.json $(LAB_VENV)/share/jupyter/lab/settings/overrides.json
	$(LAB_VENV)/bin/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=. $(if $(filter 0,$(shell id -u)),--allow-root) chapters/s3-3-governance.md

# requirements-lab.lock is compiled with the book's lock as constraints, so the two agree on every shared package
lock: | $(UV)  ## re-pin every dependency after changing pyproject.toml (one lock for Python 3.11-3.13, and the lab's)
	$(UV) pip compile --quiet --universal --python-version 3.11 --extra test --extra tools \
	  --no-emit-index-url --output-file requirements.lock pyproject.toml
	$(UV) pip compile --quiet --universal --python-version 3.11 --extra test --extra tools --extra lab \
	  --constraint requirements.lock --no-emit-index-url --output-file requirements-lab.lock pyproject.toml

check: book  ## build, then the quick tests on every core (under 20 s): no browser, no PDF, no whole-book builds or notebook runs
	$(BIN)/python -m pytest tests -q -n auto -m 'not build and not browser and not pdf'

vendor: $(STAMP)  ## maintainers: refresh popper and tippy from npm (needs npm); see src/cyberspace_edition/vendor/
	$(BIN)/python src/cyberspace_edition/vendor/refresh.py

bench: $(STAMP)  ## measure build times and page sizes (writes benchmarks/RESULTS.md)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf _build .jupyter_cache
