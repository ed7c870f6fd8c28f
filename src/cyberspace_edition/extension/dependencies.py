"""A page is read again when, and only when, one of its inputs changed (the lists: ../inputs.py).

- **Directives and roles**: when a page is read, the edition's directives and roles it uses are
  looked up in ``inputs.READS`` and the files they read become the page's dependencies
  (``env.note_dependency``): Sphinx reads the page again when one of them is newer than the page.
  A chapter page depends on its own English and notes, the text and the glossary's names, not on
  the other chapters' files nor on the glossary's definitions (``inputs.Part``). An edition directive missing from ``READS`` makes its page depend on
  every data file (correct, slower); ``tests/test_inputs.py`` names it.
- **Notebooks**: myst-nb's execution cache keys a notebook on its code cells, which do not
  change when the data they read does (the timeline kept its old count after a fact was added).
  So each notebook page gets one more cell, hidden and added only in Sphinx's copy of the page:
  a comment holding ``inputs.notebook_key()``, the digest of what code cells read. The cache
  key changes exactly when those inputs do; the page is then read again (``env-get-outdated``)
  and its cells run again. Reverting an edit finds the earlier cache entry. A digest in the
  key, rather than clearing cache entries, cannot leave a stale entry behind.
- **Numbering**: figure and section numbers are computed again only when a page was read.
- **This package**: its digest is this extension's ``env_version``; when the code changes,
  Sphinx discards the saved environment and reads every page again.
"""

from __future__ import annotations

import re
from pathlib import Path

from docutils.parsers.rst import directives, roles
from sphinx.application import Sphinx
from sphinx.util import logging

from .. import inputs
from ..paths import DATA, ROOT

logger = logging.getLogger(__name__)

# ```{name} argument, :::{name} argument, {name}`text`
USE = re.compile(r"\{([A-Za-z][\w.:-]*)\}(?:`([^`\n]*)`|[ \t]*([^\n]*))")
NOTEBOOK = re.compile(r"\A---\n.*?^kernelspec:.*?^---\n", re.S | re.M)
KEY_CELL = """

```{{code-cell}} ipython3
:tags: [remove-cell]

# added by the build (extension/dependencies.py): digest of what this page's code reads
# {key}
```
"""


def edition_names() -> set[str]:
    """Directives and roles registered by the edition's extension."""
    registered = {**getattr(directives, "_directives", {}), **getattr(roles, "_roles", {})}
    out = set()
    for name, obj in registered.items():
        cls = obj if isinstance(obj, type) else type(obj)
        if cls.__module__.startswith("cyberspace_edition."):
            out.add(name)
    return out


def part_file(part: inputs.Part, build: Path | None = None) -> Path:
    return (build or _BUILD[0]) / ".edition-inputs" / f"{part.name}.txt"


_BUILD = [ROOT / "_build"]  # the build folder (set when the builder starts)


def write_parts(app: Sphinx) -> None:
    write_parts_into(Path(app.outdir).parent)


def write_parts_into(build: Path) -> None:
    """Each Part as a file under the build folder, rewritten only when it changed (Sphinx compares
    the pages' dependencies by their time of change)."""
    _BUILD[0] = build
    for part in inputs.PARTS:
        path = part_file(part)
        content = part.compute()
        if not path.is_file() or path.read_text(encoding="utf-8") != content:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")


def page_inputs(source: str, ours: set[str]) -> set[str]:
    """The data files the edition's directives and roles in a page's source read."""
    files: set[str] = set()
    for m in USE.finditer(source):
        name, argument = m.group(1), (m.group(2) if m.group(2) is not None else m.group(3)) or ""
        if name in inputs.READS:
            for p in inputs.READS[name](argument):
                p = part_file(p) if isinstance(p, inputs.Part) else p
                if p.is_file():
                    files.add(str(p))
        elif name in ours:  # not said in inputs.READS: every data file, to be safe
            files.update(str(p) for p in DATA.rglob("*") if p.is_file())
    return files


def note_inputs(app: Sphinx, docname: str, source: list[str]) -> None:
    env = app.env
    ours = getattr(app, "_edition_names", None)
    if ours is None:
        ours = app._edition_names = edition_names()
    for path in sorted(page_inputs(source[0], ours)):
        env.note_dependency(path)
    if NOTEBOOK.match(source[0]) and "{code-cell}" in source[0]:
        key = _notebook_key(app)
        keys = env.__dict__.setdefault("edition_notebook_keys", {})
        keys[docname] = key
        # at the end, so that no line of the page moves (errors keep their line numbers)
        source[0] = source[0].rstrip("\n") + KEY_CELL.format(key=key)


def _notebook_key(app: Sphinx) -> str:
    """inputs.notebook_key(), once per build."""
    if not hasattr(app, "_edition_notebook_key"):
        app._edition_notebook_key = inputs.notebook_key()
    return app._edition_notebook_key


def outdated_notebooks(app: Sphinx, env, added, changed, removed) -> list[str]:
    """Notebook pages whose code reads something that changed since they were read."""
    app._edition_removed = bool(removed)
    keys = getattr(env, "edition_notebook_keys", {})
    if not keys:
        return []
    key = _notebook_key(app)
    stale = sorted(doc for doc, old in keys.items() if old != key and doc in env.found_docs)
    if stale:
        logger.info(f"notebook inputs changed: reading {', '.join(stale)} again")
    return stale


def _note_reading(app: Sphinx, env, docnames: list[str]) -> None:
    app._edition_read_any = bool(docnames)


def _numbering_only_after_reading(app: Sphinx) -> None:
    """Sphinx numbers the figures again after every build by unpickling every page (about a third
    of a no-change rebuild). Numbers change only when a page was read again, added or removed:
    when none was, the numbers of the last build stand."""
    from sphinx.environment.collectors.toctree import TocTreeCollector

    listeners = app.events.listeners.get("env-get-updated", [])
    for i, listener in enumerate(listeners):
        handler = listener.handler
        if isinstance(getattr(handler, "__self__", None), TocTreeCollector):
            def numbering(app_, env, _handler=handler):
                if not getattr(app_, "_edition_read_any", True) and not getattr(app_, "_edition_removed", True):
                    return []
                return _handler(app_, env)
            listeners[i] = listener._replace(handler=numbering)


def purge(app: Sphinx, env, docname: str) -> None:
    getattr(env, "edition_notebook_keys", {}).pop(docname, None)


def merge(app: Sphinx, env, docnames, other) -> None:
    keys = env.__dict__.setdefault("edition_notebook_keys", {})
    keys.update({d: k for d, k in getattr(other, "edition_notebook_keys", {}).items() if d in docnames})


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", write_parts)
    app.connect("source-read", note_inputs)
    app.connect("env-get-outdated", outdated_notebooks)
    app.connect("env-purge-doc", purge)
    app.connect("env-before-read-docs", _note_reading)
    app.connect("builder-inited", _numbering_only_after_reading)
    app.connect("env-merge-info", merge)
    # the package's env_version (a digest of its code) is set in extension/__init__.py
