"""Two builds of the same inputs are byte-identical: sphinx-tippy's random names and set order,
patched here (it offers no option for either)."""

from __future__ import annotations

from sphinx.application import Sphinx

from .. import inputs

def _reproducible_tippy_names() -> None:
    """sphinx-tippy names each page's tooltip file with a random uuid4 (to defeat browser caches),
    so two builds of the same book differ. Use one id derived from the book's inputs instead
    (inputs.book_files(): data, pages, configuration, this package): it changes whenever one of
    them does, and is the same otherwise."""
    import uuid

    import sphinx_tippy

    build_id = uuid.UUID(inputs.book_key()[:32])
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
