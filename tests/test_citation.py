"""Citations a reader copies: made from CITATION.cff (never retyped) and from html_baseurl (set
once); one citation record per page; the For teachers form; nothing invented where the edition
has no published address; bad CITATION.cff or html_baseurl stops with file:line."""

from __future__ import annotations

import json
import re
import textwrap
import tomllib
from pathlib import Path

import pytest
import yaml

from cyberspace_edition import text
from cyberspace_edition.errors import DataError
from cyberspace_edition.extension import citation

from .conftest import ROOT, toc_files

CFF = ROOT / "CITATION.cff"
RECORD = re.compile(r'<script[^>]*\bid="edition-citation"[^>]*>(.*?)</script>', re.S)
# the For teachers form: 《title》, part 三（二）, ¶3 [s3-2-p03], in <edition>, version V, <address>.
TEACHERS_FORM = re.compile(r"《(?P<work>[^》]+)》, (?P<part>part [一二三四五六七八九十（）]+|结束语), "
                           r"¶(?P<n>\d+) \[(?P<id>[a-z0-9-]+)\], in (?P<edition>.+), version (?P<v>[^,]+), (?P<url>\S+)\.")


def _cff() -> dict:
    return yaml.safe_load(CFF.read_text(encoding="utf-8"))


def _record(path: Path) -> dict:
    found = RECORD.findall(path.read_text(encoding="utf-8"))
    assert len(found) == 1, f"{path}: {len(found)} citation records (#edition-citation), expected one"
    return json.loads(found[0].replace("<\\/", "</"))


def _paragraphs(record: dict) -> dict[str, dict]:
    """Each paragraph's entry, made from the record by the substitution citation.py's docstring
    documents (and cite.js does): every token of the template, in order, by the paragraph's value."""
    if not record["paragraphs"]:
        return {}
    template = {k: v for k, v in record["template"].items() if k != "tokens"}
    out = {}
    for pid, (number, index) in record["paragraphs"].items():
        section, part = record["sections"][index]
        values = {"id": pid, "number": str(number), "section": section, "part": part, "page": record["page"]["url"]}
        out[pid] = {"number": number, "section": section, **citation.expand(template, values, record["template"]["tokens"])}
    return out


def test_every_page_carries_one_citation_record_made_from_citation_cff(built):
    cff = _cff()
    for name in toc_files() + ["genindex", "search"]:
        record = _record(built / f"{name}.html")
        ed = record["edition"]
        where = f"_build/html/{name}.html #edition-citation"
        assert (ed["title"], ed["version"], ed["licence"]) == (cff["title"], str(cff["version"]), cff["license"]), \
            f"{where}: title/version/licence differ from {CFF}"
        assert ed["released"] == str(cff["date-released"]), f"{where}: date differs from {CFF}"
        assert ed["authors"] == [a["name"] for a in cff["authors"]], f"{where}: authors differ from {CFF}"
        if record["paragraphs"]:
            assert record["template"]["csl"][0]["title"].startswith(cff["references"][0]["title"] + ", "), \
                f"{where}: the white paper's title in the paragraphs' template differs from {CFF}"


def test_the_version_cited_is_the_package_version():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert str(_cff()["version"]) == pyproject["project"]["version"], (
        f"{CFF}: version {_cff()['version']} differs from pyproject.toml {pyproject['project']['version']}: "
        "the citations and {edition-version} would give different versions")


def test_each_numbered_paragraph_is_cited_in_the_teachers_form(built):
    blocks = text.load_text().by_id()
    cff = _cff()
    cited = set()
    for name in toc_files():
        if not name.startswith("chapters/"):
            continue
        path = built / f"{name}.html"
        html = path.read_text(encoding="utf-8")
        record = _record(path)
        labels = re.findall(r'<a class="para-link[^"]*" href="#([a-z0-9-]+)"', html)
        assert sorted(labels) == sorted(record["paragraphs"]), \
            f"_build/html/{name}.html: paragraphs with a ¶ label {sorted(labels)} and cited {sorted(record['paragraphs'])} differ"
        assert record["address"] == "", f"_build/html/{name}.html: an address although html_baseurl is empty"
        for pid, p in _paragraphs(record).items():
            where = f"_build/html/{name}.html #edition-citation {pid}"
            m = TEACHERS_FORM.fullmatch(p["text"])
            assert m, f"{where}: {p['text']!r} is not in the For teachers form"
            assert m["id"] == pid and int(m["n"]) == blocks[pid].number == p["number"], f"{where}: wrong number or id"
            assert m["work"] == cff["references"][0]["title"].split(" (")[0] and m["edition"] == cff["title"], where
            assert m["v"] == str(cff["version"]), where
            # no address published: the token that cite.js turns into the address as opened
            assert p["url"] == m["url"] == f"{record['token']}{name}.html#{pid}", f"{where}: permalink {p['url']!r}"
            assert p["bibtex"].startswith(f"@incollection{{cyberspace-edition-{pid},") and \
                p["bibtex"].count("{") == p["bibtex"].count("}"), f"{where}: BibTeX entry malformed"
            assert f"url       = {{{p['url']}}}" in p["bibtex"], f"{where}: BibTeX lacks the permalink"
            item = p["csl"][0]
            assert item["URL"] == p["url"] and item["version"] == str(cff["version"]) and item["type"] == "chapter", where
            assert item["issued"]["date-parts"] == [[int(x) for x in str(cff["date-released"]).split("-")]], where
            cited.add(pid)
    numbered = {b.id for b in blocks.values() if not b.is_heading and b.kind != "dateline"}
    assert numbered <= cited, f"paragraphs without a citation: {sorted(numbered - cited)[:5]}"


def test_no_address_is_invented_while_html_baseurl_is_empty(built):
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert config["sphinx"]["config"]["html_baseurl"] == "", "this test describes the edition without a published address"
    for name in toc_files():
        html = (built / f"{name}.html").read_text(encoding="utf-8")
        record = _record(built / f"{name}.html")
        assert record["edition"]["url"] == f"{record['token']}index.html", f"_build/html/{name}.html: edition url {record['edition']['url']!r}"
        assert 'rel="canonical"' not in html, f"_build/html/{name}.html: a canonical address without html_baseurl"


def test_for_teachers_and_the_footer_state_version_licence_and_how_to_cite(documents):
    cff = _cff()
    teachers = dict(documents)["front/for-teachers"]
    block = teachers.select_one(".edition-citation-block")
    assert block is not None, "_build/html/front/for-teachers.html: no citation block ({edition-citation})"
    shown = block.get_text(" ")
    for value in (cff["title"], str(cff["version"]), cff["license"], "@misc{cyberspace-edition,", '"type": "dataset"'):
        assert value in shown, f"_build/html/front/for-teachers.html: the citation block lacks {value!r} (from {CFF})"
    example = block.select_one(".edition-cite-example-text").get_text()
    assert TEACHERS_FORM.fullmatch(example.replace(citation.NO_ADDRESS, "https://x/")), example
    assert block.select_one(f"a[href='{citation.LICENCE_URLS[cff['license']]}']"), "no link to the licence"
    assert teachers.select_one("#cite-the-edition"), "no #cite-the-edition target for the footer's link"
    for name, soup in documents:
        footer = soup.select_one(".edition-cite-footer")
        assert footer is not None and str(cff["version"]) in footer.get_text() and cff["license"] in footer.get_text(), \
            f"_build/html/{name}.html: the footer does not give the version and licence"
        link = footer.select_one("a[href$='#cite-the-edition']")
        assert link and link["href"].split("#")[0].endswith("" if name == "front/for-teachers" else "for-teachers.html"), \
            f"_build/html/{name}.html: no link to how to cite"


def test_the_template_filled_in_gives_paragraph_citation_for_every_numbered_paragraph(built):
    """The one source of the formats is citation.paragraph_citation: what a page's template gives
    for a paragraph, by the documented substitution, is exactly what it makes for that paragraph."""
    from cyberspace_edition.extension.references import section_name, section_of

    ed = citation.load_cff()
    blocks = text.load_text().by_id()
    seen = set()
    for name in toc_files():
        record = _record(built / f"{name}.html")
        for pid, p in _paragraphs(record).items():
            where = f"_build/html/{name}.html #edition-citation {pid}"
            block = blocks[pid]
            url = f"{citation.ADDRESS_TOKEN}{name}.html#{pid}"  # no html_baseurl: the token, resolved by cite.js
            made = citation.paragraph_citation(ed, block, url)
            for key in ("text", "bibtex", "csl"):
                assert p[key] == made[key], f"{where}: the filled template's {key} differs from paragraph_citation:\n" \
                                            f"{p[key]!r}\n{made[key]!r}"
            section = section_name(section_of(pid))
            assert (p["url"], p["label"], p["name"], p["section"]) == (url, f"¶{block.number}", f"¶{block.number} · {section}", section), where
            seen.add(pid)
    numbered = {b.id for b in citation.citable(list(blocks))}
    assert numbered == seen, f"numbered paragraphs no page's record cites: {sorted(numbered - seen)[:5]}"


RECORD_BUDGET = 4096  # issue 14: the record no longer grows by a written-out citation per paragraph


def test_the_citation_record_stays_small(built):
    for name in toc_files():
        html = (built / f"{name}.html").read_text(encoding="utf-8")
        size = len(RECORD.search(html).group(1).encode("utf-8"))
        assert size <= RECORD_BUDGET, (
            f"_build/html/{name}.html: #edition-citation is {size} bytes, over {RECORD_BUDGET}: a paragraph should "
            "add only [number, section] to it (extension/citation.py, page_data)")


def test_a_value_with_a_token_mark_is_refused(cff_copy):
    content = cff_copy.read_text(encoding="utf-8")
    title = yaml.safe_load(content)["title"]
    cff_copy.write_text(content.replace(title, title + " @@ID@@", 1), encoding="utf-8")
    ed = citation.load_cff(cff_copy)
    with pytest.raises(DataError, match=r"CITATION\.cff:\d+: title '.*@@ID@@' contains '@@'"):
        citation.page_data(ed, "", "chapters/s3-2-cybersecurity.html", "../", ["s3-2-p03"])


def test_a_value_that_escaping_would_change_is_refused(monkeypatch):
    """A section name with a BibTeX special character: the filled template would lack its escape."""
    real = citation.section_name
    monkeypatch.setattr(citation, "section_name", lambda sid: real(sid).replace("（", "_（"))
    with pytest.raises(DataError, match=r"paragraph_ids\.csv:\d+: s3-2-p03: the citation template, filled .* "
                                        r"differs from its citation in \['bibtex'\]"):
        citation.page_data(citation.load_cff(), "", "chapters/s3-2-cybersecurity.html", "../", ["s3-2-p03"])


# --- bad input -----------------------------------------------------------------------------------

@pytest.fixture
def cff_copy(tmp_path):
    copy = tmp_path / "CITATION.cff"
    copy.write_text(CFF.read_text(encoding="utf-8"), encoding="utf-8")
    yield copy
    citation.load_cff.cache_clear()


@pytest.mark.parametrize("old, new, message", [
    ("version: 0.1.0\n", "", r"CITATION\.cff:1: no 'version'"),
    ("license: CC-BY-4.0", "license: CC-BY-SA-9.9", r"CITATION\.cff:\d+: licence 'CC-BY-SA-9.9'"),
    ("date-released: 2026-11-28", "date-released: 28 Nov", r"CITATION\.cff:\d+: date-released: expected a date"),
])
def test_bad_citation_cff_stops_with_file_and_line(cff_copy, old, new, message):
    content = cff_copy.read_text(encoding="utf-8")
    assert old in content, f"{CFF}: the test's anchor {old!r} is gone; update the test"
    cff_copy.write_text(content.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError, match=message):
        citation.load_cff(cff_copy)


def test_a_bad_html_baseurl_stops_with_file_and_line():
    class Config:
        html_baseurl = "example.org/edition"

    with pytest.raises(DataError, match=r"_config\.yml:\d+: html_baseurl 'example.org/edition' is not an http"):
        citation.address(Config())


# --- with a published address (sphinx.testing: a small project with the edition's extension) -----

BASE = "https://example.org/edition"


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """Two chapters' worth of the edition built by Sphinx with html_baseurl set."""
    from sphinx.testing.util import SphinxTestApp

    src = tmp_path_factory.mktemp("published")
    (src / "conf.py").write_text(textwrap.dedent(f'''
        extensions = ["myst_parser"]
        html_baseurl = "{BASE}"
        myst_enable_extensions = ["colon_fence"]

        def setup(app):
            from cyberspace_edition.extension import (apparatus, citation, glossary_tools, languages,
                                                      nodes, text_placement)
            for part in (nodes, languages, text_placement, apparatus, citation, glossary_tools):
                part.setup(app)
            # a small project places only some paragraphs: leave out the check that all are placed
            listeners = app.events.listeners["env-check-consistency"]
            listeners[:] = [x for x in listeners if x.handler is not text_placement.env_check_consistency]
        '''), encoding="utf-8")
    (src / "chapters").mkdir()
    (src / "front").mkdir()
    (src / "back").mkdir()
    (src / "index.md").write_text("# Index\n\n```{toctree}\nchapters/s3-2-cybersecurity\nfront/for-teachers\n"
                                  "back/glossary\n```\n", encoding="utf-8")
    (src / "chapters" / "s3-2-cybersecurity.md").write_text(
        "# Chapter\n\n(s3-2-1)=\n## {source-heading}`s3-2-1`\n\n```{source-section} s3-2-1\n```\n\n"
        "(s3-2-2)=\n## {source-heading}`s3-2-2`\n\n```{source-section} s3-2-2\n```\n", encoding="utf-8")
    (src / "front" / "for-teachers.md").write_text("# For teachers\n\n```{edition-citation} s3-2-p03\n```\n",
                                                   encoding="utf-8")
    (src / "back" / "glossary.md").write_text("# Glossary\n\n```{edition-glossary}\n```\n", encoding="utf-8")
    app = SphinxTestApp("html", srcdir=src, builddir=src / "_build")
    try:
        app.build()
    finally:
        app.cleanup()
    return src / "_build" / "html"


def test_with_html_baseurl_every_citation_and_permalink_uses_it(published):
    chapter = _record(published / "chapters" / "s3-2-cybersecurity.html")
    assert chapter["address"] == BASE + "/"
    assert chapter["edition"]["url"] == BASE + "/" and BASE + "/." in chapter["edition"]["text"]
    for pid in ("s3-2-p03", "s3-2-p04"):
        p = _paragraphs(chapter)[pid]
        url = f"{BASE}/chapters/s3-2-cybersecurity.html#{pid}"
        assert p["url"] == url and p["text"].endswith(f", {url}.") and f"{{{url}}}" in p["bibtex"] \
            and p["csl"][0]["URL"] == url, f"{pid}: a citation does not use html_baseurl: {p}"
        assert chapter["token"] not in json.dumps(p), f"{pid}: the address-as-opened token with html_baseurl set"
    from bs4 import BeautifulSoup

    teachers = BeautifulSoup((published / "front" / "for-teachers.html").read_text(encoding="utf-8"),
                             "html.parser").get_text()
    assert f"{BASE}/chapters/s3-2-cybersecurity.html#s3-2-p03." in teachers and citation.NO_ADDRESS not in teachers
    assert f"published address, {BASE}/" in teachers
    glossary = (published / "back" / "glossary.html").read_text(encoding="utf-8")
    assert f'title="Permalink to this entry: {BASE}/back/glossary.html#term-cncert"' in glossary, \
        "glossary permalinks do not give the published address"
