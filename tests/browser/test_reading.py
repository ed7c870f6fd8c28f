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


# --- issue 10: tooltips, phones, reading order, headings, names ---------------------------------

PHONE_390 = {"width": 390, "height": 844}
TERM = ".source-paragraph a[href*='glossary.html#term-cncert']"


def test_tooltip_stays_while_hovered_and_closes_on_escape(visit):
    v = visit(CHAPTER)
    page = v.page
    link = page.locator(TERM).first
    link.evaluate("a => a.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(300)
    link.hover()
    tip = page.locator("[data-tippy-root]").first
    tip.wait_for(state="visible", timeout=5000)
    page.wait_for_timeout(500)  # placed and faded in
    box = tip.bounding_box()
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    # a term can wrap onto two lines: go to the tooltip from the piece of the link nearest to it,
    # as a reader would, in a straight line
    rects = link.evaluate("a => [...a.getClientRects()].map(r => [r.x + r.width / 2, r.y + r.height / 2])")
    start = min(rects, key=lambda r: (r[0] - centre[0]) ** 2 + (r[1] - centre[1]) ** 2)
    page.mouse.move(*start)
    page.wait_for_timeout(300)
    assert tip.is_visible(), f"_build/html/{CHAPTER}: the tooltip hid while the pointer was on its term"
    # straight across into the tooltip's nearest part, then to its middle
    inside = (min(max(start[0], box["x"] + 12), box["x"] + box["width"] - 12),
              min(max(start[1], box["y"] + 12), box["y"] + box["height"] - 12))
    page.mouse.move(*inside, steps=12)
    page.mouse.move(*centre, steps=12)
    page.wait_for_timeout(600)
    assert tip.is_visible(), f"_build/html/{CHAPTER}: the tooltip vanished when the pointer moved onto it"
    entry = tip.locator("a", has_text="Glossary entry")
    assert entry.count() == 1 and "glossary.html#term-cncert" in entry.get_attribute("href"), (
        f"_build/html/{CHAPTER}: the tooltip has no link to the glossary entry")
    assert tip.locator("dl > dt").count() == 1 and tip.locator("dl > dd").count() == 1, (
        f"_build/html/{CHAPTER}: the glossary tooltip's dt/dd are not in a dl")
    page.keyboard.press("Escape")
    page.wait_for_timeout(400)
    assert not page.locator("[data-tippy-root]").first.is_visible(), f"_build/html/{CHAPTER}: Escape left the tooltip open"


def test_tapping_a_term_on_a_phone_shows_its_definition_in_place(browser, site):
    context = browser.new_context(viewport=PHONE_390, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(f"{site}/{CHAPTER}", wait_until="load")
    page.wait_for_timeout(300)
    page.locator(TERM).first.tap()
    page.wait_for_timeout(500)
    assert page.url.endswith(CHAPTER), f"tapping a glossary term on a phone left the page for {page.url}"
    tip = page.locator("[data-tippy-root]").first
    assert tip.is_visible() and "CNCERT" in tip.inner_text(), f"_build/html/{CHAPTER}: no definition after a tap"
    shot(page, "tooltip-tap-phone")
    tip.locator("a", has_text="Glossary entry").tap()
    page.wait_for_url("**/glossary.html#term-cncert", timeout=5000)
    context.close()


def test_language_switch_stays_reachable_on_a_phone(visit):
    v = visit(CHAPTER, viewport=PHONE_390)
    page = v.page
    page.mouse.wheel(0, 6000)
    page.wait_for_timeout(400)
    button = page.get_by_role("button", name="English")
    box = button.bounding_box()
    assert box and 0 <= box["y"] and box["y"] + box["height"] <= PHONE_390["height"], (
        f"_build/html/{CHAPTER}: the language switch scrolled away on a phone (at y={box and box['y']})")
    hit = page.evaluate("([x, y]) => document.elementFromPoint(x, y)?.textContent",
                        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2])
    assert hit == "English", f"_build/html/{CHAPTER}: something covers the language switch ({hit!r})"
    button.click()
    assert page.evaluate("document.documentElement.dataset.editionLanguage") == "en"


@pytest.mark.parametrize("width", [390, 800])
def test_table_of_contents_opens_below_992px(visit, width):
    v = visit(CHAPTER, viewport={"width": width, "height": 844})
    page = v.page
    toggle = page.locator(".bd-header-article .primary-toggle")
    assert toggle.is_visible(), f"_build/html/{CHAPTER}: no visible ☰ at {width}px"
    toggle.click()
    dialog = page.locator("#pst-primary-sidebar-modal")
    dialog.wait_for(state="visible", timeout=3000)
    assert dialog.locator("a[href*='s3-3-governance']").count(), "the table of contents dialog has no chapters"
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden", timeout=3000)
    toggle.focus()
    page.keyboard.press("Enter")
    dialog.wait_for(state="visible", timeout=3000)
    page.keyboard.press("Escape")
    contents = page.locator(".bd-header-article .secondary-toggle")
    contents.click()
    page.locator("#pst-secondary-sidebar-modal").wait_for(state="visible", timeout=3000)
    assert not v.errors, v.errors


def test_notes_follow_their_paragraph_and_sit_beside_it_on_a_wide_screen(visit):
    v = visit(CHAPTER, viewport={"width": 1400, "height": 900})
    order = v.page.evaluate("""() => [...document.querySelectorAll('.para-block')].filter(b => b.querySelector('.edition-note'))
      .map(b => { const p = b.querySelector('.source-paragraph');
        return [p.id, [...b.querySelectorAll('.edition-note')].every(n => p.compareDocumentPosition(n) & Node.DOCUMENT_POSITION_FOLLOWING)]; })""")
    assert order and all(ok for _, ok in order), f"_build/html/{CHAPTER}: notes before their paragraph: {order}"
    para = v.page.locator("#s3-2-p01").bounding_box()
    note = v.page.locator(".para-block:has(#s3-2-p01) .para-notes .edition-note").first.bounding_box()
    assert note["x"] >= para["x"] + para["width"], "the margin note is not in the margin at 1400px"
    assert abs(note["y"] - para["y"]) < 60, f"the margin note is not beside its paragraph ({note['y']} vs {para['y']})"
    phone = visit(CHAPTER, viewport=PHONE_390).page
    para = phone.locator("#s3-2-p01").bounding_box()
    note = phone.locator(".para-block:has(#s3-2-p01) .para-notes .edition-note").first.bounding_box()
    assert note["y"] >= para["y"] + para["height"] - 1, "on a phone the note should follow its paragraph"


def test_headings_are_headings_in_each_language(visit):
    v = visit(CHAPTER)
    page = v.page
    page.get_by_role("button", name="English").click()
    h1 = page.get_by_role("heading", level=1)
    assert "Continuing to deepen cooperation" in h1.inner_text() and "持续深化" not in h1.inner_text(), (
        f"_build/html/{CHAPTER}: in English mode the page heading is {h1.inner_text()!r}")
    subheads = page.locator("article.bd-article section > h2").all_inner_texts()
    assert len(subheads) == 3 and not any("\u4e00" <= c <= "\u9fff" for h in subheads for c in h), (
        f"_build/html/{CHAPTER}: English mode shows the subheads as {subheads}")
    page.get_by_role("button", name="中文").click()
    assert h1.inner_text().startswith("（二）持续深化网络安全合作"), h1.inner_text()
    assert "Continuing" not in h1.inner_text()


def test_pressed_language_button_shows_its_focus(visit):
    v = visit(CHAPTER)
    page = v.page
    page.get_by_role("button", name="English").click()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    shadow = page.evaluate("getComputedStyle(document.activeElement).boxShadow")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "English" and shadow not in ("", "none"), f"no visible focus on the pressed button ({shadow})"


def test_links_say_where_they_go(pages):
    for name, article in pages:
        for a in article.select("a.para-link"):
            label = a.get("aria-label", "")
            assert label.startswith(a.get_text()) and any("\u4e00" <= c <= "\u9fff" for c in label), (
                f"_build/html/{name}.html: paragraph link {a.get('href')} is named only {a.get_text()!r}")
        for a in article.select("a"):
            label = a.get("aria-label") or a.get_text()
            assert not label.strip().replace(",", "").isdigit(), (
                f"_build/html/{name}.html: a link named only by the number {label!r} ({a.get('href')})")
        for fact in article.select(".fact"):
            assert fact.find_parent("a") is None, f"_build/html/{name}.html: the number {fact.get_text()} is a link"
            assert "Stated in ¶" in fact.get("title", ""), f"_build/html/{name}.html: fact {fact.get_text()} has no source"


# --- a chapter published over several pages (data/chapters.yaml, continued:) -------------------

def test_a_long_chapter_lists_its_pages_and_old_links_still_arrive(visit):
    """s3-3 is on three pages: each lists the three under its heading, and a link made when the
    chapter was one page (an id after #, or ?assign=) arrives at the page that now holds it."""
    from cyberspace_edition import edition

    chapter = edition.chapter("s3-3")
    pages = edition.chapter_pages("s3-3")
    assert len(pages) >= 2, "s3-3 is no longer published over several pages: pick another chapter"
    for page, ids in pages:
        v = visit(f"{page}.html", viewport=PHONE)
        nav = v.page.locator("nav.chapter-pages")
        assert nav.count() == 1, f"_build/html/{page}.html: no list of the chapter's pages"
        assert nav.locator("li").count() == len(chapter.files), f"_build/html/{page}.html: pages missing from the list"
        assert nav.locator("li[aria-current='page']").count() == 1, f"_build/html/{page}.html: current page not marked"
        assert "［续］" in v.page.locator("article h1").inner_text() or page == chapter.file, (
            f"_build/html/{page}.html: a continued page's heading is not marked ［续］")
        box = nav.bounding_box()
        assert box["x"] + box["width"] <= PHONE["width"], f"_build/html/{page}.html: the page list overflows a phone"
    last_page, last_ids = pages[-1]
    target = next(i for i in last_ids if "-p" in i)
    v = visit(f"{chapter.file}.html#{target}")
    v.page.wait_for_url(f"**/{last_page}.html#{target}", timeout=5000)
    assert v.page.locator(f"[id='{target}']").is_visible(), f"{chapter.file}.html#{target}: forwarded, but not shown"
    figure = "fig-s3-3-wic"  # the WIC chart, which ¶13 of the last page draws
    v = visit(f"{chapter.file}.html#{figure}")
    v.page.wait_for_url(f"**/{last_page}.html#{figure}", timeout=5000)
    assert v.page.locator(f"[id='{figure}']").count() == 1, f"{chapter.file}.html#{figure}: forwarded, no figure"
    v = visit(f"{chapter.file}.html?assign={target}")
    v.page.wait_for_url(f"**/{last_page}.html?assign={target}", timeout=5000)
    v.page.wait_for_selector(".assign-banner", timeout=5000)
    first_page, first_ids = pages[0]
    own = next(i for i in first_ids if "-p" in i)
    # a range made before the cut, across it: the reader is told where the rest is
    v = visit(f"{chapter.file}.html?assign={own}..{target}")
    v.page.wait_for_timeout(300)
    message = v.page.locator("main").inner_text()
    assert f"{target} is on another page of this chapter" in message, (
        f"{chapter.file}.html?assign={own}..{target}: the reader is not told {target} is on another page")
    v = visit(f"{chapter.file}.html#{own}")
    v.page.wait_for_timeout(300)
    assert v.page.url.endswith(f"{chapter.file}.html#{own}"), f"{chapter.file}.html#{own} left its own page"
    assert not v.errors, v.errors
