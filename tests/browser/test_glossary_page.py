"""The glossary page as a reader uses it: the category filter, the jump bar by pinyin initial, a
permalink on every entry; without JavaScript everything shows; tooltips and {term} links still
work; axe with a filter applied; screenshots at 1400 and 390 px."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from cyberspace_edition import edition
from cyberspace_edition.extension import glossary_tools

from .conftest import SCREENSHOTS

PAGE = "back/glossary.html"
WIDTHS = {1400: {"width": 1400, "height": 900}, 390: {"width": 390, "height": 844}}
SERIOUS = {"serious", "critical"}
VISIBLE_ENTRIES = "[...document.querySelectorAll('dl.edition-glossary > dt')].filter(d => d.offsetParent !== null)"


def _expected_letters() -> list[str]:
    return [letter for letter, _ in glossary_tools.letter_groups(edition.load_glossary())]


def test_filter_hides_other_categories_and_says_how_many_are_shown(visit):
    terms = edition.load_glossary()
    counts = Counter(t.category for t in terms.values())
    v = visit(PAGE)
    page = v.page
    status = page.locator(".glossary-count")
    assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"
    assert page.evaluate(f"{VISIBLE_ENTRIES}.length") == len(terms), "not every entry shows before a filter is chosen"
    for category in ("place", "concept", "programme-or-platform"):
        page.get_by_role("radio", name=f"{glossary_tools.category_label(category)} ({counts[category]})").check()
        shown = page.evaluate(f"{VISIBLE_ENTRIES}.map(d => d.id)")
        want = sorted(t.anchor for t in terms.values() if t.category == category)
        assert sorted(shown) == want, f"{edition.GLOSSARY_FILE}: filter {category!r} shows {len(shown)} entries, the data has {len(want)}"
        assert status.inner_text() == (f"Showing {counts[category]} of {len(terms)} entries: "
                                       f"{glossary_tools.category_label(category)}."), status.inner_text()
        # each visible entry's definition shows with it, each hidden one's is hidden too
        assert page.evaluate("[...document.querySelectorAll('dl.edition-glossary > dt')].every("
                             "d => (d.offsetParent === null) === (d.nextElementSibling.offsetParent === null))")
        # the jump bar offers only the initials that still have entries
        letters = page.evaluate("[...document.querySelectorAll('.glossary-jump li')].filter(li => !li.hidden)"
                                ".map(li => li.textContent.trim())")
        want_letters = sorted({glossary_tools.initial(t) for t in terms.values() if t.category == category},
                              key=_expected_letters().index)
        assert letters == want_letters, f"filter {category}: jump bar {letters}, expected {want_letters}"
    page.get_by_role("radio", name=f"all entries ({len(terms)})").check()
    assert page.evaluate(f"{VISIBLE_ENTRIES}.length") == len(terms)
    assert status.inner_text() == f"Showing all {len(terms)} entries."
    assert not v.errors, v.errors


def test_the_filter_works_from_the_keyboard(visit):
    v = visit(PAGE)
    page = v.page
    first = page.locator(".glossary-filter input[value='all']")
    first.focus()
    page.keyboard.press("ArrowDown")  # radio group: the arrow keys choose
    chosen = page.evaluate("document.querySelector('.glossary-filter input:checked').value")
    assert chosen != "all", "the arrow key did not choose the next category"
    shown = page.evaluate(f"{VISIBLE_ENTRIES}.length")
    assert 0 < shown < len(edition.load_glossary()), f"keyboard choice of {chosen} shows {shown} entries"


def test_jump_bar_lists_each_initial_with_entries_and_jumps_there(visit):
    v = visit(PAGE)
    page = v.page
    letters = page.evaluate("[...document.querySelectorAll('.glossary-jump a')].map(a => a.textContent.trim())")
    assert letters == _expected_letters(), f"jump bar {letters}, initials with entries {_expected_letters()}"
    assert all(len(x) == 1 and "A" <= x <= "Z" for x in letters if x != glossary_tools.DIGITS)
    page.locator(".glossary-jump a", has_text="S").click()
    page.wait_for_timeout(300)
    assert page.url.endswith("#glossary-letter-s")
    top = page.locator("#glossary-letter-s").bounding_box()["y"]
    assert 0 <= top < 200, f"after S the S entries are at y={top}, not at the top of the screen"
    first_s = page.locator("#glossary-letter-s dl.edition-glossary > dt").first.get_attribute("id")
    term = next(t for t in edition.load_glossary().values() if t.anchor == first_s)
    assert glossary_tools.initial(term) == "S", f"{term.key} ({term.pinyin}) is filed under S"


def test_each_entry_has_a_visible_permalink(visit):
    v = visit(PAGE)
    page = v.page
    links = page.evaluate("""[...document.querySelectorAll('dl.edition-glossary > dt')].map(dt => {
        const a = dt.querySelector('a.glossary-permalink');
        if (!a) return {id: dt.id, ok: false};
        const s = getComputedStyle(a), r = a.getBoundingClientRect();
        return {id: dt.id, ok: a.getAttribute('href') === '#' + dt.id && s.visibility === 'visible' && s.opacity === '1'
                && r.width >= 24 && r.height >= 24, label: a.getAttribute('aria-label')};
    })""")
    bad = [x["id"] for x in links if not x["ok"]]
    assert len(links) == len(edition.load_glossary()) and not bad, f"{PAGE}: entries without a visible permalink: {bad[:5]}"
    assert all(x["label"].startswith("Permalink: ") for x in links)


def test_a_link_to_an_entry_the_filter_hides_shows_it(visit):
    v = visit(PAGE)
    page = v.page
    terms = edition.load_glossary()
    page.get_by_role("radio", name=f"place ({sum(t.category == 'place' for t in terms.values())})").check()
    page.goto(page.url.split("#")[0] + "#term-cncert")
    page.wait_for_timeout(300)
    assert page.locator("#term-cncert").is_visible(), "#term-cncert stays hidden by the filter"


def test_without_javascript_every_entry_shows(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/{PAGE}")
    n = page.locator("dl.edition-glossary > dt").count()
    visible = page.locator("dl.edition-glossary > dt:visible").count()
    assert n == visible == len(edition.load_glossary()), f"{PAGE} without JavaScript: {visible} of {n} entries visible"
    assert not page.locator(".glossary-filter").is_visible(), "the filter shows without JavaScript, where it cannot work"
    assert page.locator(".glossary-jump a").first.is_visible()
    context.close()


def test_tooltips_and_term_links_still_work(visit):
    v = visit("chapters/s3-2-cybersecurity.html")
    page = v.page
    link = page.locator(".source-paragraph a[href*='glossary.html#term-cncert']").first
    link.hover()
    tip = page.locator("[data-tippy-root]").first
    tip.wait_for(state="visible", timeout=5000)
    assert "CNCERT" in tip.inner_text() and "Permalink" not in tip.inner_text(), tip.inner_text()
    link.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("back/glossary.html#term-cncert")
    assert page.locator("#term-cncert").is_visible()
    # a {term} link inside the glossary (Related) has its tooltip too
    related = page.locator("#term-cncert + dd a[href^='#term-']").first
    related.hover()
    page.locator("[data-tippy-root]").first.wait_for(state="visible", timeout=5000)
    assert not v.errors, v.errors


@pytest.mark.parametrize("width", WIDTHS)
def test_no_serious_accessibility_violations_with_a_filter_applied(visit, axe, width):
    context = visit.new_context(WIDTHS[width])
    v = visit(PAGE, context=context)
    page = v.page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"glossary@{width}.png"))
    page.locator(".glossary-filter input[value='organisation']").check()
    page.wait_for_timeout(200)
    result = axe(page)
    (SCREENSHOTS.parent / "axe").mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS.parent / "axe" / f"glossary-filtered@{width}.json").write_text(
        json.dumps(result["violations"], indent=1), encoding="utf-8")
    bad = [f"{x['id']}: {[n['target'] for n in x['nodes']][:3]}" for x in result["violations"] if x["impact"] in SERIOUS]
    assert not bad, f"{PAGE} filtered at {width} px: {bad}"
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / f"glossary-filtered@{width}.png"))
