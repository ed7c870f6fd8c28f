# Two commands for a newcomer: `make book` and `make test`. CI calls `make test` exactly so.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml package-lock.json | sha256sum | cut -c1-12)
JB_FLAGS := -n -W --keep-going
# sphinx-tippy writes tooltips in set order: a fixed hash seed makes two builds byte-identical
export PYTHONHASHSEED := 0

.PHONY: book test deps test-deps serve clean lock bench pdf

book: $(STAMP)  ## set up and build the HTML book into _build/html
	$(BIN)/python -m cyberspace_edition.buildcache _build
	$(BIN)/jupyter-book build . $(JB_FLAGS)
	@echo "The book is in _build/html: open _build/html/index.html, or run 'make serve'."

deps: $(STAMP)

$(STAMP): requirements.lock pyproject.toml package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	rm -f $(VENV)/.installed-* && touch $@

test-deps: $(STAMP)  ## system packages the tests need, installed when missing
	@bash tools/install-system-deps.sh

test: book pdf  ## build the book and its PDF, install what the tests need, run every test
	$(BIN)/python -m pytest

pdf: $(STAMP) test-deps  ## an A4 PDF of the whole book: _build/pdf/book.pdf, published in the site as downloads/book.pdf
	$(BIN)/python -m cyberspace_edition.buildcache _build
	$(BIN)/jupyter-book build . --builder singlehtml $(JB_FLAGS)
	$(BIN)/python -m cyberspace_edition.pdf _build/singlehtml/index.html _build/pdf/book.pdf
	$(BIN)/jupyter-book build . $(JB_FLAGS)

serve: book  ## preview the built book on http://127.0.0.1:8000
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory _build/html 8000

lock:  ## re-pin every dependency after changing pyproject.toml
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --extra test --strip-extras --no-emit-index-url --output-file requirements.lock pyproject.toml

bench: $(STAMP)  ## measure build times and page sizes (writes benchmarks/RESULTS.md)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf _build .jupyter_cache
