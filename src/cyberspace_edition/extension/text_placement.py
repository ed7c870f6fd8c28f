"""The source text in the chapters: headings (source and supplied) and numbered paragraphs with
their glossary links, English rendering and notes; and, at the end of reading, the check that every
block of the text is placed exactly once."""

from __future__ import annotations

import html
import os
from collections import Counter
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective, SphinxRole

from .. import edition, text
from ..errors import DataError
from .nodes import details_block, lang_block
from .references import (get_block, inline_emphasis, note_markdown, note_target,
                         parse_markdown, section_name, section_of, source_links)

def _linked_text(env, block_text: str) -> list[nodes.Node]:
    """The text as nodes, the first occurrence of each glossary term in the page linked."""
    terms = edition.load_glossary()
    pattern, by_form = edition.term_pattern(terms)
    if pattern is None:
        return [nodes.Text(block_text)]
    linked: set[str] = env.temp_data.setdefault("edition_linked_terms", set())
    out: list[nodes.Node] = []
    pos = 0
    for m in pattern.finditer(block_text):
        term = by_form[m.group(0)]
        if term.key in linked:
            continue
        linked.add(term.key)
        out.append(nodes.Text(block_text[pos:m.start()]))
        # the term as bare text inside the link: Sphinx's usual <span class="xref std std-term"> around
        # it would add 39 bytes to each of the 80-130 term links of a chapter, and nothing styles it
        xref = addnodes.pending_xref(
            "", nodes.Text(m.group(0)),
            refdomain="std", reftype="term", reftarget=term.zh.lower(), refexplicit=True,
            refwarn=True, refdoc=env.docname,
        )
        out.append(xref)
        pos = m.end()
    out.append(nodes.Text(block_text[pos:]))
    return out


def _index_entries(block: text.Block) -> addnodes.index:
    """Back-of-book index: every glossary entity named in the paragraph."""
    terms = edition.load_glossary()
    entries = [("single", f"{t.zh}（{t.en}）", block.id, "", None)
               for t in terms.values() if edition.names(t, block.text, terms)]
    return addnodes.index(entries=entries)


def _translation_node(block_id: str) -> lang_block | None:
    english = edition.load_translation().text.get(block_id)
    if english is None:
        return None
    node = lang_block(lang="en", para=block_id, classes=["translation"])
    node += nodes.paragraph("", "", *inline_emphasis(english))
    return node


class SourceHeadingRole(SphinxRole):
    """A heading of the source, verbatim: ``# {source-heading}`s3-2```."""

    def run(self):
        block = get_block(self.text, f"{self.env.docname}:{self.lineno}", self.env, self.lineno)
        if not block.is_heading:
            raise DataError(text.IDS_FILE, 0, f"{block.id} is a {block.kind}, not a heading")
        _on_its_page(self.env, block.id, f"{self.env.docname}:{self.lineno}")
        self.env.temp_data.setdefault("edition_headings", []).append(block.id)
        return [nodes.inline(block.text, block.text, classes=["source-heading"], edition_lang="zh-Hans",
                             edition_id=block.id)], []


class EditorialHeadingRole(SphinxRole):
    """A heading the source lacks, supplied by the editors, in square brackets."""

    def run(self):
        supplied = edition.supplied_headings()
        if self.text not in supplied:
            raise DataError(text.DECISIONS_FILE, 0, f"{self.env.docname}: no supplied heading {self.text!r}")
        shown = f"［{supplied[self.text]['text']}］"
        _on_its_page(self.env, self.text, f"{self.env.docname}:{self.lineno}")
        self.env.temp_data.setdefault("edition_headings", []).append(self.text)
        return [nodes.inline(shown, shown, classes=["editorial-heading"], edition_lang="zh-Hans",
                             edition_id=self.text)], []


def _continued_chapter(env, chapter_id: str, where: str) -> edition.Chapter:
    """The chapter a ``{continued-heading}`` names: one whose further pages include this page."""
    chapter = next((c for c in edition.load_chapters() if c.id == chapter_id), None)
    if chapter is None or env.docname not in chapter.files[1:]:
        raise DataError(edition.CHAPTERS_FILE, chapter.line if chapter else 0,
                        f"{where}: {{continued-heading}}`{chapter_id}` on {env.docname}, which is not one of "
                        f"the continued pages of chapter {chapter_id!r} (its `continued:` in chapters.yaml)")
    return chapter


class ContinuedHeadingRole(SphinxRole):
    """The heading of a chapter's further page: ``# {continued-heading}`s4```, the chapter's heading
    repeated as a running head, marked ［续］ ("continued") in the editors' square brackets. It
    places nothing: the chapter's heading stays on its first page."""

    def run(self):
        where = f"{self.env.docname}:{self.lineno}"
        chapter = _continued_chapter(self.env, self.text, where)
        heading = text.load_text().by_id()[chapter.id].text
        node = nodes.inline("", "", classes=["continued-heading"], edition_lang="zh-Hans",
                            edition_continued=chapter.id)
        node += nodes.Text(heading)
        node += nodes.inline("［续］", "［续］", classes=["editorial-mark"])
        return [node], []


def first_headings(chapter: edition.Chapter) -> dict[str, str]:
    """Each page of a chapter -> the id of the first heading of the text it holds (from the registry)."""
    blocks = text.load_text().by_id()
    return {page: next(i for i in ids if i in blocks and blocks[i].is_heading)
            for page, ids in edition.chapter_pages(chapter.id)}


def continued_page_title(app: Sphinx, doctree: nodes.document) -> None:
    """A continued page is listed in the navigation (sidebar, previous and next, the browser's
    title) by the first heading of the text it holds, not by its running head, which it shares
    with the chapter's other pages."""
    env = app.env
    for chapter in edition.load_chapters():
        if env.docname in chapter.files[1:]:
            first = text.load_text().by_id()[first_headings(chapter)[env.docname]].text
            env.titles[env.docname] = nodes.title(first, first)
            env.longtitles[env.docname] = nodes.title(first, first)
            # the sidebar names a page by its entry in env.tocs (Sphinx's TocTreeCollector, which
            # ran before us on this event, took the page's first title, the running head): the
            # link to the page itself, the one without an anchor, takes the same first heading
            for ref in env.tocs[env.docname].findall(nodes.reference):
                if not ref.get("anchorname"):
                    ref.children = [nodes.Text(first)]
                    break


# A link made when the chapter was one page (…/s3-3-governance.html#s3-3-p14, or an assignment
# ?assign=s3-3-p13..s3-3-p16) still reaches its paragraph: run as soon as the list of pages above
# it is read, it sends the reader on to the page that holds the id the link names, with its query
# and anchor. Without JavaScript the list itself is the way on.
FORWARD_SCRIPT = (
    '<script>(function () { var q = new URLSearchParams(location.search).get("assign") || "";'
    ' var id = decodeURIComponent(location.hash.slice(1)) || q.split(/[.,]/)[0].trim(); if (!id) return;'
    ' document.querySelectorAll("nav.chapter-pages a[data-ids]").forEach(function (a) {'
    ' if ((" " + a.dataset.ids + " ").indexOf(" " + id + " ") >= 0)'
    ' location.replace(a.getAttribute("href") + location.search + location.hash); }); })();</script>'
)


class ChapterPagesNav(SphinxPostTransform):
    """On each page of a chapter published over several pages, under its heading: the chapter's
    pages, each named by the first heading of the text it holds, the current one marked."""

    default_priority = 6  # after the headings have their English
    formats = ("html",)

    def run(self, **kwargs) -> None:
        docname = self.env.docname
        chapter = next((c for c in edition.load_chapters() if docname in c.files and c.continued), None)
        if chapter is None:
            return
        blocks = text.load_text().by_id()
        english = edition.load_translation().text
        here = Path(docname).parent
        held = dict(edition.chapter_pages(chapter.id))  # each page's paragraphs and headings
        for name, (doc, _) in sorted(self.env.get_domain("std").anonlabels.items()):
            if doc in held and name.startswith("fig-"):  # and its figures (a link may name a chart)
                held[doc].append(name)
        items = []
        for page, first in first_headings(chapter).items():
            label = (f'<span lang="zh-Hans">{html.escape(blocks[first].text)}</span>'
                     f'<span class="translation" lang="en"> {html.escape(english.get(first, ""))}</span>')
            if page == docname:
                items.append(f'<li aria-current="page"><strong>{label}</strong></li>')
            else:
                href = os.path.relpath(page, here).replace(os.sep, "/") + ".html"
                items.append(f'<li><a href="{href}" data-ids="{" ".join(held[page])}">{label}</a></li>')
        nav = nodes.raw("", (f'<nav class="chapter-pages" aria-label="This chapter\'s pages" lang="en">'
                             f'<p><span lang="zh-Hans">{html.escape(chapter.zh)}</span> {html.escape(chapter.en)}: '
                             f'the chapter is on {len(chapter.files)} pages</p>'
                             f'<ol>{"".join(items)}</ol></nav>{FORWARD_SCRIPT}'), format="html")
        section = next(self.document.findall(nodes.section), None)
        if section is None or not isinstance(section[0], nodes.title):
            raise DataError(self.env.doc2path(docname), 0, "a page of a chapter opens with its heading")
        section.insert(1, nav)


class HeadingTranslations(SphinxPostTransform):
    """Each source or supplied heading carries its English inside the same heading element:
    <h2><span lang="zh-Hans">…</span><span lang="en" class="heading-translation">…</span></h2>, so
    that in English mode the English is the heading (the CSS shows one language or both).
    Added when the page is written, after the tables of contents took their (Chinese) titles."""

    default_priority = 5  # before references are resolved and languages are marked
    formats = ("html",)

    def run(self, **kwargs) -> None:
        supplied = edition.supplied_headings()
        for inline in list(self.document.findall(nodes.inline)):
            block_id = inline.get("edition_id")
            title = inline.parent
            continued = inline.get("edition_continued")
            if continued and isinstance(title, nodes.title):
                english = edition.load_translation().text.get(continued)
                if english is not None:
                    node = lang_block(tag="span", lang="en", classes=["translation", "heading-translation"])
                    node += inline_emphasis(english)
                    node += nodes.inline(" [continued]", " [continued]", classes=["editorial-mark"])
                    title.insert(title.index(inline) + 1, node)
                continue
            if not block_id or not isinstance(title, nodes.title):
                continue
            if "editorial-heading" in inline["classes"]:
                english = supplied[block_id]["english"]
            else:
                english = edition.load_translation().text.get(block_id)
                if english is None:
                    continue
            node = lang_block(tag="span", lang="en", para=block_id, classes=["translation", "heading-translation"])
            node += inline_emphasis(english)
            title.insert(title.index(inline) + 1, node)


def _on_its_page(env, block_id: str, where: str) -> None:
    """A block is placed on the page the chapter registry gives its chapter."""
    page = edition.paragraph_pages()[block_id]
    if page != env.docname:
        raise DataError(edition.CHAPTERS_FILE, edition.chapter(edition.chapter_of(block_id)).line,
                        f"{where}: {block_id} belongs to chapter {edition.chapter_of(block_id)}, "
                        f"whose page is {page}, not {env.docname}")


class SourceSection(SphinxDirective):
    """The paragraphs under a heading of the text, in the text's order: ``{source-section} s3-2-1``
    places the blocks between heading s3-2-1 and the next heading (text/paragraph_ids.csv), each
    with its English and notes. It follows that heading on the page.

    ``:until: s3-3-p05`` stops after that paragraph, so that a chart can follow the paragraph it
    draws; the next ``{source-section}`` of the same heading places the rest."""

    required_arguments = 1
    has_content = False
    option_spec = {"until": directives.unchanged_required}

    def run(self):
        where = f"{self.env.docname}:{self.lineno}"
        heading = self.arguments[0]
        blocks = edition.section_blocks(heading, where)
        last = (self.env.temp_data.get("edition_headings") or ["(none)"])[-1]
        if last != heading:
            raise DataError(self.env.doc2path(self.env.docname), self.lineno,
                            f"{{source-section}} {heading} must follow its own heading; the heading "
                            f"above it is {last}")
        placed = self.env.temp_data.setdefault("edition_paragraphs", [])
        todo = [b for b in blocks if b.id not in placed]
        until = self.options.get("until")
        if until:
            if until not in [b.id for b in todo]:
                raise DataError(self.env.doc2path(self.env.docname), self.lineno,
                                f":until: {until} is not among the paragraphs of {heading} left to place: "
                                f"{[b.id for b in todo]}")
            todo = todo[:[b.id for b in todo].index(until) + 1]
        if not todo:
            raise DataError(self.env.doc2path(self.env.docname), self.lineno,
                            f"{{source-section}} {heading}: no paragraph of it is left to place")
        out = []
        for block in todo:
            _on_its_page(self.env, block.id, where)
            placed.append(block.id)
            out.append(self._paragraph(block))
        return out

    def _paragraph(self, block: text.Block) -> nodes.Element:
        """One paragraph: the Chinese and its English side by side, its notes beside or under it."""
        label = "" if block.kind == "dateline" else f"¶{block.number}"
        note_target(self.env, block.id, block.id, f"¶ {block.id}")

        # the paragraph and its notes share one block: the paragraph first, then its notes, in
        # reading and focus order; on wide screens the CSS sets the margin notes beside it, and the
        # next block starts below them
        wrapper = nodes.container(classes=["para-block"])
        wrapper += _index_entries(block)

        pair = lang_block(para=block.id, classes=["para-pair"])
        source = lang_block(lang="zh-Hans", para=block.id, classes=["source-paragraph", block.kind])
        source["ids"].append(block.id)
        mark = nodes.inline(classes=["para-label"])
        if label:
            # the link names its paragraph: "¶3" on screen, "¶3 · 三（二）" to a screen reader
            # (several sections of a page each have a ¶1); docutils' reference has no aria-label
            name = f"{label} · {section_name(section_of(block.id))}"
            mark += nodes.raw("", f'<a class="para-link reference internal" href="#{block.id}" '
                                  f'title="¶ {block.id}" aria-label="{name}">{label}</a>', format="html")
        source += mark
        para = nodes.paragraph()
        para.extend(_linked_text(self.env, block.text))
        source += para
        pair += source
        english = _translation_node(block.id)
        if english is not None:
            pair += english
        main = nodes.container(classes=["para-main"])
        main += pair
        wrapper += main

        chapter = edition.chapter_of(block.id)
        margin = lang_block(lang="en", classes=["para-notes", "margin"])
        for note in edition.load_annotations(chapter).notes.get(block.id, []):
            box = self._note(note)
            if isinstance(box, details_block):
                main += box  # a long note folds under its paragraph
            else:
                margin += box  # a short one goes in the margin, beside it
        if margin.children:
            wrapper += margin
        return wrapper

    def _note(self, note: edition.Note) -> nodes.Element:
        body = f"{note_markdown(note.text)}\n\n*Source: {source_links(note.sources)}*" if note.sources \
            else note_markdown(note.text)
        kind_label = {"context": "Context", "editorial": "Editorial note",
                      "discrepancy": "Sources differ", "perspectives": "Perspectives"}[note.kind]
        if note.as_dropdown:
            box = details_block(summary=f"{kind_label}: {note.title}", lang="en",
                                classes=["edition-note", f"note-{note.kind}", "note-long"])
            box["para"] = note.paragraph
            parse_markdown(self, body, box)
            return box
        # a note on its paragraph: role=note (not <aside>, a landmark that axe wants at the top level)
        box = lang_block(tag="div", role="note", classes=["edition-note", f"note-{note.kind}"])
        box += nodes.paragraph("", "", nodes.strong("", f"{kind_label}: {note.title}"))
        parse_markdown(self, body, box)
        return box


def record_placed(app: Sphinx, doctree: nodes.document) -> None:
    env = app.env
    if not hasattr(env, "edition_placed"):
        env.edition_placed = {}
    env.edition_placed[env.docname] = (
        env.temp_data.get("edition_headings", []) + env.temp_data.get("edition_paragraphs", [])
    )


def purge(app, env, docname):
    getattr(env, "edition_placed", {}).pop(docname, None)


def merge(app, env, docnames, other):
    if not hasattr(env, "edition_placed"):
        env.edition_placed = {}
    env.edition_placed.update(getattr(other, "edition_placed", {}))


def env_check_consistency(app: Sphinx, env) -> None:
    placed = Counter(pid for ids in getattr(env, "edition_placed", {}).values() for pid in ids)
    expected = [b.id for b in text.load_text().blocks] + list(edition.supplied_headings())
    missing = [pid for pid in expected if pid not in placed]
    twice = [pid for pid, n in placed.items() if n > 1]
    if missing or twice:
        raise DataError(text.IDS_FILE, 0, f"text placed wrongly in the chapters: missing {missing}, "
                                          f"placed more than once {twice}")



def setup(app: Sphinx) -> None:
    app.add_role("source-heading", SourceHeadingRole())
    app.add_role("editorial-heading", EditorialHeadingRole())
    app.add_role("continued-heading", ContinuedHeadingRole())
    app.add_post_transform(ChapterPagesNav)
    app.connect("doctree-read", continued_page_title)
    app.add_directive("source-section", SourceSection)
    app.add_post_transform(HeadingTranslations)
    app.connect("doctree-read", record_placed)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("env-check-consistency", env_check_consistency)
