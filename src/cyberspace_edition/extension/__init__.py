"""The edition's Sphinx extension, one module per concern; `_config.yml` loads this package.

| module | what it does |
|---|---|
| `dependencies` | what each page reads (the lists are in `../inputs.py`): a page is read again when, and only when, one of its inputs changed; notebooks re-run when their data changes |
| `checks` | every data file read through its loader when the builder starts, before any page or notebook |
| `text_placement` | the source text in the chapters: `{source-heading}`, `{editorial-heading}`, `{source-section}`, `{continued-heading}`; every block placed once; a long chapter's list of its pages |
| `apparatus` | reading guides, questions, glossary, translator's notes, editorial log; `{fact}` |
| `further_reading` | `further-reading` and `edition-bibliography` |
| `links` | `edition:LABEL` links written by the chapters' code cells, resolved for each builder when a page is written |
| `values` | MyST substitutions: `{{ version }}`, `{{ source_sha256 }}`, the counts of the text |
| `references` | shared helpers: a paragraph by id, what a link to it says, MyST for notes and sources |
| `nodes` | the edition's docutils nodes and their HTML |
| `languages` | `lang` on every run of text (docutils' `language-xx` classes, and the theme's strings) |
| `assets` | what pages load, and only where needed; vendored scripts; icon subsets |
| `chart_assets` | the charts: a myst-nb mime plugin makes each figure from the Vega-Lite output, compiled to Vega at build time; each spec in its own cacheable script; the Vega-only runtime on chart pages |
| `search` | Chinese and English search (jieba with the glossary as user dictionary) |
| `downloads` | the edition as data in `_build/html/downloads/`; the `data-fields` directive |
| `paper` | print stylesheet, the single-page build's links, the PDF in the site |
| `reproducibility` | byte-identical builds (patches sphinx-tippy's random names and set order) |
| `tooltips` | what sphinx-tippy's tooltips hold (a glossary term's head and first paragraph; no figures) and only the tooltip files the pages load |
| `workarounds` | fixes for library bugs, each with its upstream report (MyST-Parser's double-escaped `&` in link addresses) |
| `citation` | Cite this paragraph (one `#edition-citation` record per page), the edition's citation and licence, from CITATION.cff and `html_baseurl` |
| `assignments` | teachers' assignment links and handouts: the `assignment-builder` form on For teachers, the paragraphs each page places, `data-cites` on discussion questions (browser side: `static/assign.js`) |
| `glossary_tools` | the glossary page's jump bar by pinyin initial, category filter and visible permalinks |

Any data problem raises DataError (file:line: problem) and stops the build.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from .. import inputs

from . import (apparatus, assets, assignments, chart_assets, checks, citation, dependencies, downloads, further_reading, glossary_tools, languages, links,
               nodes, paper, reproducibility, search, text_placement, tooltips, values, workarounds)

PARTS = (checks, dependencies, values, nodes, languages, text_placement, apparatus, further_reading, links, assets, chart_assets, search, downloads,
         paper, reproducibility, tooltips, citation, glossary_tools, assignments, workarounds)


def setup(app: Sphinx) -> dict:
    for part in PARTS:
        part.setup(app)
    # Sphinx keeps a saved environment only while every extension's env_version is unchanged: the
    # digest of the code it runs (inputs.extension_key), so that changed code reads every page again
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True,
            "env_version": int(inputs.extension_key()[:15], 16)}
