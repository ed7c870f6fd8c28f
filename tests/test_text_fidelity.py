"""The published text is the source, character for character: only layout is undone."""

from __future__ import annotations

import csv
import re

from cyberspace_edition import text

SOURCE = text.SOURCE_FILE


def strip_ws(s: str) -> str:
    return re.sub(r"\s+", "", s)


def text_elements(article):
    """.source-paragraph and .source-heading elements of the text itself, not of a table of contents."""
    return [el for el in article.select(".source-paragraph, .source-heading")
            if not el.find_parent(class_="toctree-wrapper") and not el.find_parent("nav")]


def source_elements(soup):
    """Text of every .source-paragraph (minus its .para-label) and .source-heading, in page order."""
    out = []
    for el in text_elements(soup):
        el = el.__copy__()
        for label in el.select(".para-label"):
            label.decompose()
        out.append(el.get_text())
    return out


def test_published_text_equals_source_minus_whitespace_and_marker(pages):
    published = strip_ws("".join(t for _, soup in pages for t in source_elements(soup)))
    raw = SOURCE.read_text(encoding="utf-8")
    expected = strip_ws(raw.replace("（上接第四版）", "", 1))
    if published != expected:
        at = next((i for i, (a, b) in enumerate(zip(published, expected)) if a != b),
                  min(len(published), len(expected)))
        line = raw[: raw.find(expected[at:at + 6])].count("\n") + 1 if expected[at:at + 6] in raw else 0
        raise AssertionError(
            f"{SOURCE}:{line}: published text departs from the source at character {at}: "
            f"published {published[at:at + 12]!r}, source {expected[at:at + 12]!r}"
        )


def test_paragraphs_and_headings_in_the_order_of_the_structure(pages):
    """Ids on the pages, in reading order, are exactly the committed list."""
    with text.IDS_FILE.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    expected = [r["id"] for r in rows]
    published = []
    for name, soup in pages:
        for el in text_elements(soup):
            if "source-paragraph" in el.get("class", []):
                published.append(el["id"])
            else:
                published.append(el.find_parent("section").get("id", "?"))
    for i, (got, want) in enumerate(zip(published, expected)):
        assert got == want, f"{text.IDS_FILE}:{i + 2}: expected {want} at position {i + 1}, the book has {got}"
    assert len(published) == len(expected), (
        f"{text.IDS_FILE}: {len(expected)} blocks listed, {len(published)} published")


def test_each_source_paragraph_is_citable(pages):
    seen = {}
    for name, soup in pages:
        for el in soup.select(".source-paragraph"):
            pid = el.get("id")
            where = f"_build/html/{name}.html: paragraph {pid}"
            assert pid and re.fullmatch(r"[a-z0-9-]+", pid), f"{where}: no ASCII id"
            assert pid not in seen, f"{where}: id also used on {seen[pid]}"
            seen[pid] = name
            assert el.get("lang") in {"zh-Hans", "zh-CN"}, f"{where}: lang is {el.get('lang')!r}"
            label = el.find(class_="para-label")
            assert label is not None, f"{where}: no .para-label"
            if "dateline" not in el["class"]:
                link = label.find("a")
                assert link and link["href"] == f"#{pid}", f"{where}: .para-label has no permalink to #{pid}"
                assert re.fullmatch(r"¶\d+", link.get_text()), f"{where}: visible number is {link.get_text()!r}"


def test_supplied_headings_are_marked_as_editorial(pages):
    supplied = {s["text"] for s in text.load_text().supplied}
    shown = {el.get_text().strip("［］") for _, soup in pages for el in soup.select(".editorial-heading")}
    assert supplied <= shown, f"{text.DECISIONS_FILE}: supplied headings not shown as editorial: {supplied - shown}"
    for _, soup in pages:
        for el in text_elements(soup):
            assert el.get_text() not in supplied, f"supplied heading {el.get_text()} is marked as source"


def test_dateline_is_the_last_line_of_the_text(pages):
    last = [el for _, soup in pages for el in soup.select(".source-paragraph")][-1]
    assert last["id"] == "concl-dateline" and last.get_text().strip() == "（新华社北京11月7日电）", (
        f"the last source paragraph is {last.get('id')}, not the Xinhua dateline")
