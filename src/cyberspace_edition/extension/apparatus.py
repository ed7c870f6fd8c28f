"""The apparatus, built from the data files: reading guides and questions in the chapters; the
glossary, translator's notes and editorial log pages; numbers from the ledger ({fact}).
(The version, the checksum and the counts of the text are MyST substitutions: values.py.)"""

from __future__ import annotations

import math
import re
from collections import Counter

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.domains.std import make_glossary_term
from sphinx.util.docutils import SphinxDirective, SphinxRole

from .. import edition, text
from ..errors import DataError
from . import glossary_tools
from .nodes import fact_value
from .references import note_markdown, paragraph_name, para_ref, parse_markdown

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
        parse_markdown(self, "\n".join(lines), node)
        return [node]


class DiscussionQuestions(SphinxDirective):
    required_arguments = 1

    def run(self):
        chapter = self.arguments[0]
        guide = edition.load_annotations(chapter).guide
        if not guide:
            return []
        lines = [":::{admonition} 讨论 Discussion questions", ":class: discussion-questions", ""]
        lines += [f"1. {note_markdown(q)}" for q in guide.questions]
        lines.append(":::")
        node = nodes.container(classes=["language-en"])
        parse_markdown(self, "\n".join(lines), node)
        return [node]


class EditionGlossary(SphinxDirective):
    """The glossary page, from data/glossary.yaml, with stable ASCII anchors."""

    option_spec = {"category": directives.unchanged}

    def run(self):
        terms = edition.load_glossary()
        where = edition.occurrences(terms)
        inside = edition.contained_terms(terms)
        source, line = self.get_source_info()
        registered: set[str] = set()  # lower-cased, as Sphinx matches {term} targets
        # the reader's tools (glossary_tools): a jump bar and a category filter above the entries,
        # which stand in one group per pinyin initial; each entry's <dt>/<dd> carries its category
        groups = glossary_tools.letter_groups(terms)
        out: list[nodes.Node] = [glossary_tools.tools(terms, groups)]
        for term, dl in glossary_tools.placed(groups, out):
            item = nodes.definition_list_item()
            # Sphinx's own glossary term (a {term} target at the stable anchor term-KEY, with its
            # index entry), named in the index by both languages
            tnode = make_glossary_term(self.env, [nodes.Text(term.zh)], None, source, line, term.anchor,
                                       self.state.document)
            tnode["edition_lang"] = "zh-Hans"
            tnode["classes"] += glossary_tools.entry_classes(term)
            tnode[-1]["entries"] = [("single", f"{term.zh}（{term.en}）", term.anchor, "main", None)]
            registered.add(term.zh.lower())
            for other in [*term.variants, term.en]:
                if other.lower() not in registered:  # {term}`Cyberspace Administration of China` leads here too;
                    registered.add(other.lower())  # only the registration is kept, not a second term node
                    make_glossary_term(self.env, [nodes.Text(other)], None, source, line, term.anchor,
                                       self.state.document)
            item += tnode
            definition = nodes.definition(classes=["language-en", *glossary_tools.entry_classes(term)])
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
                lines += ["", "In the text: " + ", ".join(para_ref(p) for p in where[term.key])]
            parse_markdown(self, "\n".join(lines), definition)
            item += definition
            dl += item
        return out


class TranslatorNotes(SphinxDirective):
    def run(self):
        notes = edition.load_translation().notes
        lines = []
        for n in sorted(notes, key=lambda n: (edition.CHAPTERS.index(n.chapter), n.term)):
            where = ", ".join(para_ref(p) for p in n.paragraphs)
            lines += [n.term, f": *{n.rendering}*. {n.note}" + (f" ({where})" if where else ""), ""]
        node = nodes.container(classes=["translator-notes", "language-en"])
        parse_markdown(self, "\n".join(lines), node)
        return [node]


class EditorialLog(SphinxDirective):
    """Counts of every kind of intervention, and the full log as a table."""

    option_spec = {"summary": directives.flag}

    def run(self):
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
        parse_markdown(self, "\n".join(lines), node)
        return [node]


class FactRole(SphinxRole):
    """``{fact}`cncert-partner-orgs-2021``` -> 274, from data/facts.csv, as plain text.

    Notes and guides quote the text's numbers through this role, so they cannot drift
    from the ledger; an unknown id stops the build. The number reads as text, not as a link:
    its title says which paragraph states it, and a note cites the paragraph by its own link."""

    def run(self):
        from .. import facts

        row = facts.fact(self.text.strip())
        value = facts.value(self.text.strip())
        shown = f"{value:,}" if isinstance(value, int) and value >= 10000 else str(value)
        return [fact_value(shown, shown, source=f"Stated in {paragraph_name(row['paragraph'])} "
                                                 f"({row['paragraph']})")], []


def setup(app: Sphinx) -> None:
    app.add_role("fact", FactRole())
    app.add_directive("reading-guide", ReadingGuide)
    app.add_directive("discussion-questions", DiscussionQuestions)
    app.add_directive("edition-glossary", EditionGlossary)
    app.add_directive("translator-notes", TranslatorNotes)
    app.add_directive("editorial-log", EditorialLog)
