"""Whole builds of a copy of the book: offline, reproducible, and stopped by bad data.

These run `jupyter-book build` on a temporary copy (the tracked files), so they
take a minute; `make test` runs them.
"""

from __future__ import annotations

import filecmp
import os
from pathlib import Path

import pytest

from cyberspace_edition.workcopy import build, copy_book


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
