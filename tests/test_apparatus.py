"""The annotation layer a reader relies on: glossary, margin notes, reading guides, English text."""

from __future__ import annotations

import re

import pytest

from cyberspace_edition import edition
from cyberspace_edition.errors import DataError
from cyberspace_edition.text import load_text

GLOSSARY = "_build/html/back/glossary.html"


def test_glossary_is_complete():
    terms = edition.load_glossary()  # the loader checks fields, keys and forms (see the bad-input tests below)
    assert len(terms) >= 100, f"{edition.GLOSSARY_FILE}: only {len(terms)} entries"


def test_every_glossary_entry_is_named_in_the_text():
    terms = edition.load_glossary()
    unused = [k for k, where in edition.occurrences(terms).items() if not where]
    assert not unused, f"{edition.GLOSSARY_FILE}: entries the text never names: {unused}"


def test_glossary_anchors_are_stable_ascii_and_each_is_linked(documents):
    soup = dict(documents)["back/glossary"]
    anchors = {dt.get("id") for dt in soup.select("dl.glossary dt")}
    terms = edition.load_glossary()
    expected = {t.anchor for t in terms.values()}
    assert expected <= anchors, f"{GLOSSARY}: entries without their ASCII anchor: {sorted(expected - anchors)[:5]}"
    linked = set()
    for _, page in documents:
        for a in page.select("a[href*='glossary.html#term-'], a[href^='#term-']"):
            linked.add(a["href"].split("#", 1)[1])
    unlinked = sorted(expected - linked)
    assert not unlinked, f"{edition.GLOSSARY_FILE}: entries no page links to: {unlinked}"


def test_first_occurrence_of_terms_in_chapters_link_to_the_glossary(pages):
    for name, article in pages:
        if not name.startswith("chapters/"):
            continue
        links = [a for a in article.select(".source-paragraph a") if "term-" in a.get("href", "")]
        targets = [a["href"].split("#")[1] for a in links]
        dupes = {t for t in targets if targets.count(t) > 1}
        assert not dupes, f"_build/html/{name}.html: terms linked more than once in the text: {dupes}"
        for a in links:
            assert re.fullmatch(r"(\.\./)?back/glossary\.html#term-[a-z0-9-]+", a["href"]) or \
                a["href"].startswith("../back/glossary.html#term-"), f"_build/html/{name}.html: {a['href']}"


def test_every_chapter_has_a_reading_guide_and_questions(pages):
    for chapter in edition.CHAPTERS:
        guide = edition.load_annotations(chapter).guide
        where = edition.ANNOTATIONS_DIR / f"{chapter}.yaml"
        assert guide is not None, f"{where}: no reading guide"
        assert 2 <= len(re.findall(r"[.!?](\s|$)", guide.summary)) <= 4, f"{where}: summary is not 2–4 sentences"
        assert len(guide.objectives) == 3, f"{where}: {len(guide.objectives)} objectives, not 3"
        assert 3 <= len(guide.questions) <= 5, f"{where}: {len(guide.questions)} questions, not 3–5"
    # a chapter published over several pages (continued) opens with its guide and ends with its questions
    first = {edition.chapter(c).file for c in edition.CHAPTERS}
    last = {edition.chapter(c).files[-1] for c in edition.CHAPTERS}
    for name, article in pages:
        guides, questions = article.select(".reading-guide"), article.select(".discussion-questions")
        assert len(guides) == (name in first), (
            f"_build/html/{name}.html: {len(guides)} reading guides; a chapter's guide opens its first page")
        assert len(questions) == (name in last), (
            f"_build/html/{name}.html: {len(questions)} question lists; a chapter's questions end its last page")
        if guides:
            assert "Reading time" in guides[0].get_text(), f"_build/html/{name}.html: the guide gives no reading time"


def test_margin_notes_are_short_and_never_beside_code(pages):
    for name, article in pages:
        for aside in article.select(".para-notes .edition-note"):
            body = [p for p in aside.find_all("p")[1:] if not p.get_text().startswith("Source:")]
            words = sum(len(p.get_text("").split()) for p in body)
            assert words <= edition.MARGIN_WORDS, (
                f"_build/html/{name}.html: a margin note of {words} words should be a dropdown")
        for code_cell in article.select(".cell"):
            prev = code_cell.find_previous_sibling()
            assert not (prev and prev.name == "aside"), f"_build/html/{name}.html: a note sits beside a code cell"


def test_every_paragraph_with_names_has_a_note():
    terms = edition.load_glossary()
    missing = []
    for block in load_text().paragraphs():
        named = [t for t in terms.values() if t.category != "place" and t.category != "concept"
                 and edition.names(t, block.text, terms)]
        chapter = edition.chapter_of(block.id)
        if named and not edition.load_annotations(chapter).notes.get(block.id):
            missing.append(block.id)
    assert not missing, f"{edition.ANNOTATIONS_DIR}: paragraphs naming bodies or documents with no note: {missing}"


# --- English text -------------------------------------------------------------------


def test_every_source_paragraph_has_exactly_one_translation(pages):
    for name, article in pages:
        ids = {el["id"] for el in article.select(".source-paragraph")}
        translations = article.select(".translation[data-para]")
        for el in article.select(".source-paragraph"):
            matches = [t for t in translations if t["data-para"] == el["id"]]
            assert len(matches) == 1, f"_build/html/{name}.html: {el['id']} has {len(matches)} translations"
            assert matches[0].get_text().strip(), f"_build/html/{name}.html: {el['id']} translation is empty"
            assert matches[0].get("lang") == "en", f"_build/html/{name}.html: {el['id']} translation lacks lang=en"
        for t in translations:
            assert t["data-para"] in ids or t["data-para"] in load_text().by_id() or \
                t["data-para"] in edition.supplied_headings(), \
                f"_build/html/{name}.html: translation for unknown paragraph {t['data-para']}"


def test_every_block_has_english():
    english = edition.load_translation().text
    missing = [b.id for b in load_text().blocks if not english.get(b.id)]
    assert not missing, f"{edition.TRANSLATION_DIR}: no English for {missing}"


def test_glossary_names_appear_in_the_english():
    exceptions = edition.term_exceptions()
    gaps = [g for g in edition.term_rendering_gaps() if (g[0], g[1]) not in exceptions]
    assert not gaps, (f"{edition.TRANSLATION_DIR}: English lacks the glossary's name (paragraph, key, zh, en); "
                      f"fix the text, add other_en, or record a reason in term_exceptions.yaml: {gaps[:8]}")


def test_every_translation_chapter_had_a_second_review():
    from cyberspace_edition.datafiles import read_yaml
    for chapter in edition.CHAPTERS:
        path = edition.TRANSLATION_DIR / f"{chapter}.yaml"
        review = read_yaml(path).get("review") or {}
        assert "second" in str(review.get("pass", "")), f"{path}: no record of the second, independent review"


# --- bad input ------------------------------------------------------------------------


def test_glossary_related_key_that_does_not_exist(glossary_copy):
    text = glossary_copy.read_text(encoding="utf-8")
    glossary_copy.write_text(text.replace("related: [beijing,", "related: [peking,", 1), encoding="utf-8")
    with pytest.raises(DataError, match=r"glossary\.yaml:\d+: china: related key 'peking' does not exist"):
        edition.load_glossary(glossary_copy)


def test_glossary_term_not_in_the_text(glossary_copy):
    text = glossary_copy.read_text(encoding="utf-8")
    glossary_copy.write_text(text.replace("zh: 数字鸿沟", "zh: 数字鸿渠", 1), encoding="utf-8")
    with pytest.raises(DataError, match=r"glossary\.yaml:\d+: digital-divide: '数字鸿渠' does not occur in the text"):
        edition.load_glossary(glossary_copy)


def test_glossary_duplicate_chinese_term(glossary_copy):
    text = glossary_copy.read_text(encoding="utf-8")
    glossary_copy.write_text(text.replace("zh: 数字鸿沟", "zh: 中国", 1), encoding="utf-8")
    with pytest.raises(DataError, match=r"glossary\.yaml:\d+: .*'中国' is already a term of"):
        edition.load_glossary(glossary_copy)


def test_glossary_key_that_is_not_lower_case_ascii(glossary_copy):
    text = glossary_copy.read_text(encoding="utf-8")
    glossary_copy.write_text(text.replace("- key: digital-divide\n", "- key: Digital_Divide\n", 1), encoding="utf-8")
    line = glossary_copy.read_text(encoding="utf-8").splitlines().index("- key: Digital_Divide") + 1
    with pytest.raises(DataError, match=rf"glossary\.yaml:{line}: key 'Digital_Divide' is not lower-case ASCII"):
        edition.load_glossary(glossary_copy)
