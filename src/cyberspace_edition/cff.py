"""The edition as `CITATION.cff` describes it, read once for every part that shows or exports it:
the citations (extension/citation.py) and the downloads (exports.py). A missing or malformed field
stops the build with file:line."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import DataError
from .paths import ROOT

CFF_FILE = ROOT / "CITATION.cff"
# the licence's deed, as LICENSE gives it for the editorial content
LICENCE_URLS = {"CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/"}


@dataclass(frozen=True)
class Edition:
    title: str
    version: str
    released: str
    authors: tuple[str, ...]
    licence: str
    licence_url: str
    message: str
    work_title: str  # the white paper, as CITATION.cff's first reference gives it
    work_title_zh: str  # its Chinese title (the part before the bracketed English)
    work_title_en: str  # its English title (the bracketed part)
    work_authors: tuple[str, ...]
    work_published: str
    work_publisher: str


def _line(lines: list[str], key: str) -> int:
    for i, line in enumerate(lines, 1):
        if re.match(rf"\s*-?\s*{re.escape(key)}\s*:", line):
            return i
    return 1


def _names(value, path: Path, line: int, what: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise DataError(path, line, f"{what}: expected a list of authors")
    out = []
    for a in value:
        name = a.get("name") if isinstance(a, dict) else None
        if not name and isinstance(a, dict) and a.get("family-names"):
            name = " ".join(filter(None, [a.get("given-names"), a.get("family-names")]))
        if not name:
            raise DataError(path, line, f"{what}: an author without name or family-names")
        out.append(str(name))
    return tuple(out)


def _iso(value, path: Path, line: int, what: str) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value
    raise DataError(path, line, f"{what}: expected a date YYYY-MM-DD, got {value!r}")


@functools.lru_cache(maxsize=4)
def load_cff(path: Path = CFF_FILE) -> Edition:
    """The edition as CITATION.cff describes it; a missing field stops the build with file:line."""
    if not path.exists():
        raise DataError(path, 0, "CITATION.cff is missing: the citations are made from it")
    raw = path.read_text(encoding="utf-8")
    lines = raw.splitlines()
    try:
        cff = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DataError(path, mark.line + 1 if mark else 0, f"not valid YAML: {exc}") from exc
    if not isinstance(cff, dict):
        raise DataError(path, 1, "expected a mapping")
    for key in ("title", "version", "date-released", "authors", "license", "references"):
        if not cff.get(key):
            raise DataError(path, _line(lines, key) if key in raw else 1, f"no {key!r}: citations need it")
    licence = str(cff["license"])
    if licence not in LICENCE_URLS:
        raise DataError(path, _line(lines, "license"),
                        f"licence {licence!r}: add its deed's address to LICENCE_URLS in {Path(__file__).name}")
    refs = cff["references"]
    work = refs[0] if isinstance(refs, list) and refs and isinstance(refs[0], dict) else None
    ref_line = _line(lines, "references")
    if not work or not work.get("title") or not work.get("date-published"):
        raise DataError(path, ref_line, "the first reference (the white paper) needs title and date-published")
    m = re.fullmatch(r"(.+?) \((.+)\)", str(work["title"]))
    if not m:
        raise DataError(path, ref_line, f"reference title {work['title']!r}: expected 'Chinese title (English title)'")
    publisher = work.get("publisher") or {}
    return Edition(
        title=str(cff["title"]), version=str(cff["version"]),
        released=_iso(cff["date-released"], path, _line(lines, "date-released"), "date-released"),
        authors=_names(cff["authors"], path, _line(lines, "authors"), "authors"),
        licence=licence, licence_url=LICENCE_URLS[licence], message=str(cff.get("message") or ""),
        work_title=str(work["title"]), work_title_zh=m.group(1), work_title_en=m.group(2),
        work_authors=_names(work.get("authors"), path, ref_line, "references[0].authors"),
        work_published=_iso(work["date-published"], path, ref_line, "references[0].date-published"),
        work_publisher=str(publisher.get("name") or "") if isinstance(publisher, dict) else str(publisher),
    )
