"""The edition's charts: one function per chart, data in, chart out.

Every function takes DataFrames from ``facts`` (the text's ledger or the outside
data) and returns an ``EditionChart``: the Altair chart with its title, a short
text description, the data table behind it and its sources. Titles and axes are
in Chinese and English; marks link to the paragraph they come from.

Every chart is drawn to the width of its column (``assets/charts.js``): a single
view has ``width: "container"``; in a concatenated chart the views marked
``width: "container"`` get their width from the column before drawing.

Bar length is used only for counts. An ordinal number (the 11th G20 summit) is a
name, not a quantity: it is written in a label, never drawn as a length.
"""

from __future__ import annotations

import re

import altair as alt
import pandas as pd

from . import edition
from .altair_offline import EditionChart
from .errors import DataError
from .text import load_text

TEXT_SOURCE = "text: 《携手构建网络空间命运共同体》 (SCIO, 2022)"
CHAPTER_ORDER = list(edition.CHAPTER_NAMES.values())
FIT = alt.AutoSizeParams(type="fit", contains="padding")
BACKGROUND = "#ffffff"
INK = "#222222"
# Mark colours, each at least 3:1 against the white background (WCAG 1.4.11)
PALETTE = ["#2c5f8a", "#a34e00", "#2e7d32", "#b03a2e", "#6a3d9a", "#5d4037", "#00695c", "#8e244d"]
CHAPTER_COLOURS = alt.Scale(domain=CHAPTER_ORDER, range=PALETTE[:len(CHAPTER_ORDER)])


# --- colour arithmetic (WCAG 2.x relative luminance and contrast) ---------------------------


def _rgb(colour: str) -> tuple[int, int, int]:
    c = colour.lstrip("#")
    if len(c) == 3:
        c = "".join(ch * 2 for ch in c)
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def luminance(colour: str) -> float:
    def channel(v: int) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _mix(a: str, b: str, t: float) -> str:
    ra, rb = _rgb(a), _rgb(b)
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(ra, rb))


HEAT_LOW, HEAT_HIGH = "#f4f8fc", "#0b3a6e"


def heat_colours(value: float, top: float) -> tuple[str, str]:
    """(cell fill, label colour) for a heat-map cell: the label is black or white, whichever
    contrasts more with the fill; on any fill one of the two reads at 4.5:1 or better."""
    fill = _mix(HEAT_LOW, HEAT_HIGH, 0 if top <= 0 else min(1.0, value / top))
    label = "#000000" if contrast(fill, "#000000") >= contrast(fill, "#ffffff") else "#ffffff"
    return fill, label


# --- shared pieces -------------------------------------------------------------------------


def _with_links(df: pd.DataFrame, column: str = "paragraph") -> pd.DataFrame:
    df = df.copy()
    df["url"] = df[column].map(edition.paragraph_url)
    return df


def _cite(paragraphs) -> str:
    return "paragraphs " + ", ".join(sorted(set(paragraphs)))


def _fit(chart):
    """A single or layered view drawn to the width of its column."""
    return chart.properties(width="container", autosize=FIT)


def _two_lines(label: str) -> str:
    """'三（一）数字经济 Digital economy' -> '三（一）数字经济|Digital economy' (split by the axis)."""
    m = re.match(r"^(.*?[\u3000-\u9fff）])\s+([A-Za-z].*)$", label)
    return f"{m.group(1)}|{m.group(2)}" if m else label


TWO_LINE_LABELS = "split(datum.label, '|')"


def ordinal(n: int) -> str:
    """11 -> '11th', 23 -> '23rd', 54 -> '54th'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# --- CNCERT's partners -----------------------------------------------------------------


def cncert_partners(ledger: pd.DataFrame, outside: pd.DataFrame) -> EditionChart:
    """274 partner organisations as 274 marks, the 33 with MoUs highlighted; other years beside
    (below on a phone)."""
    facts = ledger.set_index("id")
    orgs = facts.loc["cncert-partner-orgs-2021"]
    countries = facts.loc["cncert-partner-countries-2021"]
    mous = facts.loc["cncert-cyber-mous-2021"]
    n_orgs, n_countries, n_mous = int(orgs["value"]), int(countries["value"]), int(mous["value"])
    per_row = 18
    mou_label, other_label = f"签订合作备忘录 with a cooperation MoU ({n_mous})", \
        f"其他合作伙伴 other partners ({n_orgs - n_mous})"
    unit_chart = alt.Chart(alt.sequence(0, n_orgs, as_="i")).transform_calculate(
        col=f"datum.i % {per_row}",
        row=f"floor(datum.i / {per_row})",
        kind=f"datum.i < {n_mous} ? '{mou_label}' : '{other_label}'",
    ).mark_square(size=80, opacity=1).encode(
        x=alt.X("col:O", axis=None),
        y=alt.Y("row:O", axis=None),
        color=alt.Color("kind:N", title=None,
                        scale=alt.Scale(domain=[mou_label, other_label], range=["#b03a2e", "#4f7aa5"]),
                        legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=300)),
        href=alt.value(edition.paragraph_url(orgs["paragraph"])),
        tooltip=[alt.Tooltip("kind:N", title="组织 Organisation")],
    ).properties(
        width=per_row * 13, height=(n_orgs // per_row + 1) * 13,
        title=alt.Title(f"截至2021年 As of 2021 (¶ {orgs['paragraph']})",
                        subtitle=["每个方块一个组织 one square per organisation"], fontSize=13),
    )

    years = outside[outside["confidence"] != "low"].copy()
    years["source"] = years["source_url"].where(~years["source_url"].str.startswith("text:"), "the white paper")
    years["confidence"] = years.apply(
        lambda r: "text" if r["source_url"].startswith("text:") else r["confidence"], axis=1)
    years["url"] = years["source_url"].map(
        lambda u: edition.paragraph_url(u.removeprefix("text:")) if u.startswith("text:") else u)
    years = years.sort_values("year")
    years["label"] = years["year"].astype(str) + ": " + years["organisations"].astype(int).astype(str) + " / " + \
        years["countries_regions"].astype(int).astype(str)
    # a label goes below its point when the point before is less than three years away
    years["below"] = years["year"].diff().fillna(99) < 3
    confidence_labels = {"text": "白皮书 the white paper", "high": "外部来源，可信度高 outside, high confidence",
                         "medium": "外部来源，可信度中 outside, medium confidence"}
    years["来源 Source"] = years["confidence"].map(confidence_labels)
    base = alt.Chart(years).encode(
        x=alt.X("year:Q", title="年份 Year (as of)",
                scale=alt.Scale(domain=[int(years["year"].min()) - 1, int(years["year"].max()) + 1], nice=False),
                axis=alt.Axis(format="d", values=[int(y) for y in years["year"]], labelAngle=0, grid=False)),
        y=alt.Y("organisations:Q", title="合作伙伴组织 Partner organisations", scale=alt.Scale(zero=True)),
    )
    line = base.mark_line(color="#6b6b6b", strokeDash=[4, 3])
    domain = list(confidence_labels.values())
    points = base.mark_point(filled=True, size=130, opacity=1).encode(
        color=alt.Color("来源 Source:N", scale=alt.Scale(domain=domain, range=["#b03a2e", "#2c5f8a", "#5f7f9f"]),
                        legend=alt.Legend(orient="bottom", direction="vertical", titleLimit=320, labelLimit=320)),
        shape=alt.Shape("来源 Source:N", scale=alt.Scale(domain=domain, range=["diamond", "circle", "square"])),
        href="url:N",
        tooltip=[alt.Tooltip("as_of:N", title="截至 As of"),
                 alt.Tooltip("organisations:Q", title="组织 Organisations", format="d"),
                 alt.Tooltip("countries_regions:Q", title="国家和地区 Countries and regions", format="d"),
                 alt.Tooltip("confidence:N", title="可信度 Confidence"),
                 alt.Tooltip("source:N", title="来源 Source")],
    )
    labels = base.mark_text(dy=-13, fontSize=11, color=INK).encode(text="label:N").transform_filter(
        "!datum.below")
    labels_below = base.mark_text(dy=16, fontSize=11, color=INK, align="right", dx=4).encode(
        text="label:N").transform_filter("datum.below")
    trend = alt.layer(line, points, labels, labels_below).properties(
        width="container", height=230,
        title=alt.Title("其他年份 Other years", subtitle=["年份：组织 / 国家和地区 year: organisations / countries"],
                        fontSize=13),
    )
    chart = alt.hconcat(unit_chart, trend, spacing=30).resolve_scale(color="independent", shape="independent") \
        .properties(usermeta={"edition": {"stackBelow": 640, "overhead": 80}})

    table = outside[["as_of", "countries_regions", "organisations", "mou_organisations", "confidence",
                     "source_url", "note"]].copy()
    for column in ("countries_regions", "organisations", "mou_organisations"):
        table[column] = table[column].astype("Int64")
    shown = ", ".join(f"{int(r.organisations)} in {r.as_of}" for r in years.itertuples())
    return EditionChart(
        chart,
        title_zh=f"{n_countries}个国家和地区的{n_orgs}个合作伙伴组织（截至2021年）",
        title_en=f"CNCERT/CC's {n_orgs} partner organisations in {n_countries} countries and regions, 2021",
        subtitle=f"The text's figures (¶ {orgs['paragraph']}), one square per organisation, and partner "
                 "counts for other years from outside sources.",
        description=(f"{n_orgs} squares stand for the {n_orgs} partner organisations of CNCERT/CC in "
                     f"{n_countries} countries and regions that the text counts for 2021; the {n_mous} that "
                     "signed cybersecurity cooperation memoranda are coloured red. "
                     f"A second panel plots partner organisations by year ({shown}), marking which figure "
                     "is the white paper's and how confident the outside sources are."),
        table=table,
        sources=[f"{TEXT_SOURCE}, ¶ {orgs['paragraph']}",
                 *sorted({u for u in outside["source_url"] if u.startswith("http")})],
    )


# --- World Internet Conference -----------------------------------------------------------

WIC_FORMATS = {"conference": "大会 Conference", "forum": "论坛 Forum (2020)", "summit": "峰会 Summit (2022)"}
WIC_CONFIDENCE = {"high": "高 high", "medium": "中 medium"}
WIC_COLOURS = {"conference": "#2c5f8a", "forum": "#a34e00", "summit": "#6a3d9a"}


def _month_year(date: str) -> str:
    """'2022-07' -> 'July 2022'."""
    return pd.Timestamp(date + "-01" if len(date) == 7 else date).strftime("%B %Y") if len(date) > 4 else date


def _wic_format(fmt: str) -> str:
    return WIC_FORMATS[fmt.split(" ", 1)[0]]


def wic_editions(editions: pd.DataFrame, ledger: pd.DataFrame) -> EditionChart:
    """The meetings in Wuzhen, 2014–2022: countries and regions, guests and sub-forums by edition,
    coloured by format, outlined where the sources are less certain; the 2022 summit apart."""
    facts = ledger.set_index("id")
    eight = facts.loc["wic-eight-consecutive-years"]
    founded = facts.loc["wic-international-organisation-founded-2022"]
    first, last = (int(y) for y in str(eight["date"]).split("/"))
    df = editions.copy()
    bad = df[~df["confidence"].isin(WIC_CONFIDENCE)]
    if len(bad):
        raise DataError("data/external/wic_editions.csv", int(bad.index[0]) + 2,
                        f"confidence {bad['confidence'].iloc[0]!r}: the WIC chart shows high and medium only")
    df["format_label"] = df["format"].map(_wic_format)
    df["confidence_label"] = df["confidence"].map(WIC_CONFIDENCE)
    # one key for format and confidence: the format's colour, solid where the sources are
    # official or wire copy, a pale fill in the same outline where they are reprints
    df["key"] = df["format_label"] + " · " + df["confidence_label"]
    keys, fills, strokes = [], [], []
    for fmt, colour in WIC_COLOURS.items():
        for conf, label in WIC_CONFIDENCE.items():
            key = f"{WIC_FORMATS[fmt]} · {label}"
            if (df["key"] == key).any():
                keys.append(key)
                fills.append(colour if conf == "high" else _mix(colour, "#ffffff", 0.78))
                strokes.append(colour)
    df["dates"] = df["start_date"] + " – " + df["end_date"]
    # edition 1–6 are the conferences' own numbers; 7–9 are this edition's count (in brackets)
    df["number"] = df["edition"].map(lambda n: f"第{n}届" if n <= 6 else f"({n})")
    df["x"] = df["year"].astype(str) + "|" + df["number"]
    order = list(df["x"])
    measures = {"countries_regions": "国家和地区 Countries and regions",
                "guests": "嘉宾 Guests", "sub_forums": "分论坛 Sub-forums"}
    notes = {"countries_regions": "countries_regions_note", "guests": "guests_note", "sub_forums": "sub_forums_note"}
    apart = str(last + 1) + "|" + df.loc[df["year"] == last + 1, "number"].iloc[0] \
        if (df["year"] == last + 1).any() else None
    panels = []
    for i, (column, label) in enumerate(measures.items()):
        part = df.dropna(subset=[column]).copy()
        part["count"] = part[column].astype(int)
        part["count_note"] = part[notes[column]].fillna("")
        part = part[["x", "edition", "year", "number", "format_label", "confidence_label", "key", "dates", "theme_zh",
                     "theme_en", "count", "count_note"]]
        top = int(part["count"].max())
        base = alt.Chart(part).encode(
            x=alt.X("x:N", scale=alt.Scale(domain=order), title=None,
                    axis=alt.Axis(labelExpr=TWO_LINE_LABELS, labelAngle=0, labelPadding=4) if i == 2
                    else alt.Axis(labels=False, ticks=False)),
        )
        bars = base.mark_bar(strokeWidth=1.5).encode(
            y=alt.Y("count:Q", title=None, scale=alt.Scale(domain=[0, top * (1.3 if i == 0 else 1.15)]),
                    axis=alt.Axis(tickCount=3, format="d")),
            color=alt.Color("key:N", scale=alt.Scale(domain=keys, range=fills),
                            legend=alt.Legend(title="形式 · 来源可信度 Format · confidence of sources",
                                              orient="bottom", direction="vertical", symbolType="square",
                                              symbolSize=160, symbolStrokeWidth=1.5, labelLimit=400,
                                              titleLimit=400)),
            stroke=alt.Stroke("key:N", scale=alt.Scale(domain=keys, range=strokes)),  # one legend with colour
            href=alt.value(edition.paragraph_url(eight["paragraph"])),
            tooltip=[alt.Tooltip("year:O", title="年份 Year"),
                     alt.Tooltip("number:N", title="届 Edition"),
                     alt.Tooltip("format_label:N", title="形式 Format"),
                     alt.Tooltip("dates:N", title="日期 Dates"),
                     alt.Tooltip("theme_zh:N", title="主题 Theme"),
                     alt.Tooltip("theme_en:N", title="Theme"),
                     alt.Tooltip("count:Q", title=label, format="d"),
                     alt.Tooltip("count_note:N", title="说明 As the sources give it"),
                     alt.Tooltip("confidence_label:N", title="可信度 Confidence")],
        )
        values = base.mark_text(dy=-6, baseline="bottom", fontSize=10, color=INK).encode(
            y="count:Q", text=alt.Text("count:Q", format="d"))
        layers = [bars, values]
        if apart:
            layers.append(alt.Chart(pd.DataFrame({"x": [apart]})).mark_rule(
                color="#444", strokeDash=[5, 3], strokeWidth=1.5, xOffset=-2).encode(
                x=alt.X("x:N", scale=alt.Scale(domain=order), bandPosition=0)))
        if i == 0:
            bracket = pd.DataFrame({"x": [order[0]], "x2": [order[last - first]], "y": [top * 1.2],
                                    "text": [f"连续八年 eight years in a row, {first}–{last} (¶ {eight['paragraph']})"]})
            layers.append(alt.Chart(bracket).mark_rule(color="#444").encode(
                x=alt.X("x:N", scale=alt.Scale(domain=order), bandPosition=0.1), x2="x2:N", y="y:Q"))
            layers.append(alt.Chart(bracket).mark_text(baseline="bottom", dy=-3, fontSize=10, color=INK,
                                                       align="left", dx=2).encode(
                x=alt.X("x:N", scale=alt.Scale(domain=order), bandPosition=0.1), y="y:Q", text="text:N"))
        panels.append(alt.layer(*layers).properties(
            width="container", height=120 if i < 2 else 80,
            title=alt.Title(label, fontSize=12, anchor="start", offset=4)))
    chart = alt.vconcat(*panels, spacing=12).resolve_scale(x="shared").properties(
        usermeta={"edition": {"overhead": 60}})
    table = df[["edition", "year", "format", "dates", "theme_zh", "theme_en", "guests", "guests_note",
                "countries_regions", "countries_regions_note", "sub_forums", "sub_forums_note",
                "achievements_released", "confidence", "source_url"]].copy()
    for column in ("guests", "countries_regions", "sub_forums", "achievements_released"):
        table[column] = table[column].astype("Int64")
    medium = ", ".join(str(y) for y in df.loc[df["confidence"] == "medium", "year"])
    return EditionChart(
        chart,
        title_zh=f"世界互联网大会乌镇峰会 {df['year'].min()}–{df['year'].max()}",
        title_en="The World Internet Conference in Wuzhen, meeting by meeting",
        subtitle=(f"Countries and regions represented, guests and sub-forums at each meeting, from outside "
                  f"sources. The text counts eight years in a row, {first}–{last} (¶ {eight['paragraph']}); "
                  f"2020 was a forum in place of the 7th conference. Right of the dashed line: the "
                  f"{last + 1} summit, after the WIC became an international organisation in "
                  f"{_month_year(founded['date'])} (¶ {founded['paragraph']}). Numbers in brackets are this edition's count."),
        description=(f"Three bar charts, one bar per World Internet Conference meeting in Wuzhen from "
                     f"{df['year'].min()} to {df['year'].max()}: countries and regions represented, guests, and "
                     f"sub-forums. Colour shows the format (conference, the 2020 forum, the {last + 1} summit, "
                     f"set apart by a dashed line); pale bars in an outline ({medium}) rest on reprints "
                     "or secondary sources, solid bars on official or wire sources. Most figures are lower bounds (“more than”); the table below "
                     "gives the sources' own words."),
        table=table,
        sources=[f"{TEXT_SOURCE}, ¶ {eight['paragraph']}, ¶ {founded['paragraph']}", *sorted(set(df["source_url"]))],
    )


# --- events the text names, by partner or forum -------------------------------------------


def _year_of(date: str) -> tuple[str | None, str | None]:
    """'2011/2021' -> ('2011-07-01', '2021-07-01'); '2020-09' -> ('2020-09-15', None)."""
    if not isinstance(date, str) or not date:
        return None, None
    parts = date.split("/")
    start = _as_date(parts[0])
    end = _as_date(parts[1]) if len(parts) > 1 else None
    return start, end


ROW = 52  # px per event: two lines of label (2 x 14 px) and the line with the dot


def named_events(ledger: pd.DataFrame, rows: list[tuple[str, str, str, str]], *, title_zh: str,
                 title_en: str, subtitle: str = "") -> EditionChart:
    """Events the text names, one line each, grouped by partner or forum and placed by date.

    ``rows``: (fact id, partner or forum, Chinese label, English label). The Chinese label must
    be words of the fact's paragraph; ``{nth}`` and ``{n}`` in the English label are filled from
    the ledger (11 -> '11th'), so that a number is never typed twice. A span (2011/2021) is drawn
    as a line; a fact without a date is listed with its label only.
    """
    facts = ledger.set_index("id")
    text_by_id = load_text().by_id()
    records = []
    for k, (fact_id, forum, zh, en) in enumerate(rows):
        if fact_id not in facts.index:
            raise DataError("data/facts.csv", 0, f"no fact {fact_id!r} (named in a chart of {title_en!r})")
        fact = facts.loc[fact_id]
        if zh not in text_by_id[fact["paragraph"]].text:
            raise DataError("data/facts.csv", 0, f"chart label {zh!r} is not in paragraph {fact['paragraph']}")
        n = int(fact["value"])
        label_en = en.format(nth=ordinal(n), n=n)
        start, end = _year_of(fact["date"])
        records.append({"row": k, "fact": fact_id, "forum": forum, "zh": zh, "en": label_en,
                        "label": f"{zh}\n{label_en}" + ("" if start else " (no year given)"),
                        "start": start, "end": end, "date": fact["date"] if start else "",
                        "kind": fact["kind"], "quote": fact["quote"], "paragraph": fact["paragraph"]})
    df = _with_links(pd.DataFrame(records))
    forums = list(dict.fromkeys(df["forum"]))
    colours = alt.Scale(domain=forums, range=(PALETTE * 3)[:len(forums)])
    dated = df.dropna(subset=["start"])
    x_scale = alt.Scale(nice={"interval": "year", "step": 1})  # from 1 January of the first year
    years = [int(d[:4]) for d in pd.concat([dated["start"], dated["end"].dropna()])]
    span_years = max(years) - min(years) + 1
    x = alt.X("start:T", title=None, scale=x_scale,
              axis=alt.Axis(format="%Y", tickCount={"interval": "year", "step": 1}, labelAngle=0,
                            labelAlign="left", labelOverlap=True, grid=True, gridColor="#d9d9d9",
                            orient="top",  # on a narrow chart of many years, every other year is labelled
                            labelExpr="width < 520 && year(datum.value) % 2 == 1 ? '' : datum.label"
                            if span_years > 6 else "datum.label"))
    band = alt.Scale(type="band", paddingInner=0, paddingOuter=0.1)
    tooltip = [alt.Tooltip("forum:N", title="伙伴或论坛 Partner or forum"),
               alt.Tooltip("quote:N", title="原文 Text"), alt.Tooltip("en:N", title="English"),
               alt.Tooltip("date:N", title="日期 Date"), alt.Tooltip("paragraph:N", title="段落 Paragraph")]
    table_cols = ["row", "forum", "zh", "en", "label", "start", "end", "date", "quote", "paragraph", "url"]
    text = alt.Chart(df[table_cols]).mark_text(align="left", baseline="top", fontSize=11, lineHeight=14,
                                               lineBreak="\n", color=INK, limit=alt.ExprRef("width"),
                                               yOffset=4).encode(
        x=alt.value(0), y=alt.Y("row:O", axis=None, scale=band, bandPosition=0), text="label:N",
        href="url:N", tooltip=tooltip)
    # a faint guide from the left edge to the dot: decoration (aria false), not data
    guide = alt.Chart(dated[table_cols]).mark_rule(color="#d9d9d9", strokeWidth=1, yOffset=-9, aria=False).encode(
        x=x, x2=alt.value(0), y=alt.Y("row:O", axis=None, scale=band, bandPosition=1))
    span = alt.Chart(dated[table_cols].dropna(subset=["end"])).mark_rule(strokeWidth=3, yOffset=-9).encode(
        x=x, x2="end:T", y=alt.Y("row:O", axis=None, scale=band, bandPosition=1),
        color=alt.Color("forum:N", scale=colours, legend=None), href="url:N", tooltip=tooltip)
    dots = alt.Chart(dated[table_cols]).mark_circle(size=90, opacity=1, yOffset=-9).encode(
        x=x, y=alt.Y("row:O", axis=None, scale=band, bandPosition=1),
        color=alt.Color("forum:N", scale=colours, legend=None), href="url:N", tooltip=tooltip)
    ends = alt.Chart(dated[table_cols].dropna(subset=["end"])).mark_circle(size=90, opacity=1, yOffset=-9).encode(
        x=alt.X("end:T", title=None, scale=x_scale), y=alt.Y("row:O", axis=None, scale=band, bandPosition=1),
        color=alt.Color("forum:N", scale=colours, legend=None), href="url:N", tooltip=tooltip)
    layers = [guide, span, dots, ends, text] if dated["end"].notna().any() else [guide, dots, text]
    chart = _fit(alt.layer(*layers).properties(
        height=ROW * len(df),
        usermeta={"edition": {"wrap": {"field": "label", "fontSize": 11, "lineHeight": 14, "rows": len(df),
                                       "rowPad": ROW - 28}}}))
    table = df[["forum", "zh", "en", "date", "quote", "paragraph", "url"]].rename(
        columns={"forum": "partner or forum", "zh": "label (text)", "en": "label (English)"})
    forum_list = ", ".join(forums)
    return EditionChart(
        chart,
        title_zh=title_zh, title_en=title_en,
        subtitle=subtitle or "One line per event, placed at its date (a year given alone is placed at mid-year); "
                             "a line between two dots is a span of years. Click a line to read its paragraph.",
        description=(f"A list of {len(df)} events the text names, each on its own line with the year it is "
                     f"placed at, grouped by partner or forum: {forum_list}. "
                     + ("Ordinal numbers, such as which summit or meeting it was, are written in the labels, "
                        "not drawn as lengths. " if (df["kind"] == "ordinal").any() else "")
                     + "The table below gives the words of the text for each."),
        table=table,
        sources=[f"{TEXT_SOURCE}, {_cite(df['paragraph'])}"],
    )


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
    """Dated events, one row per chapter; each mark links to its paragraph."""
    events = dated_events(ledger)
    if chapter:
        events = events[events["paragraph"].map(edition.chapter_of) == chapter]
    events = events.copy()
    events["chapter_label"] = events["chapter"].map(_two_lines)
    rows = [_two_lines(c) for c in CHAPTER_ORDER if c in set(events["chapter"])]
    base = alt.Chart(events[["id", "start", "chapter", "chapter_label", "date", "quote", "note", "paragraph",
                             "url"]]).encode(
        x=alt.X("start:T", title="日期 Date", axis=alt.Axis(format="%Y", tickCount="year", labelOverlap=True,
                                                          labelAlign="left"),
                scale=alt.Scale(padding=12)),
        y=alt.Y("chapter_label:N", title=None, sort=rows,
                axis=alt.Axis(labelExpr=TWO_LINE_LABELS, labelLimit=170, labelFontSize=11) if not chapter else None),
    )
    points = base.mark_circle(size=110, opacity=1, stroke="white", strokeWidth=1).encode(
        color=alt.Color("chapter:N", scale=CHAPTER_COLOURS, legend=None),
        href="url:N",
        yOffset=alt.YOffset("jitter:Q", scale=alt.Scale(domain=[-1.4, 1.4])),
        tooltip=[alt.Tooltip("date:N", title="日期 Date"),
                 alt.Tooltip("quote:N", title="原文 Text"),
                 alt.Tooltip("note:N", title="Note"),
                 alt.Tooltip("paragraph:N", title="段落 Paragraph")],
    ).transform_calculate(jitter="((length(datum.id) * 37) % 17) / 8.5 - 1")  # spread same-year points
    chart = _fit(points.properties(height=90 if chapter else 46 * len(rows)))
    table = events[["date", "paragraph", "quote", "note", "url"]]
    per_chapter = events.groupby("chapter", sort=False).size()
    return EditionChart(
        chart,
        title_zh=title_zh, title_en=title_en,
        subtitle="One dot per dated event, one row per chapter; click a dot to read its paragraph.",
        description=(f"A timeline of the {len(events)} dated events the text names"
                     + (f" in chapter {chapter}" if chapter else ", one row per chapter")
                     + f", from {events['date'].iloc[0][:4]} to {events['date'].iloc[-1][:4]}. "
                     + ("Most fall in " + ", ".join(f"{c.split(' ', 1)[-1]} ({n})" for c, n in
                                                    per_chapter.sort_values(ascending=False).head(2).items())
                        + ". " if not chapter else "")
                     + "The table below lists each date with the words of the text."),
        table=table,
        sources=[f"{TEXT_SOURCE}, {_cite(events['paragraph'])}"],
    )


# --- counts the text gives: one mark per counted thing ---------------------------------------------


def composition(ledger: pd.DataFrame, parts: dict[str, str], *, title_zh: str, title_en: str,
                unit_zh: str, subtitle: str = "") -> EditionChart:
    """Counts as unit marks, one square per thing counted, one line per count (all kind 'count')."""
    df = ledger.set_index("id").loc[list(parts)].reset_index()
    not_counts = df[df["kind"] != "count"]
    if len(not_counts):
        raise DataError("data/facts.csv", 0, f"{not_counts['id'].iloc[0]} is a {not_counts['kind'].iloc[0]}, "
                                             "not a count: a chart draws only counts as quantities")
    df["group"] = df["id"].map(parts)
    df["value"] = df["value"].astype(int)
    df["line"] = df["group"] + "： " + df["value"].astype(str)
    rows = []
    for r in df.itertuples():
        for k in range(r.value):
            rows.append({"group": r.group, "line": r.line, "k": k})
    units = pd.DataFrame(rows)
    order = list(df["line"])
    band = alt.Scale(type="band", domain=order, paddingInner=0, paddingOuter=0)
    squares = alt.Chart(units).mark_square(size=110, opacity=1).encode(
        x=alt.X("k:Q", title=None, axis=None, scale=alt.Scale(domain=[-0.5, 23.5], nice=False, zero=False)),
        y=alt.Y("line:N", axis=None, scale=band, bandPosition=0.72),
        color=alt.Color("group:N", sort=list(parts.values()), legend=None,
                        scale=alt.Scale(domain=list(parts.values()), range=PALETTE[:len(parts)])),
        href=alt.value(edition.paragraph_url(df["paragraph"].iloc[0])),
        tooltip=[alt.Tooltip("group:N", title=unit_zh)],
    )
    labels = alt.Chart(df[["line"]]).mark_text(align="left", baseline="bottom", fontSize=12, color=INK).encode(
        x=alt.value(0), y=alt.Y("line:N", axis=None, scale=band, bandPosition=0.42),
        text="line:N")
    chart = _fit(alt.layer(squares, labels).properties(height=48 * len(parts)))
    table = _with_links(df)[["group", "value", "unit", "quote", "paragraph", "url"]]
    return EditionChart(
        chart,
        title_zh=title_zh, title_en=title_en, subtitle=subtitle or "One square per thing counted.",
        description=(title_en + ", as the text counts them, drawn as one square per thing counted: "
                     + "; ".join(f"{r.group.split(' ', 1)[-1]}, {r.value}" for r in df.itertuples()) + ". "
                     "The table below gives the words of the text."),
        table=table,
        sources=[f"{TEXT_SOURCE}, {_cite(df['paragraph'])}"],
    )


# --- charts computed from the words of the text ----------------------------------------------


def term_matrix(blocks: list[str], terms: list[str], labels: dict[str, str]) -> pd.DataFrame:
    """How often each term occurs in each block (by id) of the text, and the block's length."""
    text_by_id = load_text().by_id()
    rows = []
    for bid in blocks:
        body = text_by_id[bid].text
        for term in terms:
            rows.append({"block": bid, "label": labels.get(bid, bid), "term": term,
                         "count": len(re.findall(re.escape(term), body)), "characters": len(body)})
    return pd.DataFrame(rows)


def _term_heat(df: pd.DataFrame, rows: str, row_sort: list[str], row_title: str, terms: list[str], *,
               value: str, value_format: str, value_title: str, cell_height: int, two_lines: bool = False,
               extra_tooltip: list | None = None) -> alt.LayerChart:
    """A value per term (columns) and paragraph or chapter (rows), written in each cell; the fill
    and label colours are computed here so that every label reads at 4.5:1."""
    df = df.copy()
    top = float(df[value].max())
    df["fill"], df["ink"] = zip(*(heat_colours(v, top) for v in df[value]))
    split = _two_lines if two_lines else (lambda r: r)
    df["row_label"] = df[rows].map(split)
    sort = [split(r) for r in row_sort]
    base = alt.Chart(df).encode(
        x=alt.X("term:N", sort=terms, title="词语 Term",
                axis=alt.Axis(labelAngle=0, orient="top", labelFontSize=12, domain=False, ticks=False)),
        y=alt.Y("row_label:N", sort=sort, title=None,
                axis=alt.Axis(labelExpr=TWO_LINE_LABELS if two_lines else "datum.label", labelLimit=170,
                              domain=False, ticks=False)),
        href="url:N",
        tooltip=[alt.Tooltip(f"{rows}:N", title=row_title), alt.Tooltip("term:N", title="词语 Term"),
                 alt.Tooltip(f"{value}:Q", title=value_title, format=value_format), *(extra_tooltip or [])],
    )
    heat = base.mark_rect(stroke="white", strokeWidth=1).encode(color=alt.Color("fill:N", scale=None))
    text = base.mark_text(fontSize=11).encode(text=alt.Text(f"{value}:Q", format=value_format),
                                              color=alt.Color("ink:N", scale=None))
    return _fit((heat + text).properties(height=cell_height * len(row_sort)))


def term_heatmap(blocks: list[str], terms: list[str], labels: dict[str, str], *, title_zh: str,
                 title_en: str) -> EditionChart:
    """A heat map of key terms across paragraphs, computed from the text at build time."""
    df = term_matrix(blocks, terms, labels)
    df["paragraph"] = df["block"]
    df = _with_links(df)
    chart = _term_heat(df, "label", [labels.get(b, b) for b in blocks], "段落 Paragraph", terms,
                       value="count", value_format="d", value_title="次数 Occurrences", cell_height=30)
    totals = df.groupby("term", sort=False)["count"].sum()
    wide = df.pivot_table(index=["paragraph", "label"], columns="term", values="count", sort=False)
    wide = wide[terms].astype(int).reset_index()
    wide["url"] = wide["paragraph"].map(edition.paragraph_url)
    top = totals.sort_values(ascending=False)
    return EditionChart(
        chart,
        title_zh=title_zh, title_en=title_en,
        subtitle="Each cell gives how often a word occurs in a paragraph; darker cells, more often. "
                 "Click a cell to read its paragraph.",
        description=(f"A table of shaded cells: how often each of {len(terms)} words ({', '.join(terms)}) occurs "
                     f"in each of the {len(blocks)} paragraphs, counted from the text at build time. "
                     f"Across them, {top.index[0]} occurs most often ({top.iloc[0]} times) and {top.index[-1]} "
                     f"least ({top.iloc[-1]}). The table below gives every count."),
        table=wide,
        sources=[f"{TEXT_SOURCE}, {_cite(blocks)}; counted at build time"],
    )


def terms_by_chapter(terms: list[str], *, title_zh: str, title_en: str) -> EditionChart:
    """How often each term occurs in each chapter, per 1,000 characters of the chapter's text
    (the chapters differ in length by a factor of ten), computed at build time."""
    blocks = [b.id for b in load_text().blocks]
    df = term_matrix(blocks, terms, {})
    df["chapter"] = df["block"].map(lambda b: edition.CHAPTER_NAMES[edition.chapter_of(b)])
    by_chapter = df.groupby(["chapter", "term"], sort=False).agg(
        count=("count", "sum"), characters=("characters", "sum")).reset_index()
    by_chapter["per_1000"] = (by_chapter["count"] * 1000 / by_chapter["characters"]).round(1)
    first = {c: next(b for b in blocks if edition.CHAPTER_NAMES[edition.chapter_of(b)] == c)
             for c in by_chapter["chapter"].unique()}
    by_chapter["paragraph"] = by_chapter["chapter"].map(first)
    by_chapter = _with_links(by_chapter)
    chart = _term_heat(by_chapter, "chapter", CHAPTER_ORDER, "章节 Chapter", terms,
                       value="per_1000", value_format=".1f", value_title="每千字 Per 1,000 characters",
                       cell_height=40, two_lines=True, extra_tooltip=[alt.Tooltip("count:Q", title="次数 Occurrences", format="d"),
                                                      alt.Tooltip("characters:Q", title="字数 Characters",
                                                                  format=",d")])
    counts = by_chapter.pivot_table(index="chapter", columns="term", values="count", sort=False)[terms].astype(int)
    rates = by_chapter.pivot_table(index="chapter", columns="term", values="per_1000", sort=False)[terms]
    length = by_chapter.groupby("chapter", sort=False)["characters"].first()
    table = counts.add_suffix(" (count)")
    table.insert(0, "characters", length.astype(int))
    table = table.join(rates.add_suffix(" (per 1,000)")).reset_index()
    best = {t: rates[t].idxmax().split(" ", 1)[-1] for t in terms}
    return EditionChart(
        chart,
        title_zh=title_zh, title_en=title_en,
        subtitle="Occurrences per 1,000 characters of each chapter's Chinese text, so that long and short "
                 "chapters compare fairly; darker cells, more often. Click a cell to go to the chapter.",
        description=(f"A table of shaded cells: how often each of the words {', '.join(terms)} occurs in each "
                     f"of the {len(rates)} chapters, per 1,000 characters of the chapter's text "
                     f"(the chapters run from {int(length.min()):,} to {int(length.max()):,} characters). "
                     "The highest rate of each word is in: "
                     + "; ".join(f"{t}, {c}" for t, c in best.items()) + ". "
                     "The table below gives the counts, the lengths and the rates."),
        table=table,
        sources=[f"{TEXT_SOURCE}, all paragraphs; counted at build time"],
    )
