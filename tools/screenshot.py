"""Screenshots of built pages in Debian's Chromium, for looking at what we made.

    .venv/bin/python tools/screenshot.py chapters/s3-2-cybersecurity [--width 375] [--out shot.png]
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from playwright.sync_api import sync_playwright

from cyberspace_edition.browser import launch, serve

HTML = Path(os.environ.get("EDITION_HTML", Path(__file__).resolve().parents[1] / "_build" / "html"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("page")
    ap.add_argument("--width", type=int, default=1280)
    ap.add_argument("--height", type=int, default=900)
    ap.add_argument("--full", action="store_true")
    ap.add_argument("--out", default="/tmp/shot.png")
    ap.add_argument("--fragment", default="")
    ap.add_argument("--selector", default="", help="scroll this element to the top first")
    a = ap.parse_args()
    with serve(HTML) as base, sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": a.width, "height": a.height})
        page.on("console", lambda m: print("console:", m.type, m.text))
        page.goto(f"{base}/{a.page}.html{a.fragment}")
        page.wait_for_timeout(500)
        if a.selector:
            page.locator(a.selector).first.scroll_into_view_if_needed()
            page.evaluate("sel => document.querySelector(sel).scrollIntoView()", a.selector)
            page.wait_for_timeout(200)
        page.screenshot(path=a.out, full_page=a.full)
        browser.close()
    print(a.out)


if __name__ == "__main__":
    main()
