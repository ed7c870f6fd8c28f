"""Print the book to an A4 PDF with Chromium, from the single-page HTML build.

    python -m cyberspace_edition.pdf _build/singlehtml/index.html _build/pdf/book.pdf

The single-page build is opened in Debian's Chromium (no browser download), its
charts are drawn as SVG by the book's own chart library, every folded note and
data table is opened, and the page is printed with the print stylesheet: A4,
no navigation, margin notes inline, vector charts, fonts embedded by Chromium.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .browser import launch, serve

FOOTER = ('<div style="font-size:8px;width:100%;text-align:center;color:#666;">'
          '携手构建网络空间命运共同体（三至结束语）· 注释本 — <span class="pageNumber"></span> / '
          '<span class="totalPages"></span></div>')


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
        page.wait_for_function(
            "() => [...document.querySelectorAll('.edition-chart')].every(c => c.dataset.drawn === 'true')",
            timeout=30_000)
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        page.emulate_media(media="print")
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
