"""Further reading at the end of each chapter, and the bibliography page that collects it.

``{further-reading} s3-3`` lists a chapter's readings from data/further_reading.yaml;
``{edition-bibliography}`` lists every chapter's, then the primary documents the text names
(data/primary_documents.yaml) and the primary sources the perspectives notes quote.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from .. import edition
from ..errors import DataError


def _parse(directive: SphinxDirective, source: str, into: nodes.Element) -> None:
    from docutils.statemachine import StringList

    lines = StringList(source.splitlines(), source=directive.get_source_info()[0])
    directive.state.nested_parse(lines, directive.content_offset, into)


def _linked(markdown: str) -> str:
    """[s3-2-p05] in a reading's note -> a link to the paragraph."""
    return edition.BLOCK_REF.sub(r"{ref}`¶ \1 <\1>`", markdown)


class FurtherReading(SphinxDirective):
    """The readings of one chapter, as a short annotated list."""

    required_arguments = 1

    def run(self):
        chapter = self.arguments[0]
        readings = edition.load_further_reading().get(chapter)
        if not readings:
            raise DataError(edition.FURTHER_READING_FILE, 0, f"no further reading for chapter {chapter!r}")
        lines = [":::{admonition} 延伸阅读 Further reading", ":class: further-reading", "",
                 "Chosen to show the documents behind this chapter and views from several standpoints; "
                 "all are collected in the {ref}`bibliography <bibliography>`.", ""]
        lines += [f"1. {_linked(edition.reading_markdown(r))}" for r in readings]
        lines.append(":::")
        node = nodes.container(classes=["further-reading-wrap"])
        _parse(self, "\n".join(lines), node)
        return [node]


class EditionBibliography(SphinxDirective):
    """One part of the bibliography page: ``reading`` (every chapter's further reading),
    ``documents`` (the primary documents the text names) or ``quoted`` (the primary sources
    the perspectives notes quote)."""

    required_arguments = 1

    def run(self):
        part = self.arguments[0]
        if part not in {"reading", "documents", "quoted"}:
            raise DataError(edition.FURTHER_READING_FILE, 0, f"edition-bibliography: unknown part {part!r}")
        lines = getattr(self, f"_{part}")()
        node = nodes.container(classes=["edition-bibliography", f"bibliography-{part}"])
        _parse(self, "\n".join(lines), node)
        return [node]

    def _reading(self) -> list[str]:
        lines: list[str] = []
        for chapter, readings in edition.load_further_reading().items():
            lines += [f"**{edition.CHAPTER_NAMES[chapter]}**", ""]
            lines += [f"1. {_linked(edition.reading_markdown(r))}" for r in readings]
            lines.append("")
        return lines

    def _documents(self) -> list[str]:
        lines: list[str] = []
        docs = sorted(edition.load_primary_documents().values(), key=lambda d: d.date)
        for d in docs:
            symbol = f" {d.symbol}." if d.symbol else ""
            host = re.sub(r"^https?://(www[.])?", "", d.url).split("/")[0]
            lines.append(f"1. {d.issuer} ({edition._human_date(d.date)}). *{edition._escape(d.title)}*.{symbol} "
                         f"[{host}]({d.url}).")
        return lines

    def _quoted(self) -> list[str]:
        lines: list[str] = []
        quoted = []
        for chapter in edition.CHAPTERS:
            for notes in edition.load_annotations(chapter).notes.values():
                for n in notes:
                    quoted += [(p, n.paragraph) for p in n.positions if p.primary]
        seen = set()
        for p, para in sorted(quoted, key=lambda x: x[0].date):
            if p.source in seen:
                continue
            seen.add(p.source)
            host = re.sub(r"^https?://(www[.])?", "", p.source).split("/")[0]
            doc = f" {edition._escape(p.document)}." if p.document else ""
            lines.append(f"1. {edition._escape(p.holder)} ({edition._human_date(p.date)}).{doc} "
                         f"[{host}]({p.source}). Quoted at {{ref}}`¶ {para} <{para}>`.")
        return lines


def setup(app: Sphinx) -> None:
    app.add_directive("further-reading", FurtherReading)
    app.add_directive("edition-bibliography", EditionBibliography)
