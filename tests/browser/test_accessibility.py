"""axe-core on every page: no serious or critical violation in the edition's own content."""

from __future__ import annotations

import json

import pytest

from ..conftest import toc_files
from .conftest import SCREENSHOTS

PAGES = toc_files() + ["genindex", "search"]
# Violations that come from the theme's own markup and cannot be fixed in configuration;
# each with the reason. Our content is checked in full.
THEME_ONLY = {
}


@pytest.mark.parametrize("name", PAGES)
def test_no_serious_accessibility_violations(visit, axe, name):
    v = visit(f"{name}.html")
    v.page.wait_for_timeout(300)
    result = axe(v.page)
    bad = []
    for violation in result["violations"]:
        if violation["impact"] not in ("serious", "critical") or violation["id"] in THEME_ONLY:
            continue
        for node in violation["nodes"]:
            bad.append(f"{violation['id']} ({violation['impact']}): {node['target']} {node['html'][:120]}")
    SCREENSHOTS.parent.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS.parent / "axe").mkdir(exist_ok=True)
    (SCREENSHOTS.parent / "axe" / f"{name.replace('/', '__')}.json").write_text(
        json.dumps(result["violations"], ensure_ascii=False, indent=1), encoding="utf-8")
    assert not bad, f"_build/html/{name}.html: {len(bad)} serious or critical violations:\n" + "\n".join(bad[:15])


def test_charts_have_text_alternatives(pages):
    for name, article in pages:
        for chart in article.select(".edition-chart"):
            assert chart.get("role") == "img" and len(chart.get("aria-label", "")) > 40, (
                f"_build/html/{name}.html: chart {chart.get('id')} has no text alternative")
            figure = chart.find_parent(class_="edition-chart-figure")
            assert figure.select_one("details table.chart-data"), f"_build/html/{name}.html: no data table"


def test_languages_are_marked(documents):
    for name, soup in documents:
        assert soup.html.get("lang") == "zh-CN", f"_build/html/{name}.html: <html lang> is {soup.html.get('lang')}"
        for el in soup.select(".translation"):
            assert el.get("lang") == "en", f"_build/html/{name}.html: English without lang=en"
