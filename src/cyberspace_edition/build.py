"""`make book`'s build: jupyter-book, with a failure told in its `file:line: problem` lines alone.

    python -m cyberspace_edition.build [--verbose] BOOK [jupyter-book build options]

runs ``jupyter-book build BOOK options`` and keeps its whole output in ``_build/build.log`` (under
``--path-output`` when given). While it runs, one line per notebook executed says where it is. If the
build fails, what it prints is the problems: the data files' ``file:line: problem`` lines (DataError,
from the loaders and extension/checks.py), Sphinx's warnings and errors with their locations, or, for
anything else, the exception Sphinx reports; paths are shown relative to the book. Jupyter Book's
tracebacks and "Look above for the cause" stay in the log. With ``--verbose`` (``make book
VERBOSE=1``) everything is printed as it comes, as jupyter-book prints it.

Why a wrapper: jupyter-book catches Sphinx's exception and re-raises it inside its own, so a data
problem arrives as about a hundred lines of two tracebacks; Sphinx has no option to say less.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

JB = Path(sys.executable).parent / "jupyter-book"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
# cyberspace_edition.errors.DataError: /…/data/facts.csv:30: …  (and the checks' DataProblems, a line each)
DATA_ERROR = re.compile(r"^(?:[\w.]+\.)?(?:DataError|DataProblems): (.+)$")
# Sphinx's located messages: /…/chapters/x.md:12: WARNING: … [type]; also without a line, or a location
LOCATED = re.compile(r"^(?P<where>\S[^:]*?(?::\d+)?): (?P<level>WARNING|ERROR|CRITICAL): (?P<message>.*)$")
BARE = re.compile(r"^(?P<level>WARNING|ERROR|CRITICAL): (?P<message>.*)$")
EXECUTING = re.compile(r"^(?P<where>\S+): Executing notebook")
NOISE = ("Kernel is running over TCP without encryption",)


def _book_and_output(args: list[str]) -> tuple[Path, Path]:
    """The book folder (first argument that is not an option) and the folder _build goes in."""
    book = Path(next((a for a in args if not a.startswith("-")), "."))
    if "--path-output" in args:
        return book, Path(args[args.index("--path-output") + 1])
    return book, book


def problems(log: str, book: Path) -> list[str]:
    """The lines a contributor acts on, in order, each once; paths relative to the book."""
    root = str(book.resolve()) + os.sep
    out: list[str] = []

    def add(line: str) -> None:
        line = line.replace(root, "").strip()
        if line and line not in out:
            out.append(line)

    lines = ANSI.sub("", log).splitlines()
    exception_lines: list[str] = []
    for n, line in enumerate(lines):
        if any(noise in line for noise in NOISE):
            continue
        if m := DATA_ERROR.match(line):
            add(m.group(1))
            # DataProblems carries one problem a line: the lines that follow, up to a blank one
            for more in lines[n + 1:]:
                if not more.strip() or more.startswith((" ", "Traceback", "The above", "During")):
                    break
                add(more)
        elif m := LOCATED.match(line):
            add(f"{m['where']}: {m['level']}: {m['message']}")
        elif m := BARE.match(line):
            add(f"{m['level']}: {m['message']}")
        elif line.startswith("Exception occurred:"):
            # Sphinx's own short account of an unexpected exception: where it was raised and what
            exception_lines = []
            for more in lines[n + 1:n + 8]:
                if not more.strip() or more.startswith(("The full traceback", "Traceback")):
                    break
                exception_lines.append(more)
    if not out and exception_lines:
        for line in exception_lines:
            add(line)
    return out


def run(args: list[str], verbose: bool = False) -> int:
    book, output = _book_and_output(args)
    log_path = output / "_build" / "build.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    cmd = [str(JB), "build", *args]
    start = time.monotonic()
    if verbose:
        with log_path.open("w", encoding="utf-8") as log:
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            for line in proc.stdout:
                sys.stdout.write(line)
                log.write(line)
            return proc.wait()
    print(f"Building the book ({' '.join(['jupyter-book', 'build', *args])}); the full log goes to {log_path}",
          flush=True)
    captured: list[str] = []
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for line in proc.stdout:
        captured.append(line)
        if m := EXECUTING.match(ANSI.sub("", line)):
            where = m["where"].replace(str(book.resolve()) + os.sep, "")
            print(f"  running the notebook {where}", flush=True)
    code = proc.wait()
    log = "".join(captured)
    log_path.write_text(log, encoding="utf-8")
    seconds = time.monotonic() - start
    if code == 0:
        print(f"Built in {seconds:.0f} s.")
        return 0
    found = problems(log, book)
    print(f"\nThe build failed ({seconds:.0f} s). {'The problem' if len(found) == 1 else 'The problems'}:\n",
          file=sys.stderr)
    for line in found or ["(no file:line problem was reported: see the log)"]:
        print(f"  {line}", file=sys.stderr)
    print(f"\nThe whole output is in {log_path}; `make book VERBOSE=1` prints it as it comes.", file=sys.stderr)
    return code


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    verbose = "--verbose" in args
    args = [a for a in args if a != "--verbose"]
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    return run(args, verbose=verbose)


if __name__ == "__main__":
    sys.exit(main())
