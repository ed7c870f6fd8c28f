"""Print the book to an A4 PDF with Chromium, from the single-page HTML build.

    python -m cyberspace_edition.pdf _build/singlehtml/index.html _build/pdf/book.pdf

The single-page build is opened in Debian's Chromium (no browser download), its
charts are drawn as SVG by the book's own chart library, every folded note and
data table is opened, and the page is printed with the print stylesheet
(static/print.css): A4, no navigation, margin notes inline, vector charts,
tables no wider than the page, fonts embedded by Chromium.

Every link of the PDF leads to one of its own pages or to another site: the
single-page build already turns links between pages into links inside it
(cyberspace_edition.paper); a link that would still lead to the local server
it is printed from, or to a missing anchor, stops the print with its name.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .browser import launch, serve

FOOTER = ('<div style="font-size:8px;width:100%;text-align:center;color:#666;">'
          '携手构建网络空间命运共同体（三至结束语）· 注释本 — <span class="pageNumber"></span> / '
          '<span class="totalPages"></span></div>')


# printed links (those the print stylesheet shows) that would lead to the local server, or to an
# anchor with no target
STRAY_LINKS = """() => [...document.querySelectorAll('a[href]')]
  .filter(a => a.getClientRects().length > 0)
  .map(a => a.getAttribute('href'))
  .filter(h => {
    if (/^(https?:|mailto:)/i.test(h)) return /^https?:\\/\\/(127\\.|localhost|0\\.0\\.0\\.0)/i.test(h);
    if (h.startsWith('#')) return h.length > 1 && !document.getElementById(decodeURIComponent(h.slice(1)));
    return true;
  })"""


# A4 less the margins below, in CSS pixels (96 per inch): the width the print stylesheet lays out
PAGE_WIDTH_PX = round((210 - 2 * 16) / 25.4 * 96)

# what would be cut at the right edge of the sheet: a table, chart or block wider than the text
# column, or scrolled inside itself (print has no scroll bar)
CLIPPED = """() => {
  const body = document.querySelector('article.bd-article') || document.body;
  const right = body.getBoundingClientRect().right + 1;
  const name = el => {
    const where = el.closest('[id]');
    const figure = el.closest('figure, .edition-chart-figure');
    const title = figure ? (figure.querySelector('figcaption, .chart-description')?.textContent || '') : '';
    return `<${el.tagName.toLowerCase()}${el.getAttribute('class') ? ' class="' + el.getAttribute('class') + '"' : ''}>`
      + (where ? ` in #${where.id}` : '') + (title ? ` (${title.trim().slice(0, 50)})` : '');
  };
  return [...body.querySelectorAll('table, pre, svg, img, .edition-chart, figure, .highlight, .pst-scrollable-table-container')]
    .filter(el => el.getClientRects().length > 0 && !el.closest('svg *'))
    .filter(el => el.getBoundingClientRect().right > right || el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible' && el.clientWidth > 0)
    .map(el => `${name(el)}: ${Math.round(Math.max(el.getBoundingClientRect().right, el.getBoundingClientRect().left + el.scrollWidth) - body.getBoundingClientRect().left)} px in a ${Math.round(body.getBoundingClientRect().width)} px column`);
}"""


def clipped_when_printed(page) -> list[str]:
    """What printing a loaded page would cut off, once its charts are drawn and its fold-outs open
    (as the PDF and a reader's print show them)."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('.edition-chart')].every(c => c.dataset.drawn === 'true')",
        timeout=30_000)
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    return clipped_on_paper(page)


def clipped_on_paper(page) -> list[str]:
    """The blocks of a Playwright page that a print of it would cut off (see CLIPPED)."""
    size = page.viewport_size
    page.set_viewport_size({"width": PAGE_WIDTH_PX, "height": size["height"]})
    page.emulate_media(media="print")
    try:
        return page.evaluate(CLIPPED)
    finally:
        page.set_viewport_size(size)


def print_pdf(page_html: Path, out: Path, language: str = "both") -> Path:
    from playwright.sync_api import sync_playwright

    with serve(page_html.parent) as base, sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1100, "height": 1400})
        outside = []

        def route(r):
            if r.request.url.startswith(f"{base}/") or \
                    r.request.url.startswith("data:"):
                r.continue_()
            else:
                outside.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.add_init_script(f"try {{ localStorage.setItem('edition-language', '{language}'); }} catch (e) {{}}")
        page.goto(f"{base}/{page_html.name}", wait_until="load")
        cut = clipped_when_printed(page)
        if cut:
            raise RuntimeError(f"{page_html}: {len(cut)} blocks would be cut at the edge of the page: "
                               + "; ".join(cut[:20]))
        stray = page.evaluate(STRAY_LINKS)
        if stray:
            raise RuntimeError(f"{page_html}: {len(stray)} links would not lead anywhere in the PDF: "
                               + "; ".join(stray[:20]))
        out.parent.mkdir(parents=True, exist_ok=True)
        page.pdf(path=str(out), format="A4", print_background=True, display_header_footer=True,
                 header_template="<span></span>", footer_template=FOOTER,
                 margin={"top": "16mm", "bottom": "18mm", "left": "16mm", "right": "16mm"})
        browser.close()
        if outside:
            raise RuntimeError(f"the page asked for outside resources: {outside}")
    return out


if __name__ == "__main__":
    source = Path(sys.argv[1] if len(sys.argv) > 1 else "_build/singlehtml/index.html")
    target = Path(sys.argv[2] if len(sys.argv) > 2 else "_build/pdf/book.pdf")
    print(f"wrote {print_pdf(source, target)}")
