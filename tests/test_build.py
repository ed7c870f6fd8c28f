"""Whole builds of a copy of the book: offline, reproducible, and stopped by bad data.

These run `jupyter-book build` on a temporary copy (the tracked files), so they
take a minute; `make test` runs them and `make check` leaves them out (marker `build`).
"""

from __future__ import annotations

import csv
import filecmp
import os
from pathlib import Path

import pytest

from cyberspace_edition.workcopy import build, copy_book

pytestmark = pytest.mark.build


@pytest.fixture(scope="module")
def offline_builds(tmp_path_factory):
    if os.geteuid() != 0:
        pytest.skip("building in a network namespace needs root (CI runs as root)")
    book = copy_book(tmp_path_factory.mktemp("book"))
    outs = []
    for name in ("first", "second"):
        out = tmp_path_factory.mktemp(name)
        result = build(book, out, offline=True)
        assert result.returncode == 0, f"offline build failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        outs.append(out / "_build" / "html")
    return outs


def test_book_builds_with_the_network_switched_off(offline_builds):
    for html in offline_builds:
        assert (html / "index.html").exists() and (html / "chapters" / "s3-2-cybersecurity.html").exists()


def _differences(a: Path, b: Path) -> list[str]:
    diffs = []
    cmp = filecmp.dircmp(a, b)
    stack = [(cmp, Path("."))]
    while stack:
        c, rel = stack.pop()
        diffs += [str(rel / f) for f in c.left_only + c.right_only + c.diff_files]
        stack += [(sub, rel / name) for name, sub in c.subdirs.items()]
    return sorted(diffs)


def test_two_clean_builds_give_the_same_pages(offline_builds):
    diffs = _differences(*offline_builds)
    assert not diffs, f"two clean builds differ in: {diffs[:20]}"


@pytest.mark.parametrize("path, old, new, message", [
    ("data/facts.csv", "已与81个国家和地区的274个", "已与81个国家和地区的275个",
     r"data/facts.csv:\d+: cncert-partner-orgs-2021: quote .* is not in paragraph s3-2-p03"),
    ("data/glossary.yaml", "related: [beijing,", "related: [peking,",
     r"data/glossary.yaml:\d+: china: related key 'peking' does not exist"),
    ("data/translation/s3-2.yaml", "  s3-2-p01:", "  s3-2-p99:",
     r"data/translation/s3-2.yaml:\d+: unknown paragraph id 's3-2-p99'"),
])
def test_bad_data_stops_the_build_and_publishes_nothing(tmp_path, path, old, new, message):
    import re

    book = copy_book(tmp_path / "book")
    target = book / path
    content = target.read_text(encoding="utf-8")
    assert old in content, f"{path}: the test's anchor {old!r} is gone; update the test"
    target.write_text(content.replace(old, new, 1), encoding="utf-8")
    out = tmp_path / "out"
    result = build(book, out)
    log = result.stdout + result.stderr
    assert result.returncode != 0, f"the build published despite a bad {path}"
    assert re.search(message, log), f"the build's message does not name {path}, its line and the problem:\n{log[-2000:]}"
    published = list((out / "_build" / "html").rglob("*.html")) if (out / "_build" / "html").exists() else []
    assert not published, f"pages were written despite a bad {path}: {published[:3]}"


def _dated_events(html: Path) -> int:
    import re

    from bs4 import BeautifulSoup

    page = html / "back" / "timeline.html"
    words = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").get_text(" ")
    m = re.search(r"(\d+)\s+dated events", words)
    assert m, f"{page}: no 'N dated events' sentence"
    return int(m.group(1))


def test_a_new_fact_rebuilds_the_timeline(tmp_path):
    """A contributor adds a dated fact and builds again: the timeline counts it (its notebook runs
    again although its code did not change: the data it reads is part of its cache key)."""
    book = copy_book(tmp_path / "book")
    out = tmp_path / "out"
    first = build(book, out)
    assert first.returncode == 0, f"build failed:\n{first.stdout[-3000:]}\n{first.stderr[-3000:]}"
    before = _dated_events(out / "_build" / "html")
    ledger = book / "data" / "facts.csv"
    with ledger.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    dated = next(r for r in rows if r["kind"] == "date")
    with ledger.open("a", encoding="utf-8", newline="") as fh:  # the same quote and date, a new id
        csv.DictWriter(fh, fieldnames=list(dated)).writerow({**dated, "id": dated["id"] + "-again"})
    second = build(book, out)
    assert second.returncode == 0, f"rebuild failed:\n{second.stdout[-3000:]}\n{second.stderr[-3000:]}"
    after = _dated_events(out / "_build" / "html")
    assert after == before + 1, (f"back/timeline.md: after adding a dated fact to data/facts.csv the "
                                 f"rebuilt timeline says {after} dated events, expected {before + 1}")
