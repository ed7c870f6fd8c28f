"""axe-core (WCAG 2.2 A and AA rules) on every page, as a reader uses it.

Each page is audited at 1400 and 390 px, in each language mode (中文, English, 对照), with every
fold-out (<details>) open and a glossary or paragraph tooltip showing: those are the states in
which readers meet the notes, the data tables and the tooltips. Serious or critical violations in
the edition's own content (the article, its tooltips and the language switch) fail the test;
those in the theme's frame must be listed in THEME_ONLY with the reason and what would remove them.
Each run's violations go to test-output/axe/<page>@<width>-<mode>.json.
"""

from __future__ import annotations

import json

import pytest

from ..conftest import toc_files
from .conftest import MODES, SCREENSHOTS, in_mode, shot

PAGES = toc_files() + ["genindex", "search"]
WIDTHS = {1400: {"width": 1400, "height": 900}, 390: {"width": 390, "height": 844}}
OURS = "article.bd-article, [data-tippy-root], .language-switch"

# Violations in the theme's own markup (header, sidebars, footer) that no configuration of this
# book removes; each with the reason. None is left at present: this stays empty unless the
# theme adds one, and then the entry must say which option or upstream issue would remove it.
THEME_ONLY: dict[str, str] = {
}

# Every fold-out open, the charts drawn, and one tooltip showing: the first link with a tooltip
# that a reader can see in this mode (a glossary term where the page has one).
PREPARE = """async () => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  const drawn = () => [...document.querySelectorAll('.edition-chart')].every(c => c.dataset.drawn === 'true');
  for (let i = 0; i < 100 && !drawn(); i++) await new Promise(r => setTimeout(r, 100));
  // the opened fold-outs fade in: measure colours once the animations have ended
  const settled = Promise.all(document.getAnimations().filter(a => a.effect && a.effect.getTiming().iterations !== Infinity)
    .map(a => a.finished.catch(() => null)));
  await Promise.race([settled, new Promise(r => setTimeout(r, 3000))]);
  const visible = a => a._tippy && a.getClientRects().length && getComputedStyle(a).visibility !== 'hidden';
  const links = [...document.querySelectorAll('article.bd-article a')].filter(visible);
  const tip = links.find(a => a.href.includes('glossary.html#term-')) || links[0];
  if (tip) tip.setAttribute('data-axe-tip', '');
  return !!tip;
}"""

CLASSIFY = """(nodes) => nodes.map(n => {
  const el = document.querySelector(Array.isArray(n.target[0]) ? n.target[0][0] : n.target[0]);
  return !!(el && el.closest(arguments_ours));
})"""


def _audit(page, axe):
    has_tip = page.evaluate(PREPARE)
    if has_tip:
        page.locator("[data-axe-tip]").first.scroll_into_view_if_needed()
        page.locator("[data-axe-tip]").first.hover()
        page.locator("[data-tippy-root]").first.wait_for(state="visible", timeout=5000)
        page.wait_for_timeout(350)  # the fade-in: axe measures contrast on the final colours
    result = axe(page)
    ours, theirs = [], []
    for violation in result["violations"]:
        inside = page.evaluate(CLASSIFY.replace("arguments_ours", json.dumps(OURS)), violation["nodes"])
        for node, mine in zip(violation["nodes"], inside):
            (ours if mine else theirs).append((violation, node))
    return result, ours, theirs, has_tip


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_no_serious_accessibility_violations(visit, axe, name, width):
    out = SCREENSHOTS.parent / "axe"
    out.mkdir(parents=True, exist_ok=True)
    bad = []
    for mode in MODES:
        context = visit.new_context(WIDTHS[width])
        in_mode(context, mode)
        v = visit(f"{name}.html", context=context)
        result, ours, theirs, has_tip = _audit(v.page, axe)
        tag = f"{name.replace('/', '__')}@{width}-{mode}"
        (out / f"{tag}.json").write_text(json.dumps(result["violations"], ensure_ascii=False, indent=1),
                                         encoding="utf-8")
        if width == 390 or name.startswith("chapters/s3-2"):
            shot(v.page, f"axe-{tag}")
        where = f"_build/html/{name}.html at {width}px in mode {mode}"
        for violation, node in ours:
            if violation["impact"] in ("serious", "critical"):
                bad.append(f"{where}: {violation['id']} ({violation['impact']}): {node['target']} "
                           f"{node['html'][:140]}")
        for violation, node in theirs:
            if violation["impact"] in ("serious", "critical") and violation["id"] not in THEME_ONLY:
                bad.append(f"{where}: theme markup: {violation['id']} ({violation['impact']}): "
                           f"{node['target']} {node['html'][:140]}")
        if name.startswith("chapters/") or name.startswith("back/glossary"):
            assert has_tip, f"{where}: no link with a tooltip to show"
    assert not bad, f"{len(bad)} serious or critical violations:\n" + "\n".join(bad[:20])


def test_charts_have_text_alternatives(pages):
    for name, article in pages:
        for chart in article.select(".edition-chart"):
            assert chart.get("role") == "img" and len(chart.get("aria-label", "")) > 40, (
                f"_build/html/{name}.html: chart {chart.get('id')} has no text alternative")
            figure = chart.find_parent(class_="edition-chart-figure")
            assert figure.select_one("details table.chart-data"), f"_build/html/{name}.html: no data table"
