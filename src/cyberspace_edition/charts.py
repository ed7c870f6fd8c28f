"""The edition's charts: one function per chart, data in, chart out.

Every function takes DataFrames from ``facts`` (the text's ledger or the outside
data) and returns an ``EditionChart``: the Altair chart with a text description,
the data table behind it and its sources. Titles and axes are in Chinese and
English; marks link to the paragraph they come from.
"""

from __future__ import annotations

import re

import altair as alt
import pandas as pd

from . import edition
from .altair_offline import EditionChart
from .text import load_text

WIDTH = 560
TEXT_SOURCE = "text: 《携手构建网络空间命运共同体》 (SCIO, 2022)"
CHAPTER_ORDER = list(edition.CHAPTER_NAMES.values())
CONFIDENCE_OPACITY = alt.Scale(domain=["text", "high", "medium", "low"], range=[1, 0.9, 0.6, 0.3])


def _with_links(df: pd.DataFrame, column: str = "paragraph") -> pd.DataFrame:
    df = df.copy()
    df["url"] = df[column].map(edition.paragraph_url)
    return df


def _cite(paragraphs) -> str:
    return "paragraphs " + ", ".join(sorted(set(paragraphs)))


# --- CNCERT's partners -----------------------------------------------------------------


def cncert_partners(ledger: pd.DataFrame, outside: pd.DataFrame) -> EditionChart:
    """274 partner organisations as 274 marks, the 33 with MoUs highlighted; other years beside."""
    orgs = ledger.set_index("id").loc["cncert-partner-orgs-2021"]
    countries = ledger.set_index("id").loc["cncert-partner-countries-2021"]
    mous = ledger.set_index("id").loc["cncert-cyber-mous-2021"]
    n_orgs, n_countries, n_mous = int(orgs["value"]), int(countries["value"]), int(mous["value"])
    per_row = 18
    mou_label, other_label = "签订合作备忘录 with a cooperation MoU", "其他合作伙伴 other partners"
    unit_chart = alt.Chart(alt.sequence(0, n_orgs, as_="i")).transform_calculate(
        col=f"datum.i % {per_row}",
        row=f"floor(datum.i / {per_row})",
        kind=f"datum.i < {n_mous} ? '{mou_label}' : '{other_label}'",
    ).mark_square(size=70).encode(
        x=alt.X("col:O", axis=None),
        y=alt.Y("row:O", axis=None),
        color=alt.Color("kind:N", title=None,
                        scale=alt.Scale(domain=[mou_label, other_label], range=["#c0392b", "#a9bfd4"]),
                        legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=260)),
        href=alt.value(edition.paragraph_url(orgs["paragraph"])),
        tooltip=[alt.Tooltip("kind:N", title="组织 Organisation")],
    ).properties(
        width=250, height=250,
        title=alt.Title(f"{n_orgs} 个合作伙伴组织，{n_countries} 个国家和地区（截至2021年）",
                        subtitle=[f"{n_orgs} partner organisations in {n_countries} countries",
                                  f"and regions, {n_mous} with MoUs (text, ¶ {orgs['paragraph']})"]),
    )

    years = outside[outside["confidence"] != "low"].copy()
    years["source"] = years["source_url"].where(~years["source_url"].str.startswith("text:"), "the white paper")
    years["confidence"] = years.apply(
        lambda r: "text" if r["source_url"].startswith("text:") else r["confidence"], axis=1)
    years["url"] = years["source_url"].map(
        lambda u: edition.paragraph_url(u.removeprefix("text:")) if u.startswith("text:") else u)
    base = alt.Chart(years).encode(
        x=alt.X("year:O", title="年份 Year (as of)"),
        y=alt.Y("organisations:Q", title="合作伙伴组织 Partner organisations", scale=alt.Scale(zero=True)),
    )
    line = base.mark_line(color="#888", strokeDash=[4, 3])
    confidence_domain = ["text", "high", "medium", "low"]
    points = base.mark_point(filled=True, size=120).encode(
        color=alt.Color("confidence:N", scale=alt.Scale(domain=confidence_domain,
                                                       range=["#c0392b", "#2c5f8a", "#7fa3c4", "#bbbbbb"]),
                        legend=alt.Legend(title="来源与可信度 Source and confidence", orient="bottom", titleLimit=320)),
        shape=alt.Shape("confidence:N", scale=alt.Scale(domain=confidence_domain,
                                                       range=["diamond", "circle", "circle", "triangle"]),
                        legend=None),
        href="url:N",
        tooltip=[alt.Tooltip("as_of:N", title="截至 As of"),
                 alt.Tooltip("organisations:Q", title="组织 Organisations"),
                 alt.Tooltip("countries_regions:Q", title="国家和地区 Countries and regions"),
                 alt.Tooltip("confidence:N", title="可信度 Confidence"),
                 alt.Tooltip("source:N", title="来源 Source")],
    )
    labels = base.mark_text(dy=-12, fontSize=11).encode(
        text=alt.Text("label:N")).transform_calculate(
        label="datum.organisations + ' / ' + datum.countries_regions")
    trend = (line + points + labels).properties(
        width=200, height=250,
        title=alt.Title("其他年份（外部来源）", subtitle=["Other years, outside sources:",
                                                        "organisations / countries and regions"]),
    )
    chart = alt.hconcat(unit_chart, trend, spacing=30).resolve_scale(color="independent")

    table = outside[["as_of", "countries_regions", "organisations", "mou_organisations", "confidence",
                     "source_url", "note"]].copy()
    return EditionChart(
        chart,
        description=(f"{n_orgs} squares, one per CNCERT international partner organisation as of 2021, "
                     f"{n_mous} of them highlighted for the organisations that signed cybersecurity "
                     f"cooperation memoranda; the partners are in {n_countries} countries and regions. "
                     "Beside it, partner counts from outside sources for other years: "
                     + "; ".join(f"{r.as_of}: {r.organisations} organisations in {r.countries_regions} "
                                 f"countries and regions ({r.confidence} confidence)"
                                 for r in years.itertuples()) + "."),
        table=table,
        sources=[f"{TEXT_SOURCE}, ¶ {orgs['paragraph']}",
                 *sorted({u for u in outside["source_url"] if u.startswith("http")})],
    )


# --- World Internet Conference -----------------------------------------------------------


def wic_editions(editions: pd.DataFrame, ledger: pd.DataFrame) -> EditionChart:
    """The conferences in Wuzhen, 2014–2022: guests and countries, by format, themes in tooltips."""
    eight = ledger.set_index("id").loc["wic-eight-consecutive-years"]
    df = editions.copy()
    df["格式 Format"] = df["format"].map(_wic_format)
    df["dates"] = df["start_date"] + " – " + df["end_date"]
    long = df.melt(
        id_vars=["edition", "year", "格式 Format", "dates", "theme_zh", "theme_en", "sub_forums",
                 "achievements_released", "confidence", "guests_note", "countries_regions_note"],
        value_vars=["countries_regions", "guests"], var_name="measure", value_name="count")
    long["count_note"] = long.apply(
        lambda r: r["guests_note"] if r["measure"] == "guests" else r["countries_regions_note"], axis=1)
    long["measure"] = long["measure"].map({
        "countries_regions": "国家和地区 Countries and regions", "guests": "嘉宾 Guests"})
    long = long.dropna(subset=["count"]).drop(columns=["guests_note", "countries_regions_note"])
    fmt_scale = alt.Scale(domain=["大会 Conference", "论坛 Forum (2020)", "峰会 Summit (2022)"],
                          range=["#2c5f8a", "#e39c2d", "#7b3f98"])
    bars = alt.Chart(long).mark_bar().encode(
        x=alt.X("year:O", title="年份 Year"),
        y=alt.Y("count:Q", title=None),
        color=alt.Color("格式 Format:N", scale=fmt_scale, legend=alt.Legend(orient="bottom")),
        opacity=alt.Opacity("confidence:O", scale=CONFIDENCE_OPACITY,
                            legend=alt.Legend(title="可信度 Confidence", orient="bottom")),
        href=alt.value(edition.paragraph_url(eight["paragraph"])),
        tooltip=[alt.Tooltip("edition:O", title="届 Edition"),
                 alt.Tooltip("dates:N", title="日期 Dates"),
                 alt.Tooltip("格式 Format:N"),
                 alt.Tooltip("theme_zh:N", title="主题 Theme"),
                 alt.Tooltip("theme_en:N", title="Theme"),
                 alt.Tooltip("count:Q", title="人数 / 数量 Count"),
                 alt.Tooltip("count_note:N", title="说明 As the sources give it"),
                 alt.Tooltip("sub_forums:Q", title="分论坛 Sub-forums"),
                 alt.Tooltip("achievements_released:Q", title="领先科技成果 Leading achievements"),
                 alt.Tooltip("confidence:N", title="可信度 Confidence")],
    ).properties(width=WIDTH, height=140)
    eight_label = f"连续八年 eight consecutive years, 2014–2021 (¶ {eight['paragraph']})"
    facet = bars.facet(
        row=alt.Row("measure:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left",
                                                               labelAnchor="start", labelFontSize=12)),
    ).resolve_scale(y="independent")
    chart = facet.properties(title=alt.Title(
        "世界互联网大会乌镇峰会 2014–2022",
        subtitle=["The World Internet Conference in Wuzhen: countries and regions represented, and guests",
                  f"{eight_label}; 2020: a forum replaced the seventh conference; "
                  "2022: first summit after the WIC became an international organisation (July 2022)"]))
    table = df[["edition", "year", "format", "dates", "theme_zh", "theme_en", "guests", "guests_note",
                "countries_regions", "countries_regions_note", "sub_forums", "sub_forums_note",
                "achievements_released", "confidence", "source_url"]]
    return EditionChart(
        chart,
        description=("Bar charts by year, 2014 to 2022, of the countries and regions represented and of "
                     "the guests at each World Internet Conference in Wuzhen. " + " ".join(
                         f"{r.year}: {_wic_format(r.format).split(' ', 1)[1]}; countries and regions: "
                         f"{r.countries_regions_note or r.countries_regions if pd.notna(r.countries_regions) else 'unknown'}; "
                         f"guests: {r.guests_note or r.guests if pd.notna(r.guests) else 'unknown'}."
                         for r in df.itertuples())),
        table=table,
        sources=[f"{TEXT_SOURCE}, ¶ {eight['paragraph']}", *sorted(set(df["source_url"]))],
    )


def _wic_format(fmt: str) -> str:
    if fmt.startswith("forum"):
        return "论坛 Forum (2020)"
    if fmt.startswith("summit"):
        return "峰会 Summit (2022)"
    return "大会 Conference"


# --- timelines of the text's dates -------------------------------------------------------


def dated_events(ledger: pd.DataFrame) -> pd.DataFrame:
    """Every dated event the text names: date rows of the ledger, one per event."""
    df = ledger[ledger["kind"] == "date"].copy()
    df["chapter"] = df["paragraph"].map(lambda p: edition.CHAPTER_NAMES[edition.chapter_of(p)])
    df["start"] = df["date"].str.split("/").str[0].map(_as_date)
    df["precision"] = df["date"].str.split("/").str[0].str.len().map({4: "year", 7: "month", 10: "day"})
    return _with_links(df.sort_values(["start", "paragraph"]))


def _as_date(value: str) -> str:
    return (value + "-07-01")[:10] if len(value) == 4 else (value + "-15")[:10] if len(value) == 7 else value


def timeline(ledger: pd.DataFrame, chapter: str | None = None, *, title_zh: str, title_en: str) -> EditionChart:
    """Dated events, coloured by chapter; each mark links to its paragraph."""
    events = dated_events(ledger)
    if chapter:
        events = events[events["paragraph"].map(edition.chapter_of) == chapter]
    events = events.copy()
    base = alt.Chart(events[["id", "start", "chapter", "date", "quote", "note", "paragraph", "url"]]).encode(
        x=alt.X("start:T", title="日期 Date", axis=alt.Axis(format="%Y", tickCount="year"),
                scale=alt.Scale(padding=12)),
        y=alt.Y("chapter:N", title=None, sort=CHAPTER_ORDER,
                axis=alt.Axis(labelLimit=260) if not chapter else None),
    )
    points = base.mark_circle(size=140, opacity=0.85).encode(
        color=alt.Color("chapter:N", sort=CHAPTER_ORDER, title="章节 Chapter",
                        legend=alt.Legend(orient="bottom", columns=2, labelLimit=320) if not chapter else None),
        href="url:N",
        yOffset=alt.YOffset("jitter:Q", scale=alt.Scale(domain=[-1, 1])),
        tooltip=[alt.Tooltip("date:N", title="日期 Date"),
                 alt.Tooltip("quote:N", title="原文 Text"),
                 alt.Tooltip("note:N", title="Note"),
                 alt.Tooltip("paragraph:N", title="段落 Paragraph")],
    ).transform_calculate(jitter="((length(datum.id) * 37) % 17) / 8.5 - 1")  # spread same-year points
    height = 90 if chapter else 240
    width = WIDTH if chapter else 420  # leave room for the chapter names on the left
    chart = points.properties(width=width, height=height,
                              title=alt.Title(title_zh, subtitle=[title_en, "Click a point to read its paragraph."]))
    table = events[["date", "paragraph", "quote", "note", "url"]]
    return EditionChart(
        chart,
        description=(f"Timeline of {len(events)} dated events named in the text"
                     + (f" in chapter {chapter}" if chapter else ", across all chapters")
                     + ", from " + events["date"].iloc[0] + " to " + events["date"].iloc[-1] + ": "
                     + "; ".join(f"{r.date} ({r.paragraph})" for r in events.itertuples()) + "."),
        table=table,
        sources=[f"{TEXT_SOURCE}, {_cite(events['paragraph'])}"],
    )


# --- counts the text gives -----------------------------------------------------------------


def counts(ledger: pd.DataFrame, items: dict[str, str], *, title_zh: str, title_en: str) -> EditionChart:
    """Selected counts from the ledger (fact id -> bar label), one labelled bar each."""
    df = ledger.set_index("id").loc[list(items)].reset_index()
    df["what"] = df["id"].map(items)
    df = _with_links(df)
    bars = alt.Chart(df[["what", "value", "unit", "quote", "paragraph", "url"]]).mark_bar(color="#2c5f8a").encode(
        y=alt.Y("what:N", sort=None, title=None, axis=alt.Axis(labelLimit=360)),
        x=alt.X("value:Q", title="数量 Count, as the text gives it"),
        href="url:N",
        tooltip=[alt.Tooltip("quote:N", title="原文 Text"), alt.Tooltip("value:Q", title="数量 Count"),
                 alt.Tooltip("unit:N", title="Unit"), alt.Tooltip("paragraph:N", title="段落 Paragraph")],
    )
    text = bars.mark_text(align="left", dx=4).encode(text=alt.Text("value:Q"))
    chart = (bars + text).properties(width=360, height=28 * len(df),
                                      title=alt.Title(title_zh, subtitle=[title_en]))
    return EditionChart(
        chart,
        description=title_en + ": " + "; ".join(
            f"{r.note}: {r.value:g} {r.unit} ({r.paragraph})" for r in df.itertuples()) + ".",
        table=df[["paragraph", "quote", "value", "unit", "note", "url"]],
        sources=[f"{TEXT_SOURCE}, {_cite(df['paragraph'])}"],
    )


def composition(ledger: pd.DataFrame, parts: dict[str, str], *, title_zh: str, title_en: str,
                unit_zh: str) -> EditionChart:
    """Parts of a whole as unit marks: e.g. the founders of the online-education institute."""
    df = ledger.set_index("id").loc[list(parts)].reset_index()
    df["group"] = df["id"].map(parts)
    rows = []
    for r in df.itertuples():
        for k in range(int(r.value)):
            rows.append({"group": r.group, "k": k})
    units = pd.DataFrame(rows)
    chart = alt.Chart(units).mark_square(size=260).encode(
        x=alt.X("k:O", title=None, axis=None),
        y=alt.Y("group:N", sort=list(parts.values()), title=None, axis=alt.Axis(labelLimit=300)),
        color=alt.Color("group:N", sort=list(parts.values()), legend=None),
        href=alt.value(edition.paragraph_url(df["paragraph"].iloc[0])),
        tooltip=[alt.Tooltip("group:N", title=unit_zh)],
    ).properties(width=380, height=40 * len(parts), title=alt.Title(title_zh, subtitle=[title_en]))
    table = _with_links(df)[["group", "value", "quote", "paragraph", "url"]]
    return EditionChart(
        chart,
        description=title_en + ": " + "; ".join(f"{r.group}: {r.value:g}" for r in df.itertuples()) + ".",
        table=table,
        sources=[f"{TEXT_SOURCE}, {_cite(df['paragraph'])}"],
    )


# --- charts computed from the words of the text ----------------------------------------------


def term_matrix(blocks: list[str], terms: list[str], labels: dict[str, str]) -> pd.DataFrame:
    """How often each term occurs in each block (by id) of the text."""
    text_by_id = load_text().by_id()
    rows = []
    for bid in blocks:
        body = text_by_id[bid].text
        for term in terms:
            rows.append({"block": bid, "label": labels.get(bid, bid), "term": term,
                         "count": len(re.findall(re.escape(term), body))})
    return pd.DataFrame(rows)


def _term_heat(df: pd.DataFrame, rows: str, row_sort: list[str], row_title: str, terms: list[str], *,
               cell: tuple[int, int], dark_from: int, title_zh: str, title_en: str) -> alt.LayerChart:
    """Counts of terms (columns) by paragraph or chapter (rows), with the count in each cell."""
    heat = alt.Chart(df).mark_rect(stroke="white").encode(
        x=alt.X("term:N", sort=terms, title="词语 Term", axis=alt.Axis(labelAngle=0)),
        y=alt.Y(f"{rows}:N", sort=row_sort, title=None, axis=alt.Axis(labelLimit=320)),
        color=alt.Color("count:Q", scale=alt.Scale(scheme="blues"), title="次数 Occurrences"),
        href="url:N",
        tooltip=[alt.Tooltip(f"{rows}:N", title=row_title), alt.Tooltip("term:N", title="词语 Term"),
                 alt.Tooltip("count:Q", title="次数 Occurrences")],
    )
    text = heat.mark_text(fontSize=11).encode(
        text=alt.Text("count:Q"),
        color=alt.condition(f"datum.count >= {dark_from}", alt.value("white"), alt.value("#333")))
    return (heat + text).properties(width=cell[0] * len(terms), height=cell[1] * len(row_sort),
                                    title=alt.Title(title_zh, subtitle=[title_en]))


def term_heatmap(blocks: list[str], terms: list[str], labels: dict[str, str], *, title_zh: str,
                 title_en: str) -> EditionChart:
    """A heat map of key terms across paragraphs, computed from the text at build time."""
    df = term_matrix(blocks, terms, labels)
    df["paragraph"] = df["block"]
    df = _with_links(df)
    chart = _term_heat(df, "label", [labels.get(b, b) for b in blocks], "段落 Paragraph", terms,
                       cell=(44, 26), dark_from=3, title_zh=title_zh, title_en=title_en)
    totals = df.groupby("term", sort=False)["count"].sum()
    wide = df.pivot_table(index=["paragraph", "label"], columns="term", values="count", sort=False)
    wide = wide[terms].reset_index()
    wide["url"] = wide["paragraph"].map(edition.paragraph_url)
    return EditionChart(
        chart,
        description=title_en + ". Totals: " + ", ".join(f"{t} {totals[t]}" for t in terms) + ".",
        table=wide,
        sources=[f"{TEXT_SOURCE}, {_cite(blocks)}; counted at build time"],
    )


def terms_by_chapter(terms: list[str], *, title_zh: str, title_en: str) -> EditionChart:
    """How often each term occurs in each chapter of the text, computed at build time."""
    blocks = [b.id for b in load_text().blocks]
    df = term_matrix(blocks, terms, {})
    df["chapter"] = df["block"].map(lambda b: edition.CHAPTER_NAMES[edition.chapter_of(b)])
    by_chapter = df.groupby(["chapter", "term"], sort=False)["count"].sum().reset_index()
    first = {c: next(b for b in blocks if edition.CHAPTER_NAMES[edition.chapter_of(b)] == c)
             for c in by_chapter["chapter"].unique()}
    by_chapter["paragraph"] = by_chapter["chapter"].map(first)
    by_chapter = _with_links(by_chapter)
    chart = _term_heat(by_chapter, "chapter", CHAPTER_ORDER, "章节 Chapter", terms,
                       cell=(56, 30), dark_from=10, title_zh=title_zh, title_en=title_en)
    wide = by_chapter.pivot_table(index="chapter", columns="term", values="count", sort=False)[terms]
    totals = wide.sum()
    return EditionChart(
        chart,
        description=title_en + ". Totals across the text: " + ", ".join(f"{t} {totals[t]}" for t in terms)
        + ". " + " ".join(f"{c}: " + ", ".join(f"{t} {int(wide.loc[c, t])}" for t in terms) + "."
                          for c in wide.index),
        table=wide.reset_index(),
        sources=[f"{TEXT_SOURCE}, all paragraphs; counted at build time"],
    )
