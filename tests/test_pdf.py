"""`make pdf` (run by `make test`) prints the whole book to A4 with every glyph and font in place,
links that lead somewhere, nothing cut at the edge of the sheet and no heading left at a page's foot."""

from __future__ import annotations

import re
import shutil
import subprocess
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from cyberspace_edition import edition
from cyberspace_edition.text import load_text

from .conftest import ROOT

pytestmark = pytest.mark.pdf  # these read _build/pdf and _build/singlehtml: `make pdf` first

PDF = ROOT / "_build" / "pdf" / "book.pdf"
FOOTER_TEXT = "携手构建网络空间命运共同体（三至结束语）·注释本—"  # cyberspace_edition.pdf.FOOTER, without spaces


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


# --- links: to the PDF's own pages, or to other sites; never to the machine it was printed on ------

def _links():
    """The PDF read with pypdf, and (page number, link annotation) of every link in it."""
    from pypdf import PdfReader

    reader = PdfReader(PDF)
    found = []
    for number, page in enumerate(reader.pages, 1):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") == "/Link":
                found.append((number, annotation))
    return reader, found


def _destination(link):
    """Where an internal link goes (a named destination or [page, …]); None for a link to an address."""
    action = link.get("/A")
    if action is not None and action.get("/S") == "/GoTo":
        return action.get("/D")
    return link.get("/Dest")


def test_every_link_leads_to_a_page_of_the_pdf_or_to_another_site(pdf_text):
    from pypdf.generic import ArrayObject

    reader, links = _links()
    named = reader.named_destinations
    pages = {page.indirect_reference.idnum for page in reader.pages}
    problems, internal, external = [], 0, 0
    for number, link in links:
        action = link.get("/A")
        if action is not None and action.get("/S") == "/URI":
            uri = str(action["/URI"])
            parts = urlsplit(uri)
            if parts.scheme not in ("http", "https"):
                problems.append(f"page {number}: {uri}: not a link to another site (a file of this machine?)")
            elif re.match(r"^(127\.|localhost$|0\.0\.0\.0$|\[?::1\]?$)", parts.hostname or ""):
                problems.append(f"page {number}: {uri}: the local server the book was printed from")
            external += 1
            continue
        dest = _destination(link)
        if dest is None:
            problems.append(f"page {number}: a link with neither an address nor a destination: {dict(link)}")
        elif isinstance(dest, ArrayObject):
            if getattr(dest[0], "idnum", None) not in pages:
                problems.append(f"page {number}: a link to a page that is not in the PDF: {dest}")
        elif str(dest) not in named:
            problems.append(f"page {number}: a link to #{str(dest).lstrip('/')}, which the PDF does not hold")
        internal += 1
    assert internal > 100, f"{PDF}: only {internal} links inside the PDF (its contents, paragraph references)"
    assert not problems, f"{PDF}: {len(problems)} of {len(links)} links lead nowhere:\n  " + "\n  ".join(problems[:40])


def test_every_paragraph_is_a_destination_inside_the_pdf(pdf_text):
    """Notes, chart tables and the timeline name paragraphs of other chapters (on the site
    ../chapters/x.html#id): in the PDF each paragraph must be a place a link can lead to."""
    reader, links = _links()
    targets = {str(_destination(link) or "").lstrip("/") for _, link in links}
    named = {str(name).lstrip("/") for name in reader.named_destinations}
    paragraphs = {b.id for b in load_text().blocks if b.kind == "paragraph"}
    assert not paragraphs - named, f"{PDF}: paragraphs that no link can reach: {sorted(paragraphs - named)}"
    assert not paragraphs - targets, f"{PDF}: paragraphs no link leads to: {sorted(paragraphs - targets)}"


# --- layout: each page of the book starts a sheet, with its heading on top -------------------------

@pytest.fixture(scope="module")
def sheets(pdf_text) -> list[list[str]]:
    """The lines of each sheet of the PDF, as laid out (whitespace removed), without the footer."""
    count = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(PDF)], capture_output=True,
                                                            text=True, check=True).stdout)[1])
    out = []
    for number in range(1, count + 1):
        text = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), "-enc", "UTF-8", str(PDF), "-"],
                              capture_output=True, text=True, check=True).stdout
        lines = [re.sub(r"\s+", "", line) for line in text.splitlines()]
        out.append([line for line in lines if line and not FOOTER_TEXT.startswith(line)
                    and not re.search(r"注释本—\d+/\d+$", line)])
    return out


@pytest.fixture(scope="module")
def single_page() -> BeautifulSoup:
    single = ROOT / "_build" / "singlehtml" / "index.html"
    if not single.exists():
        pytest.fail(f"{single} is missing: run `make pdf`")
    soup = BeautifulSoup(single.read_text(encoding="utf-8"), "html.parser")
    for link in soup.select(".headerlink"):
        link.decompose()
    return soup


def test_no_sheet_ends_with_a_heading(single_page, sheets):
    headings = {re.sub(r"\s+", "", h.get_text())[:20] for h in single_page.select(
        "article h1, article h2, article h3, article h4, article h5, article h6, .heading-translation, "
        ".admonition-title")}
    headings = {h for h in headings if len(h) >= 4}
    assert len(headings) > 50, f"only {len(headings)} headings found in the single-page build"
    stranded = [f"sheet {number}: “{lines[-1][:60]}”" for number, lines in enumerate(sheets, 1)
                if lines and any(lines[-1].startswith(h[:15]) for h in headings)]
    assert not stranded, f"{PDF}: headings left at the foot of a sheet, away from their text: {stranded}"


def test_every_page_of_the_book_starts_a_sheet_under_its_heading(single_page, sheets):
    headings = []
    for marker in single_page.select('span[id^="document-"]'):
        section = marker.find_next_sibling("section")
        heading = section.find(re.compile(r"^h[1-6]$")) if section else None
        assert heading is not None, f"_build/singlehtml/index.html: {marker['id']} has no heading"
        headings.append((marker["id"], re.sub(r"\s+", "", heading.get_text())))
    tops = ["".join(lines)[:80] for lines in sheets]
    stranded = [f"{doc}: “{title}”" for doc, title in headings[1:]
                if not any(top.startswith(title[:20]) for top in tops)]
    assert len(headings) >= 10, f"_build/singlehtml/index.html: only {len(headings)} pages found"
    assert not stranded, f"{PDF}: these pages of the book do not open a sheet under their heading: {stranded}"


# --- a chapter printed from the browser: nothing cut at the edge of the sheet -------------------

PRINTED_ALONE = [*(f for c in edition.CHAPTERS for f in edition.chapter(c).files),
                 "back/timeline", "back/editorial-log"]


@pytest.fixture(scope="module")
def chromium(browser):
    from cyberspace_edition.browser import serve

    html = ROOT / "_build" / "html"
    if not (html / "index.html").exists():
        pytest.fail(f"{html}/index.html is missing: run `make book`")
    with serve(html) as base:
        yield base, browser


@pytest.mark.parametrize("name", PRINTED_ALONE)
def test_a_page_printed_from_the_browser_cuts_no_table_or_chart(chromium, name):
    from cyberspace_edition.pdf import clipped_when_printed

    base, browser = chromium
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(f"{base}/{name}.html", wait_until="load")
        cut = clipped_when_printed(page)
    finally:
        page.close()
    assert not cut, f"_build/html/{name}.html printed on A4 cuts off:\n  " + "\n  ".join(cut)
