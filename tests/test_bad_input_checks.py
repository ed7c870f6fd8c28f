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


def test_the_checks_are_skipped_only_for_data_that_passed_them(tmp_path, monkeypatch):
    """A no-change rebuild skips the checks; any change to data/ or the code runs them again, and a
    build that failed them never counts as passed."""
    from types import SimpleNamespace

    from cyberspace_edition.errors import DataError

    app = SimpleNamespace(doctreedir=str(tmp_path / ".doctrees"))
    calls: list[str] = []
    key = {"now": "data-1"}
    found: list[DataError] = []
    monkeypatch.setattr(checks, "data_key", lambda: key["now"])
    monkeypatch.setattr(checks, "data_problems", lambda: calls.append(key["now"]) or list(found))

    checks.check_data_files(app)
    checks.check_data_files(app)
    assert calls == ["data-1"], f"checks ran {calls} for one unchanged set of data: the stamp is not used"
    key["now"], found[:] = "data-2", [DataError(tmp_path / "facts.csv", 3, "a bad quote")]
    with pytest.raises(checks.DataProblems, match="facts.csv:3: a bad quote"):
        checks.check_data_files(app)
    with pytest.raises(checks.DataProblems):
        checks.check_data_files(app)
    assert calls == ["data-1", "data-2", "data-2"], "data that failed the checks was later skipped as passed"


def test_the_data_key_changes_with_any_data_file(tmp_path, monkeypatch):
    data = tmp_path / "data"
    (data / "translation").mkdir(parents=True)
    (data / "translation" / "s3-2.yaml").write_text("a: 1\n", encoding="utf-8")
    monkeypatch.setattr(checks.inputs, "DATA", data)
    monkeypatch.setattr(checks.inputs, "ROOT", tmp_path)
    monkeypatch.setattr(checks.inputs, "extension_key", lambda: "the code")
    before = checks.data_key()
    (data / "translation" / "s3-2.yaml").write_text("a: 2\n", encoding="utf-8")
    assert checks.data_key() != before, "data/translation/s3-2.yaml changed, the checks' key did not"
