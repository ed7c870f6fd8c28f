"""Shared fixtures: the built book (make test builds it first) and its pages in reading order."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"


def toc_files() -> list[str]:
    """Every page of _toc.yml, in reading order."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    order = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                order.append(entry["file"])
            walk(entry.get("sections"))
            walk(entry.get("chapters"))

    walk(toc.get("parts"))
    return order


# Tests marked by where they live (their files stay free of it): `make check` deselects these markers.
MARKED_BY_PATH = {
    "browser": "browser",  # tests/browser/: Chromium
    "test_build.py": "build",  # whole builds of a work copy
}


def pytest_collection_modifyitems(config, items):
    tests = Path(__file__).parent
    for item in items:
        for part in item.path.relative_to(tests).parts if item.path.is_relative_to(tests) else ():
            if part in MARKED_BY_PATH:
                item.add_marker(MARKED_BY_PATH[part])


@pytest.fixture(scope="session")
def built() -> Path:
    if not (HTML / "index.html").exists():
        pytest.fail(f"{HTML}/index.html is missing: run `make book` (make test does) before pytest")
    return HTML


@pytest.fixture(scope="session")
def documents(built) -> list[tuple[str, BeautifulSoup]]:
    """(page, whole parsed HTML document) for every page in reading order."""
    out = []
    for name in toc_files():
        path = built / f"{name}.html"
        assert path.exists(), f"_toc.yml lists {name} but {path} was not built"
        out.append((name, BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")))
    return out


@pytest.fixture(scope="session")
def pages(documents) -> list[tuple[str, BeautifulSoup]]:
    """(page, its article): the page's own content, without navigation and tables of contents."""
    out = []
    for name, soup in documents:
        article = soup.select_one("article.bd-article")
        assert article is not None, f"_build/html/{name}.html: no article.bd-article"
        out.append((name, article))
    return out


@pytest.fixture
def glossary_copy(tmp_path):
    """A copy of the glossary for a bad-input test to break; the loader's cache is cleared after."""
    from cyberspace_edition import edition

    copy = tmp_path / "glossary.yaml"
    shutil.copy(edition.GLOSSARY_FILE, copy)
    yield copy
    edition.load_glossary.cache_clear()


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A copy of data/ that every loader reads instead of the real one (module paths and default
    arguments moved to it, caches cleared), for a bad-input test to break any file of it."""
    import inspect

    from cyberspace_edition import edition, facts, paths, text

    copy = tmp_path / "data"
    shutil.copytree(paths.DATA, copy)

    def moved(value):
        return copy / value.relative_to(paths.DATA) if isinstance(value, Path) and value.is_relative_to(paths.DATA) \
            else value

    modules = (text, edition, facts)
    for module in modules:
        for name, value in list(vars(module).items()):
            if moved(value) is not value:
                monkeypatch.setattr(module, name, moved(value))
            function = inspect.unwrap(value) if inspect.isfunction(inspect.unwrap(value)) else None
            if function is not None and function.__module__ == module.__name__ and function.__defaults__:
                monkeypatch.setattr(function, "__defaults__", tuple(moved(d) for d in function.__defaults__))

    def clear():
        for module in modules:
            for value in vars(module).values():
                if hasattr(value, "cache_clear"):
                    value.cache_clear()

    clear()
    yield copy
    clear()


@pytest.fixture
def annotations_copy(tmp_path, monkeypatch):
    """A copy of data/annotations/ used in place of the real one, for a bad-input test to break."""
    from cyberspace_edition import edition

    folder = tmp_path / "annotations"
    shutil.copytree(edition.ANNOTATIONS_DIR, folder)
    monkeypatch.setattr(edition, "ANNOTATIONS_DIR", folder)
    edition.load_annotations.cache_clear()
    yield folder
    edition.load_annotations.cache_clear()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright, one for the whole run: Playwright's sync API cannot run
    twice at once in one process, so the browser tests and the PDF tests share it."""
    from cyberspace_edition.browser import CHROMIUM, launch

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test` (it installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()
