"""The build's first step reads every data file through its loader (extension/checks.py): one bad
value gives one line, `file:line: problem`, before any page is read or any notebook runs."""

from __future__ import annotations

import pytest

from cyberspace_edition.extension import checks

from .test_extension import build, make_book


def _replace(path, old: str, new: str) -> int:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name}: the test's anchor {old!r} is gone; update the test"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[:text.index(old)].count("\n") + 1


def _only_problem(data) -> str:
    problems = [str(p) for p in checks.data_problems()]
    assert len(problems) == 1, "expected one problem, each file and line once:\n" + "\n".join(problems)
    return problems[0].replace(str(data.parent) + "/", "")


def test_a_bad_fact_quote_is_one_line(data_copy):
    line = _replace(data_copy / "facts.csv", "已与81个国家和地区的274个", "已与81个国家和地区的275个")
    problem = _only_problem(data_copy)  # the notes and guides that use {fact} do not repeat it
    assert problem.startswith(f"data/facts.csv:{line}: cncert-partner-orgs-2021: quote "), problem
    assert problem.endswith("is not in paragraph s3-2-p03"), problem


def test_a_bad_glossary_key_is_one_line(data_copy):
    line = _replace(data_copy / "glossary.yaml", "- key: digital-divide\n", "- key: Digital Divide\n")
    assert _only_problem(data_copy) == (f"data/glossary.yaml:{line}: key 'Digital Divide' is not lower-case "
                                        "ASCII with hyphens")


def test_a_malformed_note_field_is_one_line_naming_the_field(data_copy):
    path = data_copy / "annotations" / "s3-2.yaml"
    line = _replace(path, "[s3-2-p04], and cybercrime", "[s3-2-p4], and cybercrime")
    assert _only_problem(data_copy) == f"data/annotations/s3-2.yaml:{line}: note cites unknown paragraph id 's3-2-p4'"


def test_problems_in_two_files_are_both_given(data_copy):
    _replace(data_copy / "facts.csv", "已与81个国家和地区的274个", "已与81个国家和地区的275个")
    _replace(data_copy / "further_reading.yaml", "s3-2:", "s3-9:")
    problems = [str(p) for p in checks.data_problems()]
    assert [p.split(":", 1)[0].rsplit("/", 1)[1] for p in problems] == ["facts.csv", "further_reading.yaml"], problems


def test_a_build_stops_before_reading_any_page(data_copy, tmp_path):
    _replace(data_copy / "facts.csv", "已与81个国家和地区的274个", "已与81个国家和地区的275个")
    root = make_book(tmp_path / "book", {"chapter": "# Chapter\n\n```{source-paragraph} s3-2-p03\n```\n"},
                     parts=["checks", "nodes", "text_placement"])
    with pytest.raises(checks.DataProblems, match=r"^\S+/data/facts\.csv:\d+: cncert-partner-orgs-2021: quote"):
        build(root)
    assert not list(tmp_path.rglob("*.doctree")), "pages were read despite bad data"
