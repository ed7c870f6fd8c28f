"""Sphinx extension: the book on paper, and the site's way to it.

- ``print.css`` (static/) is the print stylesheet of every page, loaded with ``media="print"``:
  the PDF (`make pdf`) and a chapter printed from the browser use the same rules.
- The single-page build (``singlehtml``, which the PDF is printed from) holds every page: a link
  written as an address in the site, ``../chapters/s3-2-cybersecurity.html#s3-2-p03`` (chart
  tables and notes compute such addresses), becomes ``#s3-2-p03`` there, so that it leads to its
  paragraph inside the PDF.
- ``_build/pdf/book.pdf``, when `make pdf` has made it, is published as ``downloads/book.pdf``:
  the ``edition-pdf`` directive links it (or says how to make it when it is absent), and the
  theme's download button offers it instead of the page's source file, which the site does not
  publish (``html_copy_source: false``).
"""

from __future__ import annotations

import html
import posixpath
import re
import shutil
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

PDF_URL = "downloads/book.pdf"


def built_pdf(app: Sphinx) -> Path | None:
    """The book's PDF made by `make pdf` next to this build (_build/pdf/book.pdf), if any."""
    path = Path(app.outdir).parent / "pdf" / "book.pdf"
    return path if path.is_file() else None


def _pdf_signature(app: Sphinx) -> str:
    pdf = built_pdf(app)
    return f"{pdf.stat().st_size}" if pdf else "absent"


def _size(app: Sphinx) -> str:
    return f"{built_pdf(app).stat().st_size / 1e6:.1f} MB"


# --- the link to the PDF -----------------------------------------------------------------

class pdf_link(nodes.General, nodes.Element):
    """Where the book's PDF is linked: decided when the page is written, not when it is read."""


class EditionPdf(SphinxDirective):
    """``edition-pdf``: a paragraph linking the whole book's PDF, or saying how to make it."""

    has_content = False

    def run(self):
        return [pdf_link()]


def visit_pdf_link_html(self, node):
    app = self.builder.app
    if self.builder.name == "singlehtml":  # the PDF itself is printed from this page
        raise nodes.SkipNode
    if built_pdf(app):
        href = posixpath.relpath(PDF_URL, posixpath.dirname(self.builder.current_docname) or ".")
        self.body.append(
            f'<p class="edition-pdf"><a class="reference external" href="{html.escape(href)}" '
            f'type="application/pdf" download>The whole book as a PDF</a> (A4, {_size(app)}): '
            f'the Chinese text, the English rendering, the notes in full and the charts.</p>\n')
    else:
        self.body.append(
            '<p class="edition-pdf">A PDF of the whole book (A4) is made by <code>make pdf</code>; '
            'this copy of the site was built without it.</p>\n')
    raise nodes.SkipNode


def skip(self, node):
    raise nodes.SkipNode


# --- the theme's download button: only what exists ---------------------------------------

def download_buttons(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """The book's PDF (when built) and printing the page; not the unpublished source file."""
    buttons = context.get("header_buttons")
    if not buttons:
        return
    for group in [b for b in buttons if b.get("label") == "download-buttons"]:
        kept = [b for b in group["buttons"] if b.get("type") == "javascript"]  # window.print()
        if built_pdf(app) and app.builder.name == "html":
            kept.insert(0, {"type": "link", "url": context["pathto"](PDF_URL, 1), "text": "book.pdf",
                            "tooltip": f"The whole book as a PDF (A4, {_size(app)})",
                            "icon": "fas fa-file-pdf", "label": "download-book-pdf-button"})
        group["buttons"] = kept
        group["tooltip"] = "Download or print"
        if not kept:
            buttons.remove(group)


def outdated_by_pdf(app: Sphinx, env) -> list[str]:
    """Every page names the PDF in its download button: rewrite them all when it appears or changes."""
    signature = _pdf_signature(app)
    if getattr(env, "edition_pdf_signature", None) != signature:
        env.edition_pdf_signature = signature
        return sorted(env.found_docs)
    return []


def publish_pdf(app: Sphinx, exception) -> None:
    if exception or app.builder.name != "html":
        return
    target = Path(app.outdir) / PDF_URL
    pdf = built_pdf(app)
    if pdf:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pdf, target)
    elif target.exists():
        target.unlink()  # a stale copy would be linked by nothing
        if not any(target.parent.iterdir()):
            target.parent.rmdir()


# --- the single page: links between pages become links inside it -------------------------

def single_page_links(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """In the single-page build, ``(../)chapters/x.html#id`` -> ``#id`` and ``x.html`` -> its start."""
    if app.builder.name != "singlehtml" or "body" not in context:
        return
    docs = app.env.found_docs
    ids = set(re.findall(r'\sid="([^"]+)"', context["body"]))

    def local(m: re.Match) -> str:
        path, fragment = m["path"], m["fragment"]
        doc = posixpath.normpath(path)[: -len(".html")]
        while doc.startswith("../"):
            doc = doc[3:]
        if doc not in docs:
            return m[0]
        if fragment and fragment in ids:
            return f'href="#{fragment}"'
        return f'href="#document-{doc}"'

    body = re.sub(r'href="(?P<path>(?:\.\./)*[\w./-]+?\.html)(?:#(?P<fragment>[^"]*))?"', local, context["body"])
    # a page the single page does not hold (the index, search): its name stays, as text
    # and so do the site's data downloads (back/data.md), which the single page does not ship
    context["body"] = re.sub(r'<a\b[^>]*\shref="(?!#|[a-z]+:)(?:[^"]*\.html(?:#[^"]*)?|(?:\.\./)*downloads/[^"]*)"[^>]*>(.*?)</a>',
                             r"<span>\1</span>", body, flags=re.S)


# what the theme's page template names beside the body: the index and the search page, which a
# single-page build does not make
SINGLE_PAGE_HEAD = [r'\s*<link rel="index"[^>]*href="genindex\.html"\s*/?>',
                    r'\s*<link rel="search"[^>]*href="search\.html"\s*/?>',
                    r'\s*<script src="searchindex\.js"></script>']


def single_page_head(app: Sphinx, exception) -> None:
    if exception or app.builder.name != "singlehtml":
        return
    page = Path(app.outdir) / "index.html"
    markup = page.read_text(encoding="utf-8")
    for pattern in SINGLE_PAGE_HEAD:
        markup = re.sub(pattern, "", markup)
    markup = markup.replace('action="search.html"', 'action=""')  # the (hidden) search field: this page
    page.write_text(markup, encoding="utf-8")


def setup(app: Sphinx):
    app.add_css_file("print.css", media="print", priority=900)
    app.add_node(pdf_link, html=(visit_pdf_link_html, None), latex=(skip, None), text=(skip, None),
                 man=(skip, None), texinfo=(skip, None))
    app.add_directive("edition-pdf", EditionPdf)
    app.connect("env-get-updated", outdated_by_pdf)
    app.connect("html-page-context", download_buttons, priority=600)  # after the theme's (501)
    app.connect("html-page-context", single_page_links)
    app.connect("build-finished", publish_pdf)
    app.connect("build-finished", single_page_head)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
