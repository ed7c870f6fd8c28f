"""Search in Chinese and English: Sphinx's search with the edition's query splitter (jieba with a
user dictionary of the glossary's names, so that 网络空间命运共同体 is one word), see ../search.py."""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

from .. import search


def _user_dictionary(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    # Sphinx resolves a relative dictionary path against the working directory and
    # silently ignores a missing one: give it an absolute path it can read
    user_dict = search.write_user_dictionary(Path(app.outdir).parent / ".edition-search" / "user-dict.txt")
    app.config.html_search_options = {**(app.config.html_search_options or {}), "dict": str(user_dict)}


def setup(app: Sphinx) -> None:
    app.add_search_language(search.SearchChineseEdition)
    app.connect("builder-inited", _user_dictionary)
