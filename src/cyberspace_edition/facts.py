"""The ledger of the text's facts (data/facts.csv) and the outside data (data/external/).

Every number or date the book shows comes from here: from a verbatim quote of a
numbered paragraph, or from an outside source with its URL and confidence.
Loading checks each row and raises DataError naming the file and the line.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .datafiles import read_csv
from .errors import DataError
from .paths import DATA
from .text import load_text

FACTS_FILE = DATA / "facts.csv"
FACT_COLUMNS = ["id", "paragraph", "quote", "value", "unit", "date", "kind", "note"]
FACT_KINDS = {"date", "count", "ordinal", "duration", "range", "name"}
EXTERNAL = DATA / "external"
CONFIDENCE = {"high", "medium", "low"}

_ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def valid_iso(value: str) -> bool:
    """YYYY, YYYY-MM, YYYY-MM-DD, or an interval of two of them joined by '/'."""
    parts = value.split("/")
    if len(parts) > 2 or not all(_ISO.match(p) for p in parts):
        return False
    for p in parts:
        y, m, d = (list(map(int, p.split("-"))) + [1, 1])[:3]
        try:
            date(y, m, d)
        except ValueError:
            return False
    return len(parts) == 1 or parts[0] <= parts[1]


def year_of(value: str) -> int | None:
    return int(value[:4]) if value else None


@lru_cache(maxsize=None)
def load_facts(path: Path | None = None) -> pd.DataFrame:
    """The ledger as a DataFrame (value as float, year as int), every row checked."""
    path = path or FACTS_FILE
    rows = read_csv(path, FACT_COLUMNS)
    blocks = load_text().by_id()
    seen: dict[str, int] = {}
    for r in rows:
        line = r["_line"]
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", r["id"]):
            raise DataError(path, line, f"id {r['id']!r} is not lower-case ASCII with hyphens")
        if r["id"] in seen:
            raise DataError(path, line, f"duplicate id {r['id']!r} (first on line {seen[r['id']]})")
        seen[r["id"]] = line
        if r["paragraph"] not in blocks:
            raise DataError(path, line, f"{r['id']}: unknown paragraph id {r['paragraph']!r}")
        if not r["quote"] or r["quote"] not in blocks[r["paragraph"]].text:
            raise DataError(path, line, f"{r['id']}: quote {r['quote']!r} is not in paragraph {r['paragraph']}")
        try:
            r["value"] = float(r["value"])
        except ValueError:
            raise DataError(path, line, f"{r['id']}: value {r['value']!r} is not a number") from None
        if r["kind"] not in FACT_KINDS:
            raise DataError(path, line, f"{r['id']}: kind {r['kind']!r} is not one of {sorted(FACT_KINDS)}")
        if r["date"] and not valid_iso(r["date"]):
            raise DataError(path, line, f"{r['id']}: date {r['date']!r} is not ISO 8601")
        if r["kind"] == "date" and not r["date"]:
            raise DataError(path, line, f"{r['id']}: a date claim needs its date")
    df = pd.DataFrame(rows)
    if df.empty:
        raise DataError(path, 1, "no rows")
    df["year"] = df["date"].map(year_of).astype("Int64")
    return df


def fact(fact_id: str) -> pd.Series:
    """One row of the ledger, by id; a missing id is an error naming the ledger."""
    df = load_facts()
    match = df[df["id"] == fact_id]
    if match.empty:
        raise DataError(FACTS_FILE, 0, f"no fact with id {fact_id!r}")
    return match.iloc[0]


def value(fact_id: str) -> int | float:
    """A fact's value, as an int when it is whole (for prose: {glue:text})."""
    v = fact(fact_id)["value"]
    return int(v) if float(v).is_integer() else v


def uncovered_digits() -> list[tuple[str, str]]:
    """(paragraph id, digit run) for every run of digits no quote of its paragraph covers."""
    df = load_facts()
    missing = []
    for block in load_text().blocks:
        body = block.text
        if block.kind == "subhead":
            body = re.sub(r"^\d\.", " ", body)  # the sub-head's own number is not a claim
        quotes = df.loc[df["paragraph"] == block.id, "quote"].tolist()
        covered = [False] * len(body)
        for q in quotes:
            for m in re.finditer(re.escape(q), body):
                for i in range(m.start(), m.end()):
                    covered[i] = True
        for m in re.finditer(r"\d+", body):
            if not all(covered[m.start():m.end()]):
                missing.append((block.id, m.group(0)))
    return missing


# --- outside data -----------------------------------------------------------------


def _external(name: str, columns: list[str], numeric: list[str], dates: list[str]) -> pd.DataFrame:
    path = EXTERNAL / name
    rows = read_csv(path, columns)
    for r in rows:
        line = r["_line"]
        if not r.get("source_url"):
            raise DataError(path, line, "row has no source_url")
        if r.get("confidence") not in CONFIDENCE:
            raise DataError(path, line, f"confidence {r.get('confidence')!r} is not one of {sorted(CONFIDENCE)}")
        for c in numeric:
            if r[c] and not re.fullmatch(r"\d+", r[c]):
                raise DataError(path, line, f"{c} {r[c]!r} is not a whole number")
        for c in dates:
            if r[c] and not valid_iso(r[c]):
                raise DataError(path, line, f"{c} {r[c]!r} is not an ISO 8601 date")
    df = pd.DataFrame(rows)
    for c in numeric:
        df[c] = pd.to_numeric(df[c].replace("", None)).astype("Int64")
    return df


WIC_COLUMNS = ["edition", "year", "name_zh", "name_en", "format", "start_date", "end_date", "theme_zh",
               "theme_en", "theme_en_status", "guests", "guests_note", "countries_regions",
               "countries_regions_note", "sub_forums", "sub_forums_note", "achievements_released",
               "achievements_note", "confidence", "source_url", "source_urls_more", "note"]
CNCERT_COLUMNS = ["as_of", "year", "countries_regions", "organisations", "mou_organisations",
                  "confidence", "source_url", "source_quote", "note"]
WIC_ORG_COLUMNS = ["fact", "value", "date", "confidence", "source_url", "source_quote", "note"]


@lru_cache(maxsize=None)
def wic_editions() -> pd.DataFrame:
    return _external("wic_editions.csv", WIC_COLUMNS,
                     ["edition", "year", "guests", "countries_regions", "sub_forums", "achievements_released"],
                     ["start_date", "end_date"])


@lru_cache(maxsize=None)
def cncert_partners() -> pd.DataFrame:
    return _external("cncert_partners.csv", CNCERT_COLUMNS,
                     ["year", "countries_regions", "organisations", "mou_organisations"], [])


@lru_cache(maxsize=None)
def wic_organisation() -> pd.DataFrame:
    return _external("wic_organisation.csv", WIC_ORG_COLUMNS, [], ["date"])
