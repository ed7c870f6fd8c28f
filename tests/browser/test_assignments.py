"""Teachers' assignment links and handouts (issue 13, items 1 and 2), in Chromium.

The builder on For teachers makes the link; the link opens the chapter at exactly the assigned
paragraphs, in the chosen language mode and layers, with the questions that cite them; it
survives a reload, works from file://, and degrades to the whole chapter with a message on bad
input; printed, it is an A4 handout that holds the assigned text and no other paragraph.
What each page should show is read from the built HTML (the paragraphs, their texts, the ids each
question cites), not written into the test.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from urllib.parse import parse_qs, urlparse

import pytest
import yaml
from bs4 import BeautifulSoup

from ..conftest import HTML, ROOT
from .conftest import SCREENSHOTS
from .test_accessibility import PREPARE  # fold-outs open, charts drawn, animations ended

TEACHERS = "front/for-teachers.html"
CHAPTER = "chapters/s3-2-cybersecurity.html"
WIDTHS = {1400: {"width": 1400, "height": 900}, 390: {"width": 390, "height": 844}}
SPACE = re.compile(r"\s+")

VISIBLE_BLOCKS = """() => [...document.querySelectorAll('article.bd-article .para-block')]
  .filter(b => b.getClientRects().length).map(b => b.querySelector('.source-paragraph').id)"""


def chapter_html(path: str = CHAPTER) -> BeautifulSoup:
    return BeautifulSoup((HTML / path).read_text(encoding="utf-8"), "html.parser")


def paragraph_ids(path: str = CHAPTER) -> list[str]:
    return [p["id"] for p in chapter_html(path).select("article .source-paragraph[id]")]


def questions_citing(ids: list[str], path: str = CHAPTER) -> list[int]:
    """1-based numbers of the chapter's discussion questions whose data-cites name one of ids."""
    items = chapter_html(path).select(".discussion-questions ol > li")
    assert items and all(li.has_attr("data-cites") for li in items), (
        f"_build/html/{path}: discussion questions without data-cites")
    return [i for i, li in enumerate(items, 1) if set(li["data-cites"].split()) & set(ids)]


def view_shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def state(page) -> dict:
    """What the reader sees: the paragraphs, the language, the notes, the questions, the banner."""
    return page.evaluate("""() => {
      const shown = el => !!el && el.getClientRects().length > 0;
      const blocks = [...document.querySelectorAll('article.bd-article .para-block')].filter(shown);
      return {
        blocks: blocks.map(b => b.querySelector('.source-paragraph').id),
        zh: blocks.map(b => shown(b.querySelector('.source-paragraph > p'))),
        en: blocks.map(b => shown(b.querySelector('.translation'))),
        labels: blocks.map(b => shown(b.querySelector('.para-label a'))),
        notes: blocks.filter(b => shown(b.querySelector('.para-notes, details.edition-note'))).length,
        questions: [...document.querySelectorAll('.discussion-questions ol > li')].filter(shown).map(li => li.value),
        headings: [...document.querySelectorAll('article.bd-article section[id]')]
          .filter(s => shown(s.querySelector(':scope > h1, :scope > h2'))).map(s => s.id),
        mode: document.documentElement.dataset.editionLanguage,
      };
    }""")


# --- the builder ------------------------------------------------------------------------------


def build_link(page, first: str, last: str, lang: str, notes: bool, note: str) -> str:
    page.select_option("#assign-chapter", "chapters/s3-2-cybersecurity")
    page.select_option("#assign-first", first)
    page.select_option("#assign-last", last)
    page.check(f"input[name='assign-lang'][value='{lang}']")
    page.set_checked("#assign-notes", notes)
    page.fill("#assign-note", note)
    return page.input_value("#assign-link")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_builder_makes_the_link(visit, width):
    v = visit(TEACHERS, viewport=WIDTHS[width])
    page = v.page
    ids = paragraph_ids()
    link = build_link(page, ids[1], ids[3], "en", False, "Read before Thursday & answer 2")
    where = f"_build/html/{TEACHERS} at {width}px"
    url = urlparse(link)
    assert url.path.endswith("/" + CHAPTER), f"{where}: the link leads to {url.path}, not {CHAPTER}"
    assert parse_qs(url.query) == {"assign": [f"{ids[1]}..{ids[3]}"], "lang": ["en"], "notes": ["off"],
                                   "questions": ["on"], "note": ["Read before Thursday & answer 2"]}, (
        f"{where}: the builder wrote {link}")
    # a set of paragraphs, by keyboard: the radio, then two checkboxes
    page.locator("input[name='assign-kind'][value='set']").focus()
    page.keyboard.press("Space")
    for pid in (ids[0], ids[4]):
        page.locator(f"#assign-set input[value='{pid}']").focus()
        page.keyboard.press("Space")
    assert parse_qs(urlparse(page.input_value("#assign-link")).query)["assign"] == [f"{ids[0]},{ids[4]}"], (
        f"{where}: a set of paragraphs gives {page.input_value('#assign-link')}")
    page.locator("#assign-builder").scroll_into_view_if_needed()
    view_shot(page, f"assign-builder@{width}")
    page.locator("#assign-builder").screenshot(path=str(SCREENSHOTS / f"assign-builder-form@{width}.png"))
    # the copy button, from the keyboard
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.locator("#assign-copy").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.getElementById('assign-status').textContent.includes('copied')", timeout=5000)
    assert page.evaluate("navigator.clipboard.readText()") == page.input_value("#assign-link"), (
        f"{where}: the copied link differs from the one shown")
    # the builder's list of chapters and ids is the build's: every chapter page that places paragraphs
    listed = page.evaluate("""() => JSON.parse(document.getElementById('assign-builder-data').textContent)
      .chapters.map(c => [c.page, c.paragraphs.map(p => p.id)])""")
    for chapter_page, chapter_ids in listed:
        assert chapter_ids == paragraph_ids(chapter_page), f"{where}: the builder's ids for {chapter_page} differ"
    assert sum(len(i) for _, i in listed) == sum(
        1 for r in (ROOT / "data/text/paragraph_ids.csv").read_text(encoding="utf-8").splitlines()[1:]
        if r.split(",")[1] in ("paragraph", "dateline")), f"{where}: the builder misses paragraphs"
    assert not v.errors, v.errors


# --- the assigned page ------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en", "both"])
def test_the_link_shows_exactly_the_assigned_paragraphs_in_the_chosen_mode(visit, lang):
    ids = paragraph_ids()
    assigned = ids[1:4]
    query = f"?assign={assigned[0]}..{assigned[-1]}&lang={lang}&notes=off&note=%3Cb%3ERead%3C/b%3E%20this"
    v = visit(CHAPTER + query)
    page = v.page
    where = f"_build/html/{CHAPTER}{query}"
    expected_questions = questions_citing(assigned)
    for attempt in ("opened", "reloaded"):
        s = state(page)
        assert s["blocks"] == assigned, f"{where} ({attempt}): shows {s['blocks']}, not {assigned}"
        assert s["mode"] == lang, f"{where} ({attempt}): language mode {s['mode']}"
        assert all(s["zh"]) == (lang != "en") and not any(s["zh"]) == (lang == "en"), f"{where}: Chinese {s['zh']}"
        assert all(s["en"]) == (lang != "zh") and not any(s["en"]) == (lang == "zh"), f"{where}: English {s['en']}"
        assert all(s["labels"]), f"{where}: a paragraph number is hidden"
        assert s["notes"] == 0, f"{where} ({attempt}): notes=off but {s['notes']} paragraphs show notes"
        assert s["questions"] == expected_questions, (
            f"{where} ({attempt}): questions {s['questions']} shown, not {expected_questions}")
        sections = {sec["id"] for sec in chapter_html().select("article section[id]")
                    if any(sec.select_one(f"[id='{i}']") for i in assigned)}
        assert set(s["headings"]) == sections, f"{where}: headings of {s['headings']}, not {sorted(sections)}"
        banner = page.get_by_role("region", name=re.compile("Assignment"))
        assert banner.is_visible(), f"{where}: no banner region named Assignment"
        assert "<b>Read</b> this" in banner.inner_text(), f"{where}: the teacher's note is not shown as text"
        assert banner.locator("b").count() == 0, f"{where}: the teacher's note was read as HTML"
        assert page.evaluate("document.activeElement.id") == "assign-banner-title", (
            f"{where}: focus is not on the banner's heading")
        page.reload(wait_until="load")
    # the whole chapter, and back; the reader's stored language is not changed by the link
    page.get_by_role("button", name="Show the whole chapter").click()
    assert state(page)["blocks"] == ids, f"{where}: 'Show the whole chapter' does not show {ids}"
    assert page.get_by_role("button", name="Show the whole chapter").get_attribute("aria-pressed") == "true"
    page.get_by_role("button", name="Show the whole chapter").press("Enter")
    assert state(page)["blocks"] == assigned, f"{where}: the switch does not return to the assignment"
    assert page.evaluate("localStorage.getItem('edition-language')") is None, (
        f"{where}: the link's lang= was stored as the reader's own choice")
    assert not v.errors and not v.outside, (v.errors, v.outside)
    if lang == "en":
        view_shot(page, "assign-page@1400")
        phone = visit(CHAPTER + query, viewport=WIDTHS[390])
        view_shot(phone.page, "assign-page@390")
        assert state(phone.page)["blocks"] == assigned, f"{where} at 390px: {state(phone.page)['blocks']}"


def test_a_list_of_ids_across_sections_and_the_questions_on_them(visit):
    path = "chapters/s4-proposals-6-10.html"  # part 四's second page, which ends with its questions
    ids = paragraph_ids(path)
    assigned = [ids[1], ids[3]]
    v = visit(f"{path}?assign={ids[3]},{ids[1]}&questions=on")
    s = state(v.page)
    assert s["blocks"] == assigned, f"_build/html/{path}: shows {s['blocks']}, not {assigned} (reading order)"
    assert s["questions"] == questions_citing(assigned, path), f"_build/html/{path}: questions {s['questions']}"
    assert s["notes"] > 0, f"_build/html/{path}: notes are on by default but none shows"


def test_the_link_works_from_disk(browser):
    """file://: no server, no fetch; the page's own data names the paragraphs."""
    ids = paragraph_ids()
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((HTML / CHAPTER).as_uri() + f"?assign={ids[2]}&lang=zh", wait_until="load")
    assert state(page)["blocks"] == [ids[2]], f"_build/html/{CHAPTER} from file://: {state(page)['blocks']}"
    page.goto((HTML / TEACHERS).as_uri(), wait_until="load")
    assert page.input_value("#assign-link").startswith("file://"), "the builder makes no link from file://"
    context.close()
    assert not errors, errors


@pytest.mark.parametrize("query, says", [
    ("?assign=s3-2-p02..s3-2-p09", "no paragraph s3-2-p09"),
    ("?assign=s3-3-p04", "no paragraph s3-3-p04"),
    ("?assign=s3-2-p04..s3-2-p02", "runs backwards"),
    ("?assign=s3-2-p02...s3-2-p04", "not a paragraph id"),
    ("?assign=s3-2-p02..", "lacks an end"),
    ("?assign=s3-2-p02,,s3-2-p03", "empty item"),
    ("?assign=", "empty"),
    ("?assign=s3-2-1", "is a heading"),
    ("?assign=%3Cimg%20src=x%20onerror=alert(1)%3E", "not a paragraph id"),
])
def test_bad_input_shows_a_message_and_the_whole_chapter(visit, query, says):
    v = visit(CHAPTER + query)
    page = v.page
    where = f"_build/html/{CHAPTER}{query}"
    banner = page.get_by_role("region", name=re.compile("cannot be read"))
    assert banner.is_visible(), f"{where}: no message"
    assert says in banner.inner_text(), f"{where}: the message does not say {says!r}: {banner.inner_text()!r}"
    assert banner.locator("img").count() == 0, f"{where}: the query was written into the page as HTML"
    assert state(page)["blocks"] == paragraph_ids(), f"{where}: not the whole chapter"
    assert not v.errors, v.errors


def test_a_bad_layer_value_is_named_and_its_default_used(visit):
    v = visit(CHAPTER + "?assign=s3-2-p03&notes=maybe&lang=fr")
    s = state(v.page)
    text = v.page.get_by_role("region", name=re.compile("Assignment")).inner_text()
    assert s["blocks"] == ["s3-2-p03"] and s["notes"] == 1, f"_build/html/{CHAPTER}: {s}"
    assert "notes=maybe" in text and "lang=fr" in text, f"_build/html/{CHAPTER}: bad values not named: {text!r}"


@pytest.mark.parametrize("width", WIDTHS)
def test_no_serious_accessibility_violations_with_the_banner(visit, axe, width):
    bad = []
    for query in ("?assign=s3-2-p02..s3-2-p04&lang=both&note=Read%20this", "?assign=s3-2-p09"):
        v = visit(CHAPTER + query, viewport=WIDTHS[width])
        v.page.evaluate(PREPARE)
        result = axe(v.page)
        bad += [f"{CHAPTER}{query} at {width}px: {x['id']} ({x['impact']}): {n['target']} {n['html'][:120]}"
                for x in result["violations"] if x["impact"] in ("serious", "critical") for n in x["nodes"]]
    v = visit(TEACHERS, viewport=WIDTHS[width])
    v.page.check("input[name='assign-kind'][value='set']")
    v.page.locator("#assign-set input").first.check()
    v.page.evaluate(PREPARE)
    result = axe(v.page)
    bad += [f"{TEACHERS} at {width}px: {x['id']} ({x['impact']}): {n['target']} {n['html'][:120]}"
            for x in result["violations"] if x["impact"] in ("serious", "critical") for n in x["nodes"]]
    assert not bad, "\n".join(bad)


# --- the handout ----------------------------------------------------------------------------------


def _squash(s: str) -> str:
    """No whitespace; NFKC, since pypdf reads some Han characters of the CJK font as their
    compatibility forms (⼆ U+2F06 for 二)."""
    s = unicodedata.normalize("NFKC", s)
    return SPACE.sub("", s).replace("’", "'").replace("“", '"').replace("”", '"')


def _texts(path: str = CHAPTER) -> dict[str, tuple[str, str]]:
    soup = chapter_html(path)
    return {p["id"]: (p.select_one(":scope > p").get_text(),
                      soup.select_one(f".translation[data-para='{p['id']}']").get_text())
            for p in soup.select("article .source-paragraph[id]")}


def _print(page, out):
    page.wait_for_function(
        "() => [...document.querySelectorAll('.edition-chart')].every(c => c.dataset.drawn === 'true')", timeout=30000)
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")  # as the browser's print command does
    page.pdf(path=str(out), format="A4", print_background=True)
    from pypdf import PdfReader

    reader = PdfReader(str(out))
    return reader, "\n".join(p.extract_text() or "" for p in reader.pages)


@pytest.mark.parametrize("lang", ["both", "zh"])
def test_the_printed_handout_holds_the_assignment_and_nothing_else(visit, tmp_path, lang):
    ids = paragraph_ids()
    assigned = ids[1:3]
    query = f"?assign={assigned[0]}..{assigned[-1]}&lang={lang}&notes=on&note=Bring%20this%20to%20class"
    v = visit(CHAPTER + query)
    out = SCREENSHOTS.parent / "handout" / f"handout-{lang}.pdf"
    out.parent.mkdir(parents=True, exist_ok=True)
    reader, pdf = _print(v.page, out)
    where = f"{out.relative_to(ROOT)} (printed from _build/html/{CHAPTER}{query})"
    flat = _squash(pdf)
    width, height = (float(x) for x in reader.pages[0].mediabox[2:])
    assert abs(width - 595.3) < 2 and abs(height - 841.9) < 2, f"{where}: not A4 ({width}×{height} pt)"
    texts = _texts()
    for pid, (zh, en) in texts.items():
        zh_in, en_in = _squash(zh)[:40] in flat, _squash(en)[:60] in flat
        if pid in assigned:
            assert zh_in, f"{where}: the Chinese of {pid} is missing"
            assert en_in == (lang == "both"), f"{where}: the English of {pid} is {'missing' if not en_in else 'printed'}"
        else:
            assert not zh_in and not en_in, f"{where}: {pid} is printed but not assigned"
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert _squash(f"version {citation['version']}") in flat, f"{where}: no citation line with the version"
    assert _squash(citation["title"]) in flat, f"{where}: the edition's title is missing"
    assert _squash(f"assign={assigned[0]}..{assigned[-1]}") in flat, f"{where}: the link is missing"
    assert "Bringthistoclass" in flat, f"{where}: the teacher's note is missing"
    for n in questions_citing(assigned):
        q = chapter_html().select(".discussion-questions ol > li")[n - 1].get_text()
        assert _squash(q)[:50] in flat, f"{where}: question {n} is missing"
    for absent in ("Readingguide", "Furtherreading", "Showthewholechapter", "Printhandout", "目录"):
        assert absent not in flat, f"{where}: {absent!r} is printed"
    notes = chapter_html().select(f"[id='{assigned[0]}']")[0].find_parent(class_="para-block").select(
        ".edition-note")
    assert notes and _squash(notes[0].get_text())[:40] in flat, f"{where}: the notes of {assigned[0]} are missing"
    png = out.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(out), str(png)], check=True)
    assert not v.errors, v.errors


def test_printing_a_chapter_without_a_link_is_unchanged(visit, tmp_path):
    """The handout's print rules are scoped to the assignment: a chapter prints whole as before."""
    v = visit(CHAPTER)
    _, pdf = _print(v.page, tmp_path / "chapter.pdf")
    flat = _squash(pdf)
    missing = [pid for pid, (zh, _) in _texts().items() if _squash(zh)[:40] not in flat]
    assert not missing, f"_build/html/{CHAPTER} printed without ?assign= lacks {missing}"
