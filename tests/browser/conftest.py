"""The built book served on 127.0.0.1 and opened in Debian's Chromium through Playwright.

Every page opened through `visit` records console messages, page errors and any
request that leaves localhost; screenshots go to test-output/screenshots/.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

from cyberspace_edition.browser import serve

from ..conftest import HTML, ROOT

SCREENSHOTS = ROOT / "test-output" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


@pytest.fixture(scope="session")
def site(built):
    with serve(HTML) as base:
        yield base


@dataclass
class Visit:
    page: object
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)


@pytest.fixture
def visit(browser, site):
    """visit(path, viewport=DESKTOP, context=None) -> Visit, the page loaded and watched."""
    contexts = []

    def _visit(path: str, viewport: dict = DESKTOP, context=None) -> Visit:
        if context is None:
            context = browser.new_context(viewport=viewport)
            contexts.append(context)
        page = context.new_page()
        v = Visit(page)
        page.on("console", lambda m: v.console.append(f"{m.type}: {m.text}")
                if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: v.errors.append(str(e)))

        def route(r):
            host = urlparse(r.request.url).hostname
            if r.request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
                r.continue_()
            else:
                v.outside.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.goto(f"{site}/{path}", wait_until="load")
        return v

    _visit.new_context = lambda viewport=DESKTOP: contexts.append(browser.new_context(viewport=viewport)) or contexts[-1]
    yield _visit
    for c in contexts:
        c.close()


def shot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name.replace('/', '__')}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# --- accessibility: one place that puts axe-core into a page ----------------------------------

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
MODES = ("zh", "en", "both")  # the language switch: 中文, English, 对照


@pytest.fixture(scope="session")
def axe():
    """axe(page, tags=AXE_TAGS) -> axe-core's result for the page as it stands (injected once per page).

    axe-core comes from the PyPI package axe-playwright-python, which ships axe.min.js: no npm.
    """
    import axe_playwright_python

    script = Path(axe_playwright_python.__file__).parent / "axe.min.js"
    if not script.exists():
        pytest.fail(f"{script} is missing: run `make book` (it installs the lock, axe-playwright-python too)")

    def run(page, tags=AXE_TAGS):
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.add_script_tag(path=str(script))
        return page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags},"
                             " resultTypes: ['violations']})", tags)

    return run


def in_mode(context, mode: str) -> None:
    """Pages opened in this browser context start in language mode `mode` (zh, en or both)."""
    context.add_init_script(f"try {{ localStorage.setItem('edition-language', '{mode}'); }} catch (e) {{}}")
