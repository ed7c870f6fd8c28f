"""Shared by the directives: a paragraph by id, what a link to it says, MyST for notes and sources.
(What each page depends on is said in ../inputs.py and noted by dependencies.py.)"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.domains.std import StandardDomain
from sphinx.util.docutils import SphinxDirective

from .. import edition, text
from ..errors import DataError

def get_block(block_id: str, where: str, env=None, lineno: int = 0) -> text.Block:
    """The block with this id; an unknown id stops the build naming the page and line that asked
    for it (given env and lineno), else ``where``, and the list of ids."""
    blocks = text.load_text().by_id()
    if block_id not in blocks:
        if env is not None:
            raise DataError(Path(env.doc2path(env.docname)), lineno,
                            f"unknown paragraph id {block_id!r} (the ids: {text.IDS_FILE.name})")
        raise DataError(text.IDS_FILE, 0, f"{where}: unknown paragraph id {block_id!r}")
    return blocks[block_id]


def note_target(env, name: str, node_id: str, title: str) -> None:
    std: StandardDomain = env.get_domain("std")  # type: ignore[assignment]
    std.note_hyperlink_target(name, env.docname, node_id, title)


def inline_emphasis(text_: str) -> list[nodes.Node]:
    """*Title* -> emphasis: the one inline markup the English text uses (for titles)."""
    out: list[nodes.Node] = []
    for i, part in enumerate(re.split(r"\*([^*]+)\*", text_)):
        if part:
            out.append(nodes.emphasis(part, part) if i % 2 else nodes.Text(part))
    return out


def parse_markdown(directive: SphinxDirective, source: str, into: nodes.Element) -> None:
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
    block = get_block(block_id, "paragraph reference")
    section = section_of(block_id)
    if block.kind == "subhead":
        return f"subhead {block_id.rsplit('-', 1)[1]} of {section_name(section)}"
    if block.is_heading:
        return f"heading {section_name(block_id)}"
    if block.kind == "dateline":
        return f"dateline of {section_name(section)}"
    return f"¶{block.number} of {section_name(section)}"


@functools.lru_cache(maxsize=None)
def sections() -> dict[str, str]:
    import csv

    with text.IDS_FILE.open(encoding="utf-8", newline="") as fh:
        return {row["id"]: row["section"] for row in csv.DictReader(fh)}


def section_of(block_id: str) -> str:
    return sections().get(block_id) or block_id


def para_ref(block_id: str) -> str:
    """MyST for a link to a paragraph that names it: {ref}`¶3 of 三（二） <s3-2-p03>`."""
    return f"{{ref}}`{paragraph_name(block_id)} <{block_id}>`"


def note_markdown(note_text: str) -> str:
    """Paragraph ids in square brackets become links that name the paragraph: [s3-3-p12] -> ¶12 of 三（三）."""
    return edition.BLOCK_REF.sub(lambda m: para_ref(m.group(1)), note_text)


def source_links(sources: list[str]) -> str:
    parts = []
    for s in sources:
        if str(s).startswith("http"):
            host = re.sub(r"^https?://(www\.)?", "", s).split("/")[0]
            parts.append(f"[{host}]({s})")
        else:
            parts.append(para_ref(s))
    return "; ".join(parts)
