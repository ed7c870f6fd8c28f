"""Every run of text is marked with its language, so that a screen reader reads English with an
English voice and Chinese with a Chinese one.

The pages are Chinese (<html lang="zh-Hans">, like every block of the text); everything English
(notes, guides, questions, glossary, captions, front and back matter, the theme's English) must sit
in an element marked lang="en", and Chinese inside English in an element marked lang="zh-Hans".
The test walks every text node of every built page and groups them by the element that gives them
their language; it fails, naming the file and the element, on a run of three or more English
words in a Chinese-marked element, or on Chinese in an English-marked one.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup, Comment, NavigableString, Tag

EXTRA_PAGES = ["genindex", "search"]  # generated pages, not in _toc.yml
NOT_PROSE = {"script", "style", "template", "noscript", "code", "pre", "kbd", "samp", "svg", "math"}
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
WORD = r"[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f'’\-]*"
ENGLISH_RUN = re.compile(rf"{WORD}(?:[\s,;:()“”\"‘’–—/]+{WORD}){{2,}}")
PAGE_LANGUAGE = "zh-Hans"


def language_of(tag: Tag) -> tuple[str | None, Tag | None]:
    for el in [tag, *tag.parents]:
        if isinstance(el, Tag) and el.get("lang"):
            return el["lang"], el
    return None, None


def path_of(tag: Tag) -> str:
    parts = []
    for el in [tag, *tag.parents]:
        if not isinstance(el, Tag) or el.name == "[document]":
            continue
        name = el.name
        if el.get("id"):
            parts.append(f"{name}#{el['id']}")
            break
        if el.get("class"):
            name += "." + ".".join(el["class"][:2])
        parts.append(name)
    return " > ".join(reversed(parts))


def runs(soup: BeautifulSoup):
    """(language, element that gives it, text) for each stretch of text in one language scope."""
    body = soup.body
    current, scope, buffer = None, None, []
    for node in body.descendants:
        if not isinstance(node, NavigableString) or isinstance(node, Comment):
            continue
        if any(isinstance(p, Tag) and p.name in NOT_PROSE for p in node.parents):
            continue
        lang, owner = language_of(node.parent)
        if owner is not scope:
            if buffer:
                yield current, scope, "".join(buffer)
            current, scope, buffer = lang, owner, []
        buffer.append(str(node))
    if buffer:
        yield current, scope, "".join(buffer)


def problems(name: str, soup: BeautifulSoup) -> list[str]:
    out = []
    if soup.html.get("lang") != PAGE_LANGUAGE:
        out.append(f"_build/html/{name}.html: <html lang={soup.html.get('lang')!r}>, not {PAGE_LANGUAGE!r}")
    for lang, owner, text_ in runs(soup):
        where = f"_build/html/{name}.html: {path_of(owner) if owner else 'html'} (lang={lang})"
        if lang is None:
            out.append(f"{where}: text with no language: {text_.strip()[:60]!r}")
        elif lang.startswith("zh"):
            for m in ENGLISH_RUN.finditer(text_):
                if re.search(r"[a-z]", m.group(0)):  # CNCERT G20 APEC: names, not English prose
                    out.append(f"{where}: English in a Chinese element: {m.group(0)[:70]!r}")
                    break
        elif lang == "en":
            m = HAN.search(text_)
            if m:
                out.append(f"{where}: Chinese in an English element: "
                           f"{text_[max(0, m.start() - 20):m.end() + 10].strip()!r}")
        else:
            out.append(f"{where}: unexpected language {lang!r}")
    return out


@pytest.fixture(scope="module")
def every_page(documents, built) -> list[tuple[str, BeautifulSoup]]:
    """The pages of the book (parsed once for the session) and the generated index and search pages."""
    return documents + [(name, BeautifulSoup((built / f"{name}.html").read_text(encoding="utf-8"), "html.parser"))
                        for name in EXTRA_PAGES]


def test_every_run_of_text_is_marked_with_its_language(every_page):
    found = []
    for name, soup in every_page:
        found += problems(name, soup)
    assert not found, f"{len(found)} runs of text in the wrong language:\n" + "\n".join(found[:40])


def test_the_checker_catches_unmarked_text():
    """The checker itself: English in a Chinese paragraph, Chinese in an English note, both found;
    a Chinese name marked inside English and an acronym inside Chinese are allowed."""
    page = BeautifulSoup(
        '<html lang="zh-Hans"><body>'
        '<p>中国 worked with partners abroad 合作</p>'
        '<div lang="en"><p>The term 网络主权 is used</p></div>'
        '<div lang="en"><p>The term <span lang="zh-Hans">网络主权</span> is used</p></div>'
        '<p>中国国家互联网应急中心（CNCERT）与 G20 APEC</p>'
        '</body></html>', "html.parser")
    found = problems("example", page)
    assert len(found) == 2, found
    assert "English in a Chinese element" in found[0] and "worked with partners" in found[0]
    assert "Chinese in an English element" in found[1] and "网络主权" in found[1]


def test_english_blocks_of_the_edition_are_marked(pages):
    """Structure as well as text: each translation, note, guide and glossary definition is English."""
    for name, article in pages:
        for el in article.select(".translation, .edition-note, .reading-guide, .discussion-questions, dd"):
            lang, _ = language_of(el)
            assert lang == "en", f"_build/html/{name}.html: {path_of(el)} is marked {lang!r}, not 'en'"
        for el in article.select(".source-paragraph > p, .source-heading"):
            lang, _ = language_of(el)
            assert lang == "zh-Hans", f"_build/html/{name}.html: {path_of(el)} is marked {lang!r}, not 'zh-Hans'"
