"""Measure the book on this machine and write benchmarks/RESULTS.md.

    make bench        (or: .venv/bin/python benchmarks/run.py)

Measures, on temporary copies of the book (the working tree is not touched):
a contributor's edit loop (edit_loop.py); a fresh-clone `make book` (install and build) with the package caches warm and cold;
clean build, no-change rebuild and one-chapter-edit rebuild times; page weight in
headless Chromium (every response a page needs, first visit and a later visit, raw
and gzip); the HTML of every chapter; time from the load event until every chart is
drawn; search latency. The same is measured, in the same run, for a stock
configuration: the theme's own assets (fontawesome.js, the full icon fonts, the
search scripts on every page), Altair's default (CDN) renderer and
execute_notebooks: force. The figures before issue 14 (commit 355684e), measured
with this script's page-weight code, are printed beside them.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlparse

from bs4 import BeautifulSoup

from cyberspace_edition.browser import launch, serve
from cyberspace_edition.paths import ROOT
from cyberspace_edition.workcopy import build, copy_book

CHAPTERS = ["chapters/s3-2-cybersecurity", "chapters/s3-3-governance", "chapters/s4-proposals",
            "chapters/s4-proposals-6-10", "front/note-on-the-text"]
TEXT_PAGE = "front/note-on-the-text"
CHART_PAGE = "chapters/s3-3-governance"  # the first page of the longest chapter, with a chart
# Page weight before issue 14 (commit 355684e: fontawesome.js, full icon fonts and the search
# scripts on every page, Vega with the Vega-Lite compiler), measured in Chromium by weigh()
# below on that commit's build, 2026-11-30. Not re-measured: that commit needs npm to build.
# s3-3-governance and s4-proposals then held their whole chapter; since 2026-12-01 they hold its
# first page (data/chapters.yaml, continued:), so their before and after are not the same text.
BEFORE = {  # page: (first visit raw KB, gzip KB, requests; later visit gzip KB)
    "chapters/s3-2-cybersecurity": (3595.7, 1217.5, 34, 35.1),
    "chapters/s3-3-governance": (3754.1, 1246.5, 34, 64.1),
    "chapters/s4-proposals": (3636.8, 1223.5, 34, 41.1),
    "front/note-on-the-text": (2556.1, 892.4, 32, 9.0),
}
# a later visit: the reader has opened the home page and a chapter with charts first
REPEAT_WARM_UP = ["index", "chapters/s3-1-digital-economy"]
STOCK_ENV = {"EDITION_STOCK_CHARTS": "1", "EDITION_STOCK_ASSETS": "1"}


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


class _Cached(http.server.SimpleHTTPRequestHandler):
    """A static host as GitHub Pages serves the book: files may be cached for 10 minutes."""

    def end_headers(self):
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def log_message(self, *args):
        pass


@contextmanager
def serve_cached(root: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Cached, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


def weigh(html_dir: Path, pages: list[str], warm_up: list[str] = ()) -> dict:
    """Bytes the browser fetched for each page: {page: (raw KB, gzip KB, requests)}.

    Each page opens in one browser context (one reader), after the warm_up pages: with no
    warm_up, a first visit (empty cache); with some, a later visit, where only responses not
    served from the browser's cache count. Bodies are the served files; gzip is level 6, as
    a static host compresses them (fonts and images, compressed already, barely change).
    """
    from playwright.sync_api import sync_playwright

    out = {}
    with serve_cached(html_dir) as base, sync_playwright() as p:
        browser = launch(p)
        for target in pages:
            ctx = browser.new_context(viewport={"width": 1280, "height": 900})
            page = ctx.new_page()
            cdp = ctx.new_cdp_session(page)
            cdp.send("Network.enable")
            fetched: dict[str, tuple[str, int]] = {}
            cdp.on("Network.responseReceived", lambda e: fetched.__setitem__(
                e["requestId"], (e["response"]["url"], e["response"]["status"],
                                 e["response"].get("fromDiskCache") or e["response"].get("fromPrefetchCache"))))
            cached: set[str] = set()
            cdp.on("Network.requestServedFromCache", lambda e: cached.add(e["requestId"]))
            for warm in warm_up:
                page.goto(f"{base}/{warm}.html", wait_until="load")
                page.wait_for_timeout(500)
            fetched.clear()
            cached.clear()
            page.goto(f"{base}/{target}.html", wait_until="load")
            page.wait_for_timeout(1500)  # deferred scripts, fonts, tooltips data
            raw = gz = n = 0
            for rid, (url, status, from_disk) in fetched.items():
                if rid in cached or from_disk or status != 200 or not url.startswith(base):
                    continue
                path = html_dir / unquote(urlparse(url).path).lstrip("/")
                body = path.read_bytes() if path.is_file() else b""
                raw += len(body)
                gz += len(gzip.compress(body, 6))
                n += 1
            out[target] = (raw / 1024, gz / 1024, n)
            ctx.close()
        browser.close()
    return out


def chapter_html(html_dir: Path) -> dict:
    """Raw and gzip KB of every chapter page's HTML, and KB of the text a reader reads in it (the
    article's text content in UTF-8, markup, scripts and the theme left out): what no markup change
    can take away."""
    out = {}
    for p in sorted((html_dir / "chapters").glob("*.html")):
        raw = p.read_bytes()
        article = BeautifulSoup(raw, "html.parser").select_one("article") or BeautifulSoup("", "html.parser")
        for tag in article.find_all(["script", "style"]):
            tag.decompose()
        out[str(p.relative_to(html_dir).with_suffix(""))] = (
            len(raw) / 1024, len(gzip.compress(raw, 6)) / 1024, len(article.get_text().encode()) / 1024)
    return out


def fresh_clone_book(cold: bool) -> dict:
    """`git clone` of HEAD, then `make book`: install and build, timed. Cold: empty package caches."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ}
        make_vars = [f"PYTHON={getattr(sys, '_base_executable', sys.executable)}"]
        if cold:  # no uv cache, no pip cache, and uv's tools venv made anew
            env.update(UV_CACHE_DIR=f"{tmp}/uv-cache", PIP_NO_CACHE_DIR="1")
            make_vars.append(f"TOOLS={tmp}/tools")
        subprocess.run(["git", "clone", "--quiet", str(ROOT), f"{tmp}/book"], check=True)
        times = {}
        for step in ("deps", "book"):  # deps: venv, uv and the lock; book: the build
            start = time.perf_counter()
            result = subprocess.run(["make", step, *make_vars], cwd=f"{tmp}/book", env=env, capture_output=True, text=True)
            times[step] = time.perf_counter() - start
            if result.returncode != 0:
                sys.exit(f"fresh-clone make {step} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
        return {"install": times["deps"], "total": times["deps"] + times["book"]}


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
    r["first"] = weigh(html, CHAPTERS)
    r["later"] = weigh(html, CHAPTERS, warm_up=REPEAT_WARM_UP)
    r["chapter_html"] = chapter_html(html)
    r["html_dir"] = html
    return r


def main() -> None:
    import edit_loop  # beside this file

    loop = edit_loop.measure(rounds=2)
    clone = {"warm": fresh_clone_book(cold=False), "cold": fresh_clone_book(cold=True)}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        book = copy_book(work / "book")
        ours = measure("edition", book, work)
        stock_book = copy_book(work / "stock-book")
        config = stock_book / "_config.yml"
        config.write_text(config.read_text(encoding="utf-8").replace("execute_notebooks: cache",
                                                                     "execute_notebooks: force"), encoding="utf-8")
        stock = measure("stock", stock_book, work, env=STOCK_ENV)
        timings = browser_timings(ours["html_dir"])
    write_results(ours, stock, timings, clone, edit_loop.report(loop))


def kb(n: int) -> str:
    return f"{n / 1024:.1f} KB"


def write_results(ours: dict, stock: dict, timings: dict, clone: dict, loop: list[str]) -> None:
    load = os.getloadavg()[0]
    lines = [
        "# Benchmark results",
        "",
        f"Measured by `benchmarks/run.py` (`make bench`) on {time.strftime('%Y-%m-%d')}; machine: {machine()};",
        f"load average {load:.1f} at the end of the run (the machine is shared: times vary with it).",
        "Builds run on temporary copies of the book with the Makefile's flags (`-n -W --keep-going`,",
        "PYTHONHASHSEED=0). *Stock* is the same book with the theme's own assets (`fontawesome.js`, the",
        "full Font Awesome fonts, the search scripts on every page), Altair's default renderer (scripts",
        "from cdn.jsdelivr.net) and `execute_notebooks: force`.",
        "",
        "## Install and build from a fresh clone (seconds)",
        "",
        "`git clone`, then `make book` on this Python: `.venv` made by uv (pinned; kept in a tools venv",
        "shared by clones, made once with pip), `uv pip sync requirements.lock`, the build. *Warm*: uv's",
        "cache and tools venv as a contributor has them after one install; *cold*: empty caches and no",
        "tools venv, every package downloaded from PyPI.",
        "",
        "| | install | install and build | target |",
        "|---|---:|---:|---:|",
        f"| caches warm | {clone['warm']['install']:.1f} | {clone['warm']['total']:.1f} | ≤ 45 |",
        f"| caches cold | {clone['cold']['install']:.1f} | {clone['cold']['total']:.1f} | |",
        "",
        "## Build times (seconds)",
        "",
        "| | edition | stock | target |",
        "|---|---:|---:|---:|",
        f"| clean build | {ours['clean']:.1f} | {stock['clean']:.1f} | ≤ 30 |",
        f"| no-change rebuild (best of 3) | {ours['nochange']:.1f} | {stock['nochange']:.1f} | ≤ 2 |",
        f"| rebuild after editing one chapter | {ours['edit']:.1f} | {stock['edit']:.1f} | |",
        "",
        "## A contributor's edit loop (seconds)",
        "",
        "`benchmarks/edit_loop.py` on a copy of the book: what `make book` runs after installing, clean",
        "(nothing built; then with `_build/.jupyter_cache` kept), with nothing changed, and after one edit",
        "of each kind (each edit built twice, after undoing it in between: the best is shown). *CPU* is",
        "the build's user+system time, which other work on the machine changes less; *load* the load",
        "average when it started. The pages Sphinx read again and the notebooks that ran are from the",
        "build's log.",
        "",
        *loop,
        "",
        "## Page weight in the browser",
        "",
        "Every response headless Chromium fetched for the page (served from 127.0.0.1 with",
        "`Cache-Control: max-age=600`, as GitHub Pages serves), summed: raw, and gzip as a static host",
        "sends it. *First visit*: empty cache. *Later visit*: the same reader opens the page after",
        f"{' and '.join(REPEAT_WARM_UP)}; only what the browser did not have counts.",
        "*Before* is commit 355684e (before issue 14), measured with the same code on 2026-11-30; then",
        "s3-3-governance and s4-proposals held their whole chapter, now its first page (the rest is on",
        "the pages `continued:` in data/chapters.yaml names), so their before is the whole chapter's.",
        "",
        "| page | first visit, gzip | raw | requests | later visit, gzip | stock first visit, gzip | stock later visit, gzip | before: first / later, gzip | target |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for page in CHAPTERS:
        raw, gz, n = ours["first"][page]
        later = ours["later"][page][1]
        s_first, s_later = stock["first"][page][1], stock["later"][page][1]
        before = f"{BEFORE[page][1]:.1f} KB / {BEFORE[page][3]:.1f} KB" if page in BEFORE else ""
        target = "≤ 250 KB" if ours["pages"][page]["charts"] == 0 else "≤ 450 KB"
        lines.append(f"| {page} | {gz:.1f} KB | {raw:.1f} KB | {n} | {later:.1f} KB | {s_first:.1f} KB "
                     f"| {s_later:.1f} KB | {before} | {target}; later ≤ 60 KB |")
    stock_outside = sorted({u for p in CHAPTERS for u in stock["pages"][p]["outside_scripts"]})
    lines += [
        "",
        "The edition requests nothing outside the site "
        f"({timings['outside_requests']} outside requests in the browser runs); the stock pages ask for "
        f"{len(stock_outside)} outside scripts ({', '.join(stock_outside)}), not counted above, and draw no "
        "chart offline.",
        "",
        "## Chapter HTML",
        "",
        "*Text* is what a reader reads on the page (the article's text in UTF-8: the Chinese, the English,",
        "the notes, guides and questions, the charts' data tables and the hidden chart code), without markup.",
        "",
        "| chapter | HTML | HTML gzip | text | target |",
        "|---|---:|---:|---:|---:|",
    ]
    for page, (raw, gz, words) in ours["chapter_html"].items():
        flag = "" if raw <= 120 and gz <= 30 else " **over**"
        lines.append(f"| {page} | {raw:.1f} KB | {gz:.1f} KB | {words:.1f} KB | ≤ 120 / 30 KB{flag} |")
    lines += [
        "",
        "## In the browser (headless Chromium, served on 127.0.0.1, median of 5)",
        "",
        "| page | all charts drawn, ms after navigation start | … relative to the load event | target |",
        "|---|---:|---:|---:|",
    ]
    lines += [f"| {p} | {at:.0f} | {rel:+.0f} | < +150 |" for p, (at, rel) in timings["draw_ms"].items()]
    lines += ["", "A negative figure means every chart was drawn before the load event fired: the chart "
              "script and each chart's spec are deferred scripts, and the charts are drawn at DOMContentLoaded."]
    lines += ["", "| search query | latency (ms) |", "|---|---:|"]
    lines += [f"| {q} | {ms:.1f} |" for q, ms in timings["search_ms"].items()]
    lines.append("")
    path = ROOT / "benchmarks" / "RESULTS.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
