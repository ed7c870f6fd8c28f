"""The charts mean what they show: every chart the chapters place, built from its code cell.

- a length (a bar, an area) is drawn only for a count, never for an ordinal, a date or a name
  (the 11th G20 summit is a name, not eleven of something);
- marks contrast 3:1 with the background, heat-map labels 4.5:1 with their cell;
- the text alternative is two to four plain sentences, not a dump of notes or URLs;
- counts in the data tables are whole numbers.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd
import pytest

from cyberspace_edition import altair_offline, charts, facts
from cyberspace_edition.errors import DataError

from .conftest import ROOT

CELL = re.compile(r"```\{code-cell\} ipython3\n:tags: \[hide-input[^\]\n]*\]\n\n(.*?)```", re.S)
LENGTH_MARKS = {"bar", "area", "arc"}
LENGTH_CHANNELS = {"x", "y", "x2", "y2", "theta", "size"}


def chart_cells() -> list[tuple[str, int, str]]:
    """(file, line, code) of every chart code cell in chapters/ and back/."""
    out = []
    for md in sorted([*(ROOT / "chapters").glob("*.md"), *(ROOT / "back").glob("*.md")]):
        text = md.read_text(encoding="utf-8")
        for m in CELL.finditer(text):
            if "charts." in m.group(1):
                out.append((str(md.relative_to(ROOT)), text[:m.start()].count("\n") + 1, m.group(1)))
    return out


CELLS = chart_cells()


@lru_cache(maxsize=None)
def build(index: int):
    where, line, code = CELLS[index]
    altair_offline.enable()
    ns = {"charts": charts, "facts": facts, "ledger": facts.load_facts(), "glue": lambda *a, **k: None}
    exec(compile(code, f"{where}:{line}", "exec"), ns)
    chart = ns["chart"]
    return f"{where}:{line}", chart, chart.spec()


def views(spec: dict):
    """Every view of a spec, with the data rows it draws (inline datasets, or its parent's)."""
    datasets = spec.get("datasets", {})

    def walk(node, rows):
        data = node.get("data")
        if isinstance(data, dict) and "name" in data:
            rows = datasets.get(data["name"], [])
        elif isinstance(data, dict) and "values" in data:
            rows = data["values"]
        yield node, rows
        for key in ("layer", "hconcat", "vconcat", "concat"):
            for sub in node.get(key, []):
                yield from walk(sub, rows)
        if "spec" in node:
            yield from walk(node["spec"], rows)

    yield from walk(spec, [])


def mark_type(view: dict) -> str | None:
    mark = view.get("mark")
    return mark.get("type") if isinstance(mark, dict) else mark


def test_the_chapters_place_charts():
    assert len(CELLS) >= 10, f"found only {len(CELLS)} chart cells in chapters/ and back/"


@pytest.mark.parametrize("index", range(len(CELLS)), ids=[f"{w}:{n}" for w, n, _ in CELLS])
def test_no_length_for_anything_but_a_count(index):
    where, _, spec = build(index)
    problems = lengths_not_counts(spec)
    assert not problems, f"{where}: " + "; ".join(problems)


def lengths_not_counts(spec: dict) -> list[str]:
    """Ledger facts other than counts that a spec draws as a length (a fact is known by its id,
    or by its paragraph and quote)."""
    ledger = facts.load_facts()
    kinds = ledger.set_index("id")["kind"].to_dict()
    by_quote = {(r.paragraph, r.quote): (r.id, r.kind) for r in ledger.itertuples()}
    problems = []
    for view, rows in views(spec):
        if mark_type(view) not in LENGTH_MARKS:
            continue
        for channel, enc in (view.get("encoding") or {}).items():
            if channel not in LENGTH_CHANNELS or not isinstance(enc, dict) or enc.get("type") != "quantitative":
                continue
            for row in rows:
                found = [(row[k], kinds[row[k]]) for k in ("id", "fact") if row.get(k) in kinds]
                if (row.get("paragraph"), row.get("quote")) in by_quote:
                    found.append(by_quote[(row["paragraph"], row["quote"])])
                problems += [f"fact {fact} (kind {kind}) is drawn as a {mark_type(view)} length on {channel}: "
                             "only counts may be lengths; write an ordinal in a label"
                             for fact, kind in found if kind != "count"]
    return problems


@pytest.mark.parametrize("index", range(len(CELLS)), ids=[f"{w}:{n}" for w, n, _ in CELLS])
def test_marks_and_labels_contrast_with_the_background(index):
    where, _, spec = build(index)
    colours = []
    for view, rows in views(spec):
        mark = view.get("mark") if isinstance(view.get("mark"), dict) else {}
        if mark.get("aria") is False:
            continue  # a decoration (a guide line), hidden from assistive technology: not data
        found = {}
        for k in ("color", "fill", "stroke"):
            if isinstance(mark.get(k), str):
                found.setdefault(k, []).append((f"mark {k}", mark[k]))
        for channel in ("color", "fill", "stroke"):
            enc = (view.get("encoding") or {}).get(channel) or {}
            scale = enc.get("scale") or {}
            if isinstance(scale, dict):
                found.setdefault(channel, []).extend(
                    (f"{channel} scale", c) for c in scale.get("range", []) if isinstance(c, str))
            if isinstance(enc.get("value"), str):
                found.setdefault(channel, []).append((f"{channel} value", enc["value"]))
        found = {k: [(w, c) for w, c in v if c.startswith("#") and c.lower() not in ("#fff", "#ffffff")]
                 for k, v in found.items()}
        if found.get("stroke") and ("color" in found or "fill" in found) and all(
                charts.contrast(c, charts.BACKGROUND) >= 3 for _, c in found["stroke"]):
            found.pop("color", None)  # a pale fill inside an outline that contrasts: the outline carries it
            found.pop("fill", None)
        colours += [c for cs in found.values() for c in cs]
        if any("fill" in r and "ink" in r for r in rows[:1]):  # heat map: each label on its cell
            for r in rows:
                ratio = charts.contrast(r["fill"], r["ink"])
                assert ratio >= 4.5, f"{where}: label {r['ink']} on cell {r['fill']} is {ratio:.2f}:1 (< 4.5:1)"
    for what, colour in colours:
        if not colour.startswith("#") or colour.lower() in ("#fff", "#ffffff", "white"):
            continue
        ratio = charts.contrast(colour, charts.BACKGROUND)
        assert ratio >= 3, f"{where}: {what} {colour} is {ratio:.2f}:1 against the background (< 3:1)"


@pytest.mark.parametrize("index", range(len(CELLS)), ids=[f"{w}:{n}" for w, n, _ in CELLS])
def test_text_alternative_is_a_short_description(index):
    where, chart, _ = build(index)
    text = chart.description
    sentences = [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z0-9])", text.strip()) if s]
    assert 2 <= len(sentences) <= 4, f"{where}: the description has {len(sentences)} sentences (want 2–4): {text}"
    assert len(text) <= 700, f"{where}: the description is {len(text)} characters long: keep the data in the table"
    for noise in ("http", "DISCREPANCY", ".csv"):
        assert noise not in text, f"{where}: the description contains {noise!r}: {text}"
    assert chart.title_zh and chart.title_en, f"{where}: the chart has no Chinese and English title"


@pytest.mark.parametrize("index", range(len(CELLS)), ids=[f"{w}:{n}" for w, n, _ in CELLS])
def test_counts_in_the_data_table_are_whole_numbers(index):
    where, chart, _ = build(index)
    for column in chart.table.columns:
        values = chart.table[column]
        if pd.api.types.is_float_dtype(values):
            present = values.dropna()
            assert len(present) == 0 or not (present == present.round()).all(), (
                f"{where}: column {column!r} holds whole numbers as decimals ({list(present)[:3]} …)")


def test_ordinal_is_refused_as_a_quantity():
    ledger = facts.load_facts()
    with pytest.raises(DataError, match="aalco-54th-session-ordinal is a ordinal, not a count"):
        charts.composition(ledger, {"aalco-54th-session-ordinal": "AALCO"}, title_zh="x", title_en="x",
                           unit_zh="x")


def test_event_label_must_be_words_of_the_paragraph():
    ledger = facts.load_facts()
    with pytest.raises(DataError, match="not in paragraph s3-1-p02"):
        charts.named_events(ledger, [("g20-summit-2016-ordinal", "G20", "第十二次峰会", "the {nth} summit")],
                            title_zh="x", title_en="x")


def test_ordinal_is_written_from_the_ledger():
    ledger = facts.load_facts()
    chart = charts.named_events(ledger, [("g20-summit-2016-ordinal", "G20", "第十一次峰会", "the {nth} summit")],
                                title_zh="x", title_en="x")
    assert chart.table["label (English)"].tolist() == ["the 11th summit"]
    assert [charts.ordinal(n) for n in (1, 2, 3, 11, 12, 13, 21, 23, 54, 111)] == \
        ["1st", "2nd", "3rd", "11th", "12th", "13th", "21st", "23rd", "54th", "111th"]


def test_heat_map_labels_read_on_every_shade():
    for k in range(101):
        fill, ink = charts.heat_colours(k, 100)
        assert charts.contrast(fill, ink) >= 4.5, f"cell {k}/100: {ink} on {fill}"


@pytest.mark.parametrize("index", range(len(CELLS)), ids=[f"{w}:{n}" for w, n, _ in CELLS])
def test_spec_compiles_with_vega_lite_5_and_to_vega(index):
    """The notebook output is labelled Vega-Lite 5 (the newest JupyterLab 4 draws), the book draws
    the spec compiled to Vega: both compilers must take it."""
    import vl_convert

    from cyberspace_edition.extension import chart_assets

    where, _, spec = build(index)
    try:
        vl_convert.vegalite_to_vega(spec, vl_version="5.21")
    except ValueError as e:
        pytest.fail(f"{where}: Vega-Lite 5 cannot compile the chart, JupyterLab would not draw it: {e}")
    vega = chart_assets.to_vega(spec)
    assert vega.get("$schema", "").startswith("https://vega.github.io/schema/vega/"), f"{where}: not a Vega spec"


def test_the_book_figure_is_made_from_the_notebook_output():
    """The mime render plugin turns a chart's Vega-Lite output into the book's figure: the div it
    is drawn into, its description, sources and data table, and the spec compiled to Vega."""
    import json
    from types import SimpleNamespace

    from cyberspace_edition.extension import chart_assets

    _, chart, spec = build(0)
    data, metadata = chart._repr_mimebundle_()
    assert set(data) == {altair_offline.MIMETYPE, "text/plain"}, f"the output holds {sorted(data)}"
    mime = SimpleNamespace(mime_type=altair_offline.MIMETYPE, content=data[altair_offline.MIMETYPE],
                           output_metadata=metadata, string=json.dumps(data[altair_offline.MIMETYPE]))
    [node] = chart_assets.EditionChartMime.handle_mime(None, mime, False)
    html = node.astext()
    cid = altair_offline.chart_id(spec)
    assert f'id="{cid}"' in html and 'class="chart-data"' in html and "chart-sources" in html
    inline = chart_assets.INLINE.search(html)
    assert inline and inline.group(1) == cid, "the figure carries no spec for chart_assets.move_specs"
    assert json.loads(inline.group(2).replace("<\\/", "</"))["spec"]["$schema"].startswith(
        "https://vega.github.io/schema/vega/"), "the spec in the figure is not compiled to Vega"
    plain = SimpleNamespace(**{**vars(mime), "output_metadata": {}})
    assert chart_assets.EditionChartMime.handle_mime(None, plain, False) is None, (
        "a Vega-Lite output without the edition's metadata (a plain Altair chart) must be left to myst-nb")


def test_a_chart_compiled_once_is_read_back_the_same(tmp_path, monkeypatch):
    """Pages read again take their charts' Vega from the disk cache, keyed by the spec: the same
    spec gives what the compiler gives, another spec is compiled anew."""
    from cyberspace_edition.extension import chart_assets

    where, _, spec = build(0)
    fresh = chart_assets.to_vega(spec)
    chart_assets._compile.cache_clear()
    monkeypatch.setattr(chart_assets, "_compiled_cache", tmp_path)
    assert chart_assets.to_vega(spec) == fresh, f"{where}: compiled with the cache on, the Vega differs"
    assert len(list(tmp_path.glob("*.json"))) == 1, "the compiled spec was not kept"
    chart_assets._compile.cache_clear()
    assert chart_assets.to_vega(spec) == fresh, f"{where}: read back from the cache, the Vega differs"
    other = {**spec, "description": "another chart"}
    chart_assets._compile.cache_clear()
    assert chart_assets.to_vega(other)["description"] == "another chart", "another spec got the cached Vega"
    assert len(list(tmp_path.glob("*.json"))) == 2
    chart_assets._compile.cache_clear()
