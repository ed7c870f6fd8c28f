"""The timeline page says it gives every date in the text. Hold it to that: every year the ledger
quotes from the text is drawn on the timeline, unless it is only part of a title (the 2030 Agenda,
a plan for 2022–2023)."""

from __future__ import annotations

import re

from cyberspace_edition import charts, facts

TITLE_KINDS = {"name", "range"}  # a year inside a document's title or a title's span of years


def undrawn_years(ledger) -> list[str]:
    drawn = set(charts.dated_events(ledger)["start"].str[:4])
    out = []
    for _, row in ledger.iterrows():
        if row["kind"] in TITLE_KINDS:
            continue
        for year in re.findall(r"(?<!\d)((?:19|20)\d\d)年", row["quote"]):
            if year not in drawn:
                out.append(f"{facts.FACTS_FILE}: {row['id']} ({row['paragraph']}) quotes {year}, which the "
                           f"timeline does not draw; add a date row for it")
    return out


def test_the_timeline_draws_every_year_the_text_gives():
    assert not undrawn_years(facts.load_facts())


def test_a_year_given_only_inside_a_count_is_reported():
    ledger = facts.load_facts()
    without = ledger[~ledger["id"].isin(["un-cybercrime-expert-group-2011-date"])]
    problems = undrawn_years(without)
    assert any("un-cybercrime-expert-group-meetings-2011-2021" in p and "2011" in p for p in problems), problems
