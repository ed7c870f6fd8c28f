"""Altair charts that draw offline: no CDN, vector image for print, data table and text for all.

Altair's default HTML output loads vega from a CDN. A chart wrapped in
``EditionChart`` (what every function of ``charts`` returns) is displayed as:

- ``application/vnd.vegalite.v5+json``: the Vega-Lite spec, which JupyterLab draws
  itself (a chapter opened with ``make lab`` shows its charts), with the pieces the
  book prints around it (titles, sources, description, data table, as HTML) in the
  output's metadata under ``edition``;
- ``text/plain``: a one-line description.

The book's HTML is made on the Sphinx side (``chart_assets.EditionChartMime``, a
myst-nb mime render plugin, chosen for the HTML builders by ``nb_mime_priority_overrides``
in ``_config.yml``): a figure with an empty ``div`` that
``_static/edition-charts/charts.js`` draws as SVG from the spec compiled to Vega at
build time, the data behind the chart as a table in a ``<details>``, and a text
description for screen readers.

Why not ``text/html`` beside the Vega-Lite spec (what Altair's own renderers do in one or
the other): JupyterLab ranks ``text/html`` (50) above its Vega-Lite renderer (57), so a
bundle holding both shows the book's HTML, which draws nothing without the book's
scripts; and the HTML would hold the spec a second time. The plugin keeps the notebook's
output to what a notebook can show, and the book's markup in one place (``figure_html``).

Why ``v5`` although Altair 6 writes Vega-Lite 6 specs: JupyterLab 4 renders the Vega-Lite
mimetypes v3 to v5 only, and every chart of the edition compiles with Vega-Lite 5
(``tests/test_charts.py``); the spec keeps its own ``$schema``.

For print and PDF the same SVG is printed by Chromium (``make pdf``): it is
vector, and Chinese text uses the system's Noto Sans CJK SC.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import os
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the book's build imports this module for figure_html: without altair and pandas (0.45 s)
    import altair as alt
    import pandas as pd

FONT = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif"
MIMETYPE = "application/vnd.vegalite.v5+json"


class EditionChart:
    """A chart with what a reader needs beside it: description, data table, sources."""

    def __init__(self, chart: alt.TopLevelMixin, *, description: str, table: pd.DataFrame,
                 sources: list[str], title_zh: str = "", title_en: str = "", subtitle: str = ""):
        self.chart = chart
        self.description = description
        self.table = table
        self.sources = sources
        # shown as HTML above the drawing, so that it wraps on any screen and carries its language
        self.title_zh, self.title_en, self.subtitle = title_zh, title_en, subtitle

    def spec(self) -> dict:
        return self.chart.to_dict()

    def edition(self) -> dict:
        """What the book prints around the drawing, as HTML fragments (see ``figure_html``)."""
        title = ""
        if self.title_zh or self.title_en:
            title = (f'<p class="chart-title"><span lang="zh-Hans">{html.escape(self.title_zh)}</span> '
                     f'<span lang="en">{_mark_chinese(self.title_en)}</span></p>')
        if self.subtitle:
            title += f'<p class="chart-subtitle" lang="en">{_mark_chinese(self.subtitle)}</p>'
        return {"title": title, "description": self.description,
                "sources": "; ".join(_source_html(s) for s in self.sources),
                "table": _table_html(self.table), "rows": len(self.table)}

    def _repr_mimebundle_(self, include=None, exclude=None):
        if os.environ.get("EDITION_STOCK_CHARTS") == "1":  # benchmarks/run.py: Altair's own output
            return self.chart._repr_mimebundle_(include, exclude)
        spec, fitted = fixed_width(self.spec())
        data = {MIMETYPE: spec, "text/plain": f"<chart: {self.description}>"}
        return data, {MIMETYPE: {"edition": {**self.edition(), "fitted": fitted}}}


NOTEBOOK_WIDTH = 640  # px: a chart drawn to its container in the book has this width in a notebook


def fixed_width(spec: dict) -> tuple[dict, list[list]]:
    """The spec with each ``width: "container"`` replaced by pixels, and where they were.

    The book draws such views to the width of their column (charts.js); in a JupyterLab output
    area, whose width follows what it holds, a view that follows its container can be drawn
    again and again, so the notebook gets fixed widths and the book puts "container" back
    (``container_width``)."""
    spec = json.loads(json.dumps(spec))
    fitted: list[list] = []

    def walk(node, path, share):
        if isinstance(node, dict):
            if node.get("width") == "container":
                node["width"] = share
                fitted.append(path + ["width"])
            side = len(node.get("hconcat", [])) or 1
            for key, value in node.items():
                walk(value, path + [key], share // side if key == "hconcat" else share)
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, path + [i], share)

    walk(spec, [], NOTEBOOK_WIDTH)
    return spec, fitted


def container_width(spec: dict, fitted: list[list]) -> dict:
    """The book's spec from the notebook's: the views ``fixed_width`` fixed follow their container."""
    spec = json.loads(json.dumps(spec))
    for path in fitted:
        node = spec
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = "container"
    return spec


def chart_id(spec: dict) -> str:
    """A chart's HTML id: from its Vega-Lite spec, so the same chart keeps its id."""
    payload = json.dumps(spec, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return "chart-" + hashlib.sha1(payload.encode()).hexdigest()[:10]


def figure_html(cid: str, edition: dict, spec_script: str) -> str:
    """The book's figure: titles, the div charts.js draws into, the script that brings its spec,
    sources, and the description and data table in a fold-out."""
    desc = html.escape(edition["description"])
    return (
        f'<div class="edition-chart-figure">{edition["title"]}'
        f'<div class="edition-chart" id="{cid}" role="img" aria-label="{desc}" lang="en"></div>'
        f"{spec_script}"
        f'<p class="chart-sources"><span lang="zh-Hans">来源</span> <span lang="en">Sources:</span> {edition["sources"]}</p>'
        f'<details class="chart-data-details"><summary><span lang="zh-Hans">文字说明与数据</span> '
        f'<span lang="en">Description and data ({edition["rows"]} rows)</span></summary>'
        f'<p class="chart-description" lang="en">{_mark_chinese(edition["description"])}</p>{edition["table"]}</details>'
        f"</div>"
    )


CHINESE_RUN = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+(?:[\s\d、，。：；]*[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+)*")


def _mark_chinese(text: str) -> str:
    """Escaped English text with each run of Chinese in it marked lang="zh-Hans"."""
    out, last = [], 0
    for m in CHINESE_RUN.finditer(text):
        out.append(html.escape(text[last:m.start()]))
        out.append(f'<span lang="zh-Hans">{html.escape(m.group(0))}</span>')
        last = m.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def _table_html(df: pd.DataFrame) -> str:
    """The data as an HTML table; a ``paragraph`` column links to its paragraph (``url``)."""
    shown = [c for c in df.columns if c != "url"]
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in shown)
    rows = []
    for rec in df.to_dict("records"):
        cells = []
        for c in shown:
            v = rec[c]
            if v is None or (isinstance(v, float) and math.isnan(v)):
                text = "—"
            elif isinstance(v, float) and v.is_integer():
                text = str(int(v))  # a count read from a column with gaps is still a whole number
            else:
                text = str(v)
            if c == "paragraph" and rec.get("url"):
                cells.append(f'<td><a href="{html.escape(rec["url"])}">{html.escape(text)}</a></td>')
            else:
                cells.append(f"<td>{html.escape(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table class="chart-data"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _source_html(source: str) -> str:
    if source.startswith("http"):
        host = source.split("//", 1)[-1].split("/", 1)[0].removeprefix("www.")
        return f'<a href="{html.escape(source)}" title="{html.escape(source)}">{html.escape(host)}</a>'
    return html.escape(source)


def edition_theme() -> dict:
    return {
        "config": {
            "font": FONT,
            "title": {"font": FONT, "fontSize": 15, "subtitleFontSize": 12, "anchor": "start",
                      "subtitleColor": "#555"},
            "axis": {"labelFont": FONT, "titleFont": FONT, "labelFontSize": 11, "titleFontSize": 12},
            "legend": {"labelFont": FONT, "titleFont": FONT},
            "view": {"stroke": None},
            "background": "white",
        }
    }


def enable() -> None:
    """Use the edition theme; call once at the top of a chapter's hidden setup cell."""
    import altair as alt

    alt.theme.register("edition", enable=True)(edition_theme)
    alt.data_transformers.disable_max_rows()
