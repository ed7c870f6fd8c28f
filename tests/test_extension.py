"""The Sphinx extension on small documents, without the book: each directive and role does what a
chapter relies on, and bad markup stops the build naming the file and the line.

Each test builds a few MyST pages in a temporary folder with Sphinx's own test application
(sphinx.testing), loading only the parts of the extension under test (each part is an extension
with its own setup()). The checks that every block of the text is placed once are left out of the
small builds (they place a few paragraphs), and tested on their own.
"""

from __future__ import annotations

import io
import re
import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.errors import ExtensionError
from sphinx.testing.util import SphinxTestApp

from cyberspace_edition import edition, facts, text
from cyberspace_edition.errors import DataError

PARTS = ["nodes", "languages", "text_placement", "apparatus"]
CONF = """\
extensions = ["myst_parser", *("cyberspace_edition.extension." + p for p in {parts!r})]
myst_enable_extensions = ["colon_fence"]
language = "zh_CN"
html_theme = "basic"
html_search_language = "en"  # the Chinese index loads jieba's dictionary (seconds); tested in the book
exclude_patterns = ["_build"]


def setup(app):
    if not {consistency!r}:  # a small book places a few paragraphs, not the whole text
        for listener in list(app.events.listeners["env-check-consistency"]):
            if listener.handler.__module__.endswith("text_placement"):
                app.disconnect(listener.id)
"""


def make_book(root: Path, pages: dict[str, str], *, consistency: bool = False, parts: list[str] = PARTS) -> Path:
    """A folder with conf.py and the given MyST pages (name -> text); index.md lists them."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "conf.py").write_text(CONF.format(parts=parts, consistency=consistency), encoding="utf-8")
    toc = "\n".join(name for name in pages if name != "index")
    pages = {"index": f"# Book\n\n```{{toctree}}\n{toc}\n```\n", **pages}
    for name, body in pages.items():
        (root / f"{name}.md").parent.mkdir(parents=True, exist_ok=True)
        (root / f"{name}.md").write_text(textwrap.dedent(body), encoding="utf-8")
    return root


def build(root: Path) -> tuple[Path, str]:
    """Build the folder to HTML; (the output folder, Sphinx's warnings). Exceptions propagate."""
    warnings = io.StringIO()
    app = SphinxTestApp("html", srcdir=root, status=io.StringIO(), warning=warnings)
    try:
        app.build()
    finally:
        app.cleanup()
    return Path(app.outdir), warnings.getvalue()


def page(outdir: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((outdir / f"{name}.html").read_text(encoding="utf-8"), "html.parser")


# --- one small book, built once, for what the directives place ---------------------------------

PARAGRAPH = "s3-2-p03"  # under heading s3-2-1, after s3-2-p02; CNCERT's partners: names (CNCERT), numbers (the ledger) and notes
CHAPTER = """\
(s3-2)=
# {source-heading}`s3-2`

```{reading-guide} s3-2
```

(s3-2-1)=
## {source-heading}`s3-2-1`

```{source-section} s3-2-1
```

The ledger says {fact}`cncert-partner-orgs-2021`.

```{discussion-questions} s3-2
```
"""


def small_glossary() -> str:
    """A Sphinx glossary of the terms the chapter links (the paragraph's, the guide's key terms): the
    whole edition glossary is tested in the built book; here, that the links find their entries."""
    terms = edition.load_glossary()
    pattern, by_form = edition.term_pattern(terms)
    named = {by_form[m.group(0)].key for m in pattern.finditer(text.load_text().by_id()[PARAGRAPH].text)}
    keys = {t.key for t in terms.values() for f in t.forms if f in edition.load_annotations("s3-2").guide.key_terms}
    entries = "".join(f"{terms[k].zh}\n   {terms[k].en}\n\n" for k in sorted(named | keys))
    return f"# Glossary\n\n```{{glossary}}\n{entries}```\n"


@pytest.fixture(scope="module")
def small_book(tmp_path_factory) -> tuple[Path, str]:
    root = make_book(tmp_path_factory.mktemp("small") / "src", {"chapters/s3-2-cybersecurity": CHAPTER, "glossary": small_glossary()})
    return build(root)


def test_source_paragraph_places_the_text_its_number_english_and_notes(small_book):
    outdir, _ = small_book
    soup = page(outdir, "chapters/s3-2-cybersecurity")
    block = text.load_text().by_id()[PARAGRAPH]
    source = soup.find(id=PARAGRAPH)
    assert source is not None and "source-paragraph" in source["class"], f"no .source-paragraph#{PARAGRAPH}"
    label = source.select_one(".para-label a")
    assert label.get_text() == f"¶{block.number}" and label["href"] == f"#{PARAGRAPH}", label
    shown = source.get_text("").replace(label.get_text(), "", 1)
    assert shown.strip() == block.text, "the paragraph's text is not the text of the source, unchanged"
    assert source.get("lang") == "zh-Hans"
    english = soup.select(f".translation[data-para='{PARAGRAPH}']")
    assert len(english) == 1 and english[0].get("lang") == "en"
    expected = edition.load_translation().text[PARAGRAPH]
    plain = str.maketrans("“”‘’", "\"\"''")  # Sphinx's smart quotes
    assert " ".join(english[0].get_text("").translate(plain).split()) == " ".join(expected.replace("*", "").split())
    notes = edition.load_annotations("s3-2").notes.get(PARAGRAPH, [])
    assert notes, f"data/annotations/s3-2.yaml: no note on {PARAGRAPH}; choose a paragraph with notes for this test"
    titles = " ".join(el.get_text(" ") for el in source.find_parent(class_="para-block").select(".edition-note"))
    for note in notes:
        assert note.title in titles, f"note {note.title!r} ({note.path}:{note.line}) is not beside its paragraph"


def test_fact_role_shows_the_ledger_value_and_where_the_text_states_it(small_book):
    outdir, _ = small_book
    spans = page(outdir, "chapters/s3-2-cybersecurity").select("span.fact")
    value = str(facts.value("cncert-partner-orgs-2021"))
    mine = [s for s in spans if s.get_text() == value and "s3-2-p03" in s.get("title", "")]
    assert mine, f"no <span class=fact> showing {value} with a title naming s3-2-p03: {spans[:3]}"


def test_first_occurrence_of_a_term_links_to_its_glossary_entry(small_book):
    outdir, _ = small_book
    soup = page(outdir, "chapters/s3-2-cybersecurity")
    links = [a for a in soup.select(f"#{PARAGRAPH} a") if "glossary.html#" in a.get("href", "")]
    assert links, f"no term in {PARAGRAPH} links to the glossary"
    anchors = {dt.get("id") for dt in page(outdir, "glossary").select("dl.glossary dt")}
    assert len(links) >= 2, f"expected the names in {PARAGRAPH} (CNCERT and others) linked, found {links}"
    for a in links:
        assert a["href"].split("#", 1)[1] in anchors, f"{a['href']}: no such entry in the glossary"
    targets = [a["href"] for a in links]
    assert len(targets) == len(set(targets)), f"a term is linked twice in one paragraph: {targets}"


def test_english_and_chinese_are_marked_with_their_language(small_book):
    outdir, _ = small_book
    soup = page(outdir, "chapters/s3-2-cybersecurity")

    def language(el):
        owner = el if el.get("lang") else el.find_parent(lang=True)
        return owner.get("lang") if owner else None

    checked = {".reading-guide": "en", ".discussion-questions": "en", ".heading-translation": "en",
               ".source-heading": "zh-Hans", ".source-paragraph": "zh-Hans", ".translation": "en"}
    for selector, lang in checked.items():
        found = soup.select(selector)
        assert found, f"the chapter has no {selector}"
        for el in found:
            assert language(el) == lang, f"{selector} is marked {language(el)!r}, not {lang!r}"


# --- bad markup stops the build, naming the page and the line ----------------------------------


def test_an_unknown_paragraph_id_stops_the_build_naming_page_and_line(tmp_path):
    root = make_book(tmp_path, {"chapters/s3-2-cybersecurity": "(s3-2)=\n# {source-heading}`s3-2`\n\n```{source-section} s3-2-p99\n```\n"})
    with pytest.raises(DataError, match=r"s3-2-cybersecurity(\.md)?:4: .*s3-2-p99"):
        build(root)


def test_an_unknown_fact_id_fails(tmp_path):
    root = make_book(tmp_path, {"chapters/s3-2-cybersecurity": "# Chapter\n\nThe ledger says {fact}`no-such-fact`.\n"})
    with pytest.raises(DataError, match=r"facts\.csv:\d+: no fact with id 'no-such-fact'"):
        build(root)


def test_a_section_placed_away_from_its_heading_is_refused(tmp_path):
    root = make_book(tmp_path, {"chapters/s3-2-cybersecurity": "(s3-2)=\n# {source-heading}`s3-2`\n\n```{source-section} s3-2-1\n```\n"})
    with pytest.raises(DataError, match=r"s3-2-cybersecurity(\.md)?:4: \{source-section\} s3-2-1 must follow its own heading"):
        build(root)


def test_a_block_placed_twice_or_not_at_all_stops_the_build(tmp_path):
    twice = ("(s3-2)=\n# {source-heading}`s3-2`\n\n```{source-section} s3-2\n```\n\n"
             "(s3-2-1)=\n## {source-heading}`s3-2-1`\n\n```{source-section} s3-2-1\n```\n\n"
             "(s3-2-1b)=\n## {source-heading}`s3-2-1`\n\n")
    root = make_book(tmp_path, {"chapters/s3-2-cybersecurity": twice}, consistency=True)
    with pytest.raises((DataError, ExtensionError)) as caught:  # raised in an event handler: wrapped
        build(root)
    message = str(caught.value)
    assert "placed more than once ['s3-2-1']" in message, message
    assert re.search(r"missing \[[^\]]*'s3-1-p01'", message), message


def test_an_unknown_heading_id_names_the_page_and_line(tmp_path):
    root = make_book(tmp_path, {"chapters/s3-2-cybersecurity": "# Chapter\n\ntext\n\n## {source-heading}`s3-2-9`\n"})
    with pytest.raises(DataError, match=r"chapters/s3-2-cybersecurity\.md:5: unknown paragraph id 's3-2-9'"):
        build(root)
