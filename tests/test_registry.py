"""The chapter registry (data/chapters.yaml) is the one place a chapter is named: the table of
contents, the chapter files and the paragraph ids agree with it, and a bad entry stops the build
with its file and line. Fast: no build needed."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
import yaml

from cyberspace_edition import edition, text
from cyberspace_edition.errors import DataError

from .conftest import ROOT

TOC = ROOT / "_toc.yml"


def _toc_text_part() -> tuple[dict, int]:
    """The part of _toc.yml that holds the chapter files, and its line."""
    toc = yaml.safe_load(TOC.read_text(encoding="utf-8"))
    files = {c.file for c in edition.load_chapters()}
    for part in toc.get("parts", []):
        if any(e.get("file") in files for e in part.get("chapters", [])):
            line = next(n for n, s in enumerate(TOC.read_text(encoding="utf-8").splitlines(), 1)
                        if part["caption"] in s)
            return part, line
    pytest.fail(f"{TOC}: no part lists the chapters of {edition.CHAPTERS_FILE}")


def test_the_table_of_contents_lists_the_registry_in_its_order():
    """_toc.yml stays Jupyter Book's table of contents; the part that holds the text lists exactly
    the registry's pages, in its order, each chapter under the part page whose id opens its own and
    a long chapter's further pages (continued) under its first."""
    part, line = _toc_text_part()
    chapters = edition.load_chapters()
    parts = [c for c in chapters if c.kind == "part"]

    def owner(c):
        return next((p.file for p in parts if c.id.startswith(p.id + "-")), None)

    def entry(c):
        """A chapter's first page, with its further pages (continued) or its part's chapters under it."""
        below = ([entry(s) for s in chapters if owner(s) == c.file] if c.kind == "part"
                 else [{"file": f} for f in c.files[1:]])
        return {"file": c.file, **({"sections": below} if below else {})}

    def shape(e):
        return {"file": e["file"], **({"sections": [shape(s) for s in e["sections"]]} if "sections" in e else {})}

    expected = [entry(c) for c in chapters if owner(c) is None]
    got = [shape(e) for e in part["chapters"]]
    assert got == expected, (f"{TOC}:{line}: the part {part['caption']!r} lists {got}, but "
                             f"{edition.CHAPTERS_FILE} gives {expected}: change both together")


def test_every_chapter_file_is_in_the_registry():
    files = {f for c in edition.load_chapters() for f in c.files}
    on_disk = {f"chapters/{p.stem}" for p in (ROOT / "chapters").glob("*.md") if p.name != "README.md"}
    assert on_disk == files, (f"{edition.CHAPTERS_FILE}: chapter files not registered {sorted(on_disk - files)}, "
                              f"registered but missing {sorted(files - on_disk)}")


def test_the_prefix_rule_agrees_with_the_section_column_of_the_paragraph_ids():
    """chapter_of() reads a block's chapter from its id; paragraph_ids.csv also gives each block's
    section: both must name the same chapter."""
    with text.IDS_FILE.open(encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.DictReader(fh), 2):
            assert edition.chapter_of(row["id"]) == edition.chapter_of(row["section"]), (
                f"{text.IDS_FILE}:{n}: {row['id']} is in section {row['section']} of chapter "
                f"{edition.chapter_of(row['section'])}, but its id puts it in {edition.chapter_of(row['id'])}")


def test_each_chapter_file_places_only_its_own_sections():
    """Checked by the build too ({source-section} on another chapter's page stops it); read here
    from the files, so that a wrong page is found without a build."""
    pages = edition.paragraph_pages()
    for page in (f for c in edition.load_chapters() for f in c.files):
        path = ROOT / f"{page}.md"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            m = re.match(r"```\{source-section\}\s+(\S+)", line)
            if m:
                assert pages.get(m[1]) == page, (
                    f"{path}:{n}: places {m[1]}, which {edition.CHAPTERS_FILE.name} gives to {pages.get(m[1])}")


def test_block_references_in_notes_are_the_text_ids():
    for block in text.load_text().blocks:
        assert edition.BLOCK_REF.fullmatch(f"[{block.id}]"), f"BLOCK_REF does not match [{block.id}]"
    for not_a_block in ("[sic]", "[1]", "[s3-2-p03](https://example.org)", "[x3-2-p03]"):
        assert not edition.BLOCK_REF.fullmatch(not_a_block), f"BLOCK_REF matches {not_a_block}"


# --- bad registries: each error names the file and the line ------------------------------------

def _bad(tmp_path: Path, old: str, new: str) -> Path:
    path = tmp_path / "chapters.yaml"
    source = edition.CHAPTERS_FILE.read_text(encoding="utf-8")
    assert old in source, f"{edition.CHAPTERS_FILE}: the test expects {old!r}"
    path.write_text(source.replace(old, new, 1), encoding="utf-8")
    return path


def _line(path: Path, needle: str) -> int:
    return next(n for n, s in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in s)


@pytest.mark.parametrize("old, new, where, message", [
    ("file: chapters/s3-2-cybersecurity\n", "file: chapters/s3-2-security\n", "s3-2-security",
     r"no file chapters/s3-2-security\.md"),
    ("- id: s3-3\n", "- id: s3-3-1\n", "id: s3-3-1", r"'s3-3-1' is not the id of a part, section or conclusion"),
    ("  en: Governance\n", "  en: Governance\n  title: Governance\n", "title:", r"unknown field 'title'"),
    ("  kind: part\n", "  kind: appendix\n", "kind: appendix", r"kind 'appendix' is neither chapter nor part"),
    ("  zh: 结束语\n", "", "id: concl", r"chapter 'concl' lacks zh"),
    ("      file: chapters/s3-3-2-exchanges\n", "      file: chapters/s3-3-2-talks\n", "s3-3-2-talks",
     r"no file chapters/s3-3-2-talks\.md"),
    ("    - from: s3-3-2\n", "    - from: s3-3-p14\n", "s3-3-p14",
     r"from: 's3-3-p14' is not the id of a heading of chapter s3-3"),
    ("    - from: s4-6\n", "    - from: s3-2-1\n", "from: s3-2-1",
     r"from: 's3-2-1' is not the id of a heading of chapter s4"),
    ("    - from: s3-3-3\n", "    - from: s3-3-1\n", "from: s3-3-1",
     r"from: s3-3-1 comes before s3-3-2: give the pages in the text's order"),
])
def test_a_bad_entry_is_refused_with_its_line(tmp_path, old, new, where, message):
    path = _bad(tmp_path, old, new)
    with pytest.raises(DataError, match=rf"chapters\.yaml:{_line(path, where)}: {message}"):
        edition.load_chapters.__wrapped__(path)


def test_a_chapter_out_of_reading_order_is_refused(tmp_path):
    source = edition.CHAPTERS_FILE.read_text(encoding="utf-8")
    a = source.index("- id: s3-2\n")
    b = source.index("- id: s3-3\n")
    path = tmp_path / "chapters.yaml"
    path.write_text(source[:a] + source[b:source.index("- id: s3-4\n")] + source[a:b]
                    + source[source.index("- id: s3-4\n"):], encoding="utf-8")
    with pytest.raises(DataError, match=r"chapters\.yaml:1: the chapters are not in the text's reading order"):
        edition.load_chapters.__wrapped__(path)


def test_a_block_without_a_chapter_is_refused_at_its_paragraph_id(tmp_path):
    source = edition.CHAPTERS_FILE.read_text(encoding="utf-8")
    path = tmp_path / "chapters.yaml"
    path.write_text(source[:source.index("- id: concl\n")], encoding="utf-8")
    first = _line(text.IDS_FILE, "concl,conclusion")
    with pytest.raises(DataError, match=rf"paragraph_ids\.csv:{first}: concl belongs to no chapter"):
        edition.load_chapters.__wrapped__(path)


def test_the_source_checksum_is_written_once():
    """data/source/SHA256SUMS is the one place the source's SHA-256 is written: the loader reads it,
    the Note on the text shows it as {{ source_sha256 }}."""
    import subprocess

    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    written = [f for f in files if f != "data/source/SHA256SUMS" and (ROOT / f).is_file()
               and text.SOURCE_SHA256 in (ROOT / f).read_text(encoding="utf-8", errors="replace")]
    assert not written, f"the source's SHA-256 is typed again in {written}: write {{{{ source_sha256 }}}} " \
                        f"(a page) or read text.SOURCE_SHA256 (code)"


# --- {source-section} on small fixture pages (Sphinx's dummy builder, no notebooks) ---------------

CONF = 'extensions = ["myst_parser", "cyberspace_edition.extension"]\nmyst_enable_extensions = ["substitution"]\n'


def _sphinx(tmp_path: Path, pages: dict[str, str], env: list | None = None):
    """Read fixture pages with the edition's extension; the DataError it stops with, if any
    (and Sphinx's environment, appended to ``env``)."""
    from sphinx.testing.util import SphinxTestApp

    src = tmp_path / "src"
    for name, body in {"conf.py": CONF, "index.md": "# Index\n\n```{toctree}\n" + "\n".join(
            p.removesuffix(".md") for p in pages) + "\n```\n", **pages}.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(body, encoding="utf-8")
    app = SphinxTestApp("dummy", srcdir=src, builddir=tmp_path / "build")
    if env is not None:
        env.append(app.env)
    try:
        app.build()
    except Exception as exc:  # a handler's DataError reaches us wrapped in Sphinx's ExtensionError
        while not isinstance(exc, DataError) and exc.__cause__ is not None:
            exc = exc.__cause__
        if isinstance(exc, DataError):
            return exc
        raise
    finally:
        app.cleanup()
    return None


S3_2 = "(s3-2)=\n# {source-heading}`s3-2`\n\n```{source-section} s3-2\n```\n\n(s3-2-1)=\n## {source-heading}`s3-2-1`\n\n"


@pytest.mark.parametrize("page, body, message", [
    ("chapters/s3-2-cybersecurity.md", S3_2 + "```{source-section} s3-2-2\n```\n",
     r"s3-2-cybersecurity\.md:10: \{source-section\} s3-2-2 must follow its own heading; the heading above it is s3-2-1"),
    ("chapters/s3-2-cybersecurity.md", S3_2 + "```{source-section} s3-2-1\n:until: s3-2-p04\n```\n",
     r"s3-2-cybersecurity\.md:10: :until: s3-2-p04 is not among the paragraphs of s3-2-1 left to place"),
    ("chapters/s3-3-governance.md", S3_2,
     r"chapters\.yaml:\d+: chapters/s3-3-governance:2: s3-2 belongs to chapter s3-2, whose page is "
     r"chapters/s3-2-cybersecurity, not chapters/s3-3-governance"),
    ("chapters/s3-3-governance.md", "(s3-3-3)=\n# {source-heading}`s3-3-3`\n\n```{source-section} s3-3-3\n```\n",
     r"chapters\.yaml:\d+: chapters/s3-3-governance:2: s3-3-3 belongs to chapter s3-3, whose page is "
     r"chapters/s3-3-3-world-internet-conference, not chapters/s3-3-governance"),
])
def test_source_section_refuses_a_misplaced_section(tmp_path, page, body, message):
    error = _sphinx(tmp_path, {page: body})
    assert error is not None and re.search(message, str(error)), f"expected {message!r}, got {error}"


def test_every_block_must_be_placed(tmp_path):
    """One chapter page that places its first section in two parts around a chart: the build then
    stops at the end of reading, naming every block no page placed, and only those."""
    body = S3_2 + "```{source-section} s3-2-1\n:until: s3-2-p02\n```\n\nA chart.\n\n```{source-section} s3-2-1\n```\n"
    error = _sphinx(tmp_path, {"chapters/s3-2-cybersecurity.md": body})
    assert error is not None and "text placed wrongly in the chapters" in str(error), error
    missing = set(re.search(r"missing \[([^\]]*)\]", str(error))[1].replace("'", "").split(", "))
    assert {"s3-2-p01", "s3-2-p02", "s3-2-p03", "s3-2", "s3-2-1"}.isdisjoint(missing), missing
    assert {"s3-1-p01", "s3-2-2", "s3-2-p04", "concl-dateline", "s3"} <= missing, missing


def test_the_glossary_registers_each_name_of_a_term_at_its_anchor(tmp_path):
    """{term} finds an entry by its Chinese term, its variants and its English name, each leading
    to the entry's stable anchor term-KEY (registered through Sphinx's make_glossary_term)."""
    env: list = []
    _sphinx(tmp_path, {"back/glossary.md": "# Glossary\n\n```{edition-glossary}\n```\n"}, env)
    objects = env[0].get_domain("std").objects
    terms = edition.load_glossary()
    assert len(terms) > 100
    for term in terms.values():
        assert objects.get(("term", term.zh)) == ("back/glossary", term.anchor), f"{term.zh}: not registered"
        for other in [*term.variants, term.en]:
            found = next((v for (kind, name), v in objects.items() if kind == "term" and name.lower() == other.lower()), None)
            assert found is not None and found[0] == "back/glossary", f"{term.key}: {other!r} is no {{term}} target"
