"""Clear what Jupyter Book's caches cannot know is stale, before a build.

jupyter-cache keys a notebook on its code cells only, and Sphinx does not know
when this package changes. So, before each build:

- when the package or the data the charts read (facts, outside data, the text)
  changed, the execution cache is cleared and the chapters run again;
- when the package changed, the Sphinx environment is cleared too, so every page
  is read again with the new extension.

Edits to the English text, notes or glossary need neither: the extension
declares those files as dependencies of the pages that use them.

    python -m cyberspace_edition.buildcache _build
"""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

from .paths import DATA, ROOT

PACKAGE = Path(__file__).parent


def _digest(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(str(p.relative_to(ROOT)).encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts]


def check(build: Path) -> list[str]:
    """Clear stale caches under the build folder; return what was cleared."""
    package = _digest(_files(PACKAGE))
    chart_inputs = _digest([DATA / "facts.csv", DATA / "chapters.yaml", *_files(DATA / "external"), *_files(DATA / "text"),
                            *_files(DATA / "source")])
    stamps = {"package": package, "chart-inputs": chart_inputs}
    cleared = []
    for name, value in stamps.items():
        stamp = build / f".stamp-{name}"
        if stamp.exists() and stamp.read_text() == value:
            continue
        if stamp.exists() or (build / ".jupyter_cache").exists():
            targets = [".jupyter_cache", "jupyter_execute"] + ([".doctrees"] if name == "package" else [])
            for t in targets:
                if (build / t).exists():
                    shutil.rmtree(build / t)
                    cleared.append(t)
        build.mkdir(parents=True, exist_ok=True)
        stamp.write_text(value)
    return sorted(set(cleared))


if __name__ == "__main__":
    build = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "_build")
    cleared = check(build)
    if cleared:
        print(f"inputs changed: cleared {', '.join(cleared)} under {build}")
