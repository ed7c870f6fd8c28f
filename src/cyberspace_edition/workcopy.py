"""A throw-away copy of the book (its tracked files), for tests and benchmarks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from .paths import ROOT

JB = Path(sys.executable).parent / "jupyter-book"
FLAGS = ["-n", "-W", "--keep-going"]


def copy_book(dest: Path) -> Path:
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, files.decode().split("\0")):
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    return dest


def build(book: Path, out: Path, *, offline: bool = False, env: dict | None = None,
          builder: str = "html") -> subprocess.CompletedProcess:
    """jupyter-book build of a copy, as `make book` runs it (same flags, same hash seed)."""
    cmd = [str(JB), "build", str(book), "--path-output", str(out), "--builder", builder, *FLAGS]
    if offline:
        cmd = ["unshare", "--net", "sh", "-c", "ip link set lo up && exec " + " ".join(cmd)]
    full_env = {**os.environ, "PYTHONPATH": str(book / "src"), "PYTHONHASHSEED": "0", **(env or {})}
    return subprocess.run(cmd, capture_output=True, text=True, env=full_env, timeout=1800)
