"""The verification ledger (data/verification/claims-2026-11.csv) is evidence a reader can check.

Every row points to a place in the repository that exists, has a known verdict and a source;
a claim checked against the white paper quotes the paragraph verbatim (whitespace aside), so
the quote can be found in the text by its id.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from cyberspace_edition import text as text_mod

ROOT = Path(__file__).resolve().parents[1]
LEDGER = ROOT / "data" / "verification" / "claims-2026-11.csv"
COLUMNS = ["id", "chapter", "location", "claim", "verdict", "source", "source_words", "checked_against", "action"]
VERDICTS = {"correct", "corrected", "removed", "attributed"}
CHECKED = {"white paper", "stored copy", "stored copy (reprint)", "lead quote only"}
PARAGRAPH_ID = re.compile(r"^(s3-[1-4]|s4|concl)(-\d+)?(-p\d+|-dateline)?$")


def ledger_rows(path: Path = LEDGER) -> list[tuple[int, dict]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == COLUMNS, f"{path}:1: columns {reader.fieldnames}, expected {COLUMNS}"
        return list(enumerate(reader, start=2))


def problems_in(rows: list[tuple[int, dict]], paragraphs: dict[str, str], where: str) -> list[str]:
    """'where:line: problem' for every row that a reader could not check."""
    out = []
    ids = set()
    squash = lambda s: re.sub(r"\s+", "", s)  # noqa: E731 - the text keeps no layout whitespace
    for line, row in rows:
        at = f"{where}:{line}"
        if row["id"] in ids:
            out.append(f"{at}: duplicate id {row['id']}")
        ids.add(row["id"])
        if row["verdict"] not in VERDICTS:
            out.append(f"{at}: verdict {row['verdict']!r} not one of {sorted(VERDICTS)}")
        if row["checked_against"] not in CHECKED:
            out.append(f"{at}: checked_against {row['checked_against']!r} not one of {sorted(CHECKED)}")
        if not row["source"] or not row["source_words"]:
            out.append(f"{at}: a claim needs its source and the source's words")
        m = re.fullmatch(r"(?P<file>[^:() ]+)(:(?P<n>\d+))?( \(removed\))?", row["location"])
        if not m or not (ROOT / m["file"]).exists():
            out.append(f"{at}: location {row['location']!r} is not a file of the repository")
        elif m["n"]:
            n_lines = len((ROOT / m["file"]).read_text(encoding="utf-8").splitlines())
            if not 1 <= int(m["n"]) <= n_lines:
                out.append(f"{at}: {row['location']} is past the end of the file ({n_lines} lines)")
        if row["checked_against"] == "white paper":
            pids = [p.strip() for p in row["source"].split(";")]
            bad = [p for p in pids if p not in paragraphs]
            if bad:
                out.append(f"{at}: source {bad} is not a paragraph id of the text")
                continue
            text = "".join(squash(paragraphs[p]) for p in pids)
            for fragment in re.split(r"\s*(?:…|\.\.\.)\s*", row["source_words"]):
                if fragment and squash(fragment) not in text:
                    out.append(f"{at}: {fragment!r} is not in {', '.join(pids)}")
        elif not row["source"].startswith("http"):
            out.append(f"{at}: an outside source needs a URL, not {row['source']!r}")
    return out


@pytest.fixture(scope="module")
def paragraphs() -> dict[str, str]:
    return {b.id: b.text for b in text_mod.load_text().blocks}


def test_every_ledger_row_can_be_checked(paragraphs):
    rows = ledger_rows()
    assert len(rows) >= 100, f"{LEDGER}: only {len(rows)} claims"
    problems = problems_in(rows, paragraphs, str(LEDGER.relative_to(ROOT)))
    assert not problems, "\n".join(problems)


def test_the_ledger_check_can_fail(paragraphs, tmp_path):
    bad = tmp_path / "ledger.csv"
    bad.write_text(
        ",".join(COLUMNS) + "\n"
        "x-001,s3-2,data/facts.csv:2,a claim,correct,s3-2-p03,截至2099年,white paper,\n"
        "x-002,s3-2,data/nowhere.yaml:3,a claim,maybe,https://example.org,words,stored copy,\n"
        "x-003,s3-2,data/facts.csv:99999,a claim,correct,not-a-url,words,stored copy,\n",
        encoding="utf-8")
    problems = "\n".join(problems_in(ledger_rows(bad), paragraphs, "ledger.csv"))
    assert "ledger.csv:2: '截至2099年' is not in s3-2-p03" in problems
    assert "ledger.csv:3: verdict 'maybe'" in problems
    assert "ledger.csv:3: location 'data/nowhere.yaml:3' is not a file" in problems
    assert "ledger.csv:4: data/facts.csv:99999 is past the end of the file" in problems
    assert "ledger.csv:4: an outside source needs a URL" in problems
