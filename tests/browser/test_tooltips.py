"""Tooltips as a reader meets them (extension/tooltips.py): over a term, the term, its reading and
name, and the first paragraph of its definition, with their language marks, at 1400 and 390 px;
over a link to a figure, none (the link leads to the figure)."""

from __future__ import annotations

import re

import pytest

from cyberspace_edition import edition

from .conftest import SCREENSHOTS

CHAPTER = "chapters/s3-3-governance.html"
FIGURE_PAGE = "chapters/s3-3-3-world-internet-conference.html"  # a note there cites the WIC chart by its number
TERM = "wic"  # an official name with its source link, and Chinese inside the English definition
WIDTHS = {1400: {"width": 1400, "height": 900}, 390: {"width": 390, "height": 844}}


def _words(text: str) -> str:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return " ".join(re.sub(r"[*_`\\'\"‘’“”]", "", text).split())


@pytest.mark.parametrize("width", WIDTHS)
def test_a_term_tooltip_shows_the_term_its_name_and_the_definitions_first_paragraph(browser, site, width):
    term = edition.load_glossary()[TERM]
    phone = width == 390
    context = browser.new_context(viewport=WIDTHS[width], has_touch=phone, is_mobile=phone)
    page = context.new_page()
    page.goto(f"{site}/{CHAPTER}", wait_until="load")
    link = page.locator(f".source-paragraph a[href$='glossary.html#{term.anchor}']").first
    link.evaluate("a => a.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(300)
    link.tap() if phone else link.hover()
    tip = page.locator("[data-tippy-root]").first
    tip.wait_for(state="visible", timeout=5000)
    page.wait_for_timeout(400)  # placed and faded in
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"tooltip-glossary-{width}.png"))
    where = f"_build/html/{CHAPTER} at {width} px, tooltip of {term.anchor}"
    dt = tip.locator("dl > dt")
    assert dt.inner_text().strip() == term.zh and dt.get_attribute("lang") == "zh-Hans", f"{where}: term {dt.inner_text()!r}"
    dd = tip.locator("dl > dd")
    assert dd.get_attribute("lang") == "en", f"{where}: the definition is not marked English"
    paragraphs = dd.locator(":scope > p")
    assert paragraphs.count() == 2, f"{where}: {paragraphs.count()} paragraphs, expected the name line and the definition"
    name = paragraphs.nth(0).inner_text()
    assert term.pinyin in name and term.en in name, f"{where}: the name line is {name!r}"
    assert _words(paragraphs.nth(1).inner_text()) == _words(term.definition), f"{where}: not the entry's definition"
    assert dd.locator("[lang='zh-Hans']").count() >= 1, f"{where}: the Chinese inside the definition lost its lang mark"
    text = tip.inner_text()
    assert "In the text:" not in text and "Related:" not in text, f"{where}: the tooltip carries the whole entry"
    more = tip.locator(".tippy-more a")
    assert more.count() == 1 and more.get_attribute("href").endswith(f"glossary.html#{term.anchor}"), (
        f"{where}: no link to the whole entry")
    box = tip.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTHS[width]["width"], f"{where}: wider than the window: {box}"
    if not phone:  # a paragraph of definition in a column of a few words is hard to read and hides the text
        assert box["width"] >= 380, f"{where}: the tooltip is squeezed to {box['width']:.0f} px wide"
    context.close()


def test_a_link_to_a_figure_has_no_tooltip(visit):
    v = visit(FIGURE_PAGE)
    page = v.page
    page.wait_for_timeout(300)
    figure_links = page.evaluate("""() => [...document.querySelectorAll('article.bd-article a[href^="#"]:not(.headerlink)')]
        .filter(a => { const t = document.getElementById(decodeURIComponent(a.hash.slice(1)));
                       return t && t.tagName === 'FIGURE'; })
        .map(a => [a.getAttribute('href'), !!a._tippy])""")
    assert figure_links, f"_build/html/{FIGURE_PAGE}: no link to a figure: this test tests nothing"
    with_tip = [href for href, tipped in figure_links if tipped]
    assert not with_tip, f"_build/html/{FIGURE_PAGE}: links to figures with a tooltip: {with_tip}"
    link = page.locator(f"article.bd-article a[href='{figure_links[0][0]}']:not(.headerlink)").first
    link.evaluate("a => a.scrollIntoView({block: 'center'})")
    link.hover()
    page.wait_for_timeout(600)
    assert not page.locator("[data-tippy-root]").count(), f"_build/html/{FIGURE_PAGE}: hovering {figure_links[0][0]} shows a tooltip"
    assert not v.errors, v.errors
