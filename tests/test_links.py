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


# --- links the chapters' code cells write: edition:LABEL, resolved when a page is written --------

def _charts_links(site: Site, page: Path) -> list[tuple[str, str, str]]:
    """(tag, attribute, address) of every link inside the pages' chart specs (Vega-Lite JSON):
    an ``href`` channel's value and the ``url`` column of a chart's data, which marks link to."""
    import json

    found = []

    def walk(node, key=""):
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif isinstance(node, str) and (key in ("href", "url", "value") and
                                        re.match(r"^(edition:|#|(\.\./)*[\w/.-]+\.html)", node)):
            found.append(("chart", key, node))

    for script in site.soup(page).select("script.edition-chart-spec"):
        if script.get("src"):  # the spec in its own script (chart_assets.move_specs): editionChart(id, spec, layout);
            path = (page.parent / script["src"].split("?", 1)[0]).resolve()
            call = path.read_text(encoding="utf-8").strip()
            assert call.startswith("editionChart(") and call.endswith(");"), f"{path}: not an editionChart(...) call"
            walk(json.loads("[" + call[len("editionChart("):-2] + "]")[1])
        else:
            walk(json.loads(script.string))
    return found


def _check_charts(build: str, hint: str) -> int:
    root = BUILD / build
    if not (root / "index.html").exists():
        pytest.fail(f"{root}/index.html is missing: run `{hint}`")
    site = Site(root)
    problems, count = [], 0
    for page in site.pages:
        links = _charts_links(site, page)
        count += len(links)
        site.targets = lambda p, links=links: iter(links)  # check them as the page's links are checked
        problems += site.broken(page, set())
    assert not problems, f"{len(problems)} links of the charts of _build/{build} lead nowhere:\n  " + \
        "\n  ".join(problems[:40])
    return count


def test_chart_links_lead_to_their_paragraphs():
    count = _check_charts("html", "make book")
    assert count > 50, f"_build/html: only {count} links in the charts (each mark links its paragraph)"


@pytest.mark.pdf
def test_chart_links_of_the_single_page_stay_in_it():
    count = _check_charts("singlehtml", "make pdf")
    assert count > 50, f"_build/singlehtml: only {count} links in the charts"


@pytest.mark.parametrize("build", ["html", pytest.param("singlehtml", marks=pytest.mark.pdf)])
def test_no_placeholder_is_left_in_a_page(build):
    root = BUILD / build
    if not (root / "index.html").exists():
        pytest.fail(f"{root}/index.html is missing")
    left = [f"{p.relative_to(BUILD)}:{t.count(chr(10), 0, m.start()) + 1}: {m[0]}"
            for p in sorted(root.rglob("*.html")) for t in [p.read_text(encoding="utf-8")]
            for m in re.finditer(r"(?<![\w.:/-])edition:[a-z0-9][a-z0-9_-]*", t)]
    assert not left, f"{len(left)} edition: links were not resolved:\n  " + "\n  ".join(left[:20])


class _Std:
    anonlabels = {"s3-2-p03": ("chapters/s3-2-cybersecurity", "s3-2-p03"),
                  "fig-s3-3-wic": ("chapters/s3-3-governance", "fig-s3-3-wic")}


class _Env:
    all_docs = {"chapters/s3-2-cybersecurity": 0, "chapters/s3-3-governance": 0, "back/timeline": 0}

    def get_domain(self, name):
        return _Std()

    def doc2path(self, docname):
        return Path(f"{docname}.md")


def _app(builder_name: str):
    from types import SimpleNamespace

    from sphinx.builders.html import StandaloneHTMLBuilder
    from sphinx.builders.singlehtml import SingleFileHTMLBuilder

    cls = {"html": StandaloneHTMLBuilder, "singlehtml": SingleFileHTMLBuilder}[builder_name]
    builder = cls.__new__(cls)
    builder.out_suffix, builder.link_suffix = ".html", ".html"
    builder.env = _Env()
    return SimpleNamespace(env=_Env(), builder=builder)


@pytest.mark.parametrize("builder, page, expected", [
    ("html", "back/timeline", '<a href="../chapters/s3-2-cybersecurity.html#s3-2-p03">'),
    ("html", "chapters/s3-2-cybersecurity", '<a href="#s3-2-p03">'),
    ("singlehtml", "index", '<a href="#s3-2-p03">'),
])
def test_a_placeholder_becomes_the_address_the_builder_gives(builder, page, expected):
    from cyberspace_edition.extension import links

    assert links.resolve(_app(builder), page, '<a href="edition:s3-2-p03">') == expected
    spec = '{"href":{"value":"edition:fig-s3-3-wic"}}'
    got = links.resolve(_app(builder), page, spec)
    assert "edition:" not in got and got.endswith('#fig-s3-3-wic"}}'), got


def test_an_unknown_label_stops_the_build_naming_the_page():
    from cyberspace_edition.errors import DataError
    from cyberspace_edition.extension import links

    with pytest.raises(DataError, match=r"back/timeline\.md:0: links to s3-2-p99, which no page"):
        links.resolve(_app("html"), "back/timeline", '<a href="edition:s3-2-p99">')
    # prose that merely says "edition:" is left alone
    assert links.resolve(_app("html"), "back/timeline", "the edition: notes") == "the edition: notes"
