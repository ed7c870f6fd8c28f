"""The edition as data (_build/html/downloads/): what a researcher or a translation tool relies on.

Each file is read back by an independent reader (jsonschema, lxml, csv), not by the code that
wrote it, and the Chinese text recovered from the JSON and from the TEI is compared with the
source file, character by character.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from bs4 import BeautifulSoup

from cyberspace_edition import edition, facts, text

from .test_text_fidelity import strip_ws

TEI = "{http://www.tei-c.org/ns/1.0}"
TBX = "{urn:iso:std:iso:30042:ed-2}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FILES = ["edition.json", "edition.schema.json", "edition.tei.xml", "glossary.tbx", "glossary.csv",
         "facts.csv", "wic_editions.csv", "cncert_partners.csv", "wic_organisation.csv",
         "data-dictionary.json"]


@pytest.fixture(scope="module")
def downloads(built):
    folder = built / "downloads"
    missing = [f for f in FILES if not (folder / f).exists()]
    assert not missing, f"{folder}: missing {missing} (written by cyberspace_edition.extension.downloads)"
    return folder


@pytest.fixture(scope="module")
def edition_json(downloads):
    return json.loads((downloads / "edition.json").read_text(encoding="utf-8"))


def _xml(path):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.parse(str(path), parser).getroot()


def expected_chinese() -> str:
    """The source minus whitespace and the page marker: what every copy of the text must equal."""
    marker = text.load_yaml(text.DECISIONS_FILE)["page_marker"]["text"]
    raw = text.SOURCE_FILE.read_text(encoding="utf-8")
    assert raw.count(marker) == 1, f"{text.DECISIONS_FILE}: page marker {marker!r} is not once in the source"
    return strip_ws(raw.replace(marker, "", 1))


def assert_same_text(got: str, where: str) -> None:
    expected = expected_chinese()
    if got != expected:
        at = next((i for i, (a, b) in enumerate(zip(got, expected)) if a != b), min(len(got), len(expected)))
        raise AssertionError(f"{where}: the Chinese text departs from {text.SOURCE_FILE} at character {at} "
                             f"(of {len(expected)}): file has {got[at:at + 12]!r}, source {expected[at:at + 12]!r}")


# --- edition.json -----------------------------------------------------------------------------


def test_edition_json_is_valid_against_its_schema(downloads, edition_json):
    from jsonschema import Draft202012Validator

    schema = json.loads((downloads / "edition.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    errors = sorted(Draft202012Validator(schema).iter_errors(edition_json), key=lambda e: list(e.path))
    assert not errors, "downloads/edition.json does not match edition.schema.json:\n" + "\n".join(
        f"  at {'/'.join(map(str, e.path))}: {e.message[:200]}" for e in errors[:10])


def test_edition_json_schema_rejects_a_broken_block(downloads, edition_json):
    """The schema is strict enough to catch a block without Chinese or with an unknown kind."""
    from jsonschema import Draft202012Validator

    schema = json.loads((downloads / "edition.schema.json").read_text(encoding="utf-8"))
    broken = json.loads(json.dumps(edition_json))
    broken["blocks"][3]["kind"] = "footnote"
    del broken["blocks"][4]["zh"]
    messages = [e.message for e in Draft202012Validator(schema).iter_errors(broken)]
    assert any("footnote" in m for m in messages) and any("'zh'" in m for m in messages), (
        f"edition.schema.json accepts a block of kind 'footnote' or without 'zh': {messages}")


def test_edition_json_chinese_equals_the_source(edition_json):
    zh = "".join(b["zh"] for b in edition_json["blocks"] if b["supplied"] is None)
    assert_same_text(strip_ws(zh), "downloads/edition.json (blocks[].zh)")


def test_edition_json_blocks_are_the_ids_in_reading_order(edition_json):
    supplied = [s["id"] for s in text.load_text().supplied]
    expected = supplied + [row["id"] for row in text.read_ids()]
    got = [b["id"] for b in edition_json["blocks"]]
    assert got == expected, (f"downloads/edition.json: block order differs from {text.IDS_FILE} "
                             f"(supplied headings first): first difference at "
                             f"{next((i for i, (a, b) in enumerate(zip(got, expected)) if a != b), len(got))}")
    assert [b["id"] for b in edition_json["blocks"] if b["supplied"]] == supplied


def test_edition_json_sends_each_block_to_a_built_page_of_its_chapter(built, edition_json):
    """A reader of the data follows a block's page to the block: the page is one of its chapter's
    pages (a long chapter is on several), was built, and holds the block's id."""
    pages = {c["id"]: c["pages"] for c in edition_json["chapters"]}
    for block in edition_json["blocks"]:
        page, _, anchor = block["page"].partition("#")
        chapter = edition.chapter_of(block["id"])
        if chapter in pages:
            assert page in pages[chapter], f"downloads/edition.json: {block['id']} is on {page}, not a page of {chapter}"
        html = (built / page).read_text(encoding="utf-8")
        assert f'id="{anchor}"' in html, f"downloads/edition.json: {block['page']} is not an anchor of _build/html/{page}"


def test_edition_json_carries_every_note_fact_and_translation(edition_json):
    by_id = {b["id"]: b for b in edition_json["blocks"]}
    english = edition.load_translation().text
    for bid, en in english.items():
        assert by_id[bid]["en"] == en, f"downloads/edition.json: {bid}: English differs from data/translation"
    for row in facts.load_facts().to_dict("records"):
        got = [f for f in by_id[row["paragraph"]]["facts"] if f["id"] == row["id"]]
        assert got and got[0]["quote"] == row["quote"] and got[0]["value"] == row["value"], (
            f"{facts.FACTS_FILE}:{row['_line']}: fact {row['id']} missing or different in block "
            f"{row['paragraph']} of downloads/edition.json")
    for chapter in edition.CHAPTERS:
        for pid, notes in edition.load_annotations(chapter).notes.items():
            titles = [n["title"] for n in by_id[pid]["notes"]]
            assert titles == [n.title for n in notes], (
                f"{notes[0].path}:{notes[0].line}: notes of {pid} differ in downloads/edition.json: {titles}")
            assert not any("{fact}" in n["text"] for n in by_id[pid]["notes"]), (
                f"downloads/edition.json: a note of {pid} still holds a {{fact}} role")


def test_edition_json_names_version_and_checksum(edition_json):
    from importlib.metadata import version

    assert edition_json["version"] == version("cyberspace-edition"), "downloads/edition.json: wrong version"
    assert edition_json["source"]["sha256"] == text.SOURCE_SHA256, "downloads/edition.json: wrong checksum"


# --- edition.tei.xml ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tei(downloads):
    return _xml(downloads / "edition.tei.xml")


def test_tei_is_tei_p5_with_its_header(tei):
    assert tei.tag == f"{TEI}TEI", f"downloads/edition.tei.xml: root is {tei.tag}, not TEI in the TEI namespace"
    header = tei.find(f"{TEI}teiHeader")
    assert header is not None, "downloads/edition.tei.xml: no teiHeader"
    for path in ("fileDesc/titleStmt/title", "fileDesc/titleStmt/editor", "fileDesc/publicationStmt/availability/licence",
                 "fileDesc/sourceDesc/bibl", "encodingDesc/editorialDecl/normalization",
                 "encodingDesc/editorialDecl/correction"):
        assert header.find("/".join(f"{TEI}{p}" for p in path.split("/"))) is not None, (
            f"downloads/edition.tei.xml: teiHeader has no {path}")
    bibl = header.find(f"{TEI}fileDesc/{TEI}sourceDesc/{TEI}bibl")
    assert bibl.find(f"{TEI}date").get("when") == "2022-11-07", "downloads/edition.tei.xml: source date is not 2022-11-07"
    assert "State Council Information Office" in bibl.findtext(f"{TEI}author"), "downloads/edition.tei.xml: no issuer"
    idnos = {i.get("type"): i.text for i in bibl.iter(f"{TEI}idno")}
    assert idnos.get("SHA-256") == text.SOURCE_SHA256, f"downloads/edition.tei.xml: checksum {idnos}"
    licence = header.find(f".//{TEI}licence")
    assert licence.get("target", "").startswith("https://creativecommons.org/"), "downloads/edition.tei.xml: licence"


def _zh_div(tei):
    divs = tei.findall(f"{TEI}text/{TEI}body/{TEI}div")
    zh = [d for d in divs if d.get("type") == "edition" and d.get(XML_LANG) == "zh-Hans"]
    en = [d for d in divs if d.get("type") == "translation" and d.get(XML_LANG) == "en"]
    assert len(zh) == 1 and len(en) == 1, "downloads/edition.tei.xml: expected one Chinese edition div and one translation div"
    return zh[0], en[0]


def test_tei_chinese_equals_the_source(tei):
    zh, _ = _zh_div(tei)
    parts = []
    for el in zh.iter(f"{TEI}head", f"{TEI}p", f"{TEI}dateline"):
        if el.find(f"{TEI}supplied") is not None:
            continue
        parts.append("".join(el.itertext()))
    assert_same_text(strip_ws("".join(parts)), "downloads/edition.tei.xml (div type=edition)")


def test_tei_structure_ids_supplied_headings_and_parallel_english(tei):
    zh, en = _zh_div(tei)
    ids = [el.get(XML_ID) for el in zh.iter() if el.get(XML_ID)]
    expected = [s["id"] for s in text.load_text().supplied] + [r["id"] for r in text.read_ids()]
    assert ids == expected, f"downloads/edition.tei.xml: xml:ids differ from {text.IDS_FILE} in order or number"
    paragraphs = zh.findall(f".//{TEI}p")
    assert paragraphs and all(p.get(XML_ID) and p.get(XML_LANG) == "zh-Hans" and p.getparent().tag == f"{TEI}div"
                              for p in paragraphs), "downloads/edition.tei.xml: a <p> without xml:id, xml:lang or div"
    supplied = [s.text for s in zh.iter(f"{TEI}supplied")]
    assert supplied == [s["text"] for s in text.load_text().supplied], (
        f"{text.DECISIONS_FILE}: supplied headings in the TEI are {supplied}")
    assert all(s.getparent().tag == f"{TEI}head" and s.get("source", "").startswith("http")
               for s in zh.iter(f"{TEI}supplied")), "downloads/edition.tei.xml: <supplied> not in <head> with source"
    corresp = [el.get("corresp") for el in en.iter() if el.get("corresp")]
    assert corresp == [f"#{i}" for i in expected], (
        "downloads/edition.tei.xml: the translation's corresp do not point to every block in order")
    english = edition.load_translation().text
    for p in en.iter(f"{TEI}p"):
        pid = p.get("corresp")[1:]
        assert " ".join("".join(p.itertext()).split()) == english[pid].replace("*", ""), (
            f"downloads/edition.tei.xml: English of {pid} differs from data/translation")


def test_tei_notes_point_to_paragraphs_that_exist(tei):
    ids = {el.get(XML_ID) for el in tei.iter() if el.get(XML_ID)}
    notes = list(tei.iter(f"{TEI}note"))
    n_margin = sum(len(a.notes[p]) for c in edition.CHAPTERS for a in [edition.load_annotations(c)] for p in a.notes)
    typed = [n for n in notes if n.get("type") in edition.NOTE_KINDS]
    assert len(typed) == n_margin, f"downloads/edition.tei.xml: {len(typed)} margin notes, the data has {n_margin}"
    for note in notes:
        for target in (note.get("target") or "").split():
            assert target.startswith("#") and target[1:] in ids, (
                f"downloads/edition.tei.xml: note {note.findtext(f'{TEI}label')!r} targets unknown {target}")
    for ref in tei.iter(f"{TEI}ref"):
        t = ref.get("target", "")
        assert t.startswith("http") or t[1:] in ids, f"downloads/edition.tei.xml: <ref> to unknown {t}"


# --- glossary.tbx and glossary.csv -------------------------------------------------------------------


def test_tbx_is_tbx_basic_with_every_glossary_entry(downloads):
    root = _xml(downloads / "glossary.tbx")
    assert root.tag == f"{TBX}tbx" and root.get("type") == "TBX-Basic" and root.get("style") == "dca", (
        f"downloads/glossary.tbx: root {root.tag} type={root.get('type')} style={root.get('style')}")
    assert root.find(f"{TBX}tbxHeader/{TBX}fileDesc/{TBX}sourceDesc") is not None, "downloads/glossary.tbx: no header"
    entries = {e.get("id"): e for e in root.iter(f"{TBX}conceptEntry")}
    terms = edition.load_glossary()
    missing = [k for k in terms if f"term-{k}" not in entries]
    assert not missing and len(entries) == len(terms), (
        f"data/glossary.yaml: entries missing from downloads/glossary.tbx: {missing[:10]} ({len(entries)} vs {len(terms)})")
    allowed = {"termNote": {"administrativeStatus", "termType", "partOfSpeech", "geographicalUsage", "termLocation",
                            "grammaticalGender"},
               "descrip": {"definition", "context", "subjectField"}, "admin": {"source", "projectSubset", "customerSubset"},
               "ref": {"crossReference"}, "xref": {"externalCrossReference", "xGraphic"}}
    for el in root.iter():
        name = el.tag.replace(TBX, "")
        assert el.tag.startswith(TBX), f"downloads/glossary.tbx: element {el.tag} outside the TBX namespace"
        if name in allowed:
            assert el.get("type") in allowed[name], f"downloads/glossary.tbx: {name} type {el.get('type')!r} is not TBX-Basic"
        if name == "termNote" and el.get("type") == "administrativeStatus":
            assert el.text in {"preferredTerm-admn-sts", "admittedTerm-admn-sts"}, el.text
        if name == "termNote":
            assert el.getparent().tag == f"{TBX}termSec", "downloads/glossary.tbx: termNote outside termSec"
    for key, term in terms.items():
        entry = entries[f"term-{key}"]
        langs = {ls.get(XML_LANG): ls for ls in entry.findall(f"{TBX}langSec")}
        assert set(langs) == {"zh", "en"}, f"{edition.GLOSSARY_FILE}:{term.line}: {key}: langSecs {sorted(langs)}"
        zh_terms = [t.text for t in langs["zh"].iter(f"{TBX}term")]
        en_terms = [t.text for t in langs["en"].iter(f"{TBX}term")]
        where = f"{edition.GLOSSARY_FILE}:{term.line}: {key} in downloads/glossary.tbx"
        assert zh_terms[0] == term.zh and en_terms[0] == term.en, f"{where}: terms {zh_terms[0]} / {en_terms[0]}"
        pinyin = langs["zh"].find(f"{TBX}termSec/{TBX}note/{TBX}foreign")
        assert pinyin is not None and pinyin.text == term.pinyin, f"{where}: no pinyin"
        notes = " ".join(n.text or "" for n in langs["en"].iter(f"{TBX}note"))
        assert f"status: {term.en_status}" in notes, f"{where}: status {term.en_status} not stated"
        sources = [a.text for a in langs["en"].iter(f"{TBX}admin") if a.get("type") == "source"]
        assert sources == ([term.source_url] if term.en_status == "official" else []), f"{where}: sources {sources}"
        for ref in entry.findall(f"{TBX}ref"):
            assert ref.get("target") in entries, f"{where}: crossReference to unknown {ref.get('target')}"


def test_glossary_csv_has_every_entry(downloads):
    rows = list(csv.DictReader(io.StringIO((downloads / "glossary.csv").read_text(encoding="utf-8"))))
    terms = edition.load_glossary()
    assert sorted(r["key"] for r in rows) == sorted(terms), "downloads/glossary.csv: keys differ from data/glossary.yaml"
    for r in rows:
        t = terms[r["key"]]
        assert (r["zh"], r["pinyin"], r["en"], r["en_status"]) == (t.zh, t.pinyin, t.en, t.en_status), (
            f"{edition.GLOSSARY_FILE}:{t.line}: {t.key} differs in downloads/glossary.csv")


# --- CSV copies and their column dictionary ----------------------------------------------------------------


def test_csv_files_are_copies_with_every_column_documented(downloads):
    dictionary = json.loads((downloads / "data-dictionary.json").read_text(encoding="utf-8"))
    sources = {"facts.csv": facts.FACTS_FILE, **{n: facts.EXTERNAL / n for n in
                                                  ("wic_editions.csv", "cncert_partners.csv", "wic_organisation.csv")}}
    for name, source in sources.items():
        assert (downloads / name).read_bytes() == source.read_bytes(), f"downloads/{name} is not a copy of {source}"
    for name in [*sources, "glossary.csv"]:
        header = next(csv.reader(io.StringIO((downloads / name).read_text(encoding="utf-8"))))
        documented = [c["name"] for c in dictionary[name]["columns"]]
        assert documented == header, f"downloads/data-dictionary.json: {name} documents {documented}, file has {header}"
        empty = [c["name"] for c in dictionary[name]["columns"] if not c["meaning"].strip()]
        assert not empty, f"{dictionary[name]['documented_in']}: no meaning for {name} columns {empty}"


def test_a_column_missing_from_the_readme_stops_the_export(tmp_path, monkeypatch):
    from cyberspace_edition import exports
    from cyberspace_edition.errors import DataError

    readme = tmp_path / "README.md"
    readme.write_text(re.sub(r"^\| `unit` \|.*\n", "", exports.DATA_README.read_text(encoding="utf-8"), flags=re.M),
                      encoding="utf-8")
    monkeypatch.setitem(exports.DICTIONARY_SOURCES, "facts.csv", (readme, "## `facts.csv`", facts.FACT_COLUMNS))
    with pytest.raises(DataError, match=r"undocumented \['unit'\]"):
        exports.data_dictionary()


# --- the Data page ----------------------------------------------------------------------------------------


def test_data_page_links_every_download(built, downloads):
    page = built / "back" / "data.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article.bd-article")
    linked = set()
    for a in article.select("a[href]"):
        href = a["href"]
        if "downloads/" in href:
            target = (page.parent / href).resolve()
            assert target.is_file(), f"_build/html/back/data.html: link {href} leads nowhere"
            linked.add(target.name)
    assert set(FILES) <= linked, f"_build/html/back/data.html: no link to {sorted(set(FILES) - linked)}"
