"""Every data file checked before any page is read or any notebook runs.

When the builder starts, each data file is read through its loader (the loaders check what they
read and raise DataError, ``file:line: problem``). Problems stop the build at once with those lines
alone: a bad quote in ``data/facts.csv`` is reported as ``data/facts.csv:30: …``, not later as a
failed notebook that seems to blame the page that runs it. The loaders cache what they read, so the
directives and the notebooks' own loads that follow cost nothing more.
"""

from __future__ import annotations

from collections.abc import Callable

from sphinx.application import Sphinx
from sphinx.errors import SphinxError

from .. import edition, facts, text
from ..errors import DataError


def loaders() -> list[tuple[str, Callable[[], object]]]:
    """(what, loader) for every data file, the text first: the other layers are checked against it."""
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


def check_data_files(app: Sphinx) -> None:
    problems = data_problems()
    if problems:
        raise DataProblems("\n".join(str(p) for p in problems))


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", check_data_files, priority=100)  # before any other handler reads data
