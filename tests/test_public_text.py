"""Public text only: no placeholder, working note or machine path reaches a reader.

A reader of the book sees the built pages; a reader of the repository sees the data files the
pages are built from. Neither should meet an editor's placeholder ("(source_url)"), a working
note ("DOUBT: …", "seen only … in a notes file", "the reference file"), a path on the editors'
machine or a TODO. Each failure names the file and line to fix.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# (pattern, what it is). Case-insensitive unless the pattern says otherwise.
PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\(\s*source_url\b"), "placeholder '(source_url' instead of a source"),
    (re.compile(r"\bsource_url\s*\)"), "placeholder 'source_url)' instead of a source"),
    (re.compile(r"\bDOUBT\b"), "working note 'DOUBT'"),
    (re.compile(r"\bUNVERIFIED\b"), "working label 'UNVERIFIED'"),
    (re.compile(r"\b(TODO|FIXME|XXX|TBD)\b"), "editor's marker"),
    (re.compile(r"reference\s+file", re.I), "working note: 'the reference file' is not available to readers"),
    (re.compile(r"notes?\s+file", re.I), "working note: a 'notes file' is not a source a reader can check"),
    (re.compile(r"\bour\s+(sources|reference)\b", re.I), "working note: name the source instead of 'our sources'"),
    # the editors' research notes live outside the repository: a relative path that climbs out of the
    # book to a folder that is not one of its own is one of them
    (re.compile(r"external-facts\.(ya?ml|md)|(?<![\w.:/-])(?:\.\./)+"
                r"(?!(?:downloads|front|back|chapters|_static|_images|data|index\.html)\b)[\w.-]+/"),
     "reference to the research desk (a path outside the book)"),
    (re.compile(r"(?<![\w.])/(work|home|tmp|root|Users)/[\w.-]+"), "machine path"),
    (re.compile(r"file:///"), "machine path (file URL)"),
]


def find_problems(text: str, where: str) -> list[str]:
    """'where:line: what (matched text)' for every forbidden string in text.

    Each line is read together with the next one, so that a phrase wrapped in a folded YAML
    string ("our\n      sources") is found too; a hit is reported on the line where it starts."""
    out = []
    lines = text.splitlines()
    for n, line in enumerate(lines, start=1):
        window = line + (" " + lines[n].strip() if n < len(lines) else "")
        for pattern, what in PATTERNS:
            for m in pattern.finditer(window):
                if m.start() < len(line):
                    out.append(f"{where}:{n}: {what}: …{window[max(0, m.start() - 40):m.end() + 40].strip()}…")
    return out


# --- the data files the pages are built from -------------------------------------------------

DATA_FILES = sorted(
    [*ROOT.glob("data/annotations/*.yaml"), ROOT / "data/glossary.yaml", ROOT / "data/facts.csv",
     *ROOT.glob("data/external/*.csv"), ROOT / "data/external/README.md",
     *ROOT.glob("data/translation/*.yaml"), *ROOT.glob("chapters/*.md"),
     ROOT / "index.md", *ROOT.glob("front/*.md"), *ROOT.glob("back/*.md")],
)


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_data_files_hold_public_text_only(path: Path):
    problems = find_problems(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert not problems, "not for readers:\n" + "\n".join(problems)


# --- the built pages ---------------------------------------------------------------------------

def _visible_lines(html: str) -> str:
    """The page with tags removed but line numbers kept, so a hit can be found in the file.

    Scripts are kept: chart specs carry the tooltips and data tables a reader sees."""
    return re.sub(r"<[^>\n]*>", " ", html)


def test_built_pages_hold_public_text_only(built):
    problems = []
    # the chart specs (tooltips) live in their own scripts beside the pages (chart_assets.move_specs)
    for page in sorted([*built.rglob("*.html"), *built.glob("_static/edition-charts/specs/*.js")]):
        rel = page.relative_to(ROOT)
        problems += find_problems(_visible_lines(page.read_text(encoding="utf-8")), str(rel))
    assert not problems, "not for readers:\n" + "\n".join(problems[:60]) + (
        f"\n… and {len(problems) - 60} more" if len(problems) > 60 else "")


# --- the check itself can fail -----------------------------------------------------------------

BAD_FIXTURE = """\
definition: The summit met on 4-5 September 2016 (source_url).
note: "DOUBT: seen only as quoted in a GitHub notes file"
text: the reference file dates it 29 March; our sources do not say.
path: see {desk}  # TODO
wrapped: a folded note whose working words break across lines, as in our
  sources; it must be found on the line where it starts.
"""


# stand-ins, not real places: a folder beside the book and a path on an editor's machine (assembled,
# so that this file does not itself hold one)
DESK_PATH = "../desk/facts.yaml, copied from " + "/".join(["", "home", "editor", "facts.yaml"])


def test_the_check_finds_each_kind_of_problem():
    problems = find_problems(BAD_FIXTURE.format(desk=DESK_PATH), "fixture.yaml")
    joined = "\n".join(problems)
    assert "fixture.yaml:1: placeholder '(source_url'" in joined
    assert "fixture.yaml:2: working note 'DOUBT'" in joined
    assert "fixture.yaml:2: working note: a 'notes file'" in joined
    assert "fixture.yaml:3: working note: 'the reference file'" in joined
    assert "fixture.yaml:3: working note: name the source instead of 'our sources'" in joined
    assert "fixture.yaml:4: reference to the research desk" in joined
    assert "fixture.yaml:4: machine path" in joined
    assert "fixture.yaml:4: editor's marker" in joined
    assert "fixture.yaml:5: working note: name the source instead of 'our sources'" in joined
    assert not any(p.startswith("fixture.yaml:6:") for p in problems)


def test_the_check_passes_public_text():
    good = ("definition: The summit met on 4-5 September 2016 ([China Daily](http://www.chinadaily.com.cn/x.htm)).\n"
            "source_url: https://www.cert.org.cn/publish/english/index.html\n"
            "note: CNCERT's own English site; the 2021 figure is the white paper's (s3-2-p03).\n")
    assert find_problems(good, "good.yaml") == []
