"""Every number the book shows traces to the text or to a cited outside source."""

from __future__ import annotations

import csv
import io
import re
import shutil

import pytest

from cyberspace_edition import facts
from cyberspace_edition.errors import DataError


def test_every_digit_of_the_text_is_in_the_ledger():
    missing = facts.uncovered_digits()
    assert not missing, f"{facts.FACTS_FILE}: no row quotes these digit runs (paragraph, digits): {missing}"


@pytest.mark.parametrize("phrase", ["第十一次", "第九次", "第十四次", "第二十三次", "第八次", "第三次",
                                    "连续八年", "八年来", "五届", "四次会议", "八次会议", "五大洲", "金砖五国"])
def test_counts_in_chinese_numerals_are_in_the_ledger(phrase):
    df = facts.load_facts()
    assert df["quote"].str.contains(phrase).any(), f"{facts.FACTS_FILE}: no row quotes {phrase!r}"


def test_wic_editions_cover_2014_to_2022_with_2020_as_forum():
    df = facts.wic_editions()
    assert list(df["year"]) == list(range(2014, 2023)), "data/external/wic_editions.csv: years are not 2014–2022"
    fmt = dict(zip(df["year"], df["format"]))
    assert fmt[2020].startswith("forum"), "data/external/wic_editions.csv: 2020 is not marked as the forum"
    assert fmt[2022].startswith("summit"), "data/external/wic_editions.csv: 2022 is not marked as the summit"


def test_cncert_2021_row_agrees_with_the_text():
    df = facts.cncert_partners()
    row = df[df["year"] == 2021].iloc[0]
    assert (row["organisations"], row["countries_regions"], row["mou_organisations"]) == (
        facts.value("cncert-partner-orgs-2021"), facts.value("cncert-partner-countries-2021"),
        facts.value("cncert-cyber-mous-2021")), "data/external/cncert_partners.csv: 2021 differs from s3-2-p03"


# --- bad input --------------------------------------------------------------------------


@pytest.fixture
def ledger_copy(tmp_path):
    copy = tmp_path / "facts.csv"
    shutil.copy(facts.FACTS_FILE, copy)
    yield copy
    facts.load_facts.cache_clear()


def _edit(path, old, new):
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if new in line)


def test_quote_not_in_paragraph(ledger_copy):
    line = _edit(ledger_copy, "274个计算机应急响应组织", "275个计算机应急响应组织")
    with pytest.raises(DataError, match=rf"facts\.csv:{line}: cncert-partner-orgs-2021: quote .* is not in paragraph s3-2-p03"):
        facts.load_facts(ledger_copy)


def test_unknown_paragraph_id(ledger_copy):
    line = _edit(ledger_copy, "cncert-partner-orgs-2021,s3-2-p03", "cncert-partner-orgs-2021,s3-2-p99")
    with pytest.raises(DataError, match=rf"facts\.csv:{line}: .* unknown paragraph id 's3-2-p99'"):
        facts.load_facts(ledger_copy)


def test_duplicate_fact_id(ledger_copy):
    first = _edit(ledger_copy, "cncert-partner-countries-2021,", "cncert-partner-orgs-2021,")
    lines = ledger_copy.read_text(encoding="utf-8").splitlines()
    second = next(n for n, l in enumerate(lines, 1) if l.startswith("cncert-partner-orgs-2021,") and n != first)
    with pytest.raises(DataError, match=rf"facts\.csv:{second}: duplicate id 'cncert-partner-orgs-2021' "
                                        rf"\(first on line {first}\)"):
        facts.load_facts(ledger_copy)


def test_malformed_row(ledger_copy):
    with ledger_copy.open("a", encoding="utf-8") as fh:
        fh.write("only,three,fields\n")
    n = len(ledger_copy.read_text(encoding="utf-8").splitlines())
    with pytest.raises(DataError, match=rf"facts\.csv:{n}: malformed row: 3 fields, expected 8"):
        facts.load_facts(ledger_copy)


def test_invalid_date(ledger_copy):
    text = ledger_copy.read_text(encoding="utf-8")
    row = next(l for l in text.splitlines() if l.startswith("museum-relay-2020-date,"))
    bad = re.sub(r",2020-09,", ",2020-13,", row)
    ledger_copy.write_text(text.replace(row, bad), encoding="utf-8")
    line = text.splitlines().index(row) + 1
    with pytest.raises(DataError, match=rf"facts\.csv:{line}: museum-relay-2020-date: date '2020-13' is not ISO 8601"):
        facts.load_facts(ledger_copy)


def test_wrong_encoding(ledger_copy):
    ledger_copy.write_bytes(ledger_copy.read_text(encoding="utf-8").encode("gb18030"))
    with pytest.raises(DataError, match=r"facts\.csv:0: not UTF-8"):
        facts.load_facts(ledger_copy)


@pytest.fixture
def external_copy(tmp_path, monkeypatch):
    """A copy of data/external/ used in place of the real one; the loaders' caches are cleared."""
    folder = tmp_path / "external"
    shutil.copytree(facts.EXTERNAL, folder)
    monkeypatch.setattr(facts, "EXTERNAL", folder)
    loaders = (facts.wic_editions, facts.cncert_partners, facts.wic_organisation)
    for load in loaders:
        load.cache_clear()
    yield folder
    for load in loaders:
        load.cache_clear()


@pytest.mark.parametrize("name, load", [("cncert_partners.csv", facts.cncert_partners),
                                        ("wic_editions.csv", facts.wic_editions),
                                        ("wic_organisation.csv", facts.wic_organisation)])
def test_outside_row_without_a_source_or_with_an_unknown_confidence(external_copy, name, load):
    path = external_copy / name
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].strip().split(",")
    row = next(csv.reader([lines[2]]))
    no_source = dict(zip(header, row), source_url="")
    path.write_text("".join(lines[:2]) + _csv_line(header, no_source) + "".join(lines[3:]), encoding="utf-8")
    with pytest.raises(DataError, match=rf"{name}:3: row has no source_url"):
        load()
    load.cache_clear()
    unsure = dict(zip(header, row), confidence="certain")
    path.write_text("".join(lines[:2]) + _csv_line(header, unsure) + "".join(lines[3:]), encoding="utf-8")
    with pytest.raises(DataError, match=rf"{name}:3: confidence 'certain' is not one of"):
        load()


def _csv_line(header: list[str], row: dict) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([row[c] for c in header])
    return out.getvalue()
