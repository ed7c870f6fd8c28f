"""Sphinx extension: the edition as data, written with every HTML build.

- at ``build-finished``, ``exports.write_all`` writes ``_build/html/downloads/``
  (edition.json and its schema, TEI, TBX, CSV files, the column dictionary);
- the ``data-fields`` directive shows, on the Data page, the fields of a download as a
  table, read from the same schema and READMEs the files are built from:
  ``edition.json``, ``edition.json:block``, ``edition.json:note``, ``edition.json:fact``,
  or a CSV file's name (``facts.csv``, ``glossary.csv``, ``wic_editions.csv`` …).
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .. import inputs  # exports (and pandas) only when a download or a table is made
from ..errors import DataError

logger = logging.getLogger(__name__)

DOWNLOADS = "downloads"  # folder of the built site that holds the files


def write_downloads(app: Sphinx, exception) -> None:
    """Write the downloads after a successful HTML build."""
    if exception is not None or app.builder.name != "html":
        return
    folder = Path(app.outdir) / DOWNLOADS
    stamp = Path(app.outdir).parent / ".edition-downloads"  # the inputs they were written from
    if folder.is_dir() and stamp.is_file() and stamp.read_text() == inputs.book_key():
        logger.info(f"edition data: inputs unchanged, {folder} kept")
        return
    from .. import exports

    sizes = exports.write_all(folder)
    stamp.write_text(inputs.book_key())
    logger.info(f"edition data: {len(sizes)} files, {sum(sizes.values()):,} bytes in {folder}")


def _schema_part(part: str) -> dict:
    from .. import exports

    schema = exports.edition_schema()
    block = schema["properties"]["blocks"]["items"]
    parts = {"": schema, "block": block, "note": block["properties"]["notes"]["items"],
             "fact": block["properties"]["facts"]["items"]}
    if part not in parts:
        raise KeyError(part)
    return parts[part]


def _cell(s: str, markdown: bool = True) -> str:
    """A table cell: one line, pipes escaped; plain text (schema descriptions) with * escaped too."""
    s = " ".join(str(s).split()).replace("|", "\\|")
    return s if markdown else s.replace("*", "\\*")


class DataFields(SphinxDirective):
    """A table of the fields of one download."""

    required_arguments = 1

    def run(self):
        from .. import exports

        name = self.arguments[0]  # the READMEs it reads are its page's dependencies: inputs.READS
        if name.startswith("edition.json"):
            try:
                schema = _schema_part(name.partition(":")[2])
            except KeyError:
                raise DataError(Path(self.env.doc2path(self.env.docname)), self.lineno,
                                f"data-fields: unknown part of edition.json {name!r}") from None
            required = set(schema.get("required", []))
            lines = ["| Field | Type | Meaning |", "|---|---|---|"]
            for field, spec in schema["properties"].items():
                kind = spec.get("type", "")
                kind = " or ".join(kind) if isinstance(kind, list) else kind
                if "enum" in spec:
                    kind += ": " + ", ".join(f"`{v}`" for v in spec["enum"] if v is not None)
                optional = "" if field in required else " (optional)"
                lines.append(f"| `{field}` | {_cell(kind)}{optional} | {_cell(spec.get('description', ''), markdown=False)} |")
        else:
            dictionary = exports.data_dictionary()
            if name not in dictionary:
                raise DataError(Path(self.env.doc2path(self.env.docname)), self.lineno,
                                f"data-fields: no column dictionary for {name!r}; known: {sorted(dictionary)}")
            lines = ["| Column | Meaning |", "|---|---|"]
            lines += [f"| `{c['name']}` | {_cell(c['meaning'])} |" for c in dictionary[name]["columns"]]
        node = nodes.container(classes=["data-fields"])
        source = self.get_source_info()[0]
        self.state.nested_parse(StringList(lines, source=source), self.content_offset, node)
        return [node]


def setup(app: Sphinx) -> dict:
    app.add_directive("data-fields", DataFields)
    app.connect("build-finished", write_downloads)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
