"""The glossary page as readers use it: entries grouped by pinyin initial under a jump bar
(A–Z, only the letters that have entries; 0–9 first for names that begin with a number), a filter
by category (the categories of data/glossary.yaml), and a visible permalink on every entry.

`apparatus.EditionGlossary` lays the entries out with `letter_groups`, `tools` and
`entry_classes`; `glossary.js` makes the filter work. Without JavaScript every entry shows, the
jump bar works (plain links) and the filter stays hidden.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from html import escape

from docutils import nodes
from sphinx.application import Sphinx

from .. import edition

DIGITS = "0–9"


def _bare(pinyin: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", pinyin.lower()) if unicodedata.category(c) != "Mn")


def initial(term: edition.Term) -> str:
    """The entry's pinyin initial, A–Z, or 0–9: leading quotation marks and brackets are skipped
    (“Zhōngguó + …” files under Z)."""
    for c in _bare(term.pinyin):
        if c.isdigit():
            return DIGITS
        if "a" <= c <= "z":
            return c.upper()
    return DIGITS


def sort_key(term: edition.Term) -> tuple:
    """Dictionary order within the jump bar's groups: 0–9 first, then A–Z; inside a group, the
    pinyin without its leading punctuation, then edition.pinyin_key (tones) as the tie-break."""
    bare = _bare(term.pinyin).lstrip("“”‘’\"'《》〈〉()（） ")
    group = initial(term)
    return (group != DIGITS, group, bare, edition.pinyin_key(term.pinyin))


def letter_id(letter: str) -> str:
    return "glossary-letter-" + ("0-9" if letter == DIGITS else letter.lower())


def letter_groups(terms: dict[str, edition.Term]) -> list[tuple[str, list[edition.Term]]]:
    groups: dict[str, list[edition.Term]] = {}
    for term in sorted(terms.values(), key=sort_key):
        groups.setdefault(initial(term), []).append(term)
    return list(groups.items())


def placed(groups, out: list[nodes.Node]):
    """(term, the <dl> it goes in), in order: each initial's entries in a box of their own
    (id glossary-letter-x, a heading with the letter, a Sphinx glossary), appended to `out`."""
    from sphinx import addnodes

    for letter, group in groups:
        box = nodes.container(classes=["glossary-letter"], ids=[letter_id(letter)])
        box += letter_heading(letter)
        glossary = addnodes.glossary(sorted=False)
        dl = nodes.definition_list(classes=["glossary", "edition-glossary"])
        glossary += dl
        box += glossary
        out.append(box)
        for term in group:
            yield term, dl


def category_label(category: str) -> str:
    return category.replace("-", " ")


def entry_classes(term: edition.Term) -> list[str]:
    """Classes on an entry's <dt> and <dd>: what the filter and the jump bar read."""
    return ["glossary-entry", f"glossary-category-{term.category}"]


def tools(terms: dict[str, edition.Term], groups) -> nodes.raw:
    """The jump bar (links: works without JavaScript) and the category filter (a form that
    glossary.js shows; without it the form stays hidden and every entry shows)."""
    counts = Counter(t.category for t in terms.values())
    letters = "".join(
        f'<li><a class="glossary-jump-link" href="#{letter_id(letter)}" data-letter="{escape(letter)}">'
        f'{escape(letter)}</a></li>' for letter, _ in groups)
    options = [("all", f"all entries ({len(terms)})")] + [
        (c, f"{category_label(c)} ({counts[c]})") for c in sorted(counts, key=lambda c: (-counts[c], c))]
    radios = "".join(
        f'<label class="glossary-filter-option"><input type="radio" name="glossary-category" value="{escape(v)}"'
        f'{" checked" if v == "all" else ""}> {escape(label)}</label>' for v, label in options)
    html = (
        '<div class="glossary-tools" lang="en">'
        f'<nav class="glossary-jump" aria-label="Jump to entries by pinyin initial"><ul>{letters}</ul></nav>'
        '<form class="glossary-filter" hidden>'
        f'<fieldset><legend>Filter by category</legend>{radios}</fieldset>'
        f'<p class="glossary-count" role="status" aria-live="polite">Showing all {len(terms)} entries.</p>'
        '</form></div>')
    return nodes.raw("", html, format="html")


def letter_heading(letter: str) -> nodes.raw:
    return nodes.raw("", f'<h2 class="glossary-letter-heading" lang="en">{escape(letter)}</h2>', format="html")


PERMALINK = re.compile(r'(<dt [^>]*\bid="(term-[a-z0-9-]+)"[^>]*>)(.*?)<a class="headerlink" href="#\2" title="[^"]*">([^<]*)</a>',
                       re.S)


def _permalinks(body: str, page_url: str) -> str:
    """Sphinx's permalink after each term ("#" in this theme), made a permalink a reader can see and a screen reader names;
    its title gives the entry's published address when html_baseurl is set."""
    def one(m: re.Match) -> str:
        name = re.sub(r"<[^>]+>", "", m.group(3)).strip()
        where = f": {page_url}#{m.group(2)}" if page_url else ""
        return (f'{m.group(1)}{m.group(3)}<a class="headerlink glossary-permalink" href="#{m.group(2)}" '
                f'title="Permalink to this entry{escape(where)}" aria-label="Permalink: {escape(name)}">{m.group(4)}</a>')
    return PERMALINK.sub(one, body)


def page_assets(app: Sphinx, pagename, templatename, context, doctree) -> None:
    if app.builder.format == "html" and 'class="glossary-tools"' in context.get("body", ""):
        from .citation import address

        base = address(app.config)
        context["body"] = _permalinks(context["body"], f"{base}{app.builder.get_target_uri(pagename)}" if base else "")
        app.add_css_file("glossary.css")  # the single-page build too: print leaves the tools out
        if app.builder.name == "html":
            app.add_js_file("glossary.js", loading_method="defer")


def setup(app: Sphinx) -> None:
    app.connect("html-page-context", page_assets)
