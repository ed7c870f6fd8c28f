"""A contributor's edit loop, timed: clean builds, a no-change rebuild, and one edit of each kind.

    .venv/bin/python benchmarks/edit_loop.py             (make bench runs it and writes RESULTS.md)
    .venv/bin/python benchmarks/edit_loop.py --rev d1b87bf   (the same on an earlier commit)

On a temporary copy of the book (the working tree is not touched), with this checkout's .venv,
each build runs what `make book` runs after installing (for commits that had it, `buildcache`
first), with the Makefile's flags and environment. Each edit is made, built, undone and built
again: both builds are timed and the best is reported. For each build the script records which
pages Sphinx read again and which notebooks ran, from the build's log: a page must be read again
when, and only when, one of its inputs changed. After the fact is added, the timeline page must
show one more dated event.

Times are wall-clock seconds; CPU is user+system seconds of the build processes (less sensitive
to other work on a shared machine); load is the 1-minute load average when the build started.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cyberspace_edition.paths import ROOT
from cyberspace_edition.workcopy import FLAGS, copy_book

BIN = ROOT / ".venv" / "bin"
ENV = {**os.environ, "PYTHONHASHSEED": "0"}
ENV.pop("PYTHONDONTWRITEBYTECODE", None)  # as the Makefile runs the build


# --- edits: (label, file, old, new). Each keeps the data valid. --------------------------------

def _first_translation(book: Path) -> tuple[str, str]:
    path = book / "data/translation/s3-2.yaml"
    line = next(l for l in path.read_text(encoding="utf-8").splitlines() if l.startswith("    ") and l.strip())
    return line, line + " Edited."


def _first_note_title(book: Path) -> tuple[str, str]:
    path = book / "data/annotations/s3-3.yaml"
    line = next(l for l in path.read_text(encoding="utf-8").splitlines() if l.strip().startswith("title:"))
    return line, line.rstrip() + " (edited)"


def _first_definition(book: Path) -> tuple[str, str]:
    path = book / "data/glossary.yaml"
    line = next(l for l in path.read_text(encoding="utf-8").splitlines() if l.strip().startswith("definition:")
                and not l.rstrip().endswith((">", ">-", "|")))
    return line, line.rstrip() + " Edited."


def _new_fact(book: Path) -> tuple[str, str]:
    """A dated fact with a new id: the first date row again (its quote is in its paragraph)."""
    text = (book / "data/facts.csv").read_text(encoding="utf-8")
    row = next(l for l in text.splitlines()[1:] if ",date," in l)
    ident = row.split(",", 1)[0]
    return row, row + "\n" + row.replace(ident, ident + "-benchmark-copy", 1)


def _chapter_prose(book: Path) -> tuple[str, str]:
    line = "```{discussion-questions} s3-4"
    return line, "\n" + line


EDITS = [
    ("one English paragraph (data/translation/s3-2.yaml)", "data/translation/s3-2.yaml", _first_translation),
    ("one note (data/annotations/s3-3.yaml)", "data/annotations/s3-3.yaml", _first_note_title),
    ("one chapter file (chapters/s3-4-inclusive-development.md)", "chapters/s3-4-inclusive-development.md",
     _chapter_prose),
    ("one glossary entry (data/glossary.yaml)", "data/glossary.yaml", _first_definition),
    ("one dated fact added (data/facts.csv)", "data/facts.csv", _new_fact),
]
TARGETS = {"no change": 2, "one English paragraph": 5, "one note": 5, "one chapter file": 5,
           "one glossary entry": 8, "clean": 30}


# --- building --------------------------------------------------------------------------------

def build(book: Path) -> dict:
    """What `make book` runs after installing; returns seconds, CPU seconds, pages read, notebooks run."""
    env = {**ENV, "PYTHONPATH": str(book / "src")}
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    log = ""
    if (book / "src/cyberspace_edition/buildcache.py").exists():  # what the Makefile ran before the build, then
        r = subprocess.run([str(BIN / "python"), "-m", "cyberspace_edition.buildcache", str(book / "_build")],
                           cwd=book, env=env, capture_output=True, text=True, check=True)
        log += r.stdout
    r = subprocess.run([str(BIN / "jupyter-book"), "build", str(book), *FLAGS], cwd=book, env=env,
                       capture_output=True, text=True)
    took = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    log += re.sub(r"\x1b\[[0-9;]*m", "", r.stdout + r.stderr)  # without colours
    if r.returncode != 0:
        sys.exit(f"build failed:\n{log[-3000:]}")
    read = sorted(set(re.findall(r"reading sources\.\.\. \[\s*\d+%\] (\S+)", log)))
    ran = sorted({Path(p).relative_to(book).with_suffix("").as_posix()
                  for p in re.findall(r"^(\S+): Executing notebook", log, re.M)})
    return {"s": took, "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
            "load": load, "read": read, "ran": ran}


def timeline_count(book: Path) -> int:
    page = (book / "_build/html/back/timeline.html").read_text(encoding="utf-8")
    m = re.search(r"(\d+)\s*(?:</span>\s*)?dated events", re.sub(r"<[^>]+>", "", page))
    if not m:
        sys.exit("back/timeline.html: no 'N dated events' sentence")
    return int(m.group(1))


def best(samples: list[dict]) -> dict:
    return min(samples, key=lambda s: s["s"])


def copy_at(rev: str | None, dest: Path) -> Path:
    if rev is None:
        return copy_book(dest)
    dest.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", rev], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest


def measure(rev: str | None = None, rounds: int = 2) -> dict:
    out: dict = {"rev": rev or "working tree", "edits": {}}
    with tempfile.TemporaryDirectory() as tmp:
        book = copy_at(rev, Path(tmp) / "book")
        build_dir = book / "_build"
        # clean: nothing built and no execution cache; then again with the execution cache kept
        out["clean, no execution cache"] = build(book)
        cleans = []
        for _ in range(rounds - 1):
            shutil.rmtree(build_dir)
            cleans.append(build(book))
        out["clean, no execution cache"] = best([out["clean, no execution cache"], *cleans])
        cache = Path(tmp) / "jupyter_cache"
        warm = []
        for _ in range(rounds):
            shutil.copytree(build_dir / ".jupyter_cache", cache, dirs_exist_ok=True)
            shutil.rmtree(build_dir)
            build_dir.mkdir()
            shutil.copytree(cache, build_dir / ".jupyter_cache")
            warm.append(build(book))
        out["clean, execution cache kept"] = best(warm)
        out["no change"] = best([build(book) for _ in range(max(rounds, 3))])
        for label, name, edit in EDITS:
            path = book / name
            original = path.read_text(encoding="utf-8")
            old, new = edit(book)
            assert original.count(old) >= 1, f"{name}: the benchmark's anchor {old!r} is gone"
            samples = []
            count_before = timeline_count(book)
            path.write_text(original.replace(old, new, 1), encoding="utf-8")
            samples.append(build(book))
            count_after = timeline_count(book)
            path.write_text(original, encoding="utf-8")
            samples.append(build(book))
            for _ in range(rounds - 1):
                path.write_text(original.replace(old, new, 1), encoding="utf-8")
                samples.append(build(book))
                path.write_text(original, encoding="utf-8")
                samples.append(build(book))
            edited = samples[0::2]
            out["edits"][label] = {**best(edited), "first": samples[0], "timeline": (count_before, count_after)}
    return out


def report(r: dict) -> list[str]:
    lines = [f"| build ({r['rev']}) | seconds | CPU s | load | pages read again | notebooks run | target |",
             "|---|---:|---:|---:|---|---|---:|"]

    def row(label: str, s: dict, note: str = "") -> str:
        target = next((f"≤ {v}" for k, v in TARGETS.items() if label.startswith(k)), "")
        read = ", ".join(s["read"]) if len(s["read"]) <= 4 else f"{len(s['read'])} pages"
        ran = ", ".join(s["ran"]) if len(s["ran"]) <= 3 else f"{len(s['ran'])} notebooks"
        return (f"| {label}{note} | {s['s']:.1f} | {s['cpu']:.1f} | {s['load']:.1f} | {read or '—'} "
                f"| {ran or '—'} | {target} |")

    for label in ("clean, no execution cache", "clean, execution cache kept", "no change"):
        lines.append(row(label, r[label]))
    for label, s in r["edits"].items():
        if "fact" in label:  # the first time: the notebooks run; made again, their outputs are cached
            before, after = s["timeline"]
            lines.append(row(label, s["first"], f": timeline {before} → {after} dated events"))
            lines.append(row("… the same fact added again after undoing it", s))
        else:
            lines.append(row(label, s))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rev", help="measure this commit instead of the working tree")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    print("\n".join(report(measure(args.rev, args.rounds))))


if __name__ == "__main__":
    main()
