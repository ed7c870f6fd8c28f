"""The edition as data: JSON (with its JSON Schema), TEI P5, TBX-Basic and CSV downloads.

Everything here is read through the loaders the book itself uses (``text``,
``edition``, ``facts``): there is no second parser of the data. The files are
written by ``write_all`` (called at the end of every HTML build by
``extension.downloads``, or by ``python -m cyberspace_edition.exports OUTDIR``) and
are deterministic: two runs on the same data give byte-identical files.

Files written (all UTF-8):

- ``edition.json`` and ``edition.schema.json``: every block in reading order;
- ``edition.tei.xml``: TEI P5, the Chinese text and the English as a parallel translation;
- ``glossary.tbx`` (TBX-Basic, DCA style) and ``glossary.csv``;
- ``facts.csv`` and the outside data ``wic_editions.csv``, ``cncert_partners.csv``,
  ``wic_organisation.csv``, copied unchanged;
- ``data-dictionary.json``: the columns of every CSV file, read from the READMEs of ``data/``.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from collections import Counter
from functools import lru_cache
from pathlib import Path

from . import edition, facts, text
from .cff import load_cff
from .errors import DataError
from .paths import DATA, ROOT

LICENSE_FILE = ROOT / "LICENSE"
DATA_README = DATA / "README.md"
EXTERNAL_README = facts.EXTERNAL / "README.md"

TEI_NS = "http://www.tei-c.org/ns/1.0"
TBX_NS = "urn:iso:std:iso:30042:ed-2"
XML_NS = "http://www.w3.org/XML/1998/namespace"
TBX_SCHEMAS = (  # the TBX-Basic dialect's published schemas, named (never fetched) for validators
    ("https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/"
     "TBXcoreStructV03_TBX-Basic_integrated.rng", "http://relaxng.org/ns/structure/1.0"),
    ("https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/TBX-Basic_DCA.sch",
     "http://purl.oclc.org/dsdl/schematron"),
)
EXTERNAL_FILES = ["wic_editions.csv", "cncert_partners.csv", "wic_organisation.csv"]
GLOSSARY_COLUMNS = ["key", "zh", "variants", "pinyin", "en", "other_en", "en_status", "source_url",
                    "en_source_quote", "en_source_name",
                    "category", "definition", "related", "not_inside"]
LIST_SEPARATOR = " | "  # between the items of a list in one CSV cell, as in data/external/
HEADING_KINDS = list(text.HEADING_KINDS)
BLOCK_KINDS = [*HEADING_KINDS, "paragraph", "dateline"]
DIV_LEVEL = {"part": 1, "conclusion": 1, "section": 2, "subhead": 3}
SUPPLIED_REASON = "omitted in source"


# --- metadata ------------------------------------------------------------------------




def version() -> str:
    from importlib.metadata import version as _version

    return _version("cyberspace-edition")


@lru_cache(maxsize=1)
def licence() -> dict:
    """The editorial licence (part 2 of LICENSE) and the status of the reproduced text (part 1)."""
    raw = LICENSE_FILE.read_text(encoding="utf-8")
    parts = {}
    for m in re.finditer(r"^(\d)\. (.+?)\n(.*?)(?=^\d\. |\Z)", raw, re.S | re.M):
        parts[int(m.group(1))] = (m.group(2).strip(), " ".join(m.group(3).split()))
    if 1 not in parts or 2 not in parts:
        raise DataError(LICENSE_FILE, 1, "expected numbered parts '1. The reproduced text' and '2. Editorial content'")
    url = re.search(r"https://creativecommons\.org/licenses/[a-z-]+/[\d.]+/", parts[2][1])
    if not url:
        raise DataError(LICENSE_FILE, 1, "part 2 names no Creative Commons licence URL")
    return {"name": parts[2][0].split(":")[-1].strip(), "url": url.group(0), "statement": parts[2][1],
            "source_text": parts[1][1]}


def source_description() -> dict:
    """The source as the edition received it: the white paper, as a newspaper printed it."""
    ed = load_cff()
    decisions = text.load_yaml(text.DECISIONS_FILE)
    blocks = text.load_text().blocks
    dateline = next((b.text for b in blocks if b.kind == "dateline"), "")
    marker = decisions["page_marker"]["text"]
    return {
        "title": ed.work_title_zh,
        "title_en": ed.work_title_en,
        "issuer": ed.work_authors[0],
        "date": ed.work_published,
        "distributor": ed.work_publisher,
        "print": (f"A newspaper's printing of the {ed.work_publisher} dispatch "
                  f"(dateline {dateline}), continued from the newspaper's page 4 (the page marker "
                  f"{marker}). The newspaper is not identified; the text begins in the middle of part 三 "
                  f"（一） and runs to the end of the white paper."),
        "file": text.SOURCE_FILE.relative_to(ROOT).as_posix(),
        "sha256": text.SOURCE_SHA256,
        "lines": len(text.read_source().split("\n")),
        "page_marker": marker,
    }


def normalisation() -> dict:
    """What the edition did to the source, counted from the editorial log."""
    t = text.load_text()
    counts = Counter(e.kind for e in t.log)
    decisions = text.load_yaml(text.DECISIONS_FILE)
    return {
        "log_counts": dict(sorted(counts.items())),
        "kept_spaces": [d["reason"] for d in decisions.get("kept_spaces", [])],
        "page_marker": {"text": decisions["page_marker"]["text"],
                        "reason": " ".join(decisions["page_marker"]["reason"].split())},
        "supplied_headings": [s["id"] for s in t.supplied],
    }


# --- note text ---------------------------------------------------------------------------

_INLINE = re.compile(r"\{fact\}`(?P<fact>[^`]+)`|\[(?P<ref>(?:s\d|concl)[a-z0-9-]*)\](?!\()|\*(?P<title>[^*]+)\*")


def fact_shown(fact_id: str) -> str:
    """A fact's value as the book shows it ({fact} role): 274, 2016, 10,000."""
    value = facts.value(fact_id.strip())
    return f"{value:,}" if isinstance(value, int) and value >= 10000 else str(value)


def resolve_facts(markdown: str) -> str:
    """Notes and guides quote numbers as {fact}`id`: replace each by the value it shows; a figure
    cited as {numref}`figure %s <fig-x>` is named by its label (its number is the book's)."""
    markdown = re.sub(r"\{numref\}`([^`<]*?)\s*<([^>`]+)>`", lambda m: m[1].replace("%s", m[2]), markdown)
    return edition.FACT_ROLE.sub(lambda m: fact_shown(m.group(1)), markdown)


def inline_parts(markdown: str) -> list[tuple[str, str]]:
    """Split note Markdown into ("text", s), ("ref", paragraph id) and ("title", s) parts."""
    out, pos = [], 0
    for m in _INLINE.finditer(markdown):
        if m.start() > pos:
            out.append(("text", markdown[pos:m.start()]))
        if m.group("fact"):
            out.append(("text", fact_shown(m.group("fact"))))
        elif m.group("ref"):
            out.append(("ref", m.group("ref")))
        else:
            out.append(("title", m.group("title")))
        pos = m.end()
    if pos < len(markdown):
        out.append(("text", markdown[pos:]))
    return out


# --- the edition as one JSON document -------------------------------------------------------


def _number(v: float) -> int | float:
    return int(v) if float(v).is_integer() else v


def _block_facts() -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for row in facts.load_facts().to_dict("records"):
        out.setdefault(row["paragraph"], []).append({
            "id": row["id"], "quote": row["quote"], "value": _number(row["value"]), "unit": row["unit"],
            "date": row["date"] or None, "kind": row["kind"], "note": row["note"]})
    return out


def blocks() -> list[dict]:
    """Every heading and paragraph in reading order, the supplied headings included."""
    t = text.load_text()
    english = edition.load_translation().text
    pages = edition.paragraph_pages()
    terms = edition.load_glossary()
    in_block = _block_facts()
    supplied = [("supplied", s) for s in t.supplied]
    order = [*supplied, *(("source", b) for b in t.blocks)]
    out = []
    for origin, b in order:
        if origin == "supplied":
            bid, kind, zh, en = b["id"], text._heading_kind(b["text"]), b["text"], b["english"]
            if kind is None:
                raise DataError(text.DECISIONS_FILE, getattr(b, "line", 0),
                                f"supplied heading {bid} is not a part or section heading: {zh!r}")
            number, lines = None, None
            supplied_from = {"source_url": b["source_url"], "source_quote": b["source_quote"]}
        else:
            bid, kind, zh, en = b.id, b.kind, b.text, english.get(b.id)
            number = b.number or None
            lines = [b.first_line, b.last_line]
            supplied_from = None
        chapter = edition.chapter_of(bid)
        notes = edition.load_annotations(chapter).notes.get(bid, []) if chapter in edition.CHAPTERS else []
        if bid not in pages:
            raise DataError(edition.CHAPTERS_DIR, 0, f"no chapter places {bid!r}")
        out.append({
            "id": bid,
            "kind": kind,
            "chapter": chapter if chapter in edition.CHAPTERS else None,
            "number": number,
            "zh": zh,
            "en": en,
            "supplied": supplied_from,
            "source_lines": lines,
            "page": f"{pages[bid]}.html#{bid}",
            "notes": [{"kind": n.kind, "title": n.title, "text": resolve_facts(n.text), "sources": n.sources}
                      for n in notes],
            "facts": in_block.get(bid, []),
            "terms": [k for k, term in terms.items() if origin == "source" and edition.names(term, zh, terms)],
        })
    return out


def chapters() -> list[dict]:
    pages = edition.paragraph_pages()
    out = []
    for ch in edition.CHAPTERS:
        guide = edition.load_annotations(ch).guide
        out.append({
            "id": ch,
            "name": edition.CHAPTER_NAMES[ch],
            "page": f"{pages[ch]}.html",
            "pages": [f"{f}.html" for f in edition.chapter(ch).files],
            "guide": None if guide is None else {
                "summary": resolve_facts(guide.summary),
                "objectives": [resolve_facts(" ".join(o.split())) for o in guide.objectives],
                "key_terms": guide.key_terms,
                "questions": [resolve_facts(" ".join(q.split())) for q in guide.questions],
            },
        })
    return out


def translator_notes() -> list[dict]:
    return [{"term": n.term, "rendering": n.rendering, "note": n.note, "paragraphs": n.paragraphs,
             "chapter": n.chapter} for n in edition.load_translation().notes]


def edition_document() -> dict:
    ed = load_cff()
    return {
        "schema": "edition.schema.json",
        "title": ed.title,
        "version": version(),
        "editors": list(ed.authors),
        "licence": licence(),
        "source": source_description(),
        "normalisation": normalisation(),
        "chapters": chapters(),
        "blocks": blocks(),
        "translator_notes": translator_notes(),
    }


def _string(description: str, **extra) -> dict:
    return {"type": "string", "description": description, **extra}


def edition_schema() -> dict:
    """JSON Schema (draft 2020-12) of edition.json; its descriptions are the field documentation."""
    block_id = {"type": "string", "pattern": r"^(s\d|concl)[a-z0-9-]*$"}
    nullable_str = {"type": ["string", "null"]}
    note = {
        "type": "object", "additionalProperties": False,
        "required": ["kind", "title", "text", "sources"],
        "properties": {
            "kind": _string("context (background from outside the text), editorial (how the edition reads "
                            "or renders the text) or discrepancy (where sources disagree)",
                            enum=sorted(edition.NOTE_KINDS)),
            "title": _string("the note's title"),
            "text": _string("the note, in English, Markdown: [s3-3-p12] cites a paragraph, *…* marks a title; "
                            "numbers from facts.csv are filled in"),
            "sources": {"type": "array", "description": "paragraph ids of the text and URLs of outside sources",
                        "items": {"type": "string", "anyOf": [block_id, {"pattern": "^https?://"}]}},
        },
    }
    fact = {
        "type": "object", "additionalProperties": False,
        "required": ["id", "quote", "value", "unit", "date", "kind", "note"],
        "properties": {
            "id": _string("permanent id of the claim, as in facts.csv", pattern="^[a-z0-9]+(-[a-z0-9]+)*$"),
            "quote": _string("a verbatim substring of the block's Chinese text carrying the claim", minLength=1),
            "value": {"type": "number", "description": "the number (for a date: the year)"},
            "unit": _string("what is counted"),
            "date": {"type": ["string", "null"], "description": "ISO 8601 date, month, year or interval, or null"},
            "kind": _string("kind of claim", enum=sorted(facts.FACT_KINDS)),
            "note": _string("what the claim is, in English"),
        },
    }
    block = {
        "type": "object", "additionalProperties": False,
        "required": ["id", "kind", "chapter", "number", "zh", "en", "supplied", "source_lines", "page",
                     "notes", "facts", "terms"],
        "properties": {
            "id": {**block_id, "description": "permanent id of the heading or paragraph (paragraph_ids.csv)"},
            "kind": _string("part, section or subhead heading, the conclusion's heading, a paragraph, "
                            "or the dateline", enum=BLOCK_KINDS),
            "chapter": {"type": ["string", "null"], "enum": [*edition.CHAPTERS, None],
                        "description": "the chapter (one page of the book); null for the heading of part 三"},
            "number": {"type": ["integer", "null"], "minimum": 1,
                       "description": "the paragraph's visible number in its section (¶3); null for headings "
                                      "and the dateline"},
            "zh": _string("the Chinese text, exactly the source's characters (layout whitespace and the page "
                          "marker removed); for a supplied heading, the heading from the table of contents",
                          minLength=1),
            "en": {**nullable_str, "description": "the edition's English rendering; *…* marks a title"},
            "supplied": {
                "type": ["object", "null"], "additionalProperties": False,
                "required": ["source_url", "source_quote"],
                "description": "null for text from the source; for a heading the source lacks, where it was "
                               "taken from",
                "properties": {"source_url": _string("the page that gives the heading", pattern="^https?://"),
                               "source_quote": _string("the heading as that page prints it")},
            },
            "source_lines": {"type": ["array", "null"], "items": {"type": "integer", "minimum": 1},
                             "minItems": 2, "maxItems": 2,
                             "description": "first and last line in the source file; null for a supplied heading"},
            "page": _string("where the book shows it, relative to the site's root"),
            "notes": {"type": "array", "items": note, "description": "the margin notes on this block"},
            "facts": {"type": "array", "items": fact, "description": "the rows of facts.csv quoting this block"},
            "terms": {"type": "array", "items": {"type": "string"},
                      "description": "keys of the glossary terms the Chinese text names (glossary.csv); "
                                     "empty for a supplied heading"},
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "edition.schema.json",
        "title": "The annotated edition as data",
        "type": "object", "additionalProperties": False,
        "required": ["schema", "title", "version", "editors", "licence", "source", "normalisation", "chapters",
                     "blocks", "translator_notes"],
        "properties": {
            "schema": _string("the file name of this schema", const="edition.schema.json"),
            "title": _string("the edition's title (CITATION.cff)"),
            "version": _string("the edition's version (package metadata)", pattern=r"^\d+\.\d+\.\d+"),
            "editors": {"type": "array", "items": {"type": "string"}, "minItems": 1,
                        "description": "who made the edition (CITATION.cff)"},
            "licence": {
                "type": "object", "additionalProperties": False,
                "required": ["name", "url", "statement", "source_text"],
                "description": "from LICENSE",
                "properties": {"name": _string("the editorial content's licence"),
                               "url": _string("the licence's URL", pattern="^https://"),
                               "statement": _string("what the licence covers"),
                               "source_text": _string("the status of the reproduced government text")},
            },
            "source": {
                "type": "object", "additionalProperties": False,
                "required": ["title", "title_en", "issuer", "date", "distributor", "print", "file", "sha256",
                             "lines", "page_marker"],
                "description": "the source text as received",
                "properties": {
                    "title": _string("the white paper's title"),
                    "title_en": _string("its English title"),
                    "issuer": _string("who issued it"),
                    "date": _string("when it was issued", pattern=r"^\d{4}-\d{2}-\d{2}$"),
                    "distributor": _string("the news agency that distributed it"),
                    "print": _string("the printing the source file reproduces"),
                    "file": _string("the source file in the repository"),
                    "sha256": _string("SHA-256 checksum of the source file", pattern="^[0-9a-f]{64}$"),
                    "lines": {"type": "integer", "minimum": 1, "description": "lines in the source file"},
                    "page_marker": _string("the newspaper's page marker, removed from the text"),
                },
            },
            "normalisation": {
                "type": "object", "additionalProperties": False,
                "required": ["log_counts", "kept_spaces", "page_marker", "supplied_headings"],
                "description": "what the edition did to the source (editorial_log.csv)",
                "properties": {
                    "log_counts": {"type": "object", "additionalProperties": {"type": "integer"},
                                   "description": "interventions by kind"},
                    "kept_spaces": {"type": "array", "items": {"type": "string"},
                                    "description": "why each space kept in the text belongs to it"},
                    "page_marker": {"type": "object", "required": ["text", "reason"]},
                    "supplied_headings": {"type": "array", "items": block_id},
                },
            },
            "chapters": {
                "type": "array", "description": "the chapters in reading order, with reading guides",
                "items": {
                    "type": "object", "additionalProperties": False, "required": ["id", "name", "page", "pages", "guide"],
                    "properties": {
                        "id": _string("chapter id", enum=edition.CHAPTERS),
                        "name": _string("the chapter's name"), "page": _string("its (first) page in the book"),
                        "pages": {"type": "array", "minItems": 1, "items": {"type": "string"},
                                  "description": "every page it is published on, in reading order (a long "
                                                 "chapter is cut at headings of the text)"},
                        "guide": {"type": ["object", "null"], "additionalProperties": False,
                                  "required": ["summary", "objectives", "key_terms", "questions"],
                                  "properties": {
                                      "summary": {"type": "string"},
                                      "objectives": {"type": "array", "items": {"type": "string"}},
                                      "key_terms": {"type": "array", "items": {"type": "string"}},
                                      "questions": {"type": "array", "items": {"type": "string"}}}},
                    },
                },
            },
            "blocks": {"type": "array", "items": block, "minItems": 1,
                       "description": "every heading and paragraph, in reading order"},
            "translator_notes": {
                "type": "array", "description": "how the translation renders a term, and why",
                "items": {"type": "object", "additionalProperties": False,
                          "required": ["term", "rendering", "note", "paragraphs", "chapter"],
                          "properties": {"term": _string("the Chinese term"),
                                         "rendering": _string("the English rendering"),
                                         "note": _string("why"),
                                         "paragraphs": {"type": "array", "items": block_id},
                                         "chapter": _string("chapter id", enum=edition.CHAPTERS)}},
            },
        },
    }


def _json(data) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


# --- TEI P5 -----------------------------------------------------------------------------------


def _el(parent, tag: str, text_: str | None = None, ns: str = TEI_NS, **attrs):
    el = ET.SubElement(parent, tag)  # in the namespace the root declares (see _serialise)
    for k, v in attrs.items():
        if v is None:
            continue
        name = f"{{{XML_NS}}}{k[4:]}" if k.startswith("xml_") else k
        el.set(name, str(v))
    if text_ is not None:
        el.text = text_
    return el


def _append_text(el, s: str) -> None:
    if len(el):
        el[-1].tail = (el[-1].tail or "") + s
    else:
        el.text = (el.text or "") + s


def _tei_inline(el, markdown: str) -> None:
    """Note or English Markdown as TEI: [id] -> <ref target="#id">, *title* -> <title>."""
    for kind, value in inline_parts(markdown):
        if kind == "text":
            _append_text(el, value)
        elif kind == "ref":
            _el(el, "ref", f"¶ {value}", target=f"#{value}")
        else:
            _el(el, "title", value)


def _tei_header(root, doc: dict) -> None:
    src, lic, norm = doc["source"], doc["licence"], doc["normalisation"]
    header = _el(root, "teiHeader")
    file_desc = _el(header, "fileDesc")
    title_stmt = _el(file_desc, "titleStmt")
    _el(title_stmt, "title", doc["title"])
    _el(title_stmt, "author", src["issuer"], role="issuer")
    for name in doc["editors"]:
        _el(title_stmt, "editor", name)
    edition_stmt = _el(file_desc, "editionStmt")
    _el(edition_stmt, "edition", f"Version {doc['version']}", n=doc["version"])
    extent = _el(file_desc, "extent")
    paragraphs = [b for b in doc["blocks"] if b["kind"] == "paragraph"]
    _el(extent, "measure", f"{len(paragraphs)} paragraphs", unit="paragraphs", quantity=len(paragraphs))
    pub = _el(file_desc, "publicationStmt")
    for name in doc["editors"]:
        _el(pub, "publisher", name)
    avail = _el(pub, "availability")
    _el(avail, "licence", lic["statement"], target=lic["url"])
    _el(avail, "p", lic["source_text"])
    source_desc = _el(file_desc, "sourceDesc")
    bibl = _el(source_desc, "bibl")
    _el(bibl, "title", src["title"], xml_lang="zh-Hans")
    _el(bibl, "title", src["title_en"], xml_lang="en", type="alt")
    _el(bibl, "author", src["issuer"], role="issuer")
    _el(bibl, "date", src["date"], when=src["date"])
    _el(bibl, "distributor", src["distributor"])
    _el(bibl, "note", src["print"], type="print")
    _el(bibl, "idno", src["file"], type="file")
    _el(bibl, "idno", src["sha256"], type="SHA-256")
    _el(bibl, "extent", f"{src['lines']} lines")

    encoding = _el(header, "encodingDesc")
    decl = _el(encoding, "editorialDecl")
    counts = norm["log_counts"]
    correction = _el(decl, "correction", method="silent")
    _el(correction, "p", "No character of the source is corrected, added or dropped: the Chinese text "
                         "is the source file's characters in their order, less layout whitespace and "
                         "the page marker.")
    _el(correction, "p", "Headings the source lacks, because the printed text begins in the middle of a "
                         "sub-section, are supplied from the white paper's table of contents; each is "
                         f"marked as supplied (reason: {SUPPLIED_REASON}; source: the page it comes from): "
                         + ", ".join(norm["supplied_headings"]) + ".")
    normalization = _el(decl, "normalization", method="silent")
    _el(normalization, "p", f"Layout spaces: {counts.get('space removed', 0)} spaces left by the newspaper's "
                            "justified lines (inside words and numbers, beside digits, brackets and Latin "
                            f"letters) are removed; {counts.get('space kept', 0)} spaces that belong to the "
                            "text are kept, one that " + "; one that ".join(norm["kept_spaces"]) + ".")
    _el(normalization, "p", "Line breaks: the source is wrapped at the column width; its lines are joined "
                            f"into paragraphs. {counts.get('blank line joined', 0)} blank lines inside a "
                            "sentence (column or page breaks) are joined over; "
                            f"{counts.get('heading joined', 0)} heading wrapped onto a second line is "
                            "rejoined.")
    _el(normalization, "p", f"Page marker: {norm['page_marker']['text']} is removed. "
                            f"{norm['page_marker']['reason']}")
    segmentation = _el(decl, "segmentation")
    _el(segmentation, "p", "A paragraph ends on a line that closes with sentence-final punctuation and is "
                           "followed by a blank line or a heading. Every block has a permanent id "
                           "(data/text/paragraph_ids.csv); the English translation points to it with "
                           "corresp, notes with target.")
    profile = _el(header, "profileDesc")
    lang_usage = _el(profile, "langUsage")
    _el(lang_usage, "language", "Chinese, simplified script: the text", ident="zh-Hans")
    _el(lang_usage, "language", "English: the edition's translation and notes", ident="en")


def _fill(el, content: str | None, english: bool) -> None:
    if content is None:
        raise DataError(edition.TRANSLATION_DIR, 0, f"no English for {el.get('corresp')}")
    if english:
        _tei_inline(el, content)
    else:
        _append_text(el, content)


def _tei_divs(parent, doc_blocks: list[dict], english: bool) -> None:
    """The blocks as nested divs: part > section > subhead; paragraphs in the innermost open div."""
    stack: list[tuple[int, object]] = [(0, parent)]
    for b in doc_blocks:
        ref = {"corresp": f"#{b['id']}"} if english else {"xml_id": b["id"]}
        lang = {"xml_lang": "en" if english else "zh-Hans"}  # on each paragraph too, for readers of one <p>
        content = b["en"] if english else b["zh"]
        if b["kind"] in DIV_LEVEL:
            level = DIV_LEVEL[b["kind"]]
            while stack[-1][0] >= level:
                stack.pop()
            div = _el(stack[-1][1], "div", type=b["kind"], **ref)
            head = _el(div, "head")
            target = head
            if b["supplied"]:
                target = _el(head, "supplied", reason=SUPPLIED_REASON, source=b["supplied"]["source_url"])
            _fill(target, content, english)
            stack.append((level, div))
        elif b["kind"] == "dateline":
            closer = _el(stack[-1][1], "closer")
            _el(closer, "dateline", content, **ref, **lang)
        else:
            _fill(_el(stack[-1][1], "p", n=b["number"], **ref, **lang), content, english)


MIXED = {"p", "head", "label", "dateline", "term", "title"}  # elements whose whitespace is content


def _indent(el, level: int = 0) -> None:
    """Indent element-only content one space a level; leave mixed content (text with markup) as it is
    (ElementTree's own indent would turn a space between two <ref>s into a line break)."""
    mixed = el.tag in MIXED or (el.text or "").strip() or any((c.tail or "").strip() for c in el)
    if not len(el) or mixed:
        return
    el.text = "\n" + " " * (level + 1)
    for child in el:
        _indent(child, level + 1)
        child.tail = "\n" + " " * (level + 1)
    el[-1].tail = "\n" + " " * level


def _serialise(root, ns: str, preamble: str = "") -> bytes:
    """The tree as a document whose default namespace is ns. ElementTree's own default_namespace
    refuses unqualified attributes (type, target), so elements are built without a namespace and
    the root declares it."""
    root.set("xmlns", ns)
    _indent(root)
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + preamble + body + "\n").encode("utf-8")


def tei_document(doc: dict | None = None) -> bytes:
    doc = doc or edition_document()
    root = ET.Element("TEI")
    root.set(f"{{{XML_NS}}}lang", "zh-Hans")
    _tei_header(root, doc)
    body = _el(_el(root, "text"), "body")
    _tei_divs(_el(body, "div", type="edition", xml_lang="zh-Hans"), doc["blocks"], english=False)
    _tei_divs(_el(body, "div", type="translation", xml_lang="en"), doc["blocks"], english=True)
    back = _el(root[1], "back")
    notes = _el(back, "div", type="notes", xml_lang="en")
    _el(notes, "head", "Notes")
    for b in doc["blocks"]:
        for n in b["notes"]:
            note = _el(notes, "note", type=n["kind"], target=f"#{b['id']}")
            _tei_inline(_el(note, "label"), n["title"])
            _tei_inline(_el(note, "p"), n["text"])
            if n["sources"]:
                p = _el(note, "p", "Sources: ")
                for i, s in enumerate(n["sources"]):
                    if i:
                        _append_text(p, "; ")
                    _el(p, "ref", s if s.startswith("http") else f"¶ {s}",
                        target=s if s.startswith("http") else f"#{s}")
    for tn in doc["translator_notes"]:
        note = _el(notes, "note", type="translation",
                   target=" ".join(f"#{p}" for p in tn["paragraphs"]) or None)
        label = _el(note, "label")
        _el(label, "term", tn["term"], xml_lang="zh-Hans")
        _append_text(label, " → ")
        _el(label, "term", tn["rendering"], xml_lang="en")
        _el(note, "p", tn["note"])
    return _serialise(root, TEI_NS)


# --- glossary: TBX-Basic and CSV ---------------------------------------------------------------


def concept_id(key: str) -> str:
    """conceptEntry ids are XML ids, which cannot start with a digit (5g): the glossary's anchor, term-KEY."""
    return f"term-{key}"


def tbx_document() -> bytes:
    terms = edition.load_glossary()
    where = edition.occurrences(terms)
    lic = licence()
    root = ET.Element("tbx")
    root.set("type", "TBX-Basic")
    root.set("style", "dca")
    root.set(f"{{{XML_NS}}}lang", "en")
    header = _el(root, "tbxHeader", ns=TBX_NS)
    file_desc = _el(header, "fileDesc", ns=TBX_NS)
    title_stmt = _el(file_desc, "titleStmt", ns=TBX_NS)
    _el(title_stmt, "title", f"Glossary of {load_cff().title}, version {version()}", ns=TBX_NS)
    pub = _el(file_desc, "publicationStmt", ns=TBX_NS)
    _el(pub, "p", lic["statement"], ns=TBX_NS)
    _el(pub, "p", lic["source_text"], ns=TBX_NS)
    src = _el(file_desc, "sourceDesc", ns=TBX_NS)
    _el(src, "p", "data/glossary.yaml of the edition: every name and key concept of the white paper "
                  f"《{source_description()['title']}》 (part 三 from （一） to the end). Each Chinese term is "
                  "written as in the text; the English term is the name the edition uses, official when a "
                  "source gives it (admin source), the edition's own rendering otherwise.", ns=TBX_NS)
    body = _el(_el(root, "text", ns=TBX_NS), "body", ns=TBX_NS)
    for term in sorted(terms.values(), key=lambda t: edition.pinyin_key(t.pinyin)):
        entry = _el(body, "conceptEntry", ns=TBX_NS, id=concept_id(term.key))
        _el(entry, "descrip", term.category, ns=TBX_NS, type="subjectField")
        for rel in term.related:
            _el(entry, "ref", terms[rel].zh, ns=TBX_NS, type="crossReference", target=concept_id(rel))
        zh = _el(entry, "langSec", ns=TBX_NS, xml_lang="zh")
        main = _el(zh, "termSec", ns=TBX_NS)
        _el(main, "term", term.zh, ns=TBX_NS)
        _el(main, "termNote", "preferredTerm-admn-sts", ns=TBX_NS, type="administrativeStatus")
        pinyin = _el(main, "note", "pinyin: ", ns=TBX_NS)
        _el(pinyin, "foreign", term.pinyin, ns=TBX_NS, xml_lang="zh-Latn-pinyin")
        if where[term.key]:
            _el(main, "note", "in the text: " + ", ".join(where[term.key]), ns=TBX_NS)
        for variant in term.variants:
            sec = _el(zh, "termSec", ns=TBX_NS)
            _el(sec, "term", variant, ns=TBX_NS)
            _el(sec, "termNote", "admittedTerm-admn-sts", ns=TBX_NS, type="administrativeStatus")
            _el(sec, "termNote", "variant", ns=TBX_NS, type="termType")
        en = _el(entry, "langSec", ns=TBX_NS, xml_lang="en")
        _el(en, "descrip", term.definition, ns=TBX_NS, type="definition")
        main = _el(en, "termSec", ns=TBX_NS)
        _el(main, "term", term.en, ns=TBX_NS)
        _el(main, "termNote", "preferredTerm-admn-sts", ns=TBX_NS, type="administrativeStatus")
        if term.en_status == "official":
            _el(main, "note", "status: official (the English name a source gives)", ns=TBX_NS)
            _el(main, "admin", term.source_url, ns=TBX_NS, type="source")
        else:
            _el(main, "note", "status: ours (the edition's rendering; no official English name was found)",
                ns=TBX_NS)
        for other in term.other_en:
            sec = _el(en, "termSec", ns=TBX_NS)
            _el(sec, "term", other, ns=TBX_NS)
            _el(sec, "termNote", "admittedTerm-admn-sts", ns=TBX_NS, type="administrativeStatus")
            _el(sec, "note", "another form the edition's English text uses", ns=TBX_NS)
    pis = "".join(f'<?xml-model href="{href}" type="application/xml" schematypens="{ns}"?>\n'
                  for href, ns in TBX_SCHEMAS)
    return _serialise(root, TBX_NS, pis)


def glossary_csv() -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(GLOSSARY_COLUMNS)
    for term in sorted(edition.load_glossary().values(), key=lambda t: edition.pinyin_key(t.pinyin)):
        row = []
        for col in GLOSSARY_COLUMNS:
            v = getattr(term, col)
            row.append(LIST_SEPARATOR.join(v) if isinstance(v, list) else v)
        w.writerow(row)
    return buf.getvalue().encode("utf-8")


# --- column dictionary ----------------------------------------------------------------------------


def _table_after(path: Path, heading: str) -> list[tuple[list[str], int]]:
    """Rows (cells, line) of the first Markdown table after the heading line starting with ``heading``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next((i for i, l in enumerate(lines) if l.startswith(heading)), None)
    if start is None:
        raise DataError(path, 0, f"no section {heading!r} (the column dictionary is read from it)")
    rows, seen_table = [], False
    for i in range(start + 1, len(lines)):
        line = lines[i].strip()
        if line.startswith("#"):
            break
        if line.startswith("|"):
            seen_table = True
            cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line.strip("|"))]
            if not all(re.fullmatch(r":?-+:?", c) for c in cells):
                rows.append((cells, i + 1))
        elif seen_table:
            break
    if len(rows) < 2:
        raise DataError(path, start + 1, f"section {heading!r} has no table of columns")
    return rows[1:]  # without the header row


def _columns(path: Path, heading: str, expected: list[str]) -> list[dict]:
    meaning: dict[str, str] = {}
    for cells, line in _table_after(path, heading):
        names = re.findall(r"`([a-z_]+)`", cells[0])
        if not names:
            raise DataError(path, line, f"first cell {cells[0]!r} names no column")
        for name in names:
            meaning[name] = cells[1]
    missing = [c for c in expected if c not in meaning]
    extra = [c for c in meaning if c not in expected]
    if missing or extra:
        raise DataError(path, 0, f"{heading}: the column dictionary does not match the file's columns: "
                                 f"undocumented {missing}, documented but absent {extra}")
    return [{"name": c, "meaning": meaning[c]} for c in expected]


DICTIONARY_SOURCES = {  # file -> (README, section heading, columns)
    "facts.csv": (DATA_README, "## `facts.csv`", facts.FACT_COLUMNS),
    "glossary.csv": (DATA_README, "## `glossary.yaml`", GLOSSARY_COLUMNS),
    "wic_editions.csv": (EXTERNAL_README, "## `wic_editions.csv`", facts.WIC_COLUMNS),
    "cncert_partners.csv": (EXTERNAL_README, "## `cncert_partners.csv`", facts.CNCERT_COLUMNS),
    "wic_organisation.csv": (EXTERNAL_README, "## `wic_organisation.csv`", facts.WIC_ORG_COLUMNS),
}


def data_dictionary() -> dict:
    out = {}
    for name, (path, heading, columns) in DICTIONARY_SOURCES.items():
        documented = _columns(path, heading, columns)
        out[name] = {"documented_in": path.relative_to(ROOT).as_posix(), "columns": documented}
    out["glossary.csv"]["note"] = f"list cells (variants, other_en, related, not_inside) join items with {LIST_SEPARATOR!r}"
    return out


# --- writing ------------------------------------------------------------------------------------------


def outputs() -> dict[str, bytes]:
    """File name -> content, for every download."""
    facts.load_facts()  # the ledger and the outside data are checked before they are copied
    facts.wic_editions(), facts.cncert_partners(), facts.wic_organisation()
    doc = edition_document()
    files = {
        "edition.json": _json(doc),
        "edition.schema.json": _json(edition_schema()),
        "edition.tei.xml": tei_document(doc),
        "glossary.tbx": tbx_document(),
        "glossary.csv": glossary_csv(),
        "facts.csv": facts.FACTS_FILE.read_bytes(),
        "data-dictionary.json": _json(data_dictionary()),
    }
    for name in EXTERNAL_FILES:
        files[name] = (facts.EXTERNAL / name).read_bytes()
    return files


def write_all(folder: Path) -> dict[str, int]:
    """Write every download into folder (replacing it); return file name -> size in bytes."""
    files = outputs()
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return {name: len(content) for name, content in files.items()}


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m cyberspace_edition.exports",
                                     description="Write the edition's data downloads into a folder.")
    parser.add_argument("folder", type=Path, help="e.g. _build/html/downloads")
    args = parser.parse_args(argv)
    for name, size in write_all(args.folder).items():
        print(f"{size:>9,}  {args.folder / name}")


if __name__ == "__main__":
    main()
