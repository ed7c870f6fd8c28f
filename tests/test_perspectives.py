"""Perspectives notes, primary documents first, further reading, and the whole white paper within reach.

A reader relies on these: at every contested point the book says what others said, attributed,
dated and quoted from a source it links; primary documents come before reports; every further
reading is listed with what it adds; later developments are labelled as later.
"""

from __future__ import annotations

import re

import pytest

from cyberspace_edition import edition
from cyberspace_edition.errors import DataError

CONTESTED = ["s3-3-p12", "s4-1-p01", "s4-3-p01", "s4-5-p01", "s3-2-p05", "s4-6-p01", "s4-7-p01", "s4-8-p01"]
# words that take sides; the editors' own words (claims and summaries of views) must not use them
LOADED = ["so-called", "baseless", "groundless", "aggressive", "malicious", "propaganda", "regime",
          "authoritarian", "bullying", "unwarranted", "smear", "slander", "notorious", "infamous", "rogue",
          "lies", "hypocri", "draconian", "sinister", "heroic", "glorious", "undeniabl", "clearly", "obviously"]


def perspectives_notes() -> list[edition.Note]:
    return [n for c in edition.CHAPTERS for notes in edition.load_annotations(c).notes.values()
            for n in notes if n.kind == "perspectives"]


def _plain(s: str) -> str:
    """Compare quotations as the reader sees them: straight and curly quotes alike, spaces folded."""
    return " ".join(s.translate(str.maketrans("‘’“”", "''\"\"")).split())


def test_every_contested_point_has_a_perspectives_note():
    have = {n.paragraph for n in perspectives_notes()}
    missing = [p for p in CONTESTED if p not in have]
    assert not missing, f"{edition.ANNOTATIONS_DIR}: no perspectives note at {missing}"


def test_each_note_says_what_the_text_claims_and_gives_several_holders():
    for n in perspectives_notes():  # the loader requires the claim to cite its paragraph
        assert n.text.startswith("What the text claims:"), f"{n.path}:{n.line}: the note should open with the text's claim"
        holders = {p.holder for p in n.positions}
        assert len(holders) >= 2, f"{n.path}:{n.line}: fewer than two holders"


def test_every_position_restates_its_source_rather_than_copying_it():
    # holder, date, quotation and source URL: the loader requires them (see the bad-input tests)
    for n in perspectives_notes():
        for p in n.positions:
            where = f"{n.path}:{p.line}"
            assert p.quote not in p.view, f"{where}: the summary copies the quotation instead of restating it"


def test_the_chinese_government_position_and_others_are_both_given():
    """Each note states the text's (the Chinese government's) claim and at least one other holder's."""
    for n in perspectives_notes():
        others = [p for p in n.positions if "China" not in p.holder and "Chinese" not in p.holder]
        assert others, f"{n.path}:{n.line}: no position from outside the Chinese government"
    chinese = [n.paragraph for n in perspectives_notes()
               if any(("China" in p.holder or "Chinese" in p.holder or "Xinhua" in p.holder) for p in n.positions)]
    assert len(chinese) >= len(CONTESTED) - 2, f"Chinese positions quoted only at {chinese}"


def test_the_editors_words_take_no_side():
    for n in perspectives_notes():
        own = [n.text, n.outcome, *(p.view for p in n.positions)]
        for words in own:
            for bad in LOADED:
                if re.search(rf"\b{re.escape(bad)}", words, re.I):
                    pytest.fail(f"{n.path}:{n.line}: {bad!r} in the editors' own words: {words[:80]}…")


def test_later_developments_are_labelled():
    for n in perspectives_notes():
        years = [int(y) for y in re.findall(r"\b(20\d\d)\b", n.outcome)]
        if any(y > 2022 for y in years):
            assert "after the white paper" in n.outcome.lower(), \
                f"{n.path}:{n.line}: the outcome reports later events without saying they are after the white paper"


def test_primary_sources_come_before_reports_in_every_note():
    wrong = []
    for c in edition.CHAPTERS:
        for notes in edition.load_annotations(c).notes.values():
            for n in notes:
                urls = [u for u in n.sources if str(u).startswith("http")]
                flags = [edition.is_primary(u, n.positions) for u in urls]
                if flags != sorted(flags, reverse=True):
                    wrong.append(f"{n.path}:{n.line}")
    assert not wrong, f"a report is listed before a primary source in: {wrong}"


def test_share_of_notes_citing_the_primary_document_they_name():
    """Report, for every note that names a registered document, whether it cites that document."""
    naming, citing, missing = 0, 0, []
    for c in edition.CHAPTERS:
        for notes in edition.load_annotations(c).notes.values():
            for n in notes:
                docs = edition.documents_named(n.text)
                if not docs:
                    continue
                naming += 1
                if all(d.url in n.sources for d in docs):
                    citing += 1
                else:
                    missing.append((f"{n.path.name}:{n.line}", n.kind, [d.key for d in docs if d.url not in n.sources]))
    assert naming, "no note names a registered primary document: check data/primary_documents.yaml names"
    share = citing / naming
    print(f"\nnotes naming a primary document: {naming}; citing it: {citing} ({share:.0%})")
    for m in missing:
        print("  does not cite:", m)
    assert not missing, f"{naming - citing} of {naming} notes name a primary document without citing it: {missing}"


def test_glossary_contested_concepts_name_whose_definition_and_cite_primary_first():
    terms = edition.load_glossary()
    for key in ["cyber-sovereignty", "community-with-shared-future-in-cyberspace", "true-multilateralism",
                "multi-party-participation", "multi-stakeholder", "cyberspace-governance"]:
        t = terms[key]
        where = f"{edition.GLOSSARY_FILE}:{t.line}"
        links = re.findall(r"\]\((https?://[^)\s]+)\)", t.definition)
        assert len(links) >= 2, f"{where}: {key} cites fewer than two sources for how the term is used"
        flags = [edition.is_primary(u) for u in links]
        assert flags[0], f"{where}: {key} does not cite a primary document first"
        assert flags == sorted(flags, reverse=True), f"{where}: {key} cites a report before a primary source"
    for key in ["cyber-sovereignty", "community-with-shared-future-in-cyberspace"]:
        assert "Chinese government's own terms" in terms[key].definition, \
            f"{edition.GLOSSARY_FILE}:{terms[key].line}: {key} does not say whose definition it gives"


def test_each_chapter_has_a_question_that_weighs_the_text():
    with_notes = {n.paragraph for n in perspectives_notes()}
    names = [nm for d in edition.load_primary_documents().values() for nm in d.names]
    for chapter in edition.CHAPTERS:
        guide = edition.load_annotations(chapter).guide
        ok = []
        for q in guide.questions:
            cited = set(edition.BLOCK_REF.findall(q))
            if "Perspectives note" in q and cited & with_notes:
                ok.append(q)
            elif "primary document" in q and any(nm in q for nm in names):
                ok.append(q)
        assert ok, (f"{guide.path}: no question weighs the text against a perspectives note or a primary "
                    f"document")


def test_further_reading_is_complete_and_from_several_standpoints():
    readings = edition.load_further_reading()
    assert set(readings) == set(edition.CHAPTERS), f"{edition.FURTHER_READING_FILE}: chapters without reading"
    for chapter, items in readings.items():  # three to six each, verified: the loader requires it
        where = f"{edition.FURTHER_READING_FILE}:{items[0].line}"
        assert len({r.kind for r in items}) >= 2, f"{where}: {chapter} readings are all of one kind"
        assert len({r.standpoint for r in items}) >= 2, f"{where}: {chapter} readings share one standpoint"
    urls = [r.url for items in readings.values() for r in items]
    dupes = {u for u in urls if urls.count(u) > 1}
    assert not dupes, f"{edition.FURTHER_READING_FILE}: the same item listed twice: {dupes}"


# --- the built book -----------------------------------------------------------------------------


def _page(pages, name):
    return dict(pages)[name]


def test_perspectives_notes_are_shown_beside_their_paragraphs(pages):
    pages_of = edition.paragraph_pages()
    for n in perspectives_notes():
        name = pages_of[n.paragraph]
        article = _page(pages, name)
        block = article.find(id=n.paragraph).find_parent(class_="para-block")
        boxes = block.select("details.note-perspectives")
        assert boxes, f"_build/html/{name}.html: no perspectives note beside {n.paragraph}"
        # get_text(""): a Chinese quotation in an English note is split into language spans
        # (<span lang="zh-Hans">), and a separator would put spaces where the reader sees none
        html_text = _plain(" ".join(b.get_text("") for b in boxes))
        hrefs = {a.get("href") for b in boxes for a in b.select("a")}
        for p in n.positions:
            assert _plain(p.quote) in html_text, f"_build/html/{name}.html: quotation of {p.holder!r} not shown"
            assert p.source in hrefs, f"_build/html/{name}.html: source of {p.holder!r} not linked"
            if p.after_white_paper:
                assert "after the white paper" in html_text, f"_build/html/{name}.html: later date not labelled"
        assert "Perspectives:" in boxes[0].summary.get_text(), f"_build/html/{name}.html: note kind not labelled"


def test_each_chapter_ends_with_its_further_reading(pages):
    readings = edition.load_further_reading()
    for name, article in pages:
        chapter = next((c for c in edition.CHAPTERS if edition.chapter(c).files[-1] == name), None)
        if chapter is None:
            continue
        box = article.select_one(".further-reading")
        assert box, f"_build/html/{name}.html: no further reading"
        hrefs = {a.get("href") for a in box.select("a")}
        for r in readings[chapter]:
            assert r.url in hrefs, f"_build/html/{name}.html: reading {r.title!r} not linked"
        questions = article.select_one(".discussion-questions")
        assert questions and box.sourceline < questions.sourceline, \
            f"_build/html/{name}.html: further reading should come just before the discussion questions"


def test_bibliography_collects_every_reading_and_document(pages):
    article = _page(pages, "back/bibliography")
    hrefs = {a.get("href") for a in article.select("a")}
    for items in edition.load_further_reading().values():
        for r in items:
            assert r.url in hrefs, f"_build/html/back/bibliography.html: {r.title!r} missing"
    for d in edition.load_primary_documents().values():
        assert d.url in hrefs, f"_build/html/back/bibliography.html: document {d.key} missing"
    for n in perspectives_notes():
        for p in n.positions:
            if p.primary:
                assert p.source in hrefs, f"_build/html/back/bibliography.html: primary source of {p.holder!r} missing"


def test_the_whole_white_paper_is_within_reach(pages):
    docs = edition.load_primary_documents()
    for name in ("index", "front/note-on-the-text"):
        article = _page(pages, name)
        hrefs = {a.get("href") for a in article.select("a")}
        text = " ".join(article.get_text(" ").split())
        for key in ("white-paper-zh", "white-paper-en"):
            assert docs[key].url in hrefs, f"_build/html/{name}.html: no link to {key} ({docs[key].url})"
        assert "not been collated" in text, f"_build/html/{name}.html: does not say the print was not collated"
        assert re.search(r"preface", text, re.I) and "二" in text, \
            f"_build/html/{name}.html: does not say which parts are not covered"


def test_teachers_page_explains_the_perspectives_notes(pages):
    article = _page(pages, "front/for-teachers")
    text = article.get_text(" ")
    assert "perspectives notes in class" in text.lower(), "_build/html/front/for-teachers.html: no section on perspectives notes"
    missing = [p for p in CONTESTED if p not in text]
    assert not missing, f"_build/html/front/for-teachers.html: contested points not listed: {missing}"


# --- bad input ----------------------------------------------------------------------------------


def test_a_position_without_a_quotation_is_refused(annotations_copy):
    path = annotations_copy / "s4.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('        quote: "no sanction-levying authority"\n', "", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=r"s4\.yaml:\d+: position lacks quote"):
        edition.load_annotations("s4")


def test_a_position_that_does_not_say_whether_it_is_primary_is_refused(annotations_copy):
    path = annotations_copy / "s3-3.yaml"
    text = path.read_text(encoding="utf-8")
    marker = '        source: "https://www.insidehighered.com/quicktakes/2022/09/06/china-accuses-us-hacking-university"\n        primary: false\n'
    assert marker in text
    path.write_text(text.replace(marker, marker.replace("        primary: false\n", "")), encoding="utf-8")
    with pytest.raises(DataError, match=r"s3-3\.yaml:\d+: position must say primary"):
        edition.load_annotations("s3-3")


def test_a_chapter_with_too_little_further_reading_is_refused(tmp_path):
    path = tmp_path / "further_reading.yaml"
    data = edition.FURTHER_READING_FILE.read_text(encoding="utf-8")
    start = data.index("  - kind: analysis\n    author: Digital Watch (Geneva Internet Platform)\n    title: The G20")
    end = data.index("s3-2:")
    path.write_text(data[:start] + data[end:], encoding="utf-8")
    cut = path.read_text(encoding="utf-8")
    start = cut.index("  - kind: scholarship\n    author: Graham Greenleaf")
    end = cut.index("s3-2:")
    path.write_text(cut[:start] + cut[end:], encoding="utf-8")
    with pytest.raises(DataError, match=r"further_reading\.yaml:\d+: s3-1: give three to six readings"):
        edition.load_further_reading(path)
