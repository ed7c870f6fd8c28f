"""Helpers for a chapter opened as a notebook (``make lab``): read the text beside the charts.

In the book, ``{source-paragraph}`` directives place the text; in JupyterLab those are plain
directive fences. ``paragraphs("s3-3-1")`` prints a section's blocks from the edition's own
loaders (the checked Chinese text and its English rendering), each with its id, so a
contributor can see what a chart cell speaks of and which id to cite::

    from cyberspace_edition.notebook import paragraphs
    paragraphs("s3-3-1")
"""

from __future__ import annotations

import textwrap

from . import edition, text
from .errors import DataError
from .paths import DATA

LEVEL = {"part": 0, "section": 1, "conclusion": 1, "subhead": 2}


def section_blocks(section: str) -> list[text.Block]:
    """The blocks of a section, in reading order: its heading and what follows it up to the next
    heading of the same or a higher level; for a section without a heading of its own (a chapter
    opening), the blocks the text assigns to it."""
    blocks = text.load_text().blocks
    ids = [b.id for b in blocks]
    if section in ids:
        start = ids.index(section)
        level = LEVEL.get(blocks[start].kind, 2)
        out = [blocks[start]]
        for block in blocks[start + 1:]:
            if block.is_heading and LEVEL.get(block.kind, 2) <= level:
                break
            out.append(block)
        return out
    out = [b for b in blocks if b.section == section or b.id.startswith(section + "-")]
    if not out:
        raise DataError(DATA / "text" / "paragraph_ids.csv", 0, f"no section or paragraph {section!r}")
    return out


def paragraphs(section: str, *, english: bool = True, width: int = 100) -> str:
    """Print (and return) a section's paragraphs, each under its id, Chinese then English."""
    translation = edition.load_translation().text if english else {}
    lines = []
    for block in section_blocks(section):
        lines.append(f"[{block.id}] ({block.kind})")
        lines.append(block.text)
        if block.id in translation:
            lines.append(textwrap.fill(translation[block.id], width))
        lines.append("")
    out = "\n".join(lines)
    print(out)
    return out
