"""Sphinx extension: the markup of the edition, in one place.

Chapters say *which* text goes where; this module says *how* it is shown:

- ``{source-heading}`id``` / ``{editorial-heading}`id``` roles, for headings;
- ``source-paragraph`` directive: one paragraph of the source, numbered, with
  its permalink, glossary links, English rendering and margin notes;
- ``reading-guide`` / ``discussion-questions`` directives for each chapter;
- ``edition-glossary``, ``translator-notes`` and ``editorial-log`` directives
  for the apparatus pages, all built from the data files at build time.

Any data problem raises DataError (file:line: problem) and stops the build.
"""

from __future__ import annotations

import functools
import math
import re
import shutil
from collections import Counter
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.domains.std import StandardDomain
from sphinx.util import logging
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective, SphinxRole

from . import edition, further_reading, search, text
from .errors import DataError

logger = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"  # served on every page
ASSETS = Path(__file__).parent / "assets"  # served only where needed


# --- nodes --------------------------------------------------------------------


class lang_block(nodes.General, nodes.Element):
    """A block element that carries ``lang`` and ``data-para`` into the HTML."""


class details_block(nodes.General, nodes.Element):
    """<details> with a <summary>: a long note, folded beside its paragraph."""


class fact_value(nodes.Inline, nodes.TextElement):
    """A number from the ledger, shown as plain text; its title says where the text states it."""


def _visit_lang_block(self, node):
    attrs = {}
    if node.get("lang"):
        attrs["lang"] = node["lang"]
    if node.get("para"):
        attrs["data-para"] = node["para"]
    for key in ("role", "aria-label"):
        if node.get(key):
            attrs[key] = node[key]
    self.body.append(self.starttag(node, node.get("tag", "div"), "", **attrs))


def _depart_lang_block(self, node):
    self.body.append(f"</{node.get('tag', 'div')}>\n")


def _visit_details(self, node):
    attrs = {"lang": node["lang"]} if node.get("lang") else {}
    self.body.append(self.starttag(node, "details", "", **attrs))
    self.body.append(f"<summary>{mark_html(self.encode(node['summary']), node.get('lang') or PAGE_LANGUAGE)}</summary>")


def _visit_fact(self, node):
    self.body.append(self.starttag(node, "span", "", CLASS="fact", title=node["source"]))


def _depart_fact(self, node):
    self.body.append("</span>")


def _depart_details(self, node):
    self.body.append("</details>\n")


def _skip(self, node):
    pass


# --- helpers --------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _data_files() -> tuple[str, ...]:
    return tuple(str(p) for p in sorted(text.DATA.rglob("*"))
                 if p.suffix in {".yaml", ".csv", ".txt"} and "external" not in p.parts)


def _depend(env) -> None:
    """Pages built from the data files are rebuilt when any of them changes."""
    for path in _data_files():
        env.note_dependency(path)


def _block(block_id: str, where: str) -> text.Block:
    blocks = text.load_text().by_id()
    if block_id not in blocks:
        raise DataError(text.IDS_FILE, 0, f"{where}: unknown paragraph id {block_id!r}")
    return blocks[block_id]


def _note_target(env, name: str, node_id: str, title: str) -> None:
    std: StandardDomain = env.get_domain("std")  # type: ignore[assignment]
    std.note_hyperlink_target(name, env.docname, node_id, title)


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
        xref = addnodes.pending_xref(
            "", nodes.inline(m.group(0), m.group(0), classes=["xref", "std", "std-term"]),
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


def _inline_emphasis(text_: str) -> list[nodes.Node]:
    """*Title* -> emphasis: the one inline markup the English text uses (for titles)."""
    out: list[nodes.Node] = []
    for i, part in enumerate(re.split(r"\*([^*]+)\*", text_)):
        if part:
            out.append(nodes.emphasis(part, part) if i % 2 else nodes.Text(part))
    return out


def _translation_node(block_id: str) -> lang_block | None:
    english = edition.load_translation().text.get(block_id)
    if english is None:
        return None
    node = lang_block(lang="en", para=block_id, classes=["translation"])
    node += nodes.paragraph("", "", *_inline_emphasis(english))
    return node


def _parse_markdown(directive: SphinxDirective, source: str, into: nodes.Element) -> None:
    """Parse a short MyST snippet (notes, guides) into a node."""
    lines = StringList(source.splitlines(), source=directive.get_source_info()[0])
    directive.state.nested_parse(lines, directive.content_offset, into)


NUMERALS = "一二三四五六七八九十"


def section_name(section_id: str) -> str:
    """The section as the text numbers it: s3-2 -> 三（二）; s4 -> 四; s4-10 -> 四（十）; concl -> 结束语."""
    if section_id.startswith("concl"):
        return "结束语"
    parts = section_id[1:].split("-")
    name = NUMERALS[int(parts[0]) - 1]
    return name + (f"（{NUMERALS[int(parts[1]) - 1]}）" if len(parts) > 1 else "")


def paragraph_name(block_id: str) -> str:
    """What a link to a paragraph says: ¶3 of 三（二）; the dateline of 结束语; the heading 三（二）."""
    block = _block(block_id, "paragraph reference")
    section = _section_of(block_id)
    if block.kind == "subhead":
        return f"subhead {block_id.rsplit('-', 1)[1]} of {section_name(section)}"
    if block.is_heading:
        return f"heading {section_name(block_id)}"
    if block.kind == "dateline":
        return f"dateline of {section_name(section)}"
    return f"¶{block.number} of {section_name(section)}"


@functools.lru_cache(maxsize=None)
def _sections() -> dict[str, str]:
    import csv

    with text.IDS_FILE.open(encoding="utf-8", newline="") as fh:
        return {row["id"]: row["section"] for row in csv.DictReader(fh)}


def _section_of(block_id: str) -> str:
    return _sections().get(block_id) or block_id


def _para_ref(block_id: str) -> str:
    """MyST for a link to a paragraph that names it: {ref}`¶3 of 三（二） <s3-2-p03>`."""
    return f"{{ref}}`{paragraph_name(block_id)} <{block_id}>`"


def _note_markdown(note_text: str) -> str:
    """Paragraph ids in square brackets become links that name the paragraph: [s3-3-p12] -> ¶12 of 三（三）."""
    return edition.BLOCK_REF.sub(lambda m: _para_ref(m.group(1)), note_text)


def _source_links(sources: list[str]) -> str:
    parts = []
    for s in sources:
        if str(s).startswith("http"):
            host = re.sub(r"^https?://(www\.)?", "", s).split("/")[0]
            parts.append(f"[{host}]({s})")
        else:
            parts.append(_para_ref(s))
    return "; ".join(parts)


# --- roles --------------------------------------------------------------------


class SourceHeadingRole(SphinxRole):
    """A heading of the source, verbatim: ``# {source-heading}`s3-2```."""

    def run(self):
        _depend(self.env)
        block = _block(self.text, f"{self.env.docname}:{self.lineno}")
        if not block.is_heading:
            raise DataError(text.IDS_FILE, 0, f"{block.id} is a {block.kind}, not a heading")
        self.env.temp_data.setdefault("edition_headings", []).append(block.id)
        return [nodes.inline(block.text, block.text, classes=["source-heading"], edition_lang="zh-Hans",
                             edition_id=block.id)], []


class EditorialHeadingRole(SphinxRole):
    """A heading the source lacks, supplied by the editors, in square brackets."""

    def run(self):
        _depend(self.env)
        supplied = edition.supplied_headings()
        if self.text not in supplied:
            raise DataError(text.DECISIONS_FILE, 0, f"{self.env.docname}: no supplied heading {self.text!r}")
        shown = f"［{supplied[self.text]['text']}］"
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
            node += _inline_emphasis(english)
            title.insert(title.index(inline) + 1, node)


# --- languages ------------------------------------------------------------------------

# Han characters and the CJK punctuation and full-width forms that go with them
_CJK = "\u2e80-\u2fff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
CJK_RUN = re.compile(f"[{_CJK}](?:[{_CJK}0-9 ·]*[{_CJK}])?")
_LATIN = "A-Za-z\u00c0-\u024f\u1e00-\u1eff"
_WORD = f"[{_LATIN}][{_LATIN}0-9'’.\\-/&]*"
LATIN_RUN = re.compile(f"{_WORD}(?:[\\s,;:()\"“”‘’–—!?]+(?:{_WORD}|[0-9][0-9,.–-]*))*[.)]?")
_PROSE_WORD = re.compile(f"[{_LATIN}]*[a-z\u00df-\u024f][{_LATIN}]*")
_BLOCKS = (nodes.section, nodes.container, nodes.Admonition, nodes.definition, nodes.list_item, nodes.entry,
           nodes.block_quote, nodes.paragraph, nodes.term, nodes.rubric, nodes.line, nodes.field_name,
           nodes.literal)
_WRAPPED = (nodes.title, nodes.caption)  # writers add text of their own: mark the content instead


def _own_language(node: nodes.Node) -> str | None:
    if not isinstance(node, nodes.Element):
        return None
    if node.get("lang") or node.get("edition_lang"):
        return node.get("lang") or node["edition_lang"]
    for cls in node.get("classes", []):
        if cls.startswith("language-"):
            return cls[len("language-"):]
    return None


def _dominant(text_: str) -> str | None:
    """en or zh-Hans, whichever script has more words (two Han characters count as one word)."""
    han = len(re.findall(f"[\u3400-\u4dbf\u4e00-\u9fff]", text_))
    words = len(re.findall(f"[{_LATIN}]{{2,}}", text_))
    if han == words == 0:
        return None
    return "en" if 2 * words > han else "zh-Hans"


def _is_english_prose(run: str) -> bool:
    """A Latin run that a Chinese voice would misread: any word in lower case (not CNCERT, G20)."""
    return any(len(w) >= 2 for w in _PROSE_WORD.findall(run))


def _split(textnode: nodes.Text, language: str) -> list[nodes.Node] | None:
    """The text with each run of the other script in an inline node of its own language."""
    value = str(textnode)
    if language == "en":
        runs = [(m.start(), m.end(), "zh-Hans") for m in CJK_RUN.finditer(value)]
    else:
        runs = [(m.start(), m.end(), "en") for m in LATIN_RUN.finditer(value) if _is_english_prose(m.group(0))]
    if not runs:
        return None
    out: list[nodes.Node] = []
    pos = 0
    for start, end, lang in runs:
        if start > pos:
            out.append(nodes.Text(value[pos:start]))
        out.append(nodes.inline(value[start:end], value[start:end], classes=[f"language-{lang}"]))
        pos = end
    if pos < len(value):
        out.append(nodes.Text(value[pos:]))
    return out


def mark_languages(node: nodes.Element, language: str) -> None:
    """Give every run of English lang=en and every run of Chinese lang=zh-Hans, through docutils'
    language-xx classes (the HTML writer turns them into lang attributes).

    A block (paragraph, term, caption, title …) whose text is mostly in the other language is
    marked as a whole; inside it, runs of the page's other script get an inline of their own."""
    own = _own_language(node)
    if own:
        language = own
        if node.get("edition_lang") and f"language-{own}" not in node["classes"]:
            node["classes"].append(f"language-{own}")  # set after docutils' smart quotes, which know no zh-Hans
    elif isinstance(node, (*_BLOCKS, *_WRAPPED)):
        dominant = _dominant(node.astext())
        if dominant and dominant != language:
            if isinstance(node, _WRAPPED):
                marked = [c for c in node.children if _own_language(c)]
                if not marked:  # not yet wrapped (this runs when the page is read and when it is written)
                    inner = nodes.inline("", "", classes=[f"language-{dominant}"])
                    inner.extend(node.children)
                    node.children = []
                    node += inner
                    for child in inner.children:
                        child.parent = inner
            else:
                node["classes"].append(f"language-{dominant}")
            language = dominant
    if isinstance(node, nodes.raw) and "html" in node.get("format", "").split() and not node.get("edition_marked"):
        # HTML from notebook outputs (the charts: their captions, sources, data tables)
        marked = mark_html(node.astext(), language)
        node.children = [nodes.Text(marked)]
        node.rawsource = marked
        node["edition_marked"] = True
        return
    if isinstance(node, (nodes.literal, nodes.literal_block, nodes.raw, nodes.comment)):
        return  # code is not prose, and the writer does not render inline markup inside it
    for child in list(node.children):
        if isinstance(child, nodes.Text):
            parts = _split(child, language)
            if parts:
                index = node.index(child)
                node.remove(child)
                for offset, part in enumerate(parts):
                    node.insert(index + offset, part)
        elif isinstance(child, nodes.Element):
            mark_languages(child, language)


PAGE_LANGUAGE = "zh-Hans"  # <html lang>: the text, the theme's words and the navigation are Chinese


class LanguageMarks(SphinxTransform):
    """Languages marked when a page is read, so titles carry them into the navigation."""

    default_priority = 870  # after smart quotes (855), before doctree-read is emitted (880)

    def apply(self, **kwargs) -> None:
        mark_languages(self.document, PAGE_LANGUAGE)


class LanguageMarksResolved(SphinxPostTransform):
    """… and again when it is written, for text that references and glue add on resolving."""

    default_priority = 900
    formats = ("html",)

    def run(self, **kwargs) -> None:
        mark_languages(self.document, PAGE_LANGUAGE)


# --- directives -------------------------------------------------------------------


class SourceParagraph(SphinxDirective):
    """One paragraph of the source text: ``{source-paragraph} s3-2-p03``."""

    required_arguments = 1
    has_content = False

    def run(self):
        _depend(self.env)
        block = _block(self.arguments[0], f"{self.env.docname}:{self.lineno}")
        if block.is_heading:
            raise DataError(text.IDS_FILE, 0, f"{block.id} is a heading: use the source-heading role")
        self.env.temp_data.setdefault("edition_paragraphs", []).append(block.id)
        label = "" if block.kind == "dateline" else f"¶{block.number}"
        _note_target(self.env, block.id, block.id, f"¶ {block.id}")

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
            name = f"{label} · {section_name(_section_of(block.id))}"
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
        return [wrapper]

    def _note(self, note: edition.Note) -> nodes.Element:
        body = f"{_note_markdown(note.text)}\n\n*Source: {_source_links(note.sources)}*" if note.sources \
            else _note_markdown(note.text)
        kind_label = {"context": "Context", "editorial": "Editorial note",
                      "discrepancy": "Sources differ", "perspectives": "Perspectives"}[note.kind]
        if note.as_dropdown:
            box = details_block(summary=f"{kind_label}: {note.title}", lang="en",
                                classes=["edition-note", f"note-{note.kind}", "note-long"])
            box["para"] = note.paragraph
            _parse_markdown(self, body, box)
            return box
        # a note on its paragraph: role=note (not <aside>, a landmark that axe wants at the top level)
        box = lang_block(tag="div", role="note", classes=["edition-note", f"note-{note.kind}"])
        box += nodes.paragraph("", "", nodes.strong("", f"{kind_label}: {note.title}"))
        _parse_markdown(self, body, box)
        return box


def _reading_minutes(chapter: str) -> tuple[int, int]:
    blocks = [b for b in text.load_text().blocks if edition.chapter_of(b.id) == chapter]
    chars = sum(len(b.text) for b in blocks)
    words = sum(len(edition.load_translation().text.get(b.id, "").split()) for b in blocks)
    return (max(1, math.ceil(chars / edition.READING_CHARS_PER_MINUTE)),
            max(1, math.ceil(words / edition.READING_WORDS_PER_MINUTE)) if words else 0)


class ReadingGuide(SphinxDirective):
    """The head of a chapter: summary, objectives, key terms, reading time."""

    required_arguments = 1

    def run(self):
        _depend(self.env)
        chapter = self.arguments[0]
        guide = edition.load_annotations(chapter).guide
        zh_min, en_min = _reading_minutes(chapter)
        n_par = sum(1 for b in text.load_text().paragraphs() if edition.chapter_of(b.id) == chapter)
        time_line = f"**阅读时间 Reading time**: about {zh_min} min in Chinese"
        if en_min:
            time_line += f", {en_min} min in English"
        time_line += f" ({n_par} paragraphs)."
        lines = [":::{admonition} 导读 Reading guide", ":class: reading-guide", ""]
        if guide:
            terms = edition.load_glossary()
            by_form = {f: t for t in terms.values() for f in t.forms}
            links = []
            for kt in guide.key_terms:
                if kt not in by_form:
                    raise DataError(guide.path, guide.line, f"key term {kt!r} is not a glossary term")
                t = by_form[kt]
                links.append(f"{{term}}`{kt} <{t.zh}>` ({t.en})")
            lines += [guide.summary, "", "**学习目标 Objectives**", ""]
            lines += [f"1. {o}" for o in guide.objectives]
            lines += ["", "**关键词 Key terms**: " + "; ".join(links), ""]
        lines += [time_line, ":::"]
        node = nodes.container(classes=["reading-guide-wrap", "language-en"])
        _parse_markdown(self, "\n".join(lines), node)
        return [node]


class DiscussionQuestions(SphinxDirective):
    required_arguments = 1

    def run(self):
        _depend(self.env)
        chapter = self.arguments[0]
        guide = edition.load_annotations(chapter).guide
        if not guide:
            return []
        lines = [":::{admonition} 讨论 Discussion questions", ":class: discussion-questions", ""]
        lines += [f"1. {_note_markdown(q)}" for q in guide.questions]
        lines.append(":::")
        node = nodes.container(classes=["language-en"])
        _parse_markdown(self, "\n".join(lines), node)
        return [node]


class EditionGlossary(SphinxDirective):
    """The glossary page, from data/glossary.yaml, with stable ASCII anchors."""

    option_spec = {"category": directives.unchanged}

    def run(self):
        _depend(self.env)
        terms = edition.load_glossary()
        where = edition.occurrences(terms)
        inside = edition.contained_terms(terms)
        std: StandardDomain = self.env.get_domain("std")  # type: ignore[assignment]
        glossary = addnodes.glossary(sorted=False)
        dl = nodes.definition_list(classes=["glossary", "edition-glossary"])
        glossary += dl
        for term in sorted(terms.values(), key=lambda t: edition.pinyin_key(t.pinyin)):
            item = nodes.definition_list_item()
            tnode = nodes.term("", "", nodes.Text(term.zh), edition_lang="zh-Hans")
            tnode["ids"].append(term.anchor)
            std._note_term(term.zh, term.anchor, location=(self.env.docname, self.lineno))
            for other in [*term.variants, term.en]:
                if other.lower() not in std._terms:
                    std._note_term(other, term.anchor, location=(self.env.docname, self.lineno))
            tnode += addnodes.index(entries=[("single", f"{term.zh}（{term.en}）", term.anchor, "main", None)])
            item += tnode
            definition = nodes.definition(classes=["language-en"])
            status = "official English name" if term.en_status == "official" else "the edition's rendering"
            en = f"[{term.en}]({term.source_url})" if term.source_url and term.en_status == "official" else term.en
            lines = [
                f"*{term.pinyin}* · **{en}** ({status}) · {term.category.replace('-', ' ')}",
                "",
                term.definition,
            ]
            if term.en_status == "official":  # the source's own words that give the name
                quote = re.sub(r"([\\`*_\[\]<>{}|#])", r"\\\1", term.en_source_quote)
                lines += ["", f"Name as the source gives it: “{quote}” ([source]({term.source_url}))"]
            if term.variants:
                lines += ["", "Also in the text as: " + "、".join(term.variants)]
            if term.related:
                lines += ["", "Related: " + ", ".join(
                    f"{{term}}`{terms[r].zh} <{terms[r].zh}>`" for r in term.related)]
            if inside[term.key]:
                lines += ["", "Names inside it: " + ", ".join(
                    f"{{term}}`{terms[k].zh} <{terms[k].zh}>`" for k in inside[term.key])]
            if where[term.key]:
                lines += ["", "In the text: " + ", ".join(_para_ref(p) for p in where[term.key])]
            _parse_markdown(self, "\n".join(lines), definition)
            item += definition
            dl += item
        return [glossary]


class TranslatorNotes(SphinxDirective):
    def run(self):
        _depend(self.env)
        notes = edition.load_translation().notes
        lines = []
        for n in sorted(notes, key=lambda n: (edition.CHAPTERS.index(n.chapter), n.term)):
            where = ", ".join(_para_ref(p) for p in n.paragraphs)
            lines += [n.term, f": *{n.rendering}*. {n.note}" + (f" ({where})" if where else ""), ""]
        node = nodes.container(classes=["translator-notes", "language-en"])
        _parse_markdown(self, "\n".join(lines), node)
        return [node]


class EditorialLog(SphinxDirective):
    """Counts of every kind of intervention, and the full log as a table."""

    option_spec = {"summary": directives.flag}

    def run(self):
        _depend(self.env)
        rows = text.log_rows(text.load_text())
        if "summary" in self.options:
            counts = Counter(r["kind"] for r in rows)
            lines = ["| Intervention | Count |", "|---|---:|"]
            lines += [f"| {k} | {v} |" for k, v in counts.most_common()]
            space_reasons = Counter(r["reason"] for r in rows if r["kind"] == "space removed")
            lines += ["", "| Layout space removed, by kind | Count |", "|---|---:|"]
            lines += [f"| {k} | {v} |" for k, v in space_reasons.most_common()]
        else:
            lines = ["| # | Source line:col | Paragraph | Intervention | Context | Reason |",
                     "|---:|---|---|---|---|---|"]
            for i, r in enumerate(rows, 1):
                where = f"{r['line']}:{r['column']}" if r["line"] else "—"
                para = f"{{ref}}`{r['paragraph']} <{r['paragraph']}>`" if r["paragraph"] and r["line"] else r["paragraph"]
                ctx = str(r["context"]).replace("|", "\\|").replace(" ", "␣")
                lines.append(f"| {i} | {where} | {para} | {r['kind']} | `{ctx}` | {r['reason']} |")
        node = nodes.container(classes=["editorial-log", "language-en"])
        _parse_markdown(self, "\n".join(lines), node)
        return [node]


class FactRole(SphinxRole):
    """``{fact}`cncert-partner-orgs-2021``` -> 274, from data/facts.csv, as plain text.

    Notes and guides quote the text's numbers through this role, so they cannot drift
    from the ledger; an unknown id stops the build. The number reads as text, not as a link:
    its title says which paragraph states it, and a note cites the paragraph by its own link."""

    def run(self):
        from . import facts

        _depend(self.env)
        row = facts.fact(self.text.strip())
        value = facts.value(self.text.strip())
        shown = f"{value:,}" if isinstance(value, int) and value >= 10000 else str(value)
        return [fact_value(shown, shown, source=f"Stated in {paragraph_name(row['paragraph'])} "
                                                 f"({row['paragraph']})")], []


class EditionVersion(SphinxRole):
    """``{edition-version}`` ``: the version in pyproject.toml, for citations."""

    def run(self):
        from importlib.metadata import version

        return [nodes.Text(version("cyberspace-edition"))], []


class ParagraphCount(SphinxRole):
    """``{edition-count}`paragraphs``` and friends: figures computed from the text."""

    def run(self):
        t = text.load_text()
        values = {
            "paragraphs": sum(1 for b in t.blocks if b.kind == "paragraph"),
            "headings": sum(1 for b in t.blocks if b.is_heading),
            "supplied": len(t.supplied),
            "characters": sum(len(b.text) for b in t.blocks),
            "glossary": len(edition.load_glossary()),
            "source-lines": len(text.read_source().split("\n")),
        }
        if self.text not in values:
            raise DataError(Path(self.env.doc2path(self.env.docname)), self.lineno,
                            f"unknown count {self.text!r}; known: {sorted(values)}")
        return [nodes.Text(str(values[self.text]))], []


# --- checks at the end of the build ---------------------------------------------------


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


def _reproducible_tippy_names() -> None:
    """sphinx-tippy names each page's tooltip file with a random uuid4 (to defeat browser caches),
    so two builds of the same book differ. Use one id derived from the book's inputs instead:
    it still changes whenever the data or this package change, and is the same otherwise."""
    import hashlib
    import uuid

    import sphinx_tippy

    h = hashlib.sha256()
    for path in sorted([*text.DATA.rglob("*"), *Path(__file__).parent.rglob("*")]):
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


def setup(app: Sphinx) -> dict:
    _reproducible_tippy_names()
    for node, visit, depart in ((lang_block, _visit_lang_block, _depart_lang_block),
                                (details_block, _visit_details, _depart_details),
                                (fact_value, _visit_fact, _depart_fact)):
        app.add_node(node, html=(visit, depart), latex=(_skip, _skip), text=(_skip, _skip),
                     man=(_skip, _skip), texinfo=(_skip, _skip))
    app.add_search_language(search.SearchChineseEdition)
    app.add_role("source-heading", SourceHeadingRole())
    app.add_role("editorial-heading", EditorialHeadingRole())
    app.add_role("edition-count", ParagraphCount())
    app.add_role("fact", FactRole())
    app.add_role("edition-version", EditionVersion())
    app.add_directive("source-paragraph", SourceParagraph)
    app.add_directive("reading-guide", ReadingGuide)
    app.add_directive("discussion-questions", DiscussionQuestions)
    app.add_directive("edition-glossary", EditionGlossary)
    app.add_directive("translator-notes", TranslatorNotes)
    app.add_directive("editorial-log", EditorialLog)
    further_reading.setup(app)  # further-reading and bibliography directives
    app.add_post_transform(HeadingTranslations)
    app.add_transform(LanguageMarks)
    app.add_post_transform(LanguageMarksResolved)
    app.connect("html-page-context", page_language, priority=900)
    app.connect("doctree-read", record_placed)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("env-check-consistency", env_check_consistency)
    app.connect("config-inited", _add_templates)
    app.connect("builder-inited", _add_static)
    app.connect("config-inited", _figure_numbers)
    app.connect("build-finished", _check_icons)
    app.connect("build-finished", _sort_tippy_refs, priority=400)  # before sphinx-tippy writes
    app.connect("html-page-context", page_scripts)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True,
            "env_version": 1}


def _figure_numbers(app: Sphinx, config) -> None:
    """Figure numbers keep the locale's 图, marked as Chinese: a caption is English, and the HTML
    writer puts the number inside it (it writes numfig_format as HTML; the book has no numref)."""
    config.numfig_format = {**(config.numfig_format or {}), "figure": '<span lang="zh-Hans">图</span> %s'}


def _add_static(app: Sphinx) -> None:
    app.config.html_static_path.append(str(STATIC))
    app.add_css_file("edition.css")
    app.add_js_file("edition.js")
    if app.builder.format == "html":
        generated = Path(app.outdir).parent / ".edition-static"
        _vendor_assets(generated)
        from . import icons

        if _stock_assets():
            shutil.rmtree(generated / icons.OUT, ignore_errors=True)
        else:
            app.edition_icon_codes = icons.write_subsets(generated, Path(app.outdir).parent / ".edition-fonts")
        app.config.html_static_path.append(str(generated))
        # Sphinx resolves a relative dictionary path against the working directory and
        # silently ignores a missing one: give it an absolute path it can read
        user_dict = search.write_user_dictionary(Path(app.outdir).parent / ".edition-search" / "user-dict.txt")
        app.config.html_search_options = {**(app.config.html_search_options or {}), "dict": str(user_dict)}


VENDOR = Path(__file__).parent / "vendor"  # popper and tippy, with licences: see vendor/README.md
TEMPLATES = Path(__file__).parent / "templates"  # theme overrides: no fontawesome.js, search scripts only on search


def _stock_assets() -> bool:
    """EDITION_STOCK_ASSETS=1: the theme's own asset set (the benchmark's stock configuration)."""
    import os

    return os.environ.get("EDITION_STOCK_ASSETS") == "1"


def _vendor_assets(root: Path) -> None:
    """The vendored browser libraries, checked against manifest.json, into _static/vendor/."""
    import hashlib
    import json

    manifest = VENDOR / "manifest.json"
    folder = root / "vendor"
    folder.mkdir(parents=True, exist_ok=True)
    for name, entry in json.loads(manifest.read_text(encoding="utf-8")).items():
        data = (VENDOR / name).read_bytes()
        if hashlib.sha256(data).hexdigest() != entry["sha256"]:
            raise DataError(manifest, 0, f"{name}: SHA-256 differs from the manifest; run `make vendor` "
                                         f"to fetch {entry['package']} {entry['version']} again")
        for out, content in ((name, data), (entry["license_file"], (VENDOR / entry["license_file"]).read_bytes())):
            if not (folder / out).exists() or (folder / out).read_bytes() != content:
                (folder / out).write_bytes(content)


def _add_templates(app: Sphinx, config) -> None:
    if not _stock_assets():
        config.templates_path.insert(0, str(TEMPLATES))


def _check_icons(app: Sphinx, exception) -> None:
    """Every icon on every page has its glyph in the served (subset) fonts."""
    codes = getattr(app, "edition_icon_codes", None)
    if exception or codes is None:
        return
    from . import icons

    for problem in icons.check_pages(Path(app.outdir), codes):
        logger.warning(f"{problem}: icon without a glyph in the served fonts (see icons.py)")


def page_scripts(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """No page loads Thebe (the chart library, only on chart pages: chart_assets.move_specs).

    Jupyter Book always adds sphinx-thebe, whose inline config is added twice (a
    page error: THEBE_JS_URL already declared) and points at a CDN; the book has
    no live kernels, so its scripts are dropped.
    """
    def unwanted(asset) -> bool:
        body = getattr(asset, "attributes", {}).get("body", "") or ""
        name = str(asset)
        if "thebe" in name or "THEBE" in body or "mathjax" in name.lower() or "MathJax" in body:
            return True  # no live kernels and no mathematics in this book
        if "://" in name:
            logger.warning(f"{pagename}: dropped a script or style from outside the book: {name}",
                           location=pagename)
            return True
        return False

    for key in ("script_files", "css_files"):  # in place: add_js_file below appends to the same list
        if key in context:
            context[key][:] = [a for a in context[key] if not unwanted(a)]


def mark_html(fragment: str, language: str = PAGE_LANGUAGE) -> str:
    """The same marking for HTML the theme writes from strings (navigation captions, footer):
    each run of English prose in a Chinese context gets <span lang="en">, and the reverse."""
    from html.parser import HTMLParser

    void = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
    out: list[str] = []
    stack: list[tuple[str, str]] = []

    def split(data: str, lang: str) -> str:
        if lang == "en":
            runs = [(m.start(), m.end(), "zh-Hans") for m in CJK_RUN.finditer(data)]
        else:
            runs = [(m.start(), m.end(), "en") for m in LATIN_RUN.finditer(data) if _is_english_prose(m.group(0))]
        pos, parts = 0, []
        for start, end, other in runs:
            parts += [data[pos:start], f'<span lang="{other}">', data[start:end], "</span>"]
            pos = end
        return "".join(parts) + data[pos:]

    class Marker(HTMLParser):
        def handle_starttag(self, tag, attrs):
            start = self.get_starttag_text()
            attributes = dict(attrs)
            context = stack[-1][1] if stack else language
            label = attributes.get("aria-label")
            if label and not attributes.get("lang") and _dominant(label) not in (None, context):
                # a chart's text alternative: its language is the element's
                attributes["lang"] = _dominant(label)
                start = f'<{tag} lang="{attributes["lang"]}"' + start[len(tag) + 1:]
            out.append(start)
            if tag not in void:
                stack.append((tag, attributes.get("lang") or context))

        def handle_startendtag(self, tag, attrs):
            out.append(self.get_starttag_text())

        def handle_endtag(self, tag):
            out.append(f"</{tag}>")
            while stack:
                if stack.pop()[0] == tag:
                    break

        def handle_data(self, data):
            skip = stack and stack[-1][0] in ("script", "style")
            out.append(data if skip else split(data, stack[-1][1] if stack else language))

        def handle_entityref(self, name):
            out.append(f"&{name};")

        def handle_charref(self, name):
            out.append(f"&#{name};")

        def handle_comment(self, data):
            out.append(f"<!--{data}-->")

    parser = Marker(convert_charrefs=False)
    parser.feed(str(fragment))
    parser.close()
    return "".join(out)


def page_language(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """<html lang="zh-Hans">, the same tag as the text's own blocks (Sphinx would write zh-CN for
    `language: zh_CN`, which stays the locale of the theme's words); and English in the theme's
    frame (navigation captions from _toc.yml, author, footer) marked as English."""
    context["language"] = PAGE_LANGUAGE
    for key in ("author", "theme_extra_footer"):
        if context.get(key):
            context[key] = mark_html(context[key])
    for key in ("prev", "next"):
        if context.get(key) and context[key].get("title"):
            context[key] = {**context[key], "title": mark_html(context[key]["title"])}
    for key in ("generate_toctree_html", "generate_toc_html"):
        generate = context.get(key)
        if generate and not getattr(generate, "edition_marked", False):
            context[key] = _marked_output(generate)
    if context.get("pagetitle"):  # the printed page's heading (sphinx-book-theme: plain text)
        from markupsafe import escape

        context["pagetitle"] = mark_html(str(escape(context["pagetitle"])))
    if context.get("body"):
        # captions of a table of contents in the page (from _toc.yml): Sphinx writes them after
        # the post-transforms have run, so they are marked here
        context["body"] = re.sub(
            r'<span class="caption-text">(.*?)</span>',
            lambda m: (f'<span class="caption-text" lang="{_dominant(m.group(1)) or PAGE_LANGUAGE}">'
                       f'{mark_html(m.group(1), _dominant(m.group(1)) or PAGE_LANGUAGE)}</span>'),
            context["body"])
    if pagename == "genindex" and context.get("genindexentries"):
        context["genindexentries"] = _marked_index(context["genindexentries"])


def _marked_output(generate):
    def marked(*args, **kwargs):
        return mark_html(generate(*args, **kwargs))

    marked.edition_marked = True
    return marked


def _marked_index(entries):
    """The index page: each entry "网络安全（cybersecurity）" with its English marked."""
    from markupsafe import Markup, escape

    def name(text_):
        return Markup(mark_html(str(escape(text_))))

    out = []
    for key, group in entries:
        rows = []
        for entryname, (links, subitems, key_) in group:
            rows.append((name(entryname), (links, [(name(sub), sublinks) for sub, sublinks in subitems], key_)))
        out.append((key, rows))
    return out
