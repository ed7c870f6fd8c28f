"""Tooltips (sphinx-tippy, trimmed by extension/tooltips.py): a glossary term's tooltip is the term,
its reading, name and category, and the first paragraph of its definition, with language marks; a
figure link has no tooltip; every tooltip file in the site is one a page loads."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.errors import ExtensionError

from cyberspace_edition import edition
from cyberspace_edition.extension import tooltips

PREFIX = "selector_to_html = "
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")


def _tips(script: Path) -> dict[str, str]:
    """The selector -> HTML map of one of sphinx-tippy's files (empty file: a page without tips)."""
    text = script.read_text(encoding="utf-8")
    if not text:
        return {}
    first = text.split("\n", 1)[0]
    assert first.startswith(PREFIX), f"{script}:1: not sphinx-tippy's 'selector_to_html = {{...}}' line"
    return json.loads(first[len(PREFIX):])


def _loaded(built: Path) -> dict[Path, list[str]]:
    """Each tooltip file a page loads -> the pages that load it."""
    out: dict[Path, list[str]] = {}
    for page in sorted(built.rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for script in soup.find_all("script", src=True):
            if "_static/tippy/" in script["src"]:
                target = (page.parent / script["src"].split("?")[0]).resolve()
                out.setdefault(target, []).append(str(page.relative_to(built)))
    return out


@pytest.fixture(scope="module")
def loaded(built):
    return _loaded(built)


def test_every_tooltip_file_is_one_a_page_loads(built, loaded):
    folder = built / "_static" / "tippy"
    files = sorted(p.resolve() for p in folder.rglob("*.js"))
    assert files, f"{folder}: no tooltip files; is sphinx-tippy still in _config.yml?"
    unloaded = [str(p.relative_to(built.resolve())) for p in files if p not in loaded]
    assert not unloaded, (f"_build/html: tooltip files no page loads, left by an earlier build "
                          f"(extension/tooltips.py remove_unreferenced): {unloaded[:10]}")
    missing = [f"{pages[0]} loads {p}" for p, pages in loaded.items() if not p.is_file()]
    assert not missing, f"_build/html: pages load tooltip files that are not there: {missing[:10]}"


def test_no_figure_or_table_is_copied_into_a_tooltip(built, loaded):
    figure_links = 0
    for script, pages in sorted(loaded.items()):
        tips = _tips(script)
        for page in pages:
            soup = BeautifulSoup((built / page).read_text(encoding="utf-8"), "html.parser")
            figures = {f["id"] for f in soup.select("figure[id], table[id]")}
            for a in soup.select("article.bd-article a[href^='#']"):
                if a["href"][1:] in figures:
                    figure_links += 1
                    assert f'a[href="{a["href"]}"]' not in tips, (
                        f"_build/html/{page}: the link to {a['href']} has a tooltip ({script.name}); "
                        "a figure link leads to the figure")
        for selector, html in tips.items():
            assert not re.match(r"\s*<(figure|table)\b", html), (
                f"{script}: the tooltip for {selector} copies a whole {html[1:7]}")
    assert figure_links, "no page links to one of its figures any more: the check above tests nothing"


def _plain(text: str) -> str:
    """Words only: Markdown links, emphasis and escapes out, quotes of either kind out (Sphinx
    makes "straight" quotes curly), whitespace collapsed."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[*_`\\'\"‘’“”]", "", text)
    return " ".join(text.split())


def test_a_glossary_tooltip_shows_the_term_its_name_line_and_the_definitions_first_paragraph(loaded):
    terms = {t.anchor: t for t in edition.load_glossary().values()}
    seen = set()
    for script in sorted(loaded):
        for selector, html in _tips(script).items():
            m = re.search(r'glossary\.html#(term-[\w-]+)"\]$', selector) or re.search(r'^a\[href="#(term-[\w-]+)"\]$', selector)
            if not m or m.group(1) not in terms:
                continue
            term, where = terms[m.group(1)], f"{script}: tooltip for {m.group(1)} ({edition.GLOSSARY_FILE.name})"
            seen.add(term.anchor)
            soup = BeautifulSoup(html, "html.parser")
            dt, dd = soup.find("dt"), soup.find("dd")
            assert dt is not None and dd is not None, f"{where}: no <dt>/<dd>: {html[:200]}"
            assert dt.get_text().strip() == term.zh and dt.get("lang") == "zh-Hans", (
                f"{where}: the term is not {term.zh!r} marked lang=zh-Hans: {dt}")
            assert dd.get("lang") == "en", f"{where}: the definition is not marked lang=en"
            paragraphs = dd.find_all("p", recursive=False)
            assert len(paragraphs) == 2, f"{where}: {len(paragraphs)} paragraphs, expected the name line and the definition"
            name, definition = (" ".join(p.get_text().split()) for p in paragraphs)
            assert term.pinyin in name and _plain(term.en) in _plain(name), (
                f"{where}: the name line lacks the reading {term.pinyin!r} or the name {term.en!r}: {name!r}")
            assert _plain(definition) == _plain(term.definition), (
                f"{where}: the tooltip's definition is not the entry's: {definition[:120]!r}")
            for text in soup.find_all(string=CJK):
                marked = text.find_parent(attrs={"lang": True})
                assert marked is not None and marked["lang"] == "zh-Hans", (
                    f"{where}: Chinese {text.strip()[:20]!r} is inside lang={marked and marked['lang']!r}")
    used = {a for a in terms if any(f"glossary.html#{a}\"" in p.read_text(encoding="utf-8") for p in loaded)}
    assert seen and used <= seen, f"glossary terms linked from a page without a checked tooltip: {sorted(used - seen)[:10]}"


ENTRY = ('<dt class="glossary-entry glossary-category-place" id="term-x" lang="zh-Hans">某地</dt>'
         '<dd class="glossary-entry" lang="en">{}</dd>')


def test_the_tooltip_keeps_the_name_line_and_definition_and_drops_the_rest():
    html = ENTRY.format('<p><em>Mǒudì</em> · <strong>Someplace</strong> · place</p><p>A place (<span lang="zh-Hans">某地</span>).</p>'
                        '<p>Related: <a href="#term-y">y</a></p><p>In the text: ¶1</p>')
    assert tooltips.glossary_tip(html) == (
        '<dt lang="zh-Hans">某地</dt><dd lang="en"><p><em>Mǒudì</em> · <strong>Someplace</strong> · place</p>'
        '<p>A place (<span lang="zh-Hans">某地</span>).</p></dd>')
    assert tooltips.glossary_tip("<dt id='other'>term</dt><dd><p>not the glossary's</p></dd>") is None


@pytest.mark.parametrize("body, message", [
    ("<p><em>Mǒudì</em> · <strong>Someplace</strong></p>", r"'某地' has no name line and definition"),
    ("<p>Someplace</p><p>A place.</p>", r"'某地': the first paragraph is not the name line"),
    ("<p><em>Mǒudì</em> · <strong>Someplace</strong></p><p>In the text: ¶1</p>", r"'某地': the second paragraph is not the definition"),
])
def test_a_glossary_entry_of_another_shape_stops_the_build(body, message):
    with pytest.raises(ExtensionError, match=r"back/glossary: glossary entry " + message):
        tooltips.glossary_tip(ENTRY.format(body))


@pytest.mark.build
def test_a_rebuild_after_an_edit_keeps_the_tooltips_and_leaves_no_old_file(tmp_path):
    """A contributor edits one chapter and runs `make book` again: only that chapter is written, under
    a new file name for its tooltips; its glossary tooltips stay (the glossary page is not written
    again: tooltips.restore_pages) and its old tooltip file is not left in the site."""
    from cyberspace_edition.workcopy import build, copy_book

    book = copy_book(tmp_path / "book")
    out = tmp_path / "out"
    html = out / "_build" / "html"
    chapter = "chapters/s3-3-governance"

    def chapter_script() -> Path:
        found = [p for p in _loaded(html) if f"{chapter}." in p.as_posix()]
        assert len(found) == 1, f"{html}/{chapter}.html: loads {len(found)} tooltip files, expected 1"
        return found[0]

    first = build(book, out)
    assert first.returncode == 0, f"build failed:\n{first.stdout[-3000:]}\n{first.stderr[-3000:]}"
    old = chapter_script()
    before = _tips(old)
    assert any("glossary.html#term-" in s for s in before), f"{old}: no glossary tooltip after a clean build"
    source = book / f"{chapter}.md"
    source.write_text(source.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    second = build(book, out)
    assert second.returncode == 0, f"rebuild failed:\n{second.stdout[-3000:]}\n{second.stderr[-3000:]}"
    new = chapter_script()
    assert new != old and not old.exists(), f"{html}: the edited chapter's old tooltip file {old.name} is still there"
    lost = sorted(set(before) - set(_tips(new)))
    assert not lost, f"{new}: tooltips lost after a rebuild that wrote {chapter} alone: {lost[:5]}"
    _check_files(html, "after a rebuild")
    # the edit undone: the inputs are those of the first build again, and so are the file names
    source.write_text(source.read_text(encoding="utf-8")[:-1], encoding="utf-8")
    third = build(book, out)
    assert third.returncode == 0, f"rebuild failed:\n{third.stdout[-3000:]}\n{third.stderr[-3000:]}"
    assert chapter_script() == old and _tips(old) == before, f"{html}/{chapter}.html: other tooltips after the edit was undone"
    _check_files(html, "after the edit was undone")


def _check_files(html: Path, when: str) -> None:
    loaded = _loaded(html)
    missing = sorted(f"{pages[0]} -> {p.name}" for p, pages in loaded.items() if not p.is_file())
    assert not missing, f"{html}: pages load tooltip files that are not there {when}: {missing[:5]}"
    unloaded = [p.name for p in (html / "_static" / "tippy").rglob("*.js") if p.resolve() not in loaded]
    assert not unloaded, f"{html}/_static/tippy: files no page loads {when}: {unloaded[:10]}"


def test_the_installed_sphinx_tippy_is_the_one_the_workarounds_were_written_for():
    import sphinx_tippy

    assert sphinx_tippy.__version__ == tooltips.TIPPY_VERSION, (
        f"src/cyberspace_edition/extension/tooltips.py: written for sphinx-tippy {tooltips.TIPPY_VERSION}, "
        f"{sphinx_tippy.__version__} is installed: check each workaround there (what a glossary tooltip copies, "
        "its cleanup glob, when it collects a page's data) and reproducibility.py, then update TIPPY_VERSION")


@pytest.mark.parametrize("src", ["../_static/tippy/chapters/s3-3-governance.2b128c37-5f09-127f-316e-83e98aea6017.js",
                                 "../_static/tippy/chapters/s3-3-governance.2b128c37-5f09-127f-316e-83e98aea6017.js?v=63b61031"])
def test_a_tooltip_script_counts_as_loaded_with_or_without_sphinxs_checksum(src):
    """Sphinx adds ?v=<checksum> when the file is there as the page is written (a build of inputs
    seen before): such a page still loads its file, which must not be removed."""
    page = f'<script defer="defer" src="{src}"></script>'
    assert tooltips.tooltip_scripts(page) == [src.split("?")[0]]


def test_a_build_that_wrote_no_page_leaves_the_tooltip_files_and_saved_data_alone(tmp_path, monkeypatch):
    """Nothing changed, nothing written: no tooltip file is written again or removed, and the data
    saved for the next build is kept (a no-change rebuild stays under 2 s)."""
    import sphinx_tippy
    from types import SimpleNamespace

    app = SimpleNamespace(builder=SimpleNamespace(format="html", name="html"), doctreedir=str(tmp_path),
                          outdir=str(tmp_path / "html"), env=SimpleNamespace(all_docs={"index": 0}))
    saved = tooltips._saved(app)
    saved.write_bytes(b"the last build's data")
    (tmp_path / "html" / "_static" / "tippy").mkdir(parents=True)
    kept = tmp_path / "html" / "_static" / "tippy" / "index.0.js"
    kept.write_text("selector_to_html = {}", encoding="utf-8")
    monkeypatch.setattr(sphinx_tippy, "get_tippy_data", lambda app: {"pages": {}})
    tooltips.restore_pages(app, None)
    assert tooltips.unchanged(app), "a build that wrote no page is not seen as unchanged"
    tooltips.save_pages(app, None)
    tooltips.remove_unreferenced(app, None)
    assert saved.read_bytes() == b"the last build's data", "the saved tooltip data was overwritten by nothing"
    assert kept.is_file(), "a tooltip file was removed by a build that wrote no page"
