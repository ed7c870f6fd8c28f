"""The source text in the chapters: headings (source and supplied) and numbered paragraphs with
their glossary links, English rendering and notes; and, at the end of reading, the check that every
block of the text is placed exactly once."""

from __future__ import annotations

from collections import Counter

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
    app.add_directive("source-section", SourceSection)
    app.add_post_transform(HeadingTranslations)
    app.connect("doctree-read", record_placed)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("env-check-consistency", env_check_consistency)
