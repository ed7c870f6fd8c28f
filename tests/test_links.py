"""Every link and button of the built site leads somewhere: a file of the build, and the
element its #fragment names.

Both builds are walked: `_build/html` (the site; `make book`) and `_build/singlehtml` (the one
page the PDF is printed from; `make pdf`), whose links must stay inside that one page. Links to
other sites (http, https) are not followed: they are listed in test-output/external-links.txt
for a reader to check, and must not point at this machine.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from .conftest import ROOT

BUILD = ROOT / "_build"
OUTPUT = ROOT / "test-output"

# every attribute of a page that makes the browser fetch or go somewhere
TARGETS = [("a", "href"), ("area", "href"), ("link", "href"), ("script", "src"), ("img", "src"),
           ("source", "src"), ("video", "src"), ("audio", "src"), ("iframe", "src"), ("embed", "src"),
           ("object", "data"), ("form", "action"), ("button", "formaction"), ("input", "formaction"),
           ("use", "href"), ("use", "xlink:href"), ("image", "href"), ("image", "xlink:href")]
NOT_A_PLACE = ("javascript:", "data:", "mailto:", "tel:")
LOCAL_HOSTS = re.compile(r"^(127\.|localhost$|0\.0\.0\.0$|\[?::1\]?$)")


def _line(page_text: str, attr: str, value: str) -> int:
    at = page_text.find(f'{attr}="{value}"')
    return page_text.count("\n", 0, at) + 1 if at >= 0 else 0


class Site:
    """One build folder: its pages parsed once, and the ids each page holds."""

    def __init__(self, root: Path):
        self.root = root
        self.pages = {p: p.read_text(encoding="utf-8") for p in sorted(root.rglob("*.html"))
                      if "_static" not in p.relative_to(root).parts}
        self._resolved = {p.resolve(): p for p in self.pages}
        self._soups: dict[Path, BeautifulSoup] = {}
        self._ids: dict[Path, set[str]] = {}

    def soup(self, page: Path) -> BeautifulSoup:
        if page not in self._soups:
            self._soups[page] = BeautifulSoup(self.pages[page], "html.parser")
        return self._soups[page]

    def ids(self, page: Path) -> set[str]:
        if page not in self._ids:
            soup = self.soup(page)
            self._ids[page] = {e["id"] for e in soup.find_all(id=True)} | \
                {e["name"] for e in soup.find_all("a", attrs={"name": True})}
        return self._ids[page]

    def targets(self, page: Path):
        """(tag, attribute, value) of every link and resource the page names."""
        soup = self.soup(page)
        for tag, attr in TARGETS:
            for element in soup.find_all(tag):
                value = element.get(attr)
                if value is not None:
                    yield tag, attr, value.strip()
            for element in soup.find_all(tag, srcset=True):
                for candidate in element["srcset"].split(","):
                    if candidate.strip():
                        yield tag, "srcset", candidate.split()[0]

    def broken(self, page: Path, external: set[str]) -> list[str]:
        """Every target of the page that does not lead to a file of this build (and its id)."""
        where = page.relative_to(BUILD)
        problems = []
        for tag, attr, value in self.targets(page):
            said = f"{where}:{_line(self.pages[page], attr, value)}: <{tag} {attr}=\"{value}\">"
            if value.lower().startswith(NOT_A_PLACE):
                continue
            parts = urlsplit(value)
            if parts.scheme in ("http", "https") or value.startswith("//"):
                if LOCAL_HOSTS.match(parts.hostname or ""):
                    problems.append(f"{said}: points at this machine, not at a published address")
                else:
                    external.add(f"{value}\t{where}")
                continue
            if parts.scheme:
                problems.append(f"{said}: a {parts.scheme}: address, not a file of the build")
                continue
            if not parts.path and not parts.fragment:
                continue  # "" or "#": the page itself (the theme's logo, a form sent to its own page)
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.is_relative_to(self.root.resolve()):
                problems.append(f"{said}: leads out of {self.root.relative_to(BUILD)}/ "
                                f"(to {target.relative_to(BUILD.resolve()) if target.is_relative_to(BUILD.resolve()) else target})")
                continue
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                problems.append(f"{said}: no such file {target.relative_to(self.root.resolve())}")
                continue
            fragment = unquote(parts.fragment)
            if fragment and tag in ("a", "area") and target.suffix == ".html":
                key = self._resolved.get(target)
                if key is not None and fragment not in self.ids(key):
                    problems.append(f"{said}: {target.relative_to(self.root.resolve())} has no id \"{fragment}\"")
        return problems


def _check(build: str, hint: str) -> None:
    root = BUILD / build
    if not (root / "index.html").exists():
        pytest.fail(f"{root}/index.html is missing: run `{hint}` (make test does)")
    site = Site(root)
    external: set[str] = set()
    problems = [p for page in site.pages for p in site.broken(page, external)]
    OUTPUT.mkdir(exist_ok=True)
    (OUTPUT / f"external-links-{build}.txt").write_text(
        "".join(f"{line}\n" for line in sorted(external)), encoding="utf-8")
    shown = "\n  ".join(problems[:60])
    more = f"\n  … and {len(problems) - 60} more" if len(problems) > 60 else ""
    assert not problems, f"{len(problems)} links or buttons of _build/{build} lead nowhere:\n  {shown}{more}"


def test_every_link_of_the_site_leads_to_a_file_of_the_build():
    _check("html", "make book")


@pytest.mark.pdf
def test_every_link_of_the_single_page_build_stays_in_it():
    _check("singlehtml", "make pdf")
