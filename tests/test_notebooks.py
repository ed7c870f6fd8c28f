"""Each chapter opens as a notebook (jupytext) and runs top to bottom in the project's environment."""

from __future__ import annotations

import jupytext
import pytest

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
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, f"{path}: {errors[0].get('ename')}: {errors[0].get('evalue')}"
