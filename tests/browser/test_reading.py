"""What a reader does: hover a term, follow a paragraph link, switch language, search."""

from __future__ import annotations

import pytest

from .conftest import PHONE, shot

CHAPTER = "chapters/s3-2-cybersecurity.html"


def test_glossary_tooltip_shows_the_definition_on_hover_and_focus(visit):
    v = visit(CHAPTER)
    link = v.page.locator(".source-paragraph a[href*='glossary.html#term-cncert']").first
    link.hover()
    tip = v.page.locator("[data-tippy-root]")
    tip.first.wait_for(state="visible", timeout=5000)
    assert "CNCERT" in tip.first.inner_text(), f"_build/html/{CHAPTER}: tooltip lacks the definition"
    shot(v.page, "tooltip-hover")
    v.page.mouse.move(0, 0)
    v.page.keyboard.press("Escape")
    other = v.page.locator(".source-paragraph a[href*='glossary.html#term-']").nth(2)
    other.focus()
    v.page.wait_for_timeout(400)
    assert v.page.locator("[data-tippy-root]").count() >= 1, f"_build/html/{CHAPTER}: no tooltip on keyboard focus"


def test_paragraph_permalink_scrolls_to_and_highlights_its_paragraph(visit):
    v = visit(f"{CHAPTER}#s3-2-p03")
    v.page.wait_for_timeout(300)
    box = v.page.locator("#s3-2-p03").bounding_box()
    assert 0 <= box["y"] < 450, f"_build/html/{CHAPTER}#s3-2-p03: paragraph is at y={box['y']}, not in view"
    outline = v.page.locator("#s3-2-p03").evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline == "solid", f"_build/html/{CHAPTER}#s3-2-p03: target paragraph is not highlighted"
    v.page.locator("#s3-2-p04 .para-label a").click()
    assert v.page.url.endswith("#s3-2-p04"), "clicking ¶4 does not put its address in the address bar"


def test_language_switch_shows_each_mode_and_persists(visit, browser):
    v = visit(CHAPTER)
    page = v.page
    zh = page.locator("#s3-2-p01 > p")
    en = page.locator(".translation[data-para='s3-2-p01']")
    assert zh.is_visible() and en.is_visible(), "both languages should show before a choice is made"
    page.get_by_role("button", name="English").click()
    assert en.is_visible() and not zh.is_visible(), "English mode still shows the Chinese"
    assert page.get_by_role("button", name="English").get_attribute("aria-pressed") == "true"
    page.goto(page.url.replace("s3-2-cybersecurity", "s3-3-governance"))
    assert page.evaluate("document.documentElement.dataset.editionLanguage") == "en", "choice lost on navigation"
    assert not page.locator("#s3-3-p01 > p").is_visible(), "English mode lost on the next page"
    page.get_by_role("button", name="中文").click()
    assert page.locator("#s3-3-p01 > p").is_visible() and not page.locator(
        ".translation[data-para='s3-3-p01']").is_visible(), "Chinese mode still shows English"
    page.get_by_role("button", name="对照").focus()
    page.keyboard.press("Enter")
    assert page.locator(".translation[data-para='s3-3-p01']").is_visible(), "keyboard cannot choose 对照"
    assert not v.errors, v.errors


def test_without_javascript_both_languages_show(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/{CHAPTER}")
    assert page.locator("#s3-2-p01 > p").is_visible()
    assert page.locator(".translation[data-para='s3-2-p01']").is_visible()
    context.close()


def test_both_languages_stack_readably_on_a_phone(visit):
    v = visit(CHAPTER, viewport=PHONE)
    zh = v.page.locator("#s3-2-p02").bounding_box()
    en = v.page.locator(".translation[data-para='s3-2-p02']").bounding_box()
    assert en["y"] >= zh["y"] + zh["height"] - 1, "on a phone the English should follow the Chinese"
    assert en["width"] > 300, f"English column is {en['width']}px wide on a phone"


@pytest.mark.parametrize("query, page", [
    ("网络安全合作", "chapters/s3-2-cybersecurity"),
    ("数字经济", "chapters/s3-1-digital-economy"),
    ("CNCERT", "chapters/s3-2-cybersecurity"),
    ("sovereignty", "chapters/s4-proposals"),
])
def test_search_finds_the_right_pages(visit, query, page):
    v = visit(f"search.html?q={query}")
    v.page.wait_for_selector("#search-results ul.search li, #search-results p", timeout=10_000)
    v.page.wait_for_function("() => !document.querySelector('#search-results h2')?.textContent.includes('Searching')",
                             timeout=10_000)
    hits = v.page.locator("#search-results ul.search li a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert any(page in h for h in hits), f"search for {query!r} does not list {page}; it lists {hits[:6]}"


def test_book_reads_from_file_urls(browser):
    """Opened straight from disk (file://), with no server: text, charts and search work."""
    from ..conftest import HTML

    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((HTML / "chapters" / "s3-2-cybersecurity.html").as_uri())
    page.wait_for_function("() => [...document.querySelectorAll('.edition-chart')]"
                           ".every(c => c.dataset.drawn === 'true')", timeout=10_000)
    assert page.locator("#s3-2-p03").is_visible()
    page.goto((HTML / "search.html").as_uri() + "?q=数字经济")
    page.wait_for_selector("#search-results ul.search li", timeout=10_000)
    assert not errors, f"file:// reading raised {errors}"
    page.close()
