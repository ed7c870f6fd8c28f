"""Sphinx extension: teachers' assignment links and the printed handout (issue 13, items 1 and 2).

A teacher's link is a chapter page with a query string (``?assign=s3-2-p02..s3-2-p04&lang=en``);
``static/assign.js`` reads it in the browser and shows only the assigned paragraphs, and prints
them as a handout (``static/assign.css``). This module does the part that needs the build:

- the ``assignment-builder`` directive (For teachers): the form that makes the link, with every
  chapter page and the paragraph ids it places, written into the page when it is written (all
  chapters are read by then) from what the build placed, never typed by hand;
- on every page that places paragraphs, the handout's citation line (title, version and date from
  ``CITATION.cff`` and the package, the published address from ``html_baseurl`` when it is set)
  and each paragraph's number and section, as an inline script: no fetch, so it works from
  ``file://``;
- each discussion question's ``<li>`` carries ``data-cites``: the ids of the paragraphs it cites,
  taken from its resolved links, so that an assignment shows the questions on its paragraphs.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from .. import edition, text
from ..errors import DataError

STATIC = Path(__file__).parents[1] / "static"
DATA_ID = "assign-builder-data"  # the builder's data: <script type="application/json" id=...>
MODES = (("both", "对照", "zh-Hans", "Chinese and English"), ("zh", "中文", "zh-Hans", "Chinese only"),
         ("en", "English", "en", "English only"))


# --- what the link can name ---------------------------------------------------------------


def block_label(block: text.Block) -> str:
    """How a paragraph is named in the builder and the banner: ¶3, or 落款 for the dateline."""
    return "落款" if block.kind == "dateline" else f"¶{block.number}"


def section_label(block: text.Block) -> str:
    from .references import section_name

    return section_name(block.section or block.id)


def chapter_pages(placed: dict[str, list[str]]) -> list[dict]:
    """The chapter pages that place paragraphs, in reading order, each with its paragraphs (a
    chapter published over several pages has one entry per page, its name giving the page's range).

    ``placed`` maps a page (docname) to the ids it places (the build's record,
    ``env.edition_placed``). A paragraph placed on two pages, or on none, is an error: a link
    names one page.
    """
    where: dict[str, str] = {}
    for doc, ids in placed.items():
        for block_id in ids:
            if block_id in where and where[block_id] != doc:
                raise DataError(text.IDS_FILE, 0, f"{block_id} is placed on {where[block_id]} and on {doc}")
            where[block_id] = doc
    chapters: dict[str, dict] = {}
    for block in text.load_text().paragraphs():
        doc = where.get(block.id)
        if doc is None:
            raise DataError(text.IDS_FILE, 0, f"no page places paragraph {block.id}")
        chapter = chapters.setdefault(doc, {
            "doc": doc, "chapter": edition.chapter_of(block.id),
            "name": edition.CHAPTER_NAMES[edition.chapter_of(block.id)], "paragraphs": []})
        chapter["paragraphs"].append({"id": block.id, "n": block_label(block), "section": section_label(block)})
    out = list(chapters.values())
    for page in out:  # a chapter over several pages: each page named by its paragraphs, in the chapter
        same = [c for c in out if c["chapter"] == page["chapter"]]
        if len(same) > 1:
            ends = page["paragraphs"][0], page["paragraphs"][-1]
            first, last = (f"{p['section']} {p['n']}" if ends[0]["section"] != ends[1]["section"] else p["n"]
                           for p in ends)
            page["name"] += f", {first} – {last} (page {same.index(page) + 1} of {len(same)})"
    return out


def page_paragraphs(ids: list[str]) -> dict[str, dict]:
    """id -> {n, section} for the paragraphs a page places (the banner and handout name them)."""
    blocks = text.load_text().by_id()
    return {i: {"n": block_label(blocks[i]), "section": section_label(blocks[i])}
            for i in ids if i in blocks and not blocks[i].is_heading}


def citation_meta(config) -> dict:
    """The handout's citation line: the same record of CITATION.cff and html_baseurl as every
    citation of the site (extension/citation.py), never retyped."""
    from types import SimpleNamespace

    from . import citation

    if isinstance(config, str):  # an address alone (the tests)
        config = SimpleNamespace(html_baseurl=config)
    ed = citation.load_cff()
    return {
        "work": f"《{ed.work_title_zh}》",
        "title": ed.title,
        "authors": "; ".join(ed.authors),
        "version": ed.version,
        "date": ed.released,
        "license": ed.licence,
        "baseurl": citation.address(config),
    }


# --- the builder ----------------------------------------------------------------------------


class assignment_builder(nodes.General, nodes.Element):
    """Where the form goes: filled in when the page is written, when every chapter has been read."""


class AssignmentBuilder(SphinxDirective):
    """``assignment-builder``: the form on the For teachers page that makes an assignment link."""

    has_content = False

    def run(self):
        self.env.note_dependency(str(text.IDS_FILE))
        if not hasattr(self.env, "edition_assign_docs"):
            self.env.edition_assign_docs = set()
        self.env.edition_assign_docs.add(self.env.docname)
        return [assignment_builder()]


def builder_updated(app: Sphinx, env) -> list[str]:
    """The form lists every chapter's placed paragraphs: when a chapter read again places other
    paragraphs, the page with the form is written again from its stored doctree, not read again
    (env-get-updated: written, not read). Placement unchanged, as after most edits: nothing."""
    placed = getattr(env, "edition_placed", {})
    key = json.dumps(sorted((doc, list(ids)) for doc, ids in placed.items()))
    if getattr(env, "edition_assign_placement", None) == key:
        return []
    env.edition_assign_placement = key
    return sorted(getattr(env, "edition_assign_docs", set()))


def purge(app, env, docname):
    getattr(env, "edition_assign_docs", set()).discard(docname)


def merge(app, env, docnames, other):
    if not hasattr(env, "edition_assign_docs"):
        env.edition_assign_docs = set()
    env.edition_assign_docs |= getattr(other, "edition_assign_docs", set()) & set(docnames)


def _option(value: str, label: str, lang: str = "zh-Hans") -> str:
    return f'<option value="{html.escape(value)}" lang="{lang}">{html.escape(label)}</option>'


def builder_html(chapters: list[dict], hrefs: dict[str, str], pages: dict[str, str], meta: dict) -> str:
    """The form; assign.js fills the paragraph lists for the chosen chapter and makes the link.

    Without JavaScript it says so: the link's grammar is documented beside it."""
    data = {"chapters": [{**c, "href": hrefs[c["doc"]], "page": pages[c["doc"]]} for c in chapters], "baseurl": meta["baseurl"]}
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    first = chapters[0]
    paragraph_options = "".join(_option(p["id"], f"{p['n']} · {p['id']}") for p in first["paragraphs"])
    chapter_options = "".join(_option(c["doc"], c["name"]) for c in chapters)
    modes = "".join(
        f'<label class="assign-choice"><input type="radio" name="assign-lang" value="{value}"'
        f'{" checked" if value == "both" else ""}> <span lang="{lang}">{label}</span>'
        f' <span class="assign-hint" lang="en">({hint})</span></label>'
        for value, label, lang, hint in MODES)
    return f"""<form class="assign-builder" id="assign-builder" lang="en" aria-labelledby="assign-builder-title" novalidate>
<p class="assign-builder-title" id="assign-builder-title"><strong>Make an assignment link</strong></p>
<script type="application/json" id="{DATA_ID}">{payload}</script>
<div class="assign-field"><label for="assign-chapter">Chapter <span lang="zh-Hans">章节</span></label>
<select id="assign-chapter" name="chapter">{chapter_options}</select></div>
<fieldset class="assign-paragraphs"><legend>Paragraphs</legend>
<label class="assign-choice"><input type="radio" name="assign-kind" value="range" checked> A range</label>
<label class="assign-choice"><input type="radio" name="assign-kind" value="set"> Chosen paragraphs</label>
<div class="assign-range" id="assign-range">
<label for="assign-first">From</label> <select id="assign-first" name="first">{paragraph_options}</select>
<label for="assign-last">to</label> <select id="assign-last" name="last">{paragraph_options}</select></div>
<div class="assign-set" id="assign-set" hidden></div>
</fieldset>
<fieldset class="assign-modes"><legend>Language <span lang="zh-Hans">语言</span></legend>{modes}</fieldset>
<fieldset class="assign-layers"><legend>Show</legend>
<label class="assign-choice"><input type="checkbox" id="assign-notes" checked> Margin notes</label>
<label class="assign-choice"><input type="checkbox" id="assign-questions" checked> Discussion questions on these paragraphs</label>
</fieldset>
<div class="assign-field"><label for="assign-note">Instruction for students (optional)</label>
<input type="text" id="assign-note" name="note" maxlength="300" autocomplete="off"
 placeholder="e.g. Read before Thursday; answer question 2"></div>
<div class="assign-result"><label for="assign-link">The link</label>
<textarea id="assign-link" readonly rows="3" spellcheck="false"></textarea>
<div class="assign-link-row"><button type="button" id="assign-copy">Copy link</button>
<a id="assign-open" href="{html.escape(hrefs[first['doc']])}">Open the link</a></div>
<p class="assign-status" id="assign-status" role="status" aria-live="polite"></p></div>
<noscript><p>The form needs JavaScript; the link can also be written by hand (see below).</p></noscript>
</form>
"""


def visit_builder_html(self, node):
    builder = self.builder
    if builder.name == "singlehtml":  # the book's PDF: a form on paper is of no use
        raise nodes.SkipNode
    app = builder.app
    chapters = chapter_pages(getattr(app.env, "edition_placed", {}))
    if not chapters:
        raise DataError(text.IDS_FILE, 0, "assignment-builder: no page places a paragraph")
    hrefs = {c["doc"]: builder.get_relative_uri(builder.current_docname, c["doc"]) for c in chapters}
    pages = {c["doc"]: builder.get_target_uri(c["doc"]) for c in chapters}
    self.body.append(builder_html(chapters, hrefs, pages, citation_meta(app.config)))
    raise nodes.SkipNode


def skip(self, node):
    raise nodes.SkipNode


# --- what each chapter page carries -----------------------------------------------------------


class question_item(nodes.list_item):
    """A discussion question's list item, with the ids of the paragraphs it cites."""


def visit_question_item(self, node):
    self.body.append(self.starttag(node, "li", "", **{"data-cites": " ".join(node["cites"])}))


def depart_question_item(self, node):
    self.body.append("</li>\n")


def _cited(item: nodes.Element, known: set[str]) -> list[str]:
    out: list[str] = []
    for ref in item.findall(nodes.reference):
        target = ref.get("refid") or (ref.get("refuri", "").split("#", 1)[1] if "#" in ref.get("refuri", "") else "")
        if target in known and target not in out:
            out.append(target)
    return out


def mark_questions(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """<li data-cites="s3-2-p03 s3-3-p04"> for each discussion question, from its resolved links."""
    known = {b.id for b in text.load_text().blocks}
    for admonition in list(doctree.findall(nodes.admonition)):
        if "discussion-questions" not in admonition["classes"]:
            continue
        for item in list(admonition.findall(nodes.list_item)):
            if isinstance(item, question_item):
                continue
            marked = question_item("", *item.children, **item.attributes)
            marked["cites"] = _cited(item, known)
            item.replace_self(marked)


def page_data(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """On a chapter page: an inline script with the handout's citation line and the page's
    paragraphs, then assign.js and assign.css; on the page with the builder, the two files only."""
    if doctree is None or app.builder.name == "singlehtml":
        return
    ids = getattr(app.env, "edition_placed", {}).get(pagename, [])
    paragraphs = page_paragraphs(ids)
    if paragraphs:
        data = {**citation_meta(app.config), "page": app.builder.get_target_uri(pagename),
                "paragraphs": paragraphs}
        payload = json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
        app.add_js_file(None, body=f"window.EDITION_ASSIGN = {payload};", priority=505)
    if paragraphs or pagename in getattr(app.env, "edition_assign_docs", set()):
        app.add_css_file("assign.css")
        app.add_js_file("assign.js", priority=510)  # after edition.js (500): it sets the language mode


def _add_static(app: Sphinx) -> None:
    if str(STATIC) not in [str(p) for p in app.config.html_static_path]:
        app.config.html_static_path.append(str(STATIC))


def setup(app: Sphinx) -> dict:
    app.add_node(assignment_builder, html=(visit_builder_html, None), latex=(skip, None), text=(skip, None),
                 man=(skip, None), texinfo=(skip, None))
    app.add_node(question_item, html=(visit_question_item, depart_question_item))
    app.add_directive("assignment-builder", AssignmentBuilder)
    app.connect("builder-inited", _add_static)
    app.connect("doctree-resolved", mark_questions)
    app.connect("html-page-context", page_data)
    app.connect("env-get-updated", builder_updated)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
