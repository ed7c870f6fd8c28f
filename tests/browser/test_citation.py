"""Cite this paragraph: the button beside each ¶ label, as a reader uses it with the keyboard, in
each language mode and on a phone; what it copies; axe with the panel open; screenshots."""

from __future__ import annotations

import json

import pytest

from cyberspace_edition import text
from cyberspace_edition.extension import citation
from cyberspace_edition.extension.references import section_name, section_of

from ..conftest import toc_files
from .conftest import MODES, SCREENSHOTS, in_mode

CHAPTER = "chapters/s3-2-cybersecurity.html"
WIDTHS = {1400: {"width": 1400, "height": 900}, 390: {"width": 390, "height": 844}}
SERIOUS = {"serious", "critical"}


def _record(page) -> dict:
    return json.loads(page.locator("#edition-citation").text_content())


def _open_with_keyboard(page, para: str):
    """Tab from the paragraph's ¶ link to its Cite button, and open it with Enter."""
    page.locator(f"#{para} .para-label a.para-link").focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className + '|' + document.activeElement.dataset.para")
    assert focused == f"cite-button|{para}", f"_build/html/{CHAPTER}: Tab after ¶ of {para} reaches {focused!r}, not its Cite button"
    page.keyboard.press("Enter")
    panel = page.locator(f"#cite-{para}")
    panel.wait_for(state="visible", timeout=3000)
    return panel


def test_every_numbered_paragraph_has_a_cite_button_with_its_name(visit):
    v = visit(CHAPTER)
    record = _record(v.page)
    ids = v.page.eval_on_selector_all(".source-paragraph .para-label a.para-link",
                                      "links => links.map(a => a.closest('.source-paragraph').id)")
    assert ids and sorted(ids) == sorted(record["paragraphs"]), (
        f"_build/html/{CHAPTER}: ¶ labels {ids} and the citation record {sorted(record['paragraphs'])} differ")
    for para in ids:
        button = v.page.locator(f"button.cite-button[data-para='{para}']")
        assert button.count() == 1, f"_build/html/{CHAPTER}: ¶ of {para} has no Cite button"
        name = v.page.evaluate("b => b.textContent", button.element_handle())  # hidden spans excluded below
        expected = f"¶{text.load_text().by_id()[para].number} · {section_name(section_of(para))}"
        assert expected in name, f"{para}: the button does not name its paragraph as {expected!r} ({name!r})"
    assert not v.errors, v.errors


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("width", WIDTHS)
def test_the_panel_opens_with_the_keyboard_and_escape_returns_focus(visit, mode, width):
    context = visit.new_context(WIDTHS[width])
    in_mode(context, mode)
    v = visit(CHAPTER, context=context)
    page = v.page
    button = page.locator("button.cite-button[data-para='s3-2-p03']")
    assert button.is_visible(), f"_build/html/{CHAPTER}: the Cite button of s3-2-p03 is not visible in mode {mode} at {width} px"
    box = button.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24, f"Cite button is {box['width']}x{box['height']} px: below 24x24 (WCAG 2.5.8)"
    visible_word = "Cite" if mode == "en" else "引用"
    assert button.inner_text().strip().startswith(visible_word), f"mode {mode}: the button says {button.inner_text()!r}"
    panel = _open_with_keyboard(page, "s3-2-p03")
    assert button.get_attribute("aria-expanded") == "true"
    assert page.evaluate("document.activeElement.closest('.cite-panel') !== null"), "focus did not move into the panel"
    text = panel.inner_text()
    for part in ("Citation", "BibTeX", "CSL-JSON", "Permalink", "[s3-2-p03]", "@incollection"):
        assert part in text, f"mode {mode}, {width} px: the panel lacks {part!r}"
    pbox, vw = panel.bounding_box(), page.viewport_size["width"]
    assert pbox["x"] >= 0 and pbox["x"] + pbox["width"] <= vw + 1, f"{width} px: the panel overflows the screen ({pbox})"
    assert page.evaluate("document.documentElement.scrollWidth") <= vw + 1, f"{width} px: the open panel makes the page scroll sideways"
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    assert not panel.is_visible(), "Escape does not close the panel"
    assert button.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.dataset.para") == "s3-2-p03", "focus did not return to the Cite button"
    if mode == "both":
        _open_with_keyboard(page, "s3-2-p03")
        page.wait_for_timeout(200)
        _shot_panel(page, f"cite-panel@{width}")
    assert not v.errors, v.errors


def _shot_panel(page, name: str):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    block = page.locator("#cite-s3-2-p03").locator("xpath=ancestor::div[contains(@class,'para-block')][1]")
    block.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


def test_copy_puts_the_citation_on_the_clipboard(visit):
    context = visit.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    v = visit(CHAPTER, context=context)
    page = v.page
    origin = page.evaluate("new URL('../', location.href).href")  # no html_baseurl: the address as opened
    expected_url = f"{origin}chapters/s3-2-cybersecurity.html#s3-2-p03"
    record = citation.paragraph_citation(citation.load_cff(), text.load_text().by_id()["s3-2-p03"], expected_url)
    panel = _open_with_keyboard(page, "s3-2-p03")
    page.keyboard.press("Enter")  # focus is on the first Copy button: the citation
    page.wait_for_timeout(300)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == record["text"], f"copied {copied!r}, paragraph_citation makes {record['text']!r}"
    assert copied.startswith("《携手构建网络空间命运共同体》, part 三（二）, ¶3 [s3-2-p03], in "), copied
    assert copied.endswith(f", version {_record(page)['edition']['version']}, {expected_url}."), copied
    assert "Copied the citation" in panel.locator(".cite-status").inner_text(), "no message that the citation was copied"
    for label, check in (("Copy BibTeX", lambda s: s.startswith("@incollection{cyberspace-edition-s3-2-p03,")
                          and f"url       = {{{expected_url}}}" in s),
                         ("Copy CSL-JSON", lambda s: json.loads(s)[0]["URL"] == expected_url),
                         ("Copy link", lambda s: s == expected_url)):
        panel.get_by_role("button", name=label).click()
        page.wait_for_timeout(200)
        copied = page.evaluate("navigator.clipboard.readText()")
        assert check(copied), f"{label} copied {copied!r}"
    # the panel says the address is the one opened, since none is published
    assert "No published address is set" in panel.inner_text()
    assert not v.errors, v.errors


def test_the_citation_api_for_other_scripts(visit):
    """What the assignment handout reuses: window.editionCitation, resolved."""
    v = visit(CHAPTER)
    api = v.page.evaluate("""() => ({published: editionCitation.published, address: editionCitation.address,
        edition: editionCitation.edition(), p: editionCitation.paragraph('s3-2-p03'),
        none: editionCitation.paragraph('s9-p99')})""")
    assert api["published"] is False and api["address"].endswith("/") and "@@" not in json.dumps(api)
    assert api["p"]["url"] == api["address"] + "chapters/s3-2-cybersecurity.html#s3-2-p03"
    assert api["edition"]["url"] == api["address"] + "index.html"
    assert api["none"] is None


# cite.js: each paragraph's citation, resolved, as window.editionCitation gives it
ALL_PARAGRAPHS = """() => Object.keys(editionCitation.data.paragraphs).map(id => editionCitation.paragraph(id))"""
# what the open panel shows, as a reader sees and copies it
PANEL = """id => { const p = document.getElementById('cite-' + id);
    return {text: p.querySelector('.cite-format-text .cite-value').textContent,
            bibtex: p.querySelector('.cite-format-bibtex pre').textContent,
            csl: p.querySelector('.cite-format-csl pre').textContent,
            url: p.querySelector('a.cite-permalink').getAttribute('href')}; }"""


def test_cite_js_gives_what_paragraph_citation_makes_on_every_page(visit):
    """cite.js only fills the page's template in: for every numbered paragraph of every page, the
    text, BibTeX, CSL-JSON and permalink it gives are what citation.paragraph_citation makes; and
    the panel of the first and last paragraph of each page shows them."""
    ed = citation.load_cff()
    blocks = text.load_text().by_id()
    chapters = [name for name in toc_files() if name.startswith("chapters/")]
    seen = set()
    for name in chapters:
        v = visit(f"{name}.html")
        if not _record(v.page)["paragraphs"]:
            continue  # a page that places no numbered paragraph (s3-contributions) loads no cite.js
        origin = v.page.evaluate("new URL('../', location.href).href")  # no html_baseurl: the address as opened
        labelled = v.page.eval_on_selector_all(".source-paragraph .para-label a.para-link",
                                               "links => links.map(a => a.closest('.source-paragraph').id)")
        given = v.page.evaluate(ALL_PARAGRAPHS)
        assert sorted(p["id"] for p in given) == sorted(labelled), f"_build/html/{name}.html: cited and labelled paragraphs differ"
        for p in given:
            pid = p["id"]
            where = f"_build/html/{name}.html {pid} (cite.js)"
            url = f"{origin}{name}.html#{pid}"
            made = citation.paragraph_citation(ed, blocks[pid], url)
            expected = {"id": pid, "label": f"¶{blocks[pid].number}", "section": section_name(section_of(pid)),
                        "name": f"¶{blocks[pid].number} · {section_name(section_of(pid))}", "url": url,
                        "text": made["text"], "bibtex": made["bibtex"], "csl": citation.csl_text(made["csl"])}
            for key, value in expected.items():
                assert p[key] == value, f"{where}: {key} is {p[key]!r}, paragraph_citation makes {value!r}"
            seen.add(pid)
        for pid in {labelled[0], labelled[-1]}:
            v.page.locator(f"button.cite-button[data-para='{pid}']").click()
            v.page.locator(f"#cite-{pid}").wait_for(state="visible", timeout=3000)
            shown = v.page.evaluate(PANEL, pid)
            made = citation.paragraph_citation(ed, blocks[pid], f"{origin}{name}.html#{pid}")
            assert shown == {"text": made["text"], "bibtex": made["bibtex"], "csl": citation.csl_text(made["csl"]),
                             "url": f"{origin}{name}.html#{pid}"}, f"_build/html/{name}.html: the panel of {pid} shows {shown}"
        assert not v.errors, f"_build/html/{name}.html: {v.errors}"
    numbered = {b.id for b in citation.citable(list(blocks))}
    assert seen == numbered, f"numbered paragraphs cite.js gives no citation for: {sorted(numbered - seen)[:5]}"


def test_for_teachers_gives_the_edition_citation_with_the_address_as_opened(visit):
    v = visit("front/for-teachers.html")
    block = v.page.locator(".edition-citation-block")
    text = block.inner_text()
    root = v.page.evaluate("new URL('../', location.href).href")
    assert "[the address where you opened the edition]" not in text, "cite.js did not put the address in"
    assert f"{root}index.html" in text and f"{root}chapters/s3-2-cybersecurity.html#s3-2-p03" in text, text[:800]
    assert block.get_by_role("button", name="Copy BibTeX").count() == 1
    footer = v.page.locator(".edition-cite-footer")
    assert "CC-BY-4.0" in footer.inner_text() and footer.locator("a[href$='#cite-the-edition']").count() == 1
    assert not v.errors, v.errors


@pytest.mark.parametrize("width", WIDTHS)
def test_no_serious_accessibility_violations_with_the_panel_open(visit, axe, width):
    bad = []
    for mode in MODES:
        context = visit.new_context(WIDTHS[width])
        in_mode(context, mode)
        v = visit(CHAPTER, context=context)
        _open_with_keyboard(v.page, "s3-2-p03")
        v.page.wait_for_timeout(200)
        result = axe(v.page)
        (SCREENSHOTS.parent / "axe").mkdir(parents=True, exist_ok=True)
        (SCREENSHOTS.parent / "axe" / f"cite-panel@{width}-{mode}.json").write_text(
            json.dumps(result["violations"], indent=1), encoding="utf-8")
        for violation in result["violations"]:
            if violation["impact"] in SERIOUS:
                bad.append(f"{mode}: {violation['id']}: {[n['target'] for n in violation['nodes']][:3]}")
    assert not bad, f"_build/html/{CHAPTER} with the citation panel open at {width} px: {bad}"
