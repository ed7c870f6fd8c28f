"""Every chart fits its column at 1400, 1024 and 390 px: nothing cut off, no scroll bar of its own.

For each chart of each page, the SVG that Vega drew (its own width attribute, before any
style sheet shrinks it) must be no wider than the chart's column, and the chart's box must
not scroll sideways. Screenshots of each chart at 1400 and 390 px go to test-output/charts/.
"""

from __future__ import annotations

import pytest

from ..conftest import ROOT, toc_files
from .test_pages import wait_for_charts

CHARTS = ROOT / "test-output" / "charts"
WIDTHS = [1400, 1024, 390]
SCREENSHOT_WIDTHS = {1400, 390}

MEASURE = """() => [...document.querySelectorAll('.edition-chart')].map(c => {
  const svg = c.querySelector('svg');
  const column = c.closest('.edition-chart-figure');
  return {
    id: c.id,
    drawn: svg ? parseFloat(svg.getAttribute('width')) : null,
    shown: svg ? svg.getBoundingClientRect().width : null,
    column: column.clientWidth,
    scrolls: c.scrollWidth > c.clientWidth + 1,
  };
})"""


def chart_pages() -> list[str]:
    """Pages whose source places a chart (a glue:figure of a chart code cell)."""
    out = []
    for name in toc_files():
        path = ROOT / f"{name}.md"
        if path.exists() and "charts." in path.read_text(encoding="utf-8") and "{glue:figure}" in \
                path.read_text(encoding="utf-8"):
            out.append(name)
    return out


PAGES = chart_pages()


def test_the_chart_pages_are_found():
    assert len(PAGES) >= 6, f"only {PAGES} place charts: chart_pages() no longer finds them"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_every_chart_fits_its_column(visit, name, width):
    v = visit(f"{name}.html", viewport={"width": width, "height": 900})
    n = wait_for_charts(v.page)
    assert n, f"{name}.md places a chart but _build/html/{name}.html draws none"
    v.page.wait_for_timeout(200)  # a chart too wide is drawn once more, narrower
    v.page.wait_for_function(
        "() => [...document.querySelectorAll('.edition-chart')].every(c => c.dataset.drawn === 'true')")
    found = v.page.evaluate(MEASURE)
    problems = []
    for k, chart in enumerate(found, 1):
        where = f"_build/html/{name}.html, chart {k} ({chart['id']}) at {width} px"
        if chart["drawn"] is None:
            problems.append(f"{where}: no SVG")
            continue
        if chart["drawn"] > chart["column"] + 0.5:
            problems.append(f"{where}: drawn {chart['drawn']:.0f} px wide in a {chart['column']} px column")
        if chart["scrolls"]:
            problems.append(f"{where}: the chart scrolls sideways")
        if width in SCREENSHOT_WIDTHS:
            # the theme's sticky header would cover the top of a chart scrolled into view
            v.page.add_style_tag(content=".bd-header, .bd-header-article { position: static !important; }")
            CHARTS.mkdir(parents=True, exist_ok=True)
            figure = v.page.locator(".edition-chart-figure").nth(k - 1)
            figure.scroll_into_view_if_needed()
            figure.screenshot(path=str(CHARTS / f"{name.replace('/', '__')}-{k}-{chart['id']}-{width}.png"))
    assert not problems, "\n".join(problems)


def test_charts_follow_a_resized_window(visit):
    """Drawn at 1400 px, then the window narrows to 390 px: every chart is drawn again to fit."""
    name = "chapters/s3-2-cybersecurity"  # two charts, one of them the map of CNCERT's partners
    v = visit(f"{name}.html", viewport={"width": 1400, "height": 900})
    wait_for_charts(v.page)
    v.page.set_viewport_size({"width": 390, "height": 900})
    v.page.wait_for_timeout(1500)
    for k, chart in enumerate(v.page.evaluate(MEASURE), 1):
        assert chart["drawn"] <= chart["column"] + 0.5, (
            f"_build/html/{name}.html, chart {k}: still {chart['drawn']:.0f} px wide in a "
            f"{chart['column']} px column after the window narrowed to 390 px")
