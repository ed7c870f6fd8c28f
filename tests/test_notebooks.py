"""Each chapter opens as a notebook (jupytext) and runs top to bottom in the project's environment,
outside Sphinx, as `make lab` runs it: every chart cell shows its chart as a Vega-Lite output
(the mimetype JupyterLab draws), and the text helper prints a section with its ids."""

from __future__ import annotations

import jupytext
import pytest

from cyberspace_edition import altair_offline, text
from cyberspace_edition.notebook import paragraphs

from .conftest import ROOT

NOTEBOOKS = sorted(p for p in [*(ROOT / "chapters").glob("*.md"), *(ROOT / "back").glob("*.md")]
                   if p.read_text(encoding="utf-8").startswith("---\njupytext:"))


def test_there_are_chapter_notebooks():
    assert len(NOTEBOOKS) >= 7, f"only {len(NOTEBOOKS)} notebooks with jupytext headers in chapters/ and back/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_setup_cell_is_hidden_and_chart_cells_show_no_code(path):
    code = [c for c in jupytext.read(path).cells if c.cell_type == "code"]
    assert code, f"{path}: no code cell"
    assert "remove-cell" in code[0].metadata.get("tags", []), f"{path}: the first code cell should be the hidden setup"
    for cell in code[1:]:
        assert "hide-input" in cell.metadata.get("tags", []), f"{path}: a chart cell is not hide-input"


@pytest.mark.build  # a kernel per notebook: about 5 s each; `make book` runs them too, inside Sphinx
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom(path):
    from nbclient import NotebookClient

    nb = jupytext.read(path)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    code = [c for c in nb.cells if c.cell_type == "code"]
    errors = [o for c in code for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, f"{path}: {errors[0].get('ename')}: {errors[0].get('evalue')}"
    for cell in code[1:]:
        if "charts." not in cell.source:
            continue
        line = _line_of(path, cell.source)
        shown = [o for o in cell.get("outputs", []) if o.get("output_type") in ("display_data", "execute_result")]
        mimetypes = [m for o in shown for m in o.get("data", {})]
        assert altair_offline.MIMETYPE in mimetypes, (
            f"{path}:{line}: the chart cell shows {mimetypes or 'nothing'}, not {altair_offline.MIMETYPE}: "
            "JupyterLab would draw no chart (glue the chart with display, not display=False)")
        output = next(o for o in shown if altair_offline.MIMETYPE in o["data"])
        spec = output["data"][altair_offline.MIMETYPE]
        assert "mark" in spec or any(k in spec for k in ("layer", "hconcat", "vconcat", "concat")), (
            f"{path}:{line}: the Vega-Lite output is not a chart spec")
        edition = output.get("metadata", {}).get(altair_offline.MIMETYPE, {}).get("edition", {})
        assert edition.get("description") and "<table" in edition.get("table", ""), (
            f"{path}:{line}: the output carries no description and data table for the book's figure")


def _line_of(path, source: str) -> int:
    return path.read_text(encoding="utf-8")[:path.read_text(encoding="utf-8").find(source)].count("\n") + 1


def test_paragraphs_helper_prints_a_section_with_ids(capsys):
    blocks = text.load_text().by_id()
    paragraphs("s3-3-1", english=False)
    out = capsys.readouterr().out
    # the subsection's heading and its paragraphs, up to the next subsection, each under its id
    assert "[s3-3-1]" in out and blocks["s3-3-p02"].text in out, f"paragraphs('s3-3-1') printed:\n{out[:500]}"
    assert "[s3-3-2]" not in out, "paragraphs('s3-3-1') ran on into the next subsection"
