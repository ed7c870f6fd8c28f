"""The committed ids and the editorial log agree with the source, and say what was done."""

from __future__ import annotations

import csv
import io
from collections import Counter

from cyberspace_edition import text


def test_editorial_log_is_current():
    fresh = io.StringIO()
    w = csv.DictWriter(fresh, text.LOG_COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(text.log_rows(text.load_text()))
    committed = text.LOG_FILE.read_text(encoding="utf-8")
    if fresh.getvalue() != committed:
        for n, (a, b) in enumerate(zip(fresh.getvalue().splitlines(), committed.splitlines()), 1):
            assert a == b, f"{text.LOG_FILE}:{n}: out of date (run python -m cyberspace_edition.text)"
        raise AssertionError(f"{text.LOG_FILE}: out of date (run python -m cyberspace_edition.text)")


def test_log_accounts_for_every_space_of_the_source():
    source = text.read_source()
    counts = Counter(e.kind for e in text.load_text().log)
    spaces = source.count(" ")
    assert counts["space removed"] + counts["space kept"] == spaces, (
        f"{text.LOG_FILE}: {counts['space removed']} removed + {counts['space kept']} kept "
        f"spaces, but the source has {spaces}")
    assert counts["space kept"] == 2, f"{text.DECISIONS_FILE}: expected the two slogan spaces kept"


def test_every_paragraph_boundary_is_logged():
    t = text.load_text()
    breaks = sum(1 for e in t.log if e.kind == "paragraph break")
    paragraphs_before_a_block = sum(1 for a, b in zip(t.blocks, t.blocks[1:]) if a.kind == "paragraph")
    assert breaks == paragraphs_before_a_block, f"{text.LOG_FILE}: {breaks} breaks for {paragraphs_before_a_block} paragraph ends"
