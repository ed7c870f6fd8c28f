"""Links written before anyone knows the pages: ``edition:LABEL``, resolved when a page is written.

The chapters' code cells run in a Jupyter kernel, which cannot know which page a paragraph is on,
nor whether the page is one of the site (``_build/html``) or the single page the PDF is printed
from (``_build/singlehtml``). So a chart or a chart's data table links a paragraph, a chapter or a
figure with a placeholder, ``edition:s3-2-p03`` (``edition.paragraph_url``), where LABEL is any
label of Sphinx's standard domain: a paragraph id, a heading label (``s3-2``), a figure's name
(``fig-s3-2-cncert``).

When a page is written, each placeholder in its body, in an ``href`` attribute or in a chart's
Vega-Lite spec alike, becomes the address the current builder gives that label: the docname and
anchor Sphinx recorded for it, made relative by ``builder.get_relative_uri`` (on the site
``../chapters/s3-2-cybersecurity.html#s3-2-p03``, or ``#s3-2-p03`` on its own page; in the single
page always ``#s3-2-p03``). A label Sphinx does not know stops the build with a DataError naming the
page.

Priority 300 on ``html-page-context``: before sphinx-tippy (450), which reads the body's links to
make their tooltips, and before any later handler that moves chart specs out of the body, so that
they move with their addresses resolved.
"""

from __future__ import annotations

import re

from sphinx.application import Sphinx

from .. import edition
from ..errors import DataError

PLACEHOLDER = re.compile(r"(?<![\w.:/-])" + re.escape(edition.LINK_SCHEME) + r"([a-z0-9][a-z0-9_-]*)")
PRIORITY = 300


def target_uri(app: Sphinx, fromdoc: str, label: str) -> str | None:
    """The address of a standard-domain label from a page, for the current builder (None if unknown)."""
    std = app.env.get_domain("std")
    found = std.anonlabels.get(label)  # every label, named or not: (docname, anchor)
    if not found:
        return None
    docname, anchor = found
    page = app.builder.get_relative_uri(fromdoc, docname)
    # the single-page builder names each page by an anchor of its one page ("#document-x"):
    # the label's own anchor is on that same page
    page = page.split("#", 1)[0]
    return f"{page}#{anchor}" if anchor else (page or "#")


def resolve(app: Sphinx, pagename: str, markup: str) -> str:
    """Every ``edition:LABEL`` of a page's markup replaced by its address; unknown labels stop the build."""
    unknown: list[str] = []

    def replace(m: re.Match) -> str:
        uri = target_uri(app, pagename, m[1])
        if uri is None:
            unknown.append(m[1])
            return m[0]
        return uri  # docnames and Sphinx's anchors hold no character to escape

    out = PLACEHOLDER.sub(replace, markup)
    if unknown:
        path = app.env.doc2path(pagename) if pagename in app.env.all_docs else pagename
        raise DataError(path, 0, f"links to {', '.join(sorted(set(unknown)))}, which no page of the book "
                                 f"holds (edition:LABEL names a paragraph id, a heading label or a figure's name)")
    return out


def resolve_page(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if "body" in context:
        context["body"] = resolve(app, pagename, context["body"])


def setup(app: Sphinx) -> None:
    app.connect("html-page-context", resolve_page, priority=PRIORITY)
