"""Recover the white paper's text from the newspaper layout of the source file.

The source (data/source/) is never edited.  This module reads it, undoes the
layout (line wraps, column and page breaks, justification spaces, the page
marker) and returns the headings and paragraphs in reading order, each with its
stable id from data/text/paragraph_ids.csv.  Every decision other than a plain
line join is returned as an entry of the editorial log.

Nothing here changes a character of the source: the only things removed are
whitespace and the page marker, which ``check_fidelity`` proves for every run.
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .datafiles import read_yaml
from .errors import DataError
from .paths import DATA

SOURCE_FILE = DATA / "source" / "000_518c704e3c03e0f4.txt"
SUMS_FILE = DATA / "source" / "SHA256SUMS"  # the source's checksum, said once (`sha256sum -c SHA256SUMS`)


def _source_sha256() -> str:
    """The SHA-256 that SHA256SUMS gives the source file (its one line: ``<sha256>  <file name>``)."""
    if not SUMS_FILE.is_file():
        raise DataError(SUMS_FILE, 0, f"missing: it gives the SHA-256 of {SOURCE_FILE.name}")
    for n, line in enumerate(SUMS_FILE.read_text(encoding="utf-8").splitlines(), 1):
        m = re.fullmatch(r"([0-9a-f]{64}) [ *](\S+)", line.strip())
        if m is None:
            raise DataError(SUMS_FILE, n, "expected '<sha256>  <file name>', as sha256sum writes it")
        if m[2] == SOURCE_FILE.name:
            return m[1]
    raise DataError(SUMS_FILE, 1, f"no checksum for {SOURCE_FILE.name}")


SOURCE_SHA256 = _source_sha256()
DECISIONS_FILE = DATA / "text" / "editorial_decisions.yaml"
IDS_FILE = DATA / "text" / "paragraph_ids.csv"
LOG_FILE = DATA / "text" / "editorial_log.csv"

# Sentence-final punctuation that may close a paragraph (source README's rule).
PARAGRAPH_END = tuple("。！？；”」）")
CN_NUM = "一二三四五六七八九十"
RE_PART = re.compile(rf"^[{CN_NUM}]+、")
RE_SUB = re.compile(rf"^（[{CN_NUM}]+）")
RE_NUMBERED = re.compile(r"^\d\.")
RE_CONCLUSION = re.compile(r"^结束语$")
RE_DATELINE = re.compile(r"^（新华社.+电）$")
CJK = r"\u4e00-\u9fff"


HEADING_KINDS = ("part", "section", "subhead", "conclusion")  # the kinds of block that are headings, in rank order


@dataclass
class Block:
    """One heading or paragraph of the text, in reading order."""

    kind: str  # part, section, subhead, conclusion, paragraph, dateline
    text: str  # the recovered text: source characters, layout whitespace removed
    first_line: int  # 1-based line in the source file
    last_line: int
    id: str = ""
    section: str = ""  # id of the heading this block belongs to
    number: int = 0  # visible paragraph number within its section (paragraphs only)

    @property
    def is_heading(self) -> bool:
        return self.kind in HEADING_KINDS


@dataclass
class LogEntry:
    kind: str
    line: int
    column: int
    context: str
    decision: str
    reason: str
    paragraph: str = ""


@dataclass
class Text:
    blocks: list[Block]
    log: list[LogEntry]
    supplied: list[dict] = field(default_factory=list)

    def by_id(self) -> dict[str, Block]:
        return {b.id: b for b in self.blocks}

    def paragraphs(self) -> list[Block]:
        return [b for b in self.blocks if not b.is_heading]


def read_source(path: Path | None = None) -> str:
    path = path or SOURCE_FILE
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != SOURCE_SHA256:
        raise DataError(
            path, 1, f"sha256 is {digest}, expected {SOURCE_SHA256}: the source was changed"
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:  # unreachable with the right checksum
        raise DataError(path, 1, f"not UTF-8: {exc}") from exc


def load_yaml(path: Path) -> dict:
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise DataError(path, 1, "expected a mapping at the top level")
    return data


def _line_of(path: Path, needle: str) -> int:
    """Best-effort line number of a YAML key or value, for error messages."""
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return n
    return 0


def _check_context(lines: list[str], line: int, context: str, where: str) -> None:
    if not 1 <= line <= len(lines) or context not in lines[line - 1]:
        raise DataError(
            DECISIONS_FILE,
            _line_of(DECISIONS_FILE, context),
            f"{where}: context {context!r} is not on source line {line}",
        )


def _heading_kind(line: str) -> str | None:
    if RE_PART.match(line):
        return "part"
    if RE_SUB.match(line):
        return "section"
    if RE_NUMBERED.match(line):
        return "subhead"
    if RE_CONCLUSION.match(line):
        return "conclusion"
    return None


def _space_reason(before: str, after: str) -> str:
    """Name the layout habit that put a space between two characters."""
    if before.isdigit() or after.isdigit():
        return "space beside a number"
    if before in "《》（）“”" or after in "《》（）“”":
        return "space beside a bracket, quotation or book-title mark"
    if re.match(r"[A-Za-z]", before) or re.match(r"[A-Za-z]", after):
        return "space between Latin letters and Chinese"
    if re.match(f"[{CJK}]", before) and re.match(f"[{CJK}]", after):
        return "letter-spacing of a justified line"
    return "other layout space"


def _clean_line(
    lines: list[str], n: int, kept: dict[int, list[dict]], log: list[LogEntry],
    skip: range = range(0),
) -> str:
    """Return source line n without its layout spaces (and the columns in skip)."""
    line = lines[n - 1]
    kept_cols = set()
    for decision in kept.get(n, []):
        col = line.index(decision["context"]) + decision["context"].index(" ")
        kept_cols.add(col)
    out = []
    for col, ch in enumerate(line):
        if col in skip:
            continue
        if not ch.isspace():
            out.append(ch)
            continue
        before = line[col - 1] if col else (lines[n - 2][-1:] if n > 1 else "")
        after = line[col + 1] if col + 1 < len(line) else ""
        context = line[max(0, col - 6) : col + 7]
        if col in kept_cols:
            reason = next(d["reason"] for d in kept[n] if line.index(d["context"]) <= col)
            log.append(LogEntry("space kept", n, col + 1, context, "kept", reason))
            out.append(ch)
        else:
            log.append(
                LogEntry("space removed", n, col + 1, context, "removed", _space_reason(before, after))
            )
    return "".join(out)


def recover(source: str | None = None) -> Text:
    """Undo the newspaper layout; return blocks (without ids) and the log."""
    source = read_source() if source is None else source
    decisions = load_yaml(DECISIONS_FILE)
    lines = source.split("\n")
    log: list[LogEntry] = []

    marker = decisions["page_marker"]
    _check_context(lines, marker["line"], marker["text"], "page_marker")
    kept: dict[int, list[dict]] = {}
    for d in decisions.get("kept_spaces", []):
        _check_context(lines, d["line"], d["context"], "kept_spaces")
        if " " not in d["context"]:
            raise DataError(DECISIONS_FILE, _line_of(DECISIONS_FILE, d["context"]),
                            f"kept_spaces: context {d['context']!r} holds no space")
        kept.setdefault(d["line"], []).append(d)
    continuations = {}
    for d in decisions.get("heading_continuations", []):
        _check_context(lines, d["line"], d["context"], "heading_continuations")
        continuations[d["line"]] = d

    blocks: list[Block] = []
    current: Block | None = None  # open paragraph
    blank_inside: list[int] = []  # blank lines met inside the open paragraph

    def close(at_line: int, why: str) -> None:
        nonlocal current, blank_inside
        if current is None:
            return
        for b in blank_inside:
            log.append(LogEntry("blank line joined", b, 1, _around(lines, b), "joined",
                                "blank line inside a sentence (column or page break)"))
        ends = current.text[-1]
        log.append(LogEntry("paragraph break", current.last_line, len(lines[current.last_line - 1]),
                            current.text[-8:], "break",
                            f"line ends with {ends!r} and is followed by {why}"))
        blocks.append(current)
        current, blank_inside = None, []

    n = 0
    while n < len(lines):
        n += 1
        raw = lines[n - 1]
        skip = range(0)
        if n == marker["line"]:
            col = raw.index(marker["text"])
            skip = range(col, col + len(marker["text"]))
            log.append(LogEntry("page marker removed", n, col + 1, marker["text"], "removed",
                                marker["reason"].strip()))
        if not raw.strip():
            if current is not None:
                if current.text.endswith(PARAGRAPH_END):
                    close(n - 1, "a blank line")
                else:
                    blank_inside.append(n)
            continue
        text = _clean_line(lines, n, kept, log, skip)
        kind = _heading_kind(text) if current is None or current.text.endswith(PARAGRAPH_END) else None
        if kind:
            close(n - 1, "a heading")
            heading = Block(kind, text, n, n)
            if n + 1 in continuations:
                n += 1
                heading.text += _clean_line(lines, n, kept, log)
                heading.last_line = n
                log.append(LogEntry("heading joined", n, 1, lines[n - 1].strip(), "joined",
                                    continuations[n]["reason"]))
            blocks.append(heading)
            continue
        if RE_DATELINE.match(text):
            close(n - 1, "the dateline")
            blocks.append(Block("dateline", text, n, n))
            log.append(LogEntry("dateline kept", n, 1, text, "kept",
                                "Xinhua dateline, kept as the last line of the text"))
            continue
        if current is None:
            current = Block("paragraph", text, n, n)
        else:
            current.text += text
            current.last_line = n
    close(len(lines), "the end of the file")
    supplied = decisions.get("supplied_headings", [])
    return Text(blocks, log, supplied)


def _around(lines: list[str], n: int) -> str:
    prev = lines[n - 2].strip()[-6:] if n > 1 else ""
    nxt = lines[n].strip()[:6] if n < len(lines) else ""
    return f"{prev}⏎⏎{nxt}"


def read_ids(path: Path | None = None) -> list[dict]:
    path = path or IDS_FILE
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    required = {"id", "kind", "section", "number", "incipit"}
    for i, row in enumerate(rows, 2):
        missing = [k for k in required if not (row.get(k) or "").strip() and k != "number"]
        if missing or None in row:
            raise DataError(path, i, f"malformed row: missing {missing or 'columns'}")
        if not re.fullmatch(r"[a-z0-9-]+", row["id"]):
            raise DataError(path, i, f"id {row['id']!r} is not lower-case ASCII with hyphens")
    seen: dict[str, int] = {}
    for i, row in enumerate(rows, 2):
        if row["id"] in seen:
            raise DataError(path, i, f"duplicate id {row['id']!r} (first on line {seen[row['id']]})")
        seen[row["id"]] = i
    return rows


def assign_ids(text: Text, rows: list[dict]) -> Text:
    """Give each block its committed id, checking kind and incipit line by line."""
    if len(rows) != len(text.blocks):
        raise DataError(IDS_FILE, len(rows) + 1,
                        f"{len(rows)} ids listed but the source yields {len(text.blocks)} blocks")
    for i, (row, block) in enumerate(zip(rows, text.blocks), 2):
        if (row["kind"] != block.kind or not block.text.startswith(row["incipit"])
                or row.get("source_line") != str(block.first_line)):
            raise DataError(
                IDS_FILE, i,
                f"id {row['id']} expects a {row['kind']} starting {row['incipit']!r}, "
                f"on source line {row.get('source_line')}, but source line {block.first_line} "
                f"starts a {block.kind} {block.text[:12]!r}",
            )
        block.id, block.section = row["id"], row["section"]
        block.number = int(row["number"]) if row["number"] else 0
    return text


def check_fidelity(text: Text, source: str) -> None:
    """The recovered text is the source minus whitespace and the page marker."""
    marker = load_yaml(DECISIONS_FILE)["page_marker"]["text"]
    expected = re.sub(r"\s+", "", source.replace(marker, "", 1))
    got = re.sub(r"\s+", "", "".join(b.text for b in text.blocks))
    if got != expected:
        at = next((i for i, (a, b) in enumerate(zip(got, expected)) if a != b), min(len(got), len(expected)))
        raise DataError(SOURCE_FILE, 0, f"recovered text differs from the source at character {at}: "
                                        f"{got[at-10:at+10]!r} vs {expected[at-10:at+10]!r}")


@lru_cache(maxsize=1)
def load_text() -> Text:
    """The edition's text, with ids, checked against the source."""
    source = read_source()
    text = assign_ids(recover(source), read_ids())
    check_fidelity(text, source)
    for block in text.blocks:  # blocks' line ranges do not overlap
        for entry in text.log:
            if block.first_line <= entry.line <= block.last_line:
                entry.paragraph = block.id
    return text


LOG_COLUMNS = ["kind", "line", "column", "paragraph", "decision", "context", "reason"]


def log_rows(text: Text) -> list[dict]:
    rows = [
        {c: getattr(e, c) for c in LOG_COLUMNS}
        for e in sorted(text.log, key=lambda e: (e.line, e.column))
    ]
    for s in text.supplied:
        rows.append({"kind": "heading supplied", "line": 0, "column": 0, "paragraph": s["id"],
                     "decision": "supplied", "context": s["text"],
                     "reason": f"missing from the source; from {s['source_url']}"})
    return rows


def write_log(path: Path | None = None) -> None:
    path = path or LOG_FILE
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, LOG_COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(log_rows(load_text()))


def dump() -> str:
    """The text as ``id<TAB>kind<TAB>text`` lines, for translators and annotators."""
    return "\n".join(f"{b.id}\t{b.kind}\t{b.text}" for b in load_text().blocks)


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m cyberspace_edition.text",
        description="Rewrite data/text/editorial_log.csv from the source and the editorial decisions.")
    parser.add_argument("--dump", action="store_true",
                        help="print the text as id<TAB>kind<TAB>text lines instead")
    args = parser.parse_args(argv)
    if args.dump:
        print(dump())
    else:
        write_log()
        print(f"wrote {LOG_FILE}")


if __name__ == "__main__":
    main()
