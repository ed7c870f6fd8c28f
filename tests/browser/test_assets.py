"""Light pages that still show everything: one icon route, search scripts only on the search page.

The book drops the theme's fontawesome.js (icons drawn a second time, as SVG, 1.45 MB) and
serves the Font Awesome web fonts cut to the glyphs it uses (cyberspace_edition/icons.py);
Sphinx's search scripts load on search.html only. These tests look, in Chromium, at what a
reader gets: every icon the page draws has its glyph in the font served, and the search box
on a chapter page still finds text.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from fontTools.ttLib import TTFont

from ..conftest import HTML

ICON_PAGES = ["index", "chapters/s3-3-governance", "back/glossary", "search"]
SEARCH_SCRIPTS = ("searchtools.js", "searchindex.js", "language_data.js")
FONT_FILES = {("Font Awesome 6 Free", "900"): "fa-solid-900.woff2",
              ("Font Awesome 6 Free", "400"): "fa-regular-400.woff2",
              ("Font Awesome 6 Brands", "400"): "fa-brands-400.woff2"}

# every element whose ::before or ::after is drawn in a Font Awesome face, with its character
DRAWN_ICONS = """async () => {
  await document.fonts.ready;
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    for (const pseudo of ['::before', '::after']) {
      const cs = getComputedStyle(el, pseudo);
      const family = (cs.fontFamily.match(/Font Awesome 6 (Free|Brands)/) || [])[0];
      const content = cs.content;
      if (!family || !content || content === 'none' || content === 'normal') continue;
      const text = content.replace(/^"|"$/g, '');
      if (!text) continue;
      out.push({where: el.tagName.toLowerCase() + '.' + [...el.classList].join('.') + pseudo,
                family, weight: cs.fontWeight, code: text.codePointAt(0)});
    }
  }
  return out;
}"""


def _cmap(name: str) -> set[int]:
    return set(TTFont(HTML / "_static/vendor/fontawesome/webfonts" / name).getBestCmap())


@pytest.mark.parametrize("name", ICON_PAGES)
def test_every_icon_has_its_glyph_in_the_font_served(visit, name):
    requested: list[str] = []
    v = visit(f"{name}.html")
    v.page.on("request", lambda r: requested.append(r.url))
    v.page.reload(wait_until="load")
    assert not any("fontawesome.js" in u for u in requested), f"_build/html/{name}.html loads fontawesome.js"
    icons = v.page.evaluate(DRAWN_ICONS)
    assert len(icons) >= 5, f"_build/html/{name}.html: only {len(icons)} icons drawn with Font Awesome: {icons}"
    cmaps = {key: _cmap(f) for key, f in FONT_FILES.items()}
    missing = [f"{i['where']} U+{i['code']:04X} ({i['family']} {i['weight']})" for i in icons
               if i["code"] not in cmaps.get((i["family"], i["weight"]), set())]
    assert not missing, f"_build/html/{name}.html: icons without a glyph in the served font: {missing[:10]}"
    # and the browser did load those fonts (a face left 'unloaded' draws nothing)
    faces = v.page.evaluate("""() => [...document.fonts].filter(f => /Font Awesome/.test(f.family))
                               .map(f => [f.family.replace(/"/g, ''), f.weight, f.status])""")
    used = {(i["family"], i["weight"]) for i in icons}
    for family, weight, status in faces:
        if (family, weight) in used:
            assert status == "loaded", f"_build/html/{name}.html: font {family} {weight} is {status}"


@pytest.mark.parametrize("name", ["index", "chapters/s3-2-cybersecurity", "back/glossary"])
def test_search_scripts_only_on_the_search_page(visit, name):
    requested: list[str] = []
    v = visit(f"{name}.html")
    v.page.on("request", lambda r: requested.append(r.url))
    v.page.reload(wait_until="load")
    loaded = [u for u in requested if u.split("?")[0].endswith(SEARCH_SCRIPTS)]
    assert not loaded, f"_build/html/{name}.html loads search scripts: {loaded}"


def test_search_box_on_a_chapter_page_finds_text(visit):
    v = visit("chapters/s3-2-cybersecurity.html")
    page = v.page
    page.keyboard.press("Control+k")  # the theme's shortcut; opens the search dialog
    box = page.locator("#pst-search-dialog input[name='q']")
    box.wait_for(state="visible", timeout=5_000)
    box.fill("数字经济")
    box.press("Enter")
    page.wait_for_url(f"**/search.html?q={quote('数字经济')}*", timeout=10_000)
    page.wait_for_selector("#search-results ul.search li a", timeout=15_000)
    hits = page.locator("#search-results ul.search li a").count()
    assert hits > 0, "the search box on chapters/s3-2-cybersecurity.html reached search.html but found nothing"
    assert not v.errors, f"page errors while searching: {v.errors}"
