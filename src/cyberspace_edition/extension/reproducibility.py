"""Two builds of the same inputs are byte-identical: sphinx-tippy's random names and set order,
patched here (it offers no option for either)."""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

from .. import text

def _reproducible_tippy_names() -> None:
    """sphinx-tippy names each page's tooltip file with a random uuid4 (to defeat browser caches),
    so two builds of the same book differ. Use one id derived from the book's inputs instead:
    it still changes whenever the data or this package change, and is the same otherwise."""
    import hashlib
    import uuid

    import sphinx_tippy

    h = hashlib.sha256()
    for path in sorted([*text.DATA.rglob("*"), *Path(__file__).parents[1].rglob("*")]):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(path.read_bytes())
    build_id = uuid.UUID(h.hexdigest()[:32])
    sphinx_tippy.uuid4 = lambda: build_id


def _sort_tippy_refs(app: Sphinx, exception) -> None:
    """sphinx-tippy keeps each page's links in a set of tuples holding None, whose order changes
    from run to run (hash(None) is an address in Python 3.11): sort them before it writes."""
    if exception or app.builder.format != "html":
        return
    import sphinx_tippy

    for data in sphinx_tippy.get_tippy_data(app)["pages"].values():
        for key in ("refs_in_page", "custom_in_page", "wiki_titles", "dois", "rtd_urls"):
            if isinstance(data.get(key), set):
                data[key] = sorted(data[key], key=lambda item: repr(item))



def setup(app: Sphinx) -> None:
    _reproducible_tippy_names()
    app.connect("build-finished", _sort_tippy_refs, priority=400)  # before sphinx-tippy writes
