"""The build side of assignment links (cyberspace_edition.extension.assignments): what the builder lists, the
handout's citation line, and the ids each discussion question cites. The browser side is in
tests/browser/test_assignments.py."""

from __future__ import annotations

import json
import re
from collections import defaultdict

import pytest
import yaml
from bs4 import BeautifulSoup

from cyberspace_edition import edition, text
from cyberspace_edition.extension import assignments
from cyberspace_edition.errors import DataError

from .conftest import ROOT


def placed_by_chapter_files() -> dict[str, list[str]]:
    """page -> ids, as the chapter files place them (the build records the same: env.edition_placed)."""
    out: dict[str, list[str]] = defaultdict(list)
    for block_id, page in edition.paragraph_pages().items():
        out[page].append(block_id)
    return dict(out)


def test_the_form_is_written_again_when_and_only_when_the_placement_changes():
    """An edit to a chapter that keeps its paragraphs (most edits) must not touch For teachers; one
    that moves a paragraph must, or the form would list it under its old page."""
    from types import SimpleNamespace

    placed = placed_by_chapter_files()
    env = SimpleNamespace(edition_placed=placed, edition_assign_docs={"front/for-teachers"})
    assert assignments.builder_updated(None, env) == ["front/for-teachers"], "first build: the form not written"
    assert assignments.builder_updated(None, env) == [], "placement unchanged, yet the form is written again"
    first, second = sorted(placed)[:2]
    env.edition_placed = {**placed, first: placed[first][:-1], second: [placed[first][-1], *placed[second]]}
    assert assignments.builder_updated(None, env) == ["front/for-teachers"], (
        f"{placed[first][-1]} moved from {first} to {second}, yet the form is not written again")


def test_the_builder_lists_every_paragraph_once_in_reading_order():
    chapters = assignments.chapter_pages(placed_by_chapter_files())
    listed = [p["id"] for c in chapters for p in c["paragraphs"]]
    expected = [b.id for b in text.load_text().paragraphs()]
    assert listed == expected, "assignments.chapter_pages: not every paragraph once, in reading order"
    assert list(dict.fromkeys(c["chapter"] for c in chapters)) == edition.CHAPTERS, "chapters out of reading order"
    assert [c["doc"] for c in chapters] == [f for c in edition.CHAPTERS for f in edition.chapter(c).files], (
        "assignments.chapter_pages: the pages are not the registry's, in its order")
    names = [c["name"] for c in chapters]
    assert len(set(names)) == len(names), f"two pages share a name in the builder's list: {names}"
    for c in chapters:
        assert {edition.chapter_of(p["id"]) for p in c["paragraphs"]} == {c["chapter"]}, (
            f"{c['doc']}: paragraphs of another chapter listed under it")
        assert all(re.fullmatch(r"¶\d+|落款", p["n"]) for p in c["paragraphs"]), f"{c['doc']}: odd labels"


def test_a_paragraph_placed_twice_or_nowhere_stops_the_build():
    placed = placed_by_chapter_files()
    paragraph = text.load_text().paragraphs()[-1].id
    page = edition.paragraph_pages()[paragraph]
    other = next(p for p in placed if p != page)
    twice = {**placed, other: placed[other] + [paragraph]}
    with pytest.raises(DataError, match=f"{paragraph} is placed on"):
        assignments.chapter_pages(twice)
    nowhere = {**placed, page: [i for i in placed[page] if i != paragraph]}
    with pytest.raises(DataError, match=f"no page places paragraph {paragraph}"):
        assignments.chapter_pages(nowhere)


def test_the_citation_line_comes_from_citation_cff():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    meta = assignments.citation_meta("https://example.org/edition")
    assert meta["version"] == str(cff["version"]), "handout version differs from CITATION.cff"
    assert meta["title"] == cff["title"]
    assert meta["work"] == f"《{cff['references'][0]['title'].split()[0]}》"
    assert meta["baseurl"] == "https://example.org/edition/", "the address must end with one /"
    assert assignments.citation_meta("")["baseurl"] == "", "no html_baseurl: no address is made up"


def test_each_question_carries_the_ids_it_cites(built):
    """data-cites of each built question = the [ids] its text cites in data/annotations, in order."""
    pages = placed_by_chapter_files()
    for chapter in edition.CHAPTERS:
        guide = edition.load_annotations(chapter).guide
        if not guide:
            continue
        page = edition.chapter(chapter).files[-1]  # the questions end the chapter's last page
        assert page in pages
        soup = BeautifulSoup((built / f"{page}.html").read_text(encoding="utf-8"), "html.parser")
        items = soup.select(".discussion-questions ol > li")
        assert len(items) == len(guide.questions), f"_build/html/{page}.html: {len(items)} questions shown"
        for n, (li, question) in enumerate(zip(items, guide.questions), 1):
            cited = list(dict.fromkeys(edition.BLOCK_REF.findall(question)))
            assert li.get("data-cites", "").split() == cited, (
                f"{guide.path}:{guide.line}: question {n} cites {cited}, the page says {li.get('data-cites')!r}")


def test_the_builder_data_in_the_teachers_page_is_the_builds(built):
    soup = BeautifulSoup((built / "front/for-teachers.html").read_text(encoding="utf-8"), "html.parser")
    node = soup.select_one(f"script#{assignments.DATA_ID}")
    assert node is not None, "_build/html/front/for-teachers.html: no builder data"
    data = json.loads(node.string)
    expected = assignments.chapter_pages(placed_by_chapter_files())
    assert [(c["doc"], c["paragraphs"]) for c in data["chapters"]] == [(c["doc"], c["paragraphs"]) for c in expected]
    for c in data["chapters"]:
        assert (built / c["page"]).is_file(), f"builder data names {c['page']}, which was not built"
        assert c["href"] == f"../{c['page']}", f"builder link {c['href']} from front/ to {c['page']}"
