"""Every data file checked before any page is read or any notebook runs.

When the builder starts, each data file is read through its loader (the loaders check what they
read and raise DataError, ``file:line: problem``). Problems stop the build at once with those lines
alone: a bad quote in ``data/facts.csv`` is reported as ``data/facts.csv:30: …``, not later as a
failed notebook that seems to blame the page that runs it. The loaders cache what they read, so the
directives and the notebooks' own loads that follow cost nothing more.

A build whose data and code are those of the last build that passed the checks skips them (the
stamp ``_build/.doctrees/edition-data-checked`` holds their digest): the same files through the
same loaders give the same answer, and a no-change rebuild saves the 0.4 s of reading every file
(and of importing pandas).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import SphinxError

from .. import edition, inputs, text
from ..errors import DataError


def loaders() -> list[tuple[str, Callable[[], object]]]:
    """(what, loader) for every data file, the text first: the other layers are checked against it."""
    from .. import facts  # pandas: only when the checks run
    out: list[tuple[str, Callable[[], object]]] = [
        ("the text", text.load_text),
        ("the ledger of facts", facts.load_facts),
        ("the English text", edition.load_translation),
        ("the glossary", edition.load_glossary),
        ("the glossary's exceptions", edition.term_exceptions),
    ]
    out += [(f"the notes of {c}", lambda c=c: edition.load_annotations(c)) for c in edition.CHAPTERS]
    out += [
        ("the primary documents", edition.load_primary_documents),
        ("the hosts of primary sources", edition.primary_hosts),
        ("the further reading", edition.load_further_reading),
        ("the WIC editions", facts.wic_editions),
        ("the CNCERT partners", facts.cncert_partners),
        ("the WIC organisation", facts.wic_organisation),
    ]
    return out


def data_problems() -> list[DataError]:
    """Every loader's DataError, each once (a bad text or ledger shows once, not in each later layer)."""
    problems: list[DataError] = []
    seen: set[str] = set()
    for _what, load in loaders():
        try:
            load()
        except DataError as exc:
            if str(exc) not in seen:
                seen.add(str(exc))
                problems.append(exc)
    return problems


class DataProblems(SphinxError):
    """The data files have problems; the message is their ``file:line: problem`` lines."""

    category = "Problems in the data files"


def data_key() -> str:
    """Digest of every file under data/ and of the code that loads them."""
    return inputs.digest(inputs.data_files(), extra=inputs.extension_key())


def check_data_files(app: Sphinx) -> None:
    stamp = Path(app.doctreedir) / "edition-data-checked"
    key = data_key()
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == key:
        return
    problems = data_problems()
    if problems:
        stamp.unlink(missing_ok=True)
        raise DataProblems("\n".join(str(p) for p in problems))
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(key, encoding="utf-8")


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", check_data_files, priority=100)  # before any other handler reads data
