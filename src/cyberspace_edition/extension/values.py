"""The edition's figures as MyST substitutions: ``{{ version }}``, ``{{ source_sha256 }}``, the counts.

Each is computed once, when Sphinx reads its configuration, from its one source: the version from
pyproject.toml (the installed package's metadata), the checksum from data/source/SHA256SUMS (which
also checks the source file: text.read_source), the counts from the text and the glossary. A value
is inline Markdown (the checksum is code). A page writes ``{{ paragraphs }}``; an unknown name is a
MyST warning with its file and line, which the strict build turns into an error. Sphinx keeps the
values with its configuration, so when one changes every page is read again.
"""

from __future__ import annotations

from importlib.metadata import version

from sphinx.application import Sphinx

from .. import edition, text


def values() -> dict[str, str]:
    t = text.load_text()
    return {
        "version": version("cyberspace-edition"),
        "source_sha256": f"`{text.SOURCE_SHA256}`",  # Markdown: shown as code, which may wrap on a phone
        "source_lines": str(len(text.read_source().split("\n"))),
        "paragraphs": str(sum(1 for b in t.blocks if b.kind == "paragraph")),
        "headings": str(sum(1 for b in t.blocks if b.is_heading)),
        "supplied_headings": str(len(t.supplied)),
        "characters": str(sum(len(b.text) for b in t.blocks)),
        "glossary_entries": str(len(edition.load_glossary())),
    }


def _substitutions(app: Sphinx, config) -> None:
    ours = values()
    theirs = dict(config.myst_substitutions or {})
    clash = sorted(set(ours) & set(theirs))
    if clash:  # _config.yml (parse: myst_substitutions) must not say a figure the data says
        raise ValueError(f"_config.yml: myst_substitutions {clash} are the edition's own (extension/values.py)")
    config.myst_substitutions = {**theirs, **ours}


def setup(app: Sphinx) -> None:
    app.connect("config-inited", _substitutions)
