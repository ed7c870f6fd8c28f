"""The tooltips' data files: what a tooltip shows, and only the files the pages load.

sphinx-tippy (written against 0.4.3, ``TIPPY_VERSION``; it is one module, ``sphinx_tippy.py``)
writes one script per page, ``_static/tippy/<page>.<id>.js``, holding the HTML of every tooltip
on that page. Its defaults made that script the largest part of a chapter's later visit (the
longest chapter's: 335 KB, 44.6 KB gzip; now 82 KB, 19.9 KB gzip). Four changes, through its
configuration where it has an option, else on its data (``sphinx_tippy.get_tippy_data(app)``, at
``build-finished`` before its writer) or on the files it wrote. A new sphinx-tippy fails
tests/test_tooltips.py until each is checked against it and ``TIPPY_VERSION`` is updated:

- Figures have no tooltip: sphinx-tippy copies the whole ``<figure>`` (the chart's data table
  included) into the tooltip of a ``{numref}`` link, where the chart cannot even draw. A reader
  following "figure 3" goes to the figure. Done in ``_config.yml`` (``tippy_tip_selector`` without
  ``figure`` and ``table``), so no label naming matters; no figure link leads to another page.
- A glossary term's tooltip is the entry's head, not the entry: sphinx-tippy copies the ``<dt>``
  and up to six ``<p>`` of the ``<dd>`` (for 中国, 7.6 KB: every paragraph it occurs in). The
  tooltip over a term in the running text shows the term, the line with its reading, English name
  and category, and the first paragraph of the definition (``glossary_tip``); the link still leads
  to the whole entry, and edition.js ends the tooltip with a link to it. Every ``lang`` stays.
- Stale files go: sphinx-tippy deletes a page's old file by globbing ``<first path part>.*.js``
  in the page's folder (``chapters.*.js`` for ``chapters/s3-3-governance``), which matches only
  for pages at the top level, so every rebuild of a chapter left its old file behind, to be
  published with ``_build/html``. After sphinx-tippy writes, every file under ``_static/tippy``
  that no page of the build loads is removed (``remove_unreferenced``).
- A rebuild keeps every page's tooltips: sphinx-tippy collects a page's tooltip data only while
  writing that page, and Sphinx saved its environment before, so a rebuild that writes one
  chapter gave it no tooltip for any term of the glossary (not written again). The data is saved
  beside the environment and put back for the pages not written (``restore_pages``).

The files stay ASCII (``json.dumps``' default, each Chinese character written as ``\\uXXXX``):
written as UTF-8 the longest chapter's would be 10 % smaller raw (82 -> 74 KB) but under 1 % smaller
gzip (19.9 -> 19.7 KB), as a host serves it; not worth a second writer of sphinx-tippy's files.

Byte-identical builds: everything here is a pure function of sphinx-tippy's data (see
``reproducibility.py`` for its file names and link order).
"""

from __future__ import annotations

import pickle
import re
from pathlib import Path

from bs4 import BeautifulSoup, Tag
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

TIPPY_VERSION = "0.4.3"
GLOSSARY_PAGE = "back/glossary"
# the paragraphs apparatus.EditionGlossary writes after the definition, by their opening words:
# none of them may be taken for the definition
AFTER_DEFINITION = ("Name as the source gives it:", "Also in the text as:", "Related:", "Names inside it:",
                    "In the text:")
# the query is Sphinx's checksum, added when the file is there as the page is written (a build of
# inputs seen before gives the same file name): src="../_static/tippy/x.<id>.js?v=63b61031"
SCRIPT_SRC = re.compile(r'<script\b[^>]*\bsrc="([^"?#]*_static/tippy/[^"?#]+\.js)(?:[?#][^"]*)?"')


def tooltip_scripts(page_html: str) -> list[str]:
    """The addresses (without query) of the tooltip scripts a page's HTML loads."""
    return SCRIPT_SRC.findall(page_html)


def glossary_tip(html: str) -> str | None:
    """A glossary entry's tooltip: the <dt> and a <dd> with the entry's first two paragraphs,
    the name line (reading · English name (status) · category) and the first paragraph of the
    definition; None if ``html`` is not a glossary entry. The ids go (they are the glossary's
    own), and the classes (the glossary page's filter reads them); ``lang`` stays on every element.

    Picked by structure, and checked: the name line holds the reading (<em>) and the name
    (<strong>), and the definition is not one of the paragraphs that follow it; a glossary that
    changed shape stops the build here instead of giving tooltips that say the wrong thing."""
    soup = BeautifulSoup(html, "html.parser")
    dt = soup.find("dt", recursive=False)
    if not isinstance(dt, Tag) or "glossary-entry" not in (dt.get("class") or []):
        return None
    dd = dt.find_next_sibling("dd")
    term = dt.get_text().strip()
    paragraphs = dd.find_all("p", recursive=False) if isinstance(dd, Tag) else []
    if len(paragraphs) < 2:
        raise ExtensionError(f"{GLOSSARY_PAGE}: glossary entry {term!r} has no name line and definition "
                             f"(tooltips.glossary_tip expects <dt><dd><p>name line</p><p>definition</p>)")
    name, definition = paragraphs[:2]
    if name.find("em") is None or name.find("strong") is None:
        raise ExtensionError(f"{GLOSSARY_PAGE}: glossary entry {term!r}: the first paragraph is not the "
                             f"name line (<em>reading</em> · <strong>name</strong>): {name.get_text()[:80]!r}")
    if definition.get_text().strip().startswith(AFTER_DEFINITION):
        raise ExtensionError(f"{GLOSSARY_PAGE}: glossary entry {term!r}: the second paragraph is not the "
                             f"definition: {definition.get_text()[:80]!r}")
    for tag in (dt, dd):
        for attribute in ("id", "class"):
            tag.attrs.pop(attribute, None)
    for child in list(dd.children):
        if child is not name and child is not definition:
            child.extract()
    return str(dt) + str(dd)


def trim_tips(app: Sphinx, exception) -> None:
    """Every page's glossary tooltips cut to glossary_tip, before sphinx-tippy writes them."""
    if exception or app.builder.format != "html":
        return
    import sphinx_tippy

    for data in sphinx_tippy.get_tippy_data(app)["pages"].values():
        id_to_html = data["id_to_html"]
        for key, html in id_to_html.items():
            if html and html.startswith("<dt"):
                tip = glossary_tip(html)
                if tip is not None:
                    id_to_html[key] = tip


def _saved(app: Sphinx) -> Path:
    """In the doctree folder, beside Sphinx's environment.pickle; one per builder (html and
    singlehtml share the folder, and their pages differ)."""
    return Path(app.doctreedir, f"tippy-pages-{app.builder.name}.pickle")


def restore_pages(app: Sphinx, exception) -> None:
    """The tooltip data of pages not written in this build, as the last build collected it.

    sphinx-tippy collects a page's tooltips when the page is written (``html-page-context``),
    after Sphinx has saved its environment, so the data of pages left unwritten is lost: a
    rebuild after an edit to one chapter writes that chapter alone, and its tooltips for the
    glossary's terms and other pages' headings vanish (sphinx-tippy finds no data for the target
    page and skips the link). Each build saves the data (``save_pages``) and the next one puts
    back what it did not collect again, for the pages the book still has, before sphinx-tippy
    writes: so every page's file is written again with the targets' current tooltips.

    A build that wrote no page (nothing changed) leaves every file as it is: nothing is put back,
    so sphinx-tippy writes nothing, and the saved data and the folder are kept (``unchanged``)."""
    if exception or app.builder.format != "html":
        return
    import sphinx_tippy

    pages = sphinx_tippy.get_tippy_data(app)["pages"]
    app.edition_tooltips_unchanged = not pages
    path = _saved(app)
    if not pages or not path.is_file():
        return
    with path.open("rb") as handle:
        saved = pickle.load(handle)
    for pagename, data in saved.items():
        if pagename not in pages and pagename in app.env.all_docs:
            pages[pagename] = {**data, "js_path": Path(app.outdir, data["js_path"])}


def unchanged(app: Sphinx) -> bool:
    """No page was written in this build (restore_pages found no tooltip data collected)."""
    return getattr(app, "edition_tooltips_unchanged", False)


def save_pages(app: Sphinx, exception) -> None:
    """Every page's tooltip data, for the next build's restore_pages."""
    if exception or app.builder.format != "html" or unchanged(app):
        return
    import sphinx_tippy

    pages = sphinx_tippy.get_tippy_data(app)["pages"]
    saved = {name: {**data, "js_path": Path(data["js_path"]).relative_to(app.outdir).as_posix()}
             for name, data in sorted(pages.items())}
    with _saved(app).open("wb") as handle:
        pickle.dump(saved, handle, pickle.HIGHEST_PROTOCOL)


def referenced_scripts(app: Sphinx) -> set[Path]:
    """The tooltip scripts the build's pages load (those written now and those kept from before)."""
    loaded: set[Path] = set()
    for docname in sorted(app.env.all_docs):
        page = Path(app.builder.get_outfilename(docname))
        if page.is_file():
            for src in tooltip_scripts(page.read_text(encoding="utf-8")):
                loaded.add((page.parent / src).resolve())
    return loaded


def remove_unreferenced(app: Sphinx, exception) -> None:
    """After sphinx-tippy writes: delete the tooltip scripts no page loads, and empty folders."""
    if exception or app.builder.format != "html" or unchanged(app):
        return
    folder = Path(app.outdir, "_static", "tippy")
    if not folder.is_dir():
        return
    loaded = referenced_scripts(app)
    for script in sorted(folder.rglob("*.js")):
        if script.resolve() not in loaded:
            script.unlink()
    for sub in sorted((p for p in folder.rglob("*") if p.is_dir()), reverse=True):
        if not any(sub.iterdir()):
            sub.rmdir()


def setup(app: Sphinx) -> None:
    # sphinx-tippy writes its files at build-finished with the default priority, 500;
    # reproducibility._sort_tippy_refs (400) orders the links of the pages written now
    app.connect("build-finished", restore_pages, priority=420)
    app.connect("build-finished", trim_tips, priority=450)
    app.connect("build-finished", save_pages, priority=600)
    app.connect("build-finished", remove_unreferenced, priority=610)
