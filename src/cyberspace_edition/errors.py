"""One error type for bad input, so every message names the file and the line."""

from __future__ import annotations

from pathlib import Path


class DataError(ValueError):
    """A data file is wrong. str() gives ``path:line: problem``, like a compiler."""

    def __init__(self, path: Path | str, line: int, problem: str):
        self.path, self.line, self.problem = Path(path), line, problem
        super().__init__(f"{self.path}:{line}: {problem}")
