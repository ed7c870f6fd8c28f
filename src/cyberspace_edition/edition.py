"""The edition's layers beside the text: English rendering, glossary, notes and guides.

Each layer is read from its data file once, checked against the text, and
returned as plain Python objects.  Any problem raises DataError with file:line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .datafiles import key_line, read_yaml
from .errors import DataError
from .paths import DATA, ROOT
from .text import HEADING_KINDS, load_text

TRANSLATION_DIR = DATA / "translation"
GLOSSARY_FILE = DATA / "glossary.yaml"
ANNOTATIONS_DIR = DATA / "annotations"
CHAPTERS_FILE = DATA / "chapters.yaml"

GLOSSARY_CATEGORIES = {
    "organisation", "mechanism-or-forum", "document-or-initiative", "event",
    "programme-or-platform", "concept", "place",
}
NOTE_KINDS = {"context", "editorial", "discrepancy", "perspectives"}
WHITE_PAPER_DATE = "2022-11-07"  # positions dated later are labelled "after the white paper"
MARGIN_WORDS = 60  # a longer note becomes a dropdown
MAX_NOTE_WORDS = 130
READING_CHARS_PER_MINUTE = 300  # Chinese; a common figure for attentive reading
READING_WORDS_PER_MINUTE = 200  # English


FACT_ROLE = re.compile(r"\{fact\}`([^`]+)`")


def _check_facts(path: Path, line: int, text: str) -> None:
    """Every {fact}`id` in a note or guide names a row of data/facts.csv (the error names the line
    of the bad id, searched from ``line``, where its field starts)."""
    from .facts import load_facts

    ids = set(load_facts()["id"])
    for fid in FACT_ROLE.findall(text):
        if fid.strip() not in ids:
            raise DataError(path, _line_of(path, line, f"`{fid}`"), f"{{fact}} names no row of data/facts.csv: {fid!r}")


def _line_of(path: Path, start: int, needle: str) -> int:
    """The first line at or after ``start`` that holds ``needle`` (an id inside a folded text: ids hold
    no spaces, so YAML never wraps them), else ``start``: an error names the line to fix."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return next((n for n in range(max(start, 1), len(lines) + 1) if needle in lines[n - 1]), start)


def _field_line(path: Path, mapping, key: str) -> int:
    """The line of ``key:`` in a note or position read by read_yaml; its first line if the key is absent."""
    return key_line(path, mapping, key) if key in mapping else getattr(mapping, "line", 0)


def supplied_headings() -> dict[str, dict]:
    return {s["id"]: s for s in load_text().supplied}


# --- the chapter registry: data/chapters.yaml ---------------------------------------------------


@dataclass(frozen=True)
class Chapter:
    """A chapter of the text (with its translation, notes, guide and reading) or a part's opening,
    and the page or pages it is published on."""

    id: str
    file: str  # docname of its (first) page: chapters/s3-2-cybersecurity
    kind: str = "chapter"  # or "part"
    zh: str = ""
    en: str = ""
    line: int = 0
    # a long chapter goes on over more pages: (the heading that opens the page, its docname), in order
    continued: tuple[tuple[str, str], ...] = ()

    @property
    def name(self) -> str:
        """三（二）网络安全 Cybersecurity: the short title, in both languages."""
        return f"{self.zh} {self.en}"

    @property
    def files(self) -> tuple[str, ...]:
        """Every page of the chapter, in reading order."""
        return (self.file, *(f for _, f in self.continued))


CHAPTER_FIELDS = {"id", "kind", "zh", "en", "file", "continued"}


def _longest_prefix(block_id: str, ids) -> str:
    return max((c for c in ids if block_id == c or block_id.startswith(c + "-")), key=len, default="")


@lru_cache(maxsize=1)
def load_chapters(path: Path = CHAPTERS_FILE) -> tuple[Chapter, ...]:
    """The pages of the text in reading order, checked against the paragraph ids and the files."""
    from .text import DECISIONS_FILE, IDS_FILE, load_yaml, read_ids

    data = read_yaml(path)
    if not isinstance(data, list) or not data:
        raise DataError(path, 1, "expected a list of chapters: id, zh, en, file (and kind: part for a part's opening)")
    rows = read_ids()
    headings = {r["id"] for r in rows if r["kind"] in {"part", "section", "conclusion"}}
    headings |= {s["id"] for s in load_yaml(DECISIONS_FILE).get("supplied_headings", [])}
    out: list[Chapter] = []
    for entry in data:
        line = getattr(entry, "line", 0)
        if not isinstance(entry, dict):
            raise DataError(path, line, "each chapter is a mapping of id, zh, en, file")
        unknown = sorted(set(entry) - CHAPTER_FIELDS)
        if unknown:
            raise DataError(path, key_line(path, entry, unknown[0]),
                            f"unknown field {unknown[0]!r}; a chapter has {sorted(CHAPTER_FIELDS)}")
        kind = entry.get("kind", "chapter")
        if kind not in {"chapter", "part"}:
            raise DataError(path, key_line(path, entry, "kind"), f"kind {kind!r} is neither chapter nor part")
        need = ["id", "file"] + (["zh", "en"] if kind == "chapter" else [])
        missing = [k for k in need if not str(entry.get(k) or "").strip()]
        if missing:
            raise DataError(path, line, f"chapter {entry.get('id', '?')!r} lacks {', '.join(missing)}")
        cid, file = str(entry["id"]), str(entry["file"])
        if cid not in headings:
            raise DataError(path, key_line(path, entry, "id"),
                            f"{cid!r} is not the id of a part, section or conclusion heading in {IDS_FILE.name} "
                            f"or of a supplied heading in {DECISIONS_FILE.name}")
        if not (ROOT / f"{file}.md").is_file():  # the book's own pages (a test's copy of data/ has none)
            raise DataError(path, key_line(path, entry, "file"), f"no file {file}.md (give the path without .md)")
        continued = _continued_pages(path, entry, cid, rows)
        for other in out:
            if other.id == cid or set(other.files) & {file, *(f for _, f in continued)}:
                raise DataError(path, line, f"{cid} ({file}) repeats the chapter or a page of the chapter "
                                            f"on line {other.line}")
        out.append(Chapter(cid, file, kind, str(entry.get("zh") or ""), str(entry.get("en") or ""), line,
                           continued))
    ids = [c.id for c in out]
    for n, row in enumerate(rows, 2):
        if not _longest_prefix(row["id"], ids):
            raise DataError(IDS_FILE, n, f"{row['id']} belongs to no chapter of {path.name}: "
                                         f"no chapter id is a prefix of it")
    order = [_longest_prefix(r["id"], ids) for r in rows]
    seen = [c for i, c in enumerate(order) if c not in order[:i]]
    if [c for c in ids if c in seen] != seen:
        raise DataError(path, 1, f"the chapters are not in the text's reading order {seen}")
    return tuple(out)


def _continued_pages(path: Path, entry: dict, cid: str, rows: list[dict]) -> tuple[tuple[str, str], ...]:
    """``continued``: the further pages of a long chapter, each ``{from: <heading id>, file: <docname>}``;
    a page holds the text from its heading to the next page's (the first page, from the chapter's
    own heading). The headings are the chapter's own, in the text's order."""
    pages = entry.get("continued")
    if pages is None:
        return ()
    where = key_line(path, entry, "continued")
    if not isinstance(pages, list) or not pages:
        raise DataError(path, where, "continued: expected a list of pages, each with from (a heading id) and file")
    order = [r["id"] for r in rows]
    kinds = {r["id"]: r["kind"] for r in rows}
    out: list[tuple[str, str]] = []
    for page in pages:
        line = getattr(page, "line", where)
        if not isinstance(page, dict) or set(page) != {"from", "file"}:
            raise DataError(path, line, "each continued page is a mapping of exactly from and file")
        start, file = str(page["from"]), str(page["file"])
        if kinds.get(start) not in HEADING_KINDS or not start.startswith(cid + "-"):
            raise DataError(path, key_line(path, page, "from"),
                            f"from: {start!r} is not the id of a heading of chapter {cid} in paragraph_ids.csv")
        if out and order.index(start) <= order.index(out[-1][0]):
            raise DataError(path, key_line(path, page, "from"),
                            f"from: {start} comes before {out[-1][0]}: give the pages in the text's order")
        if not (ROOT / f"{file}.md").is_file():
            raise DataError(path, key_line(path, page, "file"), f"no file {file}.md (give the path without .md)")
        if file in {entry.get("file"), *(f for _, f in out)}:
            raise DataError(path, key_line(path, page, "file"), f"{file} is already a page of chapter {cid}")
        out.append((start, file))
    return tuple(out)


CHAPTERS = [c.id for c in load_chapters() if c.kind == "chapter"]
CHAPTER_NAMES = {c.id: c.name for c in load_chapters() if c.kind == "chapter"}
# [s3-3-p12] in a note, guide or reading: a block id in square brackets (not a Markdown link)
BLOCK_REF = re.compile(r"\[((?:%s)(?:-[a-z0-9]+)*)\](?!\()"
                       % "|".join(re.escape(c.id) for c in sorted(load_chapters(), key=lambda c: -len(c.id))))


def chapter_of(block_id: str) -> str:
    """The registered page a block belongs to: s3-2-p03 -> s3-2; s4-7-p01 -> s4; concl-p01 -> concl."""
    found = _longest_prefix(block_id, [c.id for c in load_chapters()])
    if not found:
        raise DataError(CHAPTERS_FILE, 0, f"{block_id!r} belongs to no chapter: no chapter id is a prefix of it")
    return found


def chapter(chapter_id: str) -> Chapter:
    return next(c for c in load_chapters() if c.id == chapter_id)


# --- English rendering -------------------------------------------------------


@dataclass
class TranslatorNote:
    term: str
    rendering: str
    note: str
    paragraphs: list[str]
    chapter: str


@dataclass
class Translation:
    text: dict[str, str]
    notes: list[TranslatorNote]


@lru_cache(maxsize=1)
def load_translation() -> Translation:
    """English text for every block, one YAML file per chapter."""
    blocks = load_text().by_id()
    text: dict[str, str] = {}
    notes: list[TranslatorNote] = []
    for chapter in CHAPTERS:
        path = TRANSLATION_DIR / f"{chapter}.yaml"
        if not path.exists():
            continue
        data = read_yaml(path)
        if not isinstance(data, dict) or not isinstance(data.get("text"), dict):
            raise DataError(path, 1, "expected a mapping with a 'text' mapping")
        for block_id, english in data["text"].items():
            line = key_line(path, data["text"], block_id)
            if block_id not in blocks:
                raise DataError(path, line, f"unknown paragraph id {block_id!r}")
            if chapter_of(block_id) != chapter:
                raise DataError(path, line, f"{block_id} belongs to chapter {chapter_of(block_id)}")
            if block_id in text:
                raise DataError(path, line, f"duplicate translation of {block_id}")
            if not isinstance(english, str) or not english.strip():
                raise DataError(path, line, f"empty translation of {block_id}")
            text[block_id] = " ".join(english.split())
        for note in data.get("notes") or []:
            for pid in note.get("paragraphs", []):
                if pid not in blocks:
                    raise DataError(path, note.line, f"translator's note cites unknown id {pid!r}")
            missing = [k for k in ("term", "rendering", "note") if not note.get(k)]
            if missing:
                raise DataError(path, note.line, f"translator's note lacks {missing}")
            notes.append(TranslatorNote(note["term"], note["rendering"], " ".join(note["note"].split()),
                                        list(note.get("paragraphs", [])), chapter))
    return Translation(text, notes)


# --- Glossary -----------------------------------------------------------------


@dataclass
class Term:
    key: str
    zh: str
    variants: list[str]
    pinyin: str
    en: str
    en_status: str
    category: str
    definition: str
    related: list[str]
    source_url: str = ""
    line: int = 0
    other_en: list[str] = field(default_factory=list)  # other English forms the edition uses
    not_inside: list[str] = field(default_factory=list)  # keys of terms whose characters only look like it
    en_source_quote: str = ""  # official names: the source's exact words that give the name
    en_source_name: str = ""  # the form of the name the quote gives, when it is a short form of `en`

    @property
    def forms(self) -> list[str]:
        return [self.zh, *self.variants]

    @property
    def anchor(self) -> str:
        return f"term-{self.key}"


GLOSSARY_REQUIRED = ["key", "zh", "pinyin", "en", "en_status", "category", "definition"]


@lru_cache(maxsize=1)
def load_glossary(path: Path = GLOSSARY_FILE) -> dict[str, Term]:
    if not path.exists():
        return {}
    data = read_yaml(path)
    if not isinstance(data, list):
        raise DataError(path, 1, "expected a list of entries")
    full_text = "".join(b.text for b in load_text().blocks)
    terms: dict[str, Term] = {}
    owner: dict[str, str] = {}
    for entry in data:
        line = getattr(entry, "line", 0)
        if not isinstance(entry, dict):
            raise DataError(path, line, "an entry must be a mapping")
        missing = [k for k in GLOSSARY_REQUIRED if not str(entry.get(k) or "").strip()]
        if missing:
            raise DataError(path, line, f"entry {entry.get('key', '?')!r} lacks {', '.join(missing)}")
        key = entry["key"]
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", key):
            raise DataError(path, line, f"key {key!r} is not lower-case ASCII with hyphens")
        if key in terms:
            raise DataError(path, line, f"duplicate key {key!r} (first on line {terms[key].line})")
        if entry["category"] not in GLOSSARY_CATEGORIES:
            raise DataError(path, line, f"{key}: unknown category {entry['category']!r}")
        if entry["en_status"] not in {"official", "ours"}:
            raise DataError(path, line, f"{key}: en_status must be 'official' or 'ours'")
        if entry["en_status"] == "official":
            for need in ("source_url", "en_source_quote"):
                if not str(entry.get(need) or "").strip():
                    raise DataError(path, key_line(path, entry, "en_status"),
                                    f"{key}: an official English name needs {need} (the source's own words "
                                    f"that give the name); a name no source gives is en_status: ours")
            if not re.match(r"https?://", entry["source_url"]):
                raise DataError(path, key_line(path, entry, "source_url"), f"{key}: source_url is not a URL")
        elif entry.get("en_source_quote") or entry.get("en_source_name"):
            raise DataError(path, key_line(path, entry, "en_source_quote"),
                            f"{key}: en_source_quote/en_source_name belong to official names only")
        term = Term(key, entry["zh"], list(entry.get("variants") or []), entry["pinyin"], entry["en"],
                    entry["en_status"], entry["category"], " ".join(entry["definition"].split()),
                    list(entry.get("related") or []), entry.get("source_url") or "", line,
                    list(entry.get("other_en") or []), list(entry.get("not_inside") or []),
                    " ".join(str(entry.get("en_source_quote") or "").split()),
                    str(entry.get("en_source_name") or "").strip())
        if term.en_source_name and not is_form_of(term.en_source_name, term):
            raise DataError(path, key_line(path, entry, "en_source_name"),
                            f"{key}: en_source_name {term.en_source_name!r} is neither part of en nor one of other_en")
        for form in term.forms:
            if form not in full_text:
                raise DataError(path, line, f"{key}: {form!r} does not occur in the text")
            if form in owner:
                raise DataError(path, line, f"{key}: {form!r} is already a term of {owner[form]!r}")
            owner[form] = key
        terms[key] = term
    for term in terms.values():
        for rel in [*term.related, *term.not_inside]:
            if rel not in terms:
                raise DataError(path, term.line, f"{term.key}: related key {rel!r} does not exist")
    return terms


def pinyin_key(pinyin: str) -> str:
    """Sort key for dictionary order: pinyin without tone marks, then with them."""
    import unicodedata

    bare = "".join(c for c in unicodedata.normalize("NFD", pinyin.lower()) if unicodedata.category(c) != "Mn")
    return f"{bare}\t{pinyin}"


def _fold(s: str) -> str:
    """Lower case, letters and digits only, single spaces: "China–ASEAN" ~ "China-ASEAN"."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", s.lower()).split())


def is_form_of(name: str, term: Term) -> bool:
    """A declared short form must be part of the name itself or one of its recorded forms."""
    folded = _fold(name)
    return bool(folded) and (folded in _fold(term.en) or folded in english_forms(term))


def name_in_quote(term: Term) -> bool:
    """Whether the source's quoted words give the term's English name (or its declared short form).
    Compared folded (case, punctuation), with or without bracketed parts on either side."""
    def variants(s):
        return {_fold(s), _fold(re.sub(r"\s*\([^)]*\)", "", s))} - {""}
    quotes = variants(term.en_source_quote)
    names = variants(term.en_source_name) if term.en_source_name else variants(term.en)
    return any(n in q for n in names for q in quotes)


def english_forms(term: Term) -> list[str]:
    """Ways the English text may name a term: its name and other_en forms, without bracketed
    parts, and any abbreviation in brackets; folded by _fold."""
    forms = set()
    for en in [term.en, *term.other_en]:
        forms.update({en, re.sub(r"\s*\([^)]*\)", "", en)})
        forms.update(re.findall(r"\(([^)]+)\)", en))
        forms.update(p for p in re.split(r"[;/]| or ", en) if len(p.strip()) > 2)
    return sorted({_fold(f) for f in forms if _fold(f)}, key=len, reverse=True)


TERM_EXCEPTIONS_FILE = TRANSLATION_DIR / "term_exceptions.yaml"


def term_exceptions() -> dict[tuple[str, str], str]:
    """(paragraph, term key) -> why that paragraph's English does not use the glossary name."""
    path = TERM_EXCEPTIONS_FILE
    data = read_yaml(path) if path.exists() else []
    if not isinstance(data, list):
        raise DataError(path, 1, "expected a list of {paragraph, term, reason}")
    blocks, terms = load_text().by_id(), load_glossary()
    out = {}
    for e in data:
        if not isinstance(e, dict) or not all(e.get(k) for k in ("paragraph", "term", "reason")):
            raise DataError(path, getattr(e, "line", 0), "each entry needs paragraph, term and reason")
        if e["paragraph"] not in blocks:
            raise DataError(path, e.line, f"unknown paragraph id {e['paragraph']!r}")
        if e["term"] not in terms:
            raise DataError(path, e.line, f"unknown glossary key {e['term']!r}")
        out[(e["paragraph"], e["term"])] = e["reason"]
    return out


def term_rendering_gaps() -> list[tuple[str, str, str, str]]:
    """(paragraph, term key, Chinese, English name) where a paragraph's English lacks a term's name."""
    terms = load_glossary()
    english = load_translation().text
    pattern, by_form = term_pattern(terms)
    gaps = []
    for block in load_text().blocks:
        en = f" {_fold(english.get(block.id, ''))} "
        seen = set()
        for m in pattern.finditer(block.text) if pattern else []:
            term = by_form[m.group(0)]
            if term.key in seen:
                continue
            seen.add(term.key)
            if not any(re.search(rf" {re.escape(f)}(s|es)? ", en) for f in english_forms(term)):
                gaps.append((block.id, term.key, m.group(0), term.en))
    return gaps


def term_pattern(terms: dict[str, Term]) -> tuple[re.Pattern | None, dict[str, Term]]:
    """One regex matching every form, longest first, and the form -> term map."""
    by_form = {form: t for t in terms.values() for form in t.forms}
    if not by_form:
        return None, by_form
    alternatives = sorted(by_form, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, alternatives))), by_form


def names(term: Term, chinese: str, terms: dict[str, Term]) -> bool:
    """Whether a Chinese text names the term (also inside a longer name), except where its
    characters only stand inside a term it is declared ``not_inside``."""
    for other in term.not_inside:
        for form in terms[other].forms:
            chinese = chinese.replace(form, "\u3000")
    return any(f in chinese for f in term.forms)


def occurrences(terms: dict[str, Term]) -> dict[str, list[str]]:
    """Term key -> ids of the blocks whose Chinese names it (nested names too)."""
    blocks = load_text().blocks
    return {key: [b.id for b in blocks if names(t, b.text, terms)] for key, t in terms.items()}


def contained_terms(terms: dict[str, Term]) -> dict[str, list[str]]:
    """Term key -> keys of the other terms named inside it (南非 inside 中国—南非新媒体圆桌会议)."""
    return {key: [k for k, o in terms.items()
                  if k != key and key not in o.not_inside and any(f in t.zh for f in o.forms)]
            for key, t in terms.items()}


# --- Notes and reading guides --------------------------------------------------


@dataclass
class Note:
    paragraph: str
    kind: str
    title: str
    text: str
    sources: list[str]
    words: int
    path: Path
    line: int
    positions: list["Position"] = field(default_factory=list)  # perspectives notes only
    outcome: str = ""  # perspectives notes: what the record shows (a vote, an adopted text)

    @property
    def as_dropdown(self) -> bool:
        return self.kind == "perspectives" or self.words > MARGIN_WORDS


@dataclass
class Guide:
    summary: str
    objectives: list[str]
    key_terms: list[str]
    questions: list[str]
    path: Path | None = None
    line: int = 0  # line of key_terms, for errors about them


@dataclass
class Annotations:
    guide: Guide | None
    notes: dict[str, list[Note]] = field(default_factory=dict)


@lru_cache(maxsize=None)
def load_annotations(chapter: str) -> Annotations:
    path = ANNOTATIONS_DIR / f"{chapter}.yaml"
    if not path.exists():
        return Annotations(None)
    data = read_yaml(path)
    blocks = load_text().by_id()
    if not isinstance(data, dict):
        raise DataError(path, 1, "expected a mapping with 'guide' and 'notes'")
    guide = None
    if data.get("guide"):
        g = data["guide"]
        for k in ("summary", "objectives", "key_terms", "questions"):
            if not g.get(k):
                raise DataError(path, g.line, f"guide lacks {k}")
        for k in ("summary", "objectives", "questions"):
            for part in g[k] if isinstance(g[k], list) else [g[k]]:
                _check_facts(path, _field_line(path, g, k), str(part))
        guide = Guide(" ".join(g["summary"].split()), list(g["objectives"]), list(g["key_terms"]),
                      list(g["questions"]), path, key_line(path, g, "key_terms"))
    notes: dict[str, list[Note]] = {}
    for n in data.get("notes") or []:
        missing = [k for k in ("paragraph", "kind", "title", "text") if not n.get(k)]
        if missing:
            raise DataError(path, n.line, f"note lacks {', '.join(missing)}")
        if n["paragraph"] not in blocks or chapter_of(n["paragraph"]) != chapter:
            raise DataError(path, _field_line(path, n, "paragraph"),
                            f"note on unknown paragraph {n['paragraph']!r} for chapter {chapter}")
        if n["kind"] not in NOTE_KINDS:
            raise DataError(path, _field_line(path, n, "kind"),
                            f"note kind {n['kind']!r} is not one of {sorted(NOTE_KINDS)}")
        text = " ".join(n["text"].split())
        _check_facts(path, _field_line(path, n, "text"), text)
        for cited in BLOCK_REF.findall(text):
            if cited not in blocks:
                raise DataError(path, _line_of(path, _field_line(path, n, "text"), f"[{cited}]"),
                                f"note cites unknown paragraph id {cited!r}")
        for cited in n.get("sources") or []:
            if not str(cited).startswith("http") and cited not in blocks:
                raise DataError(path, _line_of(path, _field_line(path, n, "sources"), str(cited)),
                                f"note cites unknown paragraph id {cited!r}")
        words = len(BLOCK_REF.sub(r"¶ of \1", text).split())  # as the reader sees it: [id] -> ¶3 of 三（二）
        if words > MAX_NOTE_WORDS:
            raise DataError(path, _field_line(path, n, "text"), f"note has {words} words; the limit is {MAX_NOTE_WORDS}")
        sources = list(n.get("sources") or [])
        positions, outcome = [], ""
        if n["kind"] == "perspectives":
            positions, outcome = _perspectives(path, n, blocks)
            sources = _ordered_sources(n["paragraph"], sources, positions)
            text = _perspectives_markdown(text, positions, outcome)
        elif n.get("positions") or n.get("outcome"):
            raise DataError(path, _field_line(path, n, "positions" if n.get("positions") else "outcome"),
                            "only a perspectives note has positions or an outcome")
        notes.setdefault(n["paragraph"], []).append(
            Note(n["paragraph"], n["kind"], n["title"], text, sources, words, path, n.line, positions, outcome))
    return Annotations(guide, notes)


# --- where each paragraph is published ----------------------------------------------

CHAPTERS_DIR = DATA.parent / "chapters"
LINK_SCHEME = "edition:"  # edition:s3-2-p03; resolved when a page is written (extension/links.py)


@lru_cache(maxsize=1)
def paragraph_pages() -> dict[str, str]:
    """Paragraph or heading id -> the chapter page that places it (e.g. chapters/s3-2-cybersecurity),
    from the registry: the text's blocks and the supplied headings, each on its chapter's page, or
    on the page of a long chapter whose heading (``continued``) it follows."""
    current = {c.id: c.file for c in load_chapters()}  # each chapter's page so far, in reading order
    starts = {heading: page for c in load_chapters() for heading, page in c.continued}
    out = {}
    for i in [*supplied_headings(), *(b.id for b in load_text().blocks)]:
        chapter = chapter_of(i)
        current[chapter] = starts.get(i, current[chapter])
        out[i] = current[chapter]
    return out


def chapter_pages(chapter_id: str) -> list[tuple[str, list[str]]]:
    """A chapter's pages in reading order, each with the paragraph and heading ids it holds."""
    pages = {f: [] for f in chapter(chapter_id).files}
    for i, page in paragraph_pages().items():
        if page in pages:
            pages[page].append(i)
    return list(pages.items())


def section_blocks(heading: str, where: str = "") -> list:
    """The paragraphs under a heading, in the text's order: the blocks after it up to the next
    heading. The supplied headings stand before the first block of the source (they open it)."""
    from .text import IDS_FILE

    order = [(s, True) for s in supplied_headings()] + [(b, b.is_heading) for b in load_text().blocks]
    ids = [b if isinstance(b, str) else b.id for b, _ in order]
    if heading not in ids or not order[ids.index(heading)][1]:
        raise DataError(IDS_FILE, 0, f"{where}: {heading!r} is not the id of a heading of the text "
                                     f"(or of a supplied heading)")
    out = []
    for block, is_heading in order[ids.index(heading) + 1:]:
        if is_heading:
            break
        out.append(block)
    return out


def paragraph_url(block_id: str) -> str:
    """A link to a paragraph that the kernel can write without knowing pages: ``edition:s3-2-p03``.
    Sphinx turns it into the right address for the page and the builder when it writes the page
    (``../chapters/s3-2-cybersecurity.html#s3-2-p03`` on the site, ``#s3-2-p03`` in the single page
    the PDF is printed from): see extension/links.py."""
    if block_id not in paragraph_pages():
        raise DataError(CHAPTERS_FILE, 0, f"a link to {block_id!r}, which is no paragraph or heading of the text")
    return f"{LINK_SCHEME}{block_id}"


# --- perspectives notes: who else said what, attributed and sourced --------------------------

POSITION_FIELDS = ["holder", "date", "view", "quote", "source"]
MAX_VIEW_WORDS = 70  # one position, in the editors' words
MAX_QUOTE_WORDS = 45  # a quotation stays short
DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>{}$|])")


@dataclass
class Position:
    """One view on a contested point: whose, when, in the editors' words, with the source's own."""

    holder: str  # who said it: a government body, an international body, a scholar, an NGO
    date: str  # ISO date (or year-month, year) of the statement or document
    view: str  # the position in the editors' words
    quote: str  # a short exact quotation from the source
    source: str  # URL of the source quoted
    primary: bool  # the source is the holder's own document or page (or the UN document itself)
    document: str = ""  # a UN symbol or official document number, where there is one
    line: int = 0

    @property
    def after_white_paper(self) -> bool:
        return self.date > WHITE_PAPER_DATE


def _perspectives(path: Path, n: dict, blocks: dict) -> tuple[list[Position], str]:
    """Check and read the positions of a perspectives note; each is attributed, dated and quoted."""
    if f"[{n['paragraph']}]" not in n["text"]:
        raise DataError(path, _field_line(path, n, "text"),
                        f"a perspectives note says what the text claims, citing [{n['paragraph']}]")
    raw = n.get("positions") or []
    if len(raw) < 2:
        raise DataError(path, _field_line(path, n, "positions"), "a perspectives note gives at least two positions")
    positions = []
    for p in raw:
        line = getattr(p, "line", n.line)
        missing = [k for k in POSITION_FIELDS if not str(p.get(k) or "").strip()]
        if missing:
            raise DataError(path, line, f"position lacks {', '.join(missing)}")
        if "primary" not in p or not isinstance(p["primary"], bool):
            raise DataError(path, _field_line(path, p, "primary"), "position must say primary: true or false")
        date = str(p["date"])
        if not DATE.fullmatch(date):
            raise DataError(path, _field_line(path, p, "date"),
                            f"position date {date!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
        if not str(p["source"]).startswith(("http://", "https://")):
            raise DataError(path, _field_line(path, p, "source"), f"position source is not a URL: {p['source']!r}")
        view = " ".join(str(p["view"]).split())
        quote = " ".join(str(p["quote"]).split())
        if len(view.split()) > MAX_VIEW_WORDS:
            raise DataError(path, _field_line(path, p, "view"),
                            f"position has {len(view.split())} words; the limit is {MAX_VIEW_WORDS}")
        if len(quote.split()) > MAX_QUOTE_WORDS:
            raise DataError(path, _field_line(path, p, "quote"),
                            f"quotation has {len(quote.split())} words; the limit is {MAX_QUOTE_WORDS}")
        for cited in BLOCK_REF.findall(view):
            if cited not in blocks:
                raise DataError(path, _line_of(path, _field_line(path, p, "view"), f"[{cited}]"),
                                f"position cites unknown paragraph id {cited!r}")
        positions.append(Position(" ".join(str(p["holder"]).split()), date, view, quote, str(p["source"]),
                                  p["primary"], str(p.get("document") or ""), line))
    outcome = " ".join(str(n.get("outcome") or "").split())
    return positions, outcome


def _ordered_sources(paragraph: str, listed: list[str], positions: list[Position]) -> list[str]:
    """The text first, then primary documents (positions flagged primary and registry documents),
    then everything else, each in the order given; each URL once."""
    urls = [p.source for p in positions] + [u for u in listed if str(u).startswith("http")]
    urls = [u for u in urls if is_primary(u, positions)] + [u for u in urls if not is_primary(u, positions)]
    ids = [paragraph] + [s for s in listed if not str(s).startswith("http") and s != paragraph]
    seen: set[str] = set()
    return [s for s in [*ids, *urls] if not (s in seen or seen.add(s))]


def _escape(text: str) -> str:
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _human_date(date: str) -> str:
    import calendar

    parts = date.split("-")
    if len(parts) == 3:
        return f"{int(parts[2])} {calendar.month_name[int(parts[1])]} {parts[0]}"
    if len(parts) == 2:
        return f"{calendar.month_name[int(parts[1])]} {parts[0]}"
    return parts[0]


def _perspectives_markdown(claim: str, positions: list[Position], outcome: str) -> str:
    """The note as the reader sees it: the text's claim, each position with its quotation, the outcome."""
    lines = [claim, ""]
    for p in positions:
        when = _human_date(p.date) + (" (after the white paper)" if p.after_white_paper else "")
        host = re.sub(r"^https?://(www\.)?", "", p.source).split("/")[0]
        kind = "primary source" if p.primary else "secondary source"
        doc = f"{_escape(p.document)}, " if p.document else ""
        lines.append(f"- **{_escape(p.holder)}**, {when}: {p.view} "
                     f"“{_escape(p.quote)}” ({doc}[{host}]({p.source}), {kind})")
    if outcome:
        lines += ["", f"**On the record:** {outcome}"]
    return "\n".join(lines)


# --- primary documents the text names, and further reading ---------------------------------------

PRIMARY_FILE = DATA / "primary_documents.yaml"
FURTHER_READING_FILE = DATA / "further_reading.yaml"
READING_KINDS = {"official", "scholarship", "analysis", "civil-society", "news"}


@dataclass
class PrimaryDocument:
    key: str
    title: str
    issuer: str
    date: str
    url: str
    names: list[str]  # how a note may name it (a UN symbol, a title)
    symbol: str = ""
    line: int = 0


@lru_cache(maxsize=1)
def load_primary_documents(path: Path = PRIMARY_FILE) -> dict[str, PrimaryDocument]:
    """Documents the text names whose issuing body's copy (or UN document) is public, with its URL."""
    data = read_yaml(path) if path.exists() else {}
    if not isinstance(data, dict) or not isinstance(data.get("documents"), list):
        raise DataError(path, 1, "expected a mapping with a 'documents' list (and a 'hosts' list)")
    out: dict[str, PrimaryDocument] = {}
    for d in data["documents"]:
        line = getattr(d, "line", 0)
        missing = [k for k in ("key", "title", "issuer", "date", "url", "names") if not d.get(k)]
        if missing:
            raise DataError(path, line, f"document lacks {', '.join(missing)}")
        if d["key"] in out:
            raise DataError(path, line, f"duplicate key {d['key']!r}")
        if not str(d["url"]).startswith(("http://", "https://")):
            raise DataError(path, line, f"{d['key']}: url is not a URL")
        if not DATE.fullmatch(str(d["date"])):
            raise DataError(path, line, f"{d['key']}: date {d['date']!r} is not YYYY[-MM[-DD]]")
        out[d["key"]] = PrimaryDocument(d["key"], d["title"], d["issuer"], str(d["date"]), d["url"],
                                        list(d["names"]), str(d.get("symbol") or ""), line)
    return out


@lru_cache(maxsize=1)
def primary_hosts(path: Path = PRIMARY_FILE) -> dict[str, str]:
    """Host -> issuing body, for the bodies whose own sites the notes cite."""
    data = read_yaml(path) if path.exists() else {}
    hosts = {}
    for h in (data or {}).get("hosts") or []:
        if not h.get("host") or not h.get("body"):
            raise DataError(path, getattr(h, "line", 0), "each host needs host and body")
        hosts[h["host"]] = h["body"]
    return hosts


def is_primary(url: str, positions: list[Position] = ()) -> bool:
    """A URL is primary if a position flags it so, the registry lists it, or it is on an issuing body's own host."""
    if any(p.source == url and p.primary for p in positions):
        return True
    if url in {d.url for d in load_primary_documents().values()}:
        return True
    host = re.sub(r"^https?://", "", url).split("/")[0].lower()
    return any(host == h or host.endswith("." + h) for h in primary_hosts())


def primary_urls() -> set[str]:
    """Every URL the data records as a primary source: the registry and positions flagged primary."""
    urls = {d.url for d in load_primary_documents().values()}
    for chapter in CHAPTERS:
        for notes in load_annotations(chapter).notes.values():
            urls.update(p.source for n in notes for p in n.positions if p.primary)
    return urls


def documents_named(note_text: str) -> list[PrimaryDocument]:
    """Registry documents a note names (by symbol or title)."""
    return [d for d in load_primary_documents().values() if any(name in note_text for name in d.names)]


@dataclass
class Reading:
    chapter: str
    kind: str
    author: str
    title: str
    published: str  # journal, publisher or issuing body, with volume/pages where there are any
    date: str
    url: str
    note: str  # what it adds, one line
    verified: str  # how its existence was checked (a stored copy, a catalogue record, a DOI)
    standpoint: str
    doi: str = ""
    after_white_paper: bool = False
    line: int = 0


@lru_cache(maxsize=1)
def load_further_reading(path: Path = FURTHER_READING_FILE) -> dict[str, list[Reading]]:
    """Chapter -> three to six further readings, each with full bibliographic data and a line on what it adds."""
    if not path.exists():
        return {}
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise DataError(path, 1, "expected a mapping of chapter -> list of readings")
    out: dict[str, list[Reading]] = {}
    for chapter, items in data.items():
        line = key_line(path, data, chapter)
        if chapter not in CHAPTERS:
            raise DataError(path, line, f"unknown chapter {chapter!r}; known: {CHAPTERS}")
        if not isinstance(items, list) or not 3 <= len(items) <= 6:
            raise DataError(path, line, f"{chapter}: give three to six readings")
        readings = []
        for r in items:
            rl = getattr(r, "line", line)
            missing = [k for k in ("kind", "author", "title", "published", "date", "url", "note", "verified",
                                   "standpoint") if not str(r.get(k) or "").strip()]
            if missing:
                raise DataError(path, rl, f"reading lacks {', '.join(missing)}")
            if r["kind"] not in READING_KINDS:
                raise DataError(path, rl, f"kind {r['kind']!r} is not one of {sorted(READING_KINDS)}")
            if not DATE.fullmatch(str(r["date"])):
                raise DataError(path, rl, f"date {r['date']!r} is not YYYY[-MM[-DD]]")
            if not str(r["url"]).startswith(("http://", "https://")):
                raise DataError(path, rl, f"url is not a URL: {r['url']!r}")
            if len(str(r["note"]).split()) > 45:
                raise DataError(path, rl, "the note on what a reading adds is one line (45 words at most)")
            for cited in BLOCK_REF.findall(str(r["note"])):
                if cited not in load_text().by_id():
                    raise DataError(path, rl, f"reading note cites unknown paragraph id {cited!r}")
            readings.append(Reading(chapter, r["kind"], " ".join(str(r["author"]).split()),
                                    " ".join(str(r["title"]).split()), " ".join(str(r["published"]).split()),
                                    str(r["date"]), r["url"], " ".join(str(r["note"]).split()),
                                    " ".join(str(r["verified"]).split()), str(r["standpoint"]),
                                    str(r.get("doi") or ""), str(r["date"]) > WHITE_PAPER_DATE, rl))
        out[chapter] = readings
    return out


def reading_markdown(r: Reading) -> str:
    """One reading as a bibliography entry: author, date, title, where published, link; then what it adds."""
    after = "; after the white paper" if r.after_white_paper else ""
    doi = f" DOI: [{r.doi}](https://doi.org/{r.doi})." if r.doi else ""
    return (f"{_escape(r.author)} ({_human_date(r.date)}{after}). *{_escape(r.title)}*. {_escape(r.published)}. "
            f"[{re.sub(r'^https?://(www[.])?', '', r.url).split('/')[0]}]({r.url}).{doi} "
            f"— {r.note} [{r.kind.replace('-', ' ')}; {r.standpoint}]")
