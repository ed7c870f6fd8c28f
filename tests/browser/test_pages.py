"""Every page, in a real browser: clean console, nothing fetched from outside, charts drawn."""

from __future__ import annotations

import pytest

from ..conftest import toc_files
from .conftest import PHONE, shot

PAGES = toc_files() + ["genindex", "search"]


def wait_for_charts(page) -> int:
    """Wait until every chart on the page has drawn its SVG; return how many there are."""
    n = page.locator(".edition-chart").count()
    if n:
        page.wait_for_function(
            "() => [...document.querySelectorAll('.edition-chart')].every(c => c.dataset.drawn === 'true' "
            "&& c.querySelector('svg'))", timeout=10_000)
    return n


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_clean_offline_with_charts_drawn(visit, name):
    v = visit(f"{name}.html")
    charts = wait_for_charts(v.page)
    v.page.wait_for_timeout(100)
    shot(v.page, f"{name}-desktop")
    where = f"_build/html/{name}.html"
    assert not v.outside, f"{where}: requests left localhost: {v.outside}"
    assert not v.errors, f"{where}: page errors: {v.errors}"
    assert not v.console, f"{where}: console messages: {v.console}"
    if charts:
        svgs = v.page.locator(".edition-chart svg").count()
        assert svgs == charts, f"{where}: {charts} charts but {svgs} drawn"


@pytest.mark.parametrize("name", PAGES)
def test_phone_width_has_no_sideways_scroll(visit, name):
    v = visit(f"{name}.html", viewport=PHONE)
    wait_for_charts(v.page)
    width = v.page.evaluate("document.documentElement.scrollWidth")
    shot(v.page, f"{name}-phone")
    assert width <= PHONE["width"], f"_build/html/{name}.html: page is {width}px wide at {PHONE['width']}px"
    narrow = v.page.evaluate(
        "[...document.querySelectorAll('.para-notes .edition-note')].map(a => a.getBoundingClientRect().width)"
        ".filter(w => w < 280)")
    assert not narrow, f"_build/html/{name}.html: margin notes squeezed to {narrow} px on a phone"
