"""What the build reads, said once: the inputs of the book, of each directive, of the notebooks.

- ``book_files()``: every input of the book (the data, the pages, the table of contents, the
  configuration, this package). Its digest names the tooltip files and decides whether the
  downloads are written again.
- ``READS``: the data files each directive and role of the extension reads (or the ``Part`` of
  them it shows). A page that uses one is read again when one of those changed, and only then
  (``extension/dependencies.py`` notes them as the page's dependencies).
- ``notebook_key()``: what the code cells of a notebook page read (the chart data, where each
  paragraph is placed, the package's modules outside the Sphinx extension). It is part of each
  notebook's key in the execution cache, so a notebook runs again exactly when one of them changed.
- ``extension_key()``: the code Sphinx runs; when it changes, Sphinx reads every page again.

Paths are taken from the loaders that read them, so a file moved there moves here.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from . import edition, text
from .paths import DATA, ROOT

PACKAGE = Path(__file__).parent
# folders of the package that the build copies into the site as they are (Sphinx compares them
# itself): a change there rewrites no page
COPIED = ("static", "assets", "vendor", "templates")
FACTS_FILE = DATA / "facts.csv"  # facts.FACTS_FILE, named here without importing pandas
EXTERNAL = DATA / "external"


# --- what the loaders read -------------------------------------------------------------------

def text_files() -> tuple[Path, ...]:
    """text.load_text(): the source, its ids and the editorial decisions."""
    return (text.SOURCE_FILE, text.IDS_FILE, text.DECISIONS_FILE)


def facts_files() -> tuple[Path, ...]:
    """facts.load_facts(): the ledger, its quotes checked against the text."""
    return (FACTS_FILE, *text_files())


def glossary_files() -> tuple[Path, ...]:
    """edition.load_glossary(): every form of a term is checked against the text."""
    return (edition.GLOSSARY_FILE, *text_files())


def translation_files(chapter: str | None = None) -> tuple[Path, ...]:
    """The English of one chapter (or of all, for the translator's notes page)."""
    chapters = [chapter] if chapter else edition.CHAPTERS
    return (*(edition.TRANSLATION_DIR / f"{c}.yaml" for c in chapters), *text_files())


def annotation_files(chapter: str | None = None) -> tuple[Path, ...]:
    """edition.load_annotations(): notes and guide of one chapter (or all), their {fact}s checked
    against the ledger and their sources against the registry of primary documents."""
    chapters = [chapter] if chapter else edition.CHAPTERS
    return (*(edition.ANNOTATIONS_DIR / f"{c}.yaml" for c in chapters), *facts_files(),
            edition.PRIMARY_FILE)


@dataclass(frozen=True)
class Part:
    """The part of some data files that certain pages show. Those pages depend on it rather than
    on the whole files, so an edit elsewhere in the files reads none of them again (a glossary
    definition is shown on the glossary page only; the chapters show the terms' names). The build
    keeps each part as a small file, rewritten only when its content changes."""

    name: str
    compute: Callable[[], str]


GLOSSARY_NAMES = Part("glossary-names", lambda: repr(sorted(
    (t.key, t.zh, tuple(t.variants), t.en, tuple(t.not_inside)) for t in edition.load_glossary().values())))
TRANSLATOR_NOTES = Part("translator-notes", lambda: repr(edition.load_translation().notes))


def _page_annotations(page: str) -> str:
    """The notes on the paragraphs one page of a chapter places, and the chapter's guide on the
    pages that show it (the first, the reading guide; the last, its questions), as written in the
    chapter's notes file. Read, not checked (the page that shows them checks them, and checking
    would import pandas for the facts on every build, a fifth of a no-change rebuild); a note on
    no paragraph of the chapter (a mistake) is every page's, so that the mistake stops the build."""
    from .datafiles import read_yaml

    chapter = next(c for c in edition.load_chapters() if page in c.files)
    path = edition.ANNOTATIONS_DIR / f"{chapter.id}.yaml"
    data = read_yaml(path) if path.is_file() else None
    if not isinstance(data, dict):
        return repr(data)
    pages = edition.chapter_pages(chapter.id)
    here, everywhere = set(dict(pages)[page]), {i for _, ids in pages for i in ids}
    notes = [n for n in data.get("notes") or []
             if not isinstance(n, dict) or n.get("paragraph") in here or n.get("paragraph") not in everywhere]
    rest = {k: v for k, v in data.items() if k != "notes"}  # the guide, and any key the loader refuses
    return repr((notes, rest if page in (chapter.file, chapter.files[-1]) or set(rest) - {"guide"} else None))


@functools.lru_cache(maxsize=None)
def annotations_part(page: str) -> Part:
    """A chapter's notes as one of its pages shows them: a note edited on one page of a chapter
    published over several (data/chapters.yaml, continued:) reads that page again, not the others."""
    return Part(f"annotations-{page.replace('/', '--')}", lambda: _page_annotations(page))


def page_annotation_inputs(page: str) -> tuple[Path | Part, ...]:
    """annotation_files() of one page: its Part of the notes, and what the notes' {fact}s and
    sources are checked against."""
    return (annotations_part(page), *facts_files(), edition.PRIMARY_FILE)


def _section_annotations(heading: str) -> tuple[Path | Part, ...]:
    page = edition.paragraph_pages().get(heading.strip())
    return page_annotation_inputs(page) if page else annotation_files(_chapter(heading))


PARTS = (GLOSSARY_NAMES, TRANSLATOR_NOTES,
         *(annotations_part(f) for c in edition.load_chapters() if c.kind == "chapter" for f in c.files))


def _chapter(arg: str) -> str:
    return edition.chapter_of(arg.strip())


# --- what each directive and role reads --------------------------------------------------------

# name -> (argument -> files and parts). The argument is the directive's argument or the role's text.
READS: dict[str, Callable[[str], Iterable[Path | Part]]] = {
    # text_placement
    "source-heading": lambda a: translation_files(_chapter(a)),  # its English, added when written
    "editorial-heading": lambda a: text_files(),  # supplied headings live in the decisions file
    # a continued page's running head: the chapter's heading and its English; the pages' list under it
    "continued-heading": lambda a: (*translation_files(_chapter(a)), edition.CHAPTERS_FILE),
    # the paragraphs under a heading: text, English, notes, linked and indexed terms, and the
    # registry that says on which page they stand
    # (the notes of the paragraphs on that page only: annotations_part)
    "source-section": lambda a: (*translation_files(_chapter(a)), *_section_annotations(a),
                                 GLOSSARY_NAMES, edition.CHAPTERS_FILE),
    # apparatus: the guide opens a chapter's first page, its questions end the last
    "reading-guide": lambda a: (*page_annotation_inputs(edition.chapter(a.strip()).file),
                                *translation_files(a.strip()),
                                GLOSSARY_NAMES),  # key terms, reading time in both languages
    "discussion-questions": lambda a: page_annotation_inputs(edition.chapter(a.strip()).files[-1]),
    "edition-glossary": lambda a: glossary_files(),  # where each term occurs is read from the text
    "translator-notes": lambda a: (TRANSLATOR_NOTES, *text_files()),
    "editorial-log": lambda a: text_files(),
    "fact": lambda a: facts_files(),
    # further_reading
    "further-reading": lambda a: (edition.FURTHER_READING_FILE, *text_files()),
    "edition-bibliography": lambda a: (edition.FURTHER_READING_FILE, *annotation_files()),
    # downloads: the READMEs that document the columns (and the schema, in the package)
    "data-fields": lambda a: (DATA / "README.md", EXTERNAL / "README.md"),
    # paper: decided when written, from the PDF (paper.outdated_by_pdf)
    "edition-pdf": lambda a: (),
    # citation: the edition's citation (CITATION.cff) and the paragraph it cites as an example
    "edition-citation": lambda a: (ROOT / "CITATION.cff", *text_files()),
    # assignments: the form is filled in when written, from where each page places its paragraphs
    # (assignments.builder_outdated); the ids come from the text
    "assignment-builder": lambda a: text_files(),
}


# --- the notebooks ---------------------------------------------------------------------------

def _package_files(*, code: bool) -> list[Path]:
    """The package's files: all of them (code=False), or what runs (not the copied folders)."""
    out = []
    for p in sorted(PACKAGE.rglob("*")):
        rel = p.relative_to(PACKAGE).parts
        if not p.is_file() or "__pycache__" in rel or p.suffix == ".pyc":
            continue
        if code and rel[0] in COPIED:
            continue
        out.append(p)
    return out


def copied_files() -> list[Path]:
    """The package's files that Sphinx copies or renders rather than runs: static, assets, vendor,
    templates (COPIED)."""
    return [p for p in _package_files(code=False) if p.relative_to(PACKAGE).parts[0] in COPIED]


def notebook_files() -> list[Path]:
    """Files the code cells read: the ledger and the outside data (with the text their quotes
    are checked against) and the package's modules outside the Sphinx extension."""
    data = [*facts_files(), *sorted(p for p in EXTERNAL.glob("*.csv"))]
    code = [p for p in _package_files(code=True) if p.relative_to(PACKAGE).parts[0] != "extension"]
    return [*data, *code, ROOT / "pyproject.toml"]


def notebook_key() -> str:
    """Digest of what the code cells read, and of where each paragraph is published (the
    charts link points to their paragraphs' pages)."""
    placement = sorted(edition.paragraph_pages().items())
    return digest(notebook_files(), extra=repr(placement))


def extension_key() -> str:
    """Digest of the code Sphinx runs (the package without its copied folders) and of the
    package's metadata (its version is shown in the book)."""
    return digest([*_package_files(code=True), ROOT / "pyproject.toml"])


# --- the whole book ----------------------------------------------------------------------------

def data_files() -> list[Path]:
    """Every file under data/."""
    return [p for p in sorted(DATA.rglob("*")) if p.is_file()]


def book_files() -> list[Path]:
    """Every input of the book: data, pages, table of contents, configuration, this package."""
    pages = [p for folder in ("chapters", "front", "back") for p in sorted((ROOT / folder).glob("*.md"))]
    data = data_files()
    config = [ROOT / name for name in ("index.md", "_toc.yml", "_config.yml", "pyproject.toml")]
    return [*data, *pages, *config, *_package_files(code=False)]


@functools.lru_cache(maxsize=1)
def book_key() -> str:
    """Digest of book_files(), once per process (a build reads its inputs once)."""
    return digest(book_files())


def digest(paths: Iterable[Path], extra: str = "") -> str:
    """SHA-256 over the files' paths (relative to the book) and contents; a missing file counts
    as missing."""
    h = hashlib.sha256()
    for p in sorted(set(paths)):
        h.update(p.relative_to(ROOT).as_posix().encode() + b"\0")
        h.update(p.read_bytes() if p.is_file() else b"(missing)")
        h.update(b"\0")
    h.update(extra.encode())
    return h.hexdigest()
