"""Read the edition's YAML and CSV files so that every error names the file and the line."""

from __future__ import annotations

import csv
from pathlib import Path

import yaml

from .errors import DataError


class LineDict(dict):
    """A mapping read from YAML that remembers the line it starts on."""

    line: int = 0


class LineList(list):
    line: int = 0


# libyaml's parser when PyYAML has it (the wheels do): the same values and lines, ten times faster
class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    def construct_mapping(self, node, deep=False):
        mapping = LineDict(super().construct_mapping(node, deep=deep))
        mapping.line = node.start_mark.line + 1
        return mapping

    def construct_sequence(self, node, deep=False):
        seq = LineList(super().construct_sequence(node, deep=deep))
        seq.line = node.start_mark.line + 1
        return seq


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping
)
_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _LineLoader.construct_sequence
)


def read_yaml(path: Path):
    """Parse a YAML file; mappings and lists carry ``.line``. Bad files raise DataError."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(path, 0, f"not UTF-8 ({exc.reason} at byte {exc.start})") from exc
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DataError(path, mark.line + 1 if mark else 0, f"malformed YAML: {exc}") from exc


def key_line(path: Path, mapping: dict, key: str) -> int:
    """Line of ``key:`` inside a mapping read by read_yaml (falls back to the mapping's line)."""
    start = getattr(mapping, "line", 1)
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    for n in range(start - 1, len(lines)):
        stripped = lines[n].lstrip("- ").lstrip()
        if stripped.startswith(f"{key}:") or stripped.startswith(f'"{key}":'):
            return n + 1
    return start


def read_csv(path: Path, columns: list[str]) -> list[dict]:
    """Rows of a CSV file as dicts with ``_line``; the header must be exactly ``columns``."""
    try:
        with Path(path).open(encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader, None)
            if header != columns:
                raise DataError(path, 1, f"header is {header}, expected {columns}")
            rows = []
            for row in reader:
                if not any(cell.strip() for cell in row):
                    continue
                line = reader.line_num
                if len(row) != len(columns):
                    raise DataError(path, line, f"malformed row: {len(row)} fields, expected {len(columns)}")
                record = dict(zip(columns, row))
                record["_line"] = line
                rows.append(record)
            return rows
    except UnicodeDecodeError as exc:
        raise DataError(path, 0, f"not UTF-8 ({exc.reason} at byte {exc.start})") from exc
    except csv.Error as exc:
        raise DataError(path, 0, f"malformed CSV: {exc}") from exc
