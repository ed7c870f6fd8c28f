"""`make pdf` (run by `make test`) prints the whole book to A4 with every glyph and font in place."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from cyberspace_edition import edition
from cyberspace_edition.text import load_text

from .conftest import ROOT

PDF = ROOT / "_build" / "pdf" / "book.pdf"


@pytest.fixture(scope="module")
def pdf_text() -> str:
    if not PDF.exists():
        pytest.fail(f"{PDF} is missing: run `make pdf` (make test does)")
    for tool in ("pdfinfo", "pdffonts", "pdftotext"):
        assert shutil.which(tool), f"{tool} is missing: run `make test-deps` (installs poppler-utils)"
    # -raw keeps the order in which the page draws its text: without it, pdftotext sorts a line by
    # position, and a paragraph whose number (¶) and first words start a page lost them to the end
    # of its line (s3-3-p13: "年以来，…" then "¶13 2014")
    out = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(PDF), "-"], capture_output=True, text=True,
                         check=True)
    return re.sub(r"\s+", "", out.stdout)


def test_pdf_is_a4(pdf_text):
    info = subprocess.run(["pdfinfo", str(PDF)], capture_output=True, text=True, check=True).stdout
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert size and abs(float(size[1]) - 595.3) < 2 and abs(float(size[2]) - 841.9) < 2, f"{PDF}: {size and size[0]}"
    assert int(re.search(r"Pages:\s+(\d+)", info)[1]) > 20, f"{PDF}: too few pages"


def test_every_font_is_embedded(pdf_text):
    rows = subprocess.run(["pdffonts", str(PDF)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert rows, f"{PDF}: no fonts"
    not_embedded = [r for r in rows if not re.search(r"\s(yes)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", r)]
    assert not not_embedded, f"{PDF}: fonts not embedded: {not_embedded}"


def test_no_missing_glyph_and_all_paragraphs_printed(pdf_text):
    source_chars = set("".join(b.text for b in load_text().blocks)) - {" "}
    missing = sorted(source_chars - set(pdf_text))
    assert not missing, f"{PDF}: characters of the text not printed (missing glyphs?): {missing}"
    absent = [b.id for b in load_text().blocks if b.text.replace(" ", "")[:12] not in pdf_text]
    assert not absent, f"{PDF}: paragraphs not printed: {absent}"


def test_english_notes_and_charts_are_printed(pdf_text):
    english = edition.load_translation().text
    sample = [english[pid] for pid in ("s3-2-p03", "s4-1-p01", "concl-p02")]
    for en in sample:
        assert re.sub(r"\s+", "", en)[:40] in pdf_text, f"{PDF}: English text missing: {en[:40]}"
    assert "274个合作伙伴组织" in pdf_text, f"{PDF}: the CNCERT chart's title is not printed as text (vector)"
    assert "Context:" in pdf_text, f"{PDF}: margin notes are not printed"
