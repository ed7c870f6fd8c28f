"""A failed build ends with its `file:line: problem` lines alone (src/cyberspace_edition/build.py,
which `make book` calls); the whole output is kept in _build/build.log."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from cyberspace_edition.build import problems
from cyberspace_edition.workcopy import FLAGS, copy_book

BOOK = Path("/srv/edition")  # where the book stands in the sample logs (any absolute path)
LOG = f"""\
Running Sphinx v7.4.7
\x1b[01mloading translations [zh_CN]... \x1b[39;49;00mdone
\x1b[91mProblems in the data files:\x1b[39;49;00m
{BOOK}/data/facts.csv:30: cncert-partner-orgs-2021: quote '已与' is not in paragraph s3-2-p03
{BOOK}/data/glossary.yaml:12: key 'X' is not lower-case ASCII with hyphens
Traceback (most recent call last):
  File "/venv/lib/python3.11/site-packages/sphinx/events.py", line 98, in emit
    results.append(listener.handler(self.app, *args))
cyberspace_edition.extension.checks.DataProblems: {BOOK}/data/facts.csv:30: cncert-partner-orgs-2021: quote '已与' is not in paragraph s3-2-p03
{BOOK}/data/glossary.yaml:12: key 'X' is not lower-case ASCII with hyphens

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "/venv/bin/jupyter-book", line 10, in <module>
RuntimeError:
There was an error in building your book. Look above for the cause.
"""


def test_the_problems_are_the_data_errors_each_once_relative_to_the_book():
    assert problems(LOG, BOOK) == [
        "data/facts.csv:30: cncert-partner-orgs-2021: quote '已与' is not in paragraph s3-2-p03",
        "data/glossary.yaml:12: key 'X' is not lower-case ASCII with hyphens",
    ]


def test_sphinx_warnings_keep_their_location():
    log = (f"\x1b[91m{BOOK}/chapters/s3-2.md:14: WARNING: undefined label: 's3-2-p99' [ref.ref]\x1b[39;49;00m\n"
           f"{BOOK}/chapters/s3-2.md:14: WARNING: undefined label: 's3-2-p99' [ref.ref]\n"
           "WARNING: the config value 'x' is set but unused\n"
           "build finished with problems, 2 warnings (with warnings treated as errors).\n")
    assert problems(log, BOOK) == ["chapters/s3-2.md:14: WARNING: undefined label: 's3-2-p99' [ref.ref]",
                                   "WARNING: the config value 'x' is set but unused"]


def test_an_unexpected_exception_is_told_by_sphinxs_short_account():
    log = ("Exception occurred:\n"
           f'  File "{BOOK}/src/cyberspace_edition/charts.py", line 40, in draw\n'
           "    raise KeyError(name)\n"
           "KeyError: 'x'\n"
           f"The full traceback has been saved in {BOOK}/sphinx-err-1.log, if you want to report the issue.\n"
           "Traceback (most recent call last):\n  File \"/venv/bin/jupyter-book\", line 10\n")
    assert problems(log, BOOK) == ['File "src/cyberspace_edition/charts.py", line 40, in draw',
                                   "raise KeyError(name)", "KeyError: 'x'"]


@pytest.mark.build
def test_a_build_with_a_bad_fact_ends_with_one_short_message(tmp_path):
    book = copy_book(tmp_path / "book")
    facts = book / "data" / "facts.csv"
    text = facts.read_text(encoding="utf-8")
    assert "已与81个国家和地区的274个" in text, "data/facts.csv: the test's anchor is gone; update the test"
    facts.write_text(text.replace("已与81个国家和地区的274个", "已与81个国家和地区的275个", 1), encoding="utf-8")
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(book / "src"), "PYTHONHASHSEED": "0"}
    result = subprocess.run([sys.executable, "-m", "cyberspace_edition.build", str(book), "--path-output", str(out),
                             *FLAGS], capture_output=True, text=True, env=env, cwd=book, timeout=1800)
    shown = (result.stdout + result.stderr).strip()
    assert result.returncode != 0, f"the build passed despite a bad quote in data/facts.csv:\n{shown}"
    lines = shown.splitlines()
    found = [line.strip() for line in lines if "facts.csv" in line and "build.log" not in line]
    assert len(found) == 1 and re.fullmatch(
        r"data/facts\.csv:\d+: cncert-partner-orgs-2021: quote .* is not in paragraph s3-2-p03", found[0]), shown
    assert len(lines) <= 8 and "Traceback" not in shown and "Look above" not in shown, \
        f"the build's message should be the problem alone, not {len(lines)} lines:\n{shown}"
    log = (out / "_build" / "build.log").read_text(encoding="utf-8")
    assert "Traceback" in log, "_build/build.log should keep the whole output"
