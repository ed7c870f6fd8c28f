"""Names a reader can trust: every official English name is backed by its source's own words, and
each body, document or event has one English name (or a recorded variant) wherever the edition
names it: notes, reading guides, facts, outside data, chart captions and the English text."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from cyberspace_edition import edition
from cyberspace_edition.errors import DataError

ROOT = Path(__file__).resolve().parents[1]
# Everything the edition writes in English about the text: where a body is named, it must be named alike.
PUBLIC_TEXT = [
    *sorted((ROOT / "data" / "annotations").glob("*.yaml")),
    *sorted((ROOT / "data" / "translation").glob("*.yaml")),
    ROOT / "data" / "facts.csv",
    *sorted((ROOT / "data" / "external").glob("*.csv")),
    *sorted((ROOT / "chapters").glob("*.md")),
    *sorted((ROOT / "back").glob("*.md")),
    ROOT / "data" / "glossary.yaml",
]
NAMED = {"organisation", "mechanism-or-forum", "document-or-initiative", "event", "programme-or-platform"}
CONNECTORS = r"(?:of|for|on|in|and|to|with|under|by|at)(?:\s+(?:the|a|an))?"  # "Treaty of the ...", not "X the Y"
# a capitalised word (hyphens, slashes and inner dots allowed) or an ordinal such as 14th; not a bare number
WORD = r"(?<![\w/-])(?:[A-Z]|\d+(?:st|nd|rd|th)\b)(?:[\w’'+/]|[-–.](?=\w))*"
RUN = re.compile(rf"{WORD}(?:\s+(?:{CONNECTORS}\s+)?{WORD})*")
STOP = {"of", "for", "on", "in", "and", "to", "with", "under", "by", "at", "the", "a", "an"}
# bodies the notes name that are not in the glossary and only look like an entry's name
OTHER_BODIES = {
    "human rights watch",  # the NGO, not the UN Human Rights Council
}
# capitalised only because they open a sentence: not part of a name
OPENERS = STOP | {"its", "their", "since", "this", "that", "these", "those", "both", "from", "as", "after",
                  "before", "when", "while", "where", "which", "who", "how", "what", "is", "are", "was"}


# --- the checker ------------------------------------------------------------------------------


def fold(s: str) -> str:
    return edition._fold(s)


def forms(term: edition.Term) -> list[str]:
    out = set(edition.english_forms(term))
    if term.en_source_name:
        out.add(fold(term.en_source_name))
    return sorted(f for f in out if f)


def abbreviations(term: edition.Term) -> set[str]:
    return {a for en in [term.en, *term.other_en] for a in re.findall(r"\(([A-Z][A-Za-z0-9/+-]{1,9})\)", en)}


def distinctive_words(terms: dict[str, edition.Term]) -> dict[str, set[str]]:
    """Per entry, the words of its English names that few other entries' names share."""
    words = {k: {w for f in [t.en, *t.other_en] for w in fold(f).split() if w not in STOP and not w.isdigit()}
             for k, t in terms.items() if t.category in NAMED}
    df = Counter(w for ws in words.values() for w in ws)
    return {k: {w for w in ws if df[w] <= 3} for k, ws in words.items()}


def collapse(text: str) -> tuple[str, list[int]]:
    """The text with line breaks and indentation folded to single spaces (names wrap in YAML),
    markup quotes and asterisks blanked, and for each character its line number."""
    out, lines = [], []
    for n, line in enumerate(text.split("\n"), 1):
        piece = line.strip() + " "
        out.append(piece)
        lines.extend([n] * len(piece))
    joined = "".join(out)
    # italics are part of a name; quotation marks and code end it
    return re.sub(r"[`\"“”]", "|", joined.replace("*", " ")), lines


def quoted_source_spans(text: str) -> list[tuple[int, int]]:
    """Spans of words quoted from a source: text in quotation marks on a line that gives a URL.
    Those are the source's words (evidence), not the edition's own naming."""
    spans, offset = [], 0
    for line in text.split("\n"):
        piece = line.strip() + " "
        if "http" in piece or piece.startswith(("en_source_quote:", "quote:")):
            if piece.startswith(("en_source_quote:", "quote:")):  # a perspectives position's quote too
                spans.append((offset, offset + len(piece)))
            for m in re.finditer(r"\"[^\"]+\"|“[^”]+”", piece):
                spans.append((offset + m.start(), offset + m.end()))
        offset += len(piece)
    return spans


def rendering_conflicts(path: Path, text: str, terms: dict[str, edition.Term]) -> list[str]:
    """Places where the text names a glossary body in a way that is neither its English name nor a
    recorded variant (`other_en`, the declared short form of the source): file:line messages."""
    if "\nreview:" in text:  # the record of the second review quotes the wording it replaced
        text = text[:text.index("\nreview:")]
    flat, line_of = collapse(text)
    exempt = quoted_source_spans(text)
    named = {k: t for k, t in terms.items() if t.category in NAMED}
    term_forms = {k: forms(t) for k, t in named.items()}
    distinct = distinctive_words(terms)
    problems = []

    def ok_for(key: str, phrase: str) -> bool:
        f = fold(phrase)
        return any(form in f or f in form for form in term_forms[key])

    # 1. An abbreviation in brackets must follow the full name it abbreviates (of any entry using it).
    names_of: dict[str, set[str]] = {}
    for t in named.values():
        for abbr in abbreviations(t):
            names_of.setdefault(abbr, set()).update(
                fold(re.sub(r"\s*\([^)]*\)", "", n)) for n in [t.en, *t.other_en, t.en_source_name] if n)
    for key, t in named.items():
        for abbr in abbreviations(t):
            # "Regulation (EU) 2016/679" is how EU law cites an act, not an abbreviation
            for m in re.finditer(rf"\(\s*{re.escape(abbr)}\s*\)(?!\s+\d{{4}}/\d+)", flat):
                if any(a <= m.start() < b for a, b in exempt):
                    continue
                before = fold(flat[max(0, m.start() - 160):m.start()])
                if not any(before.endswith(n) for n in names_of[abbr] if n and n != fold(abbr)):
                    tail = " ".join(before.split()[-8:])
                    problems.append(f"{path.relative_to(ROOT)}:{line_of[m.start()]}: '… {tail} ({abbr})' "
                                    f"does not give the name of {key!r}: {t.en!r}")
    # 2. A capitalised phrase built from the distinctive words of a name must be that name.
    for m in RUN.finditer(flat):
        if any(a <= m.start() < b for a, b in exempt):
            continue
        phrase = re.sub(r"[’']s$", "", m.group(0))
        while phrase.split(" ", 1)[0].lower() in OPENERS and " " in phrase:
            phrase = phrase.split(" ", 1)[1].lstrip()
        words = set(fold(phrase).split())
        if fold(phrase) in OTHER_BODIES or len(words) < 2:
            continue
        for key, ws in distinct.items():
            hit = ws & words
            if len(ws) >= 2 and len(hit) >= 2 and len(hit) >= 0.6 * len(ws) and not ok_for(key, phrase):
                if any(ok_for(other, phrase) for other in named if other != key and distinct[other] & words):
                    continue  # the phrase is another entry's name that shares these words
                problems.append(f"{path.relative_to(ROOT)}:{line_of[m.start()]}: {phrase!r} looks like "
                                f"{key!r} but is neither its name {terms[key].en!r} nor a recorded variant "
                                f"{terms[key].other_en}")
    return problems


# --- deliverable: one name per body -----------------------------------------------------------


@pytest.mark.parametrize("path", PUBLIC_TEXT, ids=lambda p: str(p.relative_to(ROOT)))
def test_each_body_has_one_english_name_everywhere(path):
    terms = edition.load_glossary()
    problems = rendering_conflicts(path, path.read_text(encoding="utf-8"), terms)
    assert not problems, "\n".join(problems[:12])


BAD_FIXTURE = """\
notes:
  - paragraph: s3-2-p02
    text: >-
      In 2017 the five countries agreed the BRICS Roadmap for Practical Cooperation on Ensuring
      Security in the Use of ICTs. China also works with the Global System for Mobile Communication
      Association (GSMA), and launched the China Joint Pavilion Online Platform in 2020.
  - paragraph: s3-3-p04
    text: >-
      China took part in the UN Open-ended Working Group (OEWG) on ICT security.
"""


def test_the_name_check_finds_other_renderings_of_a_body(tmp_path):
    bad = ROOT / "data" / "annotations" / "bad-fixture.yaml"  # a path inside the repository, for messages
    problems = rendering_conflicts(bad, BAD_FIXTURE, edition.load_glossary())
    text = "\n".join(problems)
    assert "'brics-cyber-roadmap'" in text, text       # "for" instead of "of": from the name's own words
    assert "(GSMA)" in text and ":6:" in text, text     # a back-translation before the abbreviation
    assert "'china-joint-exhibition-platform'" in text, text  # "Pavilion" for "Stand": 3 of 4 words
    assert "(OEWG)" in text and ":9:" in text, text     # an abbreviation after a name that is not the name
    good = BAD_FIXTURE.replace(" for Practical", " of Practical").replace(
        "Global System for Mobile Communication\n      Association", "GSM\n      Association").replace(
        "Pavilion", "Stand").replace("UN Open-ended Working Group (OEWG) on ICT security", "OEWG")
    assert rendering_conflicts(bad, good, edition.load_glossary()) == []


# --- deliverable: evidence for every official name ---------------------------------------------


def test_every_official_name_is_given_by_its_quoted_source():
    terms = edition.load_glossary()  # the loader already requires source_url and en_source_quote
    official = [t for t in terms.values() if t.en_status == "official"]
    assert official, f"{edition.GLOSSARY_FILE}: no official names"
    missing = [f"{edition.GLOSSARY_FILE}:{t.line}: {t.key}: {t.en_source_name or t.en!r} is not in the quoted "
               f"words {t.en_source_quote!r}" for t in official if not edition.name_in_quote(t)]
    assert not missing, "\n".join(missing)


def test_an_official_name_without_its_source_words_is_rejected(glossary_copy):
    text = glossary_copy.read_text(encoding="utf-8")
    start = text.index("- key: igf-mag\n")
    entry_end = text.index("\n- key:", start + 1)
    entry = text[start:entry_end]
    broken = re.sub(r"\n  en_source_quote: [^\n]*", "", entry)
    glossary_copy.write_text(text[:start] + broken + text[entry_end:], encoding="utf-8")
    line = text[:start].count("\n") + 1 + entry.split("\n").index("  en_status: official")
    with pytest.raises(DataError, match=rf"glossary\.yaml:{line}: igf-mag: an official English name needs "
                                        r"en_source_quote"):
        edition.load_glossary(glossary_copy)


def test_a_quote_that_does_not_give_the_name_is_caught(glossary_copy):
    text = glossary_copy.read_text(encoding="utf-8")
    old = "We decide to promote cooperation according to the BRICS Roadmap of Practical Cooperation"
    assert old in text
    glossary_copy.write_text(text.replace(old, "We decide to promote cooperation according to the BRICS "
                                               "Roadmap for Practical Cooperation"), encoding="utf-8")
    term = edition.load_glossary(glossary_copy)["brics-cyber-roadmap"]
    assert not edition.name_in_quote(term)


def test_a_short_form_must_be_part_of_the_name(glossary_copy):
    text = glossary_copy.read_text(encoding="utf-8")
    glossary_copy.write_text(text.replace("en_source_name: GSM Association", "en_source_name: Mobile Association",
                                          1), encoding="utf-8")
    with pytest.raises(DataError, match=r"glossary\.yaml:\d+: gsma: en_source_name 'Mobile Association' is "
                                        r"neither part of en nor one of other_en"):
        edition.load_glossary(glossary_copy)


# --- one rendering per term in the notes ------------------------------------------------------

GLOSS = r"\s*[（(]([^)）]+)[)）]"
NOT_A_RENDERING = re.compile(r"^(literally|lit\.|low|medium|high|s\d|concl|\d)", re.I)  # glosses, confidence, ids


def gloss_conflicts(path: Path, text: str, terms: dict[str, edition.Term]) -> list[str]:
    """Where a note glosses a glossary term in brackets, 网络文明 (…), the gloss must be the term's
    English rendering or a recorded variant, so a reader meets one rendering per term."""
    by_zh = {form: t for t in terms.values() for form in t.forms}
    pattern = re.compile("(" + "|".join(sorted(map(re.escape, by_zh), key=len, reverse=True)) + ")" + GLOSS)
    flat, line_of = collapse(text)
    problems = []
    for m in pattern.finditer(flat):
        term, gloss = by_zh[m.group(1)], m.group(2).strip(" |'")
        if NOT_A_RENDERING.match(gloss):
            continue
        g = fold(gloss)
        if not any(g == f or f in g for f in forms(term)):
            problems.append(f"{path.relative_to(ROOT)}:{line_of[m.start()]}: {m.group(1)} ({gloss}) is not the "
                            f"glossary's rendering {term.en!r} or a variant {term.other_en}")
    return problems


@pytest.mark.parametrize("path", sorted((ROOT / "data" / "annotations").glob("*.yaml")),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_notes_gloss_each_term_with_its_one_rendering(path):
    problems = gloss_conflicts(path, path.read_text(encoding="utf-8"), edition.load_glossary())
    assert not problems, "\n".join(problems)


def test_the_gloss_check_finds_a_second_rendering():
    bad = ROOT / "data" / "annotations" / "bad-fixture.yaml"
    text = "text: >-\n  The conclusion wants a cyberspace more 公平合理 (fair and reasonable), and\n  网络文明 (online civility).\n"
    problems = gloss_conflicts(bad, text, edition.load_glossary())
    assert [p.split(": ", 1)[0] for p in problems] == [f"{bad.relative_to(ROOT)}:2", f"{bad.relative_to(ROOT)}:3"], problems
    fixed = text.replace("fair and reasonable", "fair and equitable").replace("online civility", "a civilised online environment")
    assert gloss_conflicts(bad, fixed, edition.load_glossary()) == []
