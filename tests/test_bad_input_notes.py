"""A bad field in a note, a reading guide or a perspectives position stops with the line of that
field (or of the bad id inside a folded text), not the line where the note starts."""

from __future__ import annotations

import pytest

from cyberspace_edition import edition
from cyberspace_edition.errors import DataError


def _replace(path, old: str, new: str) -> int:
    """Replace the first ``old`` with ``new``; the line that now holds ``new``'s first line."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name}: the test's anchor {old!r} is gone; update the test"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[:text.index(old)].count("\n") + 1 + old[:len(old) - len(old.lstrip("\n"))].count("\n")


def _note_start(path, paragraph: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return lines.index(f"  - paragraph: {paragraph}") + 1


def test_an_unknown_paragraph_id_inside_a_note_names_its_own_line(annotations_copy):
    path = annotations_copy / "s3-2.yaml"
    line = _replace(path, "[s3-2-p04], and cybercrime", "[s3-2-p94], and cybercrime")
    assert line > _note_start(path, "s3-2-p01") + 2, "the anchor should sit inside the note's text"
    with pytest.raises(DataError, match=rf"s3-2\.yaml:{line}: note cites unknown paragraph id 's3-2-p94'$"):
        edition.load_annotations("s3-2")


def test_an_unknown_fact_in_a_reading_guide_names_its_own_line(annotations_copy):
    path = annotations_copy / "s3-2.yaml"
    line = _replace(path, "{fact}`cncert-partner-countries-2021` countries and regions by 2021",
                    "{fact}`cncert-partner-countris-2021` countries and regions by 2021")
    with pytest.raises(DataError, match=rf"s3-2\.yaml:{line}: {{fact}} names no row of data/facts\.csv: "
                                        r"'cncert-partner-countris-2021'"):
        edition.load_annotations("s3-2")


def test_a_note_of_an_unknown_kind_names_the_kind_line(annotations_copy):
    path = annotations_copy / "s3-2.yaml"
    start = _note_start(path, "s3-2-p01")
    line = _replace(path, "  - paragraph: s3-2-p01\n    kind: editorial", "  - paragraph: s3-2-p01\n    kind: aside")
    assert line == start
    with pytest.raises(DataError, match=rf"s3-2\.yaml:{start + 1}: note kind 'aside' is not one of"):
        edition.load_annotations("s3-2")


def test_a_cited_source_that_is_neither_url_nor_paragraph_names_the_sources_line(annotations_copy):
    path = annotations_copy / "s3-2.yaml"
    line = _replace(path, "    sources: [s3-2-p01, s3-2-p02,", "    sources: [s3-2-p01, s3-2-p20,")
    with pytest.raises(DataError, match=rf"s3-2\.yaml:{line}: note cites unknown paragraph id 's3-2-p20'"):
        edition.load_annotations("s3-2")


def test_a_position_with_a_bad_date_names_the_date_line(annotations_copy):
    path = annotations_copy / "s4.yaml"
    line = _replace(path, "        date: 2017-03-01\n", "        date: March 2017\n")
    with pytest.raises(DataError, match=rf"s4\.yaml:{line}: position date 'March 2017' is not YYYY"):
        edition.load_annotations("s4")


def test_a_position_whose_source_is_not_a_url_names_the_source_line(annotations_copy):
    path = annotations_copy / "s4.yaml"
    line = _replace(path, '        source: "http://www.china-embassy.org/eng/sgxw/newsletters/t1443169.htm"',
                    '        source: "china-embassy.org, newsletter"')
    with pytest.raises(DataError, match=rf"s4\.yaml:{line}: position source is not a URL"):
        edition.load_annotations("s4")


def test_a_perspectives_note_must_cite_the_paragraph_it_weighs(annotations_copy):
    path = annotations_copy / "s4.yaml"
    line = _replace(path, "      What the text claims: [s4-1-p01] applies", "      What the text claims: the paragraph applies")
    with pytest.raises(DataError, match=rf"s4\.yaml:{line - 1}: a perspectives note says what the text claims, "
                                        r"citing \[s4-1-p01\]"):
        edition.load_annotations("s4")  # the error names the note's `text:` line, just above
