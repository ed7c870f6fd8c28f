"""Citations: "Cite this paragraph" beside every ¶ label, and the whole edition's citation and
licence (the For teachers page and the footer), all made from two sources:

- `CITATION.cff` (read by `cyberspace_edition.cff`, as the downloads read it): title, version, release date, authors, licence, and the
  white paper it reproduces (its title, issuer, date and publisher); nothing is retyped here;
- `html_baseurl` in `_config.yml` (sphinx: config:): the edition's published address, set once.
  Every citation and permalink shown to readers is built on it. While it is empty (the edition
  has no published address yet), a citation gives the address at which the reader opened the
  edition, and says so: the strings carry `ADDRESS_TOKEN` (the edition's folder, ending in '/'),
  which `cite.js` replaces with that address; where no script runs (no JavaScript, the PDF), the
  bracketed phrase `NO_ADDRESS` stands in its place, and `cite.js` replaces that too.

Each page carries its citation data in ONE place, for `cite.js` and for any other script
(the assignment handout): `<script type="application/json" id="edition-citation">` in the head:

    {"edition": {"title", "version", "released", "authors", "licence", "licenceUrl",
                 "url", "text", "bibtex", "csl"},      # the whole edition, once
     "address": "https://…/" or "",          # html_baseurl, normalised; "" = none published
     "page": {"toRoot": "../", "url"},       # url: the address (or ADDRESS_TOKEN) + the page's path
     "token": ADDRESS_TOKEN, "noAddress": NO_ADDRESS,
     # on a page with numbered paragraphs (else "paragraphs" is {} and the other two are absent):
     "template": {"tokens": PARAGRAPH_TOKENS,  # {"id": "@@ID@@", "number": "@@N@@", …}
                  "label", "name", "url", "text", "bibtex", "csl"},
     "sections": [["三（二）", "part 三（二）"], …],  # [section, part] of the page's sections
     "paragraphs": {"s3-2-p03": [3, 0], …}}           # [number, index in "sections"]

The paragraphs' citations differ only in a few values, so they are not written out one by one:
`template` is `paragraph_entry` made ONCE with PARAGRAPH_TOKENS in place of the values, and the
page lists only the values. A paragraph's label, name, permalink and citations are the template
with each token, in the order of `tokens`, replaced in every string (inside `csl` too) by its
value: `id` the paragraph's id, `number` its number as a string, `section` and `part` its entry
in `sections`, `page` the page's `page.url`. Then, as everywhere, ADDRESS_TOKEN by the address.
That substitution is all `cite.js` does (`fill`, `paragraph`): every format is made here. For
each paragraph `page_data` checks that the substitution (`expand`) gives exactly what
`paragraph_entry` / `paragraph_citation` give with its own values, and stops with file:line if a
value would contain a token's mark (TOKEN_MARK) or escaping would make them differ.

`cite.js` reads it and publishes `window.editionCitation` (see that file).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from .. import edition, text
from ..cff import CFF_FILE, LICENCE_URLS, Edition, _line, load_cff  # noqa: F401 (citation.load_cff in tests)
from ..errors import DataError
from ..paths import ROOT
from .references import get_block, section_name, section_of

CONFIG_FILE = ROOT / "_config.yml"
ADDRESS_TOKEN = "@@ADDRESS@@/"  # the edition's folder as the reader opened it (cite.js)
NO_ADDRESS = "[the address where you opened the edition]/"  # the same, where no script runs
KEY = "cyberspace-edition"  # the BibTeX and CSL key: the package's name
# A paragraph's citation template: the tokens for the values that vary from paragraph to paragraph.
# Letters, '-' and '@' only: BibTeX escaping (`_bib`) and JSON leave them as they are. No real value
# (CITATION.cff, an id, a section name, html_baseurl, a page's path) may contain TOKEN_MARK.
TOKEN_MARK = "@@"
PARAGRAPH_TOKENS = {"id": "@@ID@@", "number": "@@N@@", "section": "@@SEC@@", "part": "@@PART@@", "page": "@@PAGE@@"}
assert all(t.startswith(TOKEN_MARK) and t not in ADDRESS_TOKEN for t in PARAGRAPH_TOKENS.values()), \
    "each paragraph token starts with TOKEN_MARK and none is part of ADDRESS_TOKEN"


def address(config) -> str:
    """html_baseurl, normalised to end in '/'; '' when the edition has no published address."""
    base = str(getattr(config, "html_baseurl", "") or "").strip()
    if not base:
        return ""
    if not re.fullmatch(r"https?://[^\s\"'<>]+", base):
        lines = CONFIG_FILE.read_text(encoding="utf-8").splitlines() if CONFIG_FILE.exists() else []
        raise DataError(CONFIG_FILE, _line(lines, "html_baseurl"),
                        f"html_baseurl {base!r} is not an http(s) address")
    return base.rstrip("/") + "/"


# --- the formats ---------------------------------------------------------------------------------

def _bib(value: str) -> str:
    """A BibTeX field value: LaTeX's special characters escaped (addresses go in url unescaped)."""
    return re.sub(r"([&%$#_])", r"\\\1", value).replace("~", r"\textasciitilde{}")


def _bibtex(entry: str, key: str, fields: list[tuple[str, str]]) -> str:
    width = max(len(k) for k, _ in fields)
    body = ",\n".join(f"  {k.ljust(width)} = {{{v}}}" for k, v in fields if v)
    return f"@{entry}{{{key},\n{body},\n}}"


def _date_parts(iso: str) -> dict:
    return {"date-parts": [[int(p) for p in iso.split("-")]]}


def _corporate(names: tuple[str, ...]) -> str:
    return " and ".join(f"{{{_bib(n)}}}" for n in names)


def edition_citation(ed: Edition, url: str) -> dict:
    """The whole edition: text, BibTeX and CSL-JSON (a list of one item)."""
    text_ = f"{'; '.join(ed.authors)}, {ed.title}, version {ed.version} ({ed.released}), {url}."
    bibtex = _bibtex("misc", KEY, [
        ("author", _corporate(ed.authors)), ("title", _bib(ed.title)), ("version", ed.version),
        ("date", ed.released), ("year", ed.released[:4]), ("url", url),
        ("note", f"Licence: {ed.licence}")])
    csl = [{"id": KEY, "type": "dataset", "title": ed.title,
            "author": [{"literal": a} for a in ed.authors], "version": ed.version,
            "issued": _date_parts(ed.released), "URL": url, "license": ed.licence}]
    return {"text": text_, "bibtex": bibtex, "csl": csl}


def part_name(block_id: str) -> str:
    """Where the paragraph stands in the white paper: part 三（二）, part 四, 结束语."""
    name = section_name(section_of(block_id))
    return name if name == "结束语" else f"part {name}"


def paragraph_values(block: text.Block) -> dict[str, str]:
    """What varies from one paragraph's citation to another: id, number, section and part name."""
    return {"id": block.id, "number": str(block.number), "section": section_name(section_of(block.id)),
            "part": part_name(block.id)}


def _paragraph_formats(ed: Edition, v: dict[str, str], url: str) -> dict:
    """The formats of one paragraph from its values `v` (paragraph_values, or the tokens)."""
    where = f"{v['part']}, ¶{v['number']} [{v['id']}]"
    text_ = f"《{ed.work_title_zh}》, {where}, in {ed.title}, version {ed.version}, {url}."
    note = f"Paragraph {v['id']}. Text first published {ed.work_published}" + \
        (f" ({ed.work_publisher})" if ed.work_publisher else "") + f". Licence of the edition: {ed.licence}"
    bibtex = _bibtex("incollection", f"{KEY}-{v['id']}", [
        ("author", _corporate(ed.work_authors)), ("title", _bib(f"{ed.work_title}, {where}")),
        ("booktitle", _bib(ed.title)), ("editor", _corporate(ed.authors)), ("version", ed.version),
        ("date", ed.released), ("year", ed.released[:4]), ("origdate", ed.work_published),
        ("url", url), ("note", _bib(note))])
    csl = [{"id": f"{KEY}-{v['id']}", "type": "chapter", "title": f"{ed.work_title}, {where}",
            "author": [{"literal": a} for a in ed.work_authors],
            "editor": [{"literal": a} for a in ed.authors], "container-title": ed.title,
            "version": ed.version, "issued": _date_parts(ed.released),
            "original-date": _date_parts(ed.work_published),
            **({"original-publisher": ed.work_publisher} if ed.work_publisher else {}),
            "section": f"{v['section']} ¶{v['number']}",
            "URL": url, "license": ed.licence, "note": note}]
    return {"text": text_, "bibtex": bibtex, "csl": csl}


def paragraph_citation(ed: Edition, block: text.Block, url: str) -> dict:
    """One paragraph, in the For teachers form: 《title》, part 三（二）, ¶3 [s3-2-p03], in
    <edition>, version V, <address>. Also BibTeX (@incollection) and CSL-JSON (a chapter)."""
    return _paragraph_formats(ed, paragraph_values(block), url)


def paragraph_entry(ed: Edition, v: dict[str, str]) -> dict:
    """All a page gives of one paragraph: its label, name (the Cite button's), permalink and
    citation formats, from its values `v` (paragraph_values and `page`, the page's address);
    with PARAGRAPH_TOKENS as `v`, the page's template."""
    url = f"{v['page']}#{v['id']}"
    return {"label": f"¶{v['number']}", "name": f"¶{v['number']} · {v['section']}", "url": url,
            **_paragraph_formats(ed, v, url)}


def expand(template, values: dict[str, str], tokens: dict[str, str] = PARAGRAPH_TOKENS):
    """The template with each token replaced by its value, in every string (cite.js: fill)."""
    if isinstance(template, str):
        for key, token in tokens.items():
            template = template.replace(token, values[key])
        return template
    if isinstance(template, list):
        return [expand(x, values, tokens) for x in template]
    if isinstance(template, dict):
        return {k: expand(x, values, tokens) for k, x in template.items()}
    return template


def csl_text(csl: list) -> str:
    """CSL-JSON as shown and copied: two spaces, a date's parts on one line (cite.js: cslText)."""
    return re.sub(r"\[\s*\[\s*(\d+),\s*(\d+),\s*(\d+)\s*\]\s*\]", r"[[\1, \2, \3]]",
                  json.dumps(csl, ensure_ascii=False, indent=2))


def offline(value: str) -> str:
    """A citation string with the address token as a bracketed phrase (no script, print)."""
    return value.replace(ADDRESS_TOKEN, NO_ADDRESS)


# --- the page's data -----------------------------------------------------------------------------

def citable(block_ids) -> list[text.Block]:
    """The numbered paragraphs among the blocks a page places (those with a ¶ label)."""
    blocks = text.load_text().by_id()
    return [blocks[b] for b in block_ids
            if b in blocks and not blocks[b].is_heading and blocks[b].kind != "dateline" and blocks[b].number]


def _ids_line(block_id: str) -> int:
    lines = text.IDS_FILE.read_text(encoding="utf-8").splitlines() if text.IDS_FILE.exists() else []
    return next((i for i, line in enumerate(lines, 1) if block_id in line), 0)


def _refuse_tokens(ed: Edition, base: str, page_path: str) -> None:
    """No value that the template keeps as it is may contain a token's mark: the substitution
    would replace part of it too."""
    for name, value in [*vars(ed).items(), ("html_baseurl", base), ("the page's path", page_path)]:
        if TOKEN_MARK not in str(value):
            continue
        path = CONFIG_FILE if name == "html_baseurl" else CFF_FILE if name in vars(ed) else ROOT / page_path
        lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
        line = next((i for i, x in enumerate(lines, 1) if TOKEN_MARK in x), 0)
        raise DataError(path, line, f"{name} {value!r} contains {TOKEN_MARK!r}, which marks the tokens of the "
                                    f"paragraph citations' template ({Path(__file__).name}): remove it")


def page_data(ed: Edition, base: str, page_path: str, to_root: str, block_ids) -> dict:
    """What one page carries in #edition-citation (see the module's docstring)."""
    page_url = f"{base or ADDRESS_TOKEN}{page_path}"
    root_url = base or f"{ADDRESS_TOKEN}index.html"
    edition = {
        "title": ed.title, "version": ed.version, "released": ed.released, "authors": list(ed.authors),
        "licence": ed.licence, "licenceUrl": ed.licence_url, "url": root_url, **edition_citation(ed, root_url),
    }
    data = {"edition": edition, "address": base,
            "page": {"toRoot": to_root, "url": page_url},
            "token": ADDRESS_TOKEN, "noAddress": NO_ADDRESS}
    blocks = citable(block_ids)
    if not blocks:
        return {**data, "paragraphs": {}}
    _refuse_tokens(ed, base, page_path)
    template = paragraph_entry(ed, PARAGRAPH_TOKENS)
    sections: list[list[str]] = []
    paragraphs = {}
    for block in blocks:
        values = paragraph_values(block)
        for key, value in values.items():
            if TOKEN_MARK in value:
                raise DataError(text.IDS_FILE, _ids_line(block.id),
                                f"{block.id}: its {key} {value!r} contains {TOKEN_MARK!r}, which marks the tokens "
                                f"of the paragraph citations' template ({Path(__file__).name})")
        values["page"] = page_url  # checked by _refuse_tokens; its ADDRESS_TOKEN is cite.js's resolve()
        named = [values["section"], values["part"]]
        if named not in sections:
            sections.append(named)
        paragraphs[block.id] = [block.number, sections.index(named)]
        # the one source of truth: what the page's substitution gives is what paragraph_citation makes
        made = paragraph_entry(ed, values)
        if expand(template, values) != made:
            wrong = [k for k in made if expand(template[k], values) != made[k]]
            raise DataError(text.IDS_FILE, _ids_line(block.id),
                            f"{block.id}: the citation template, filled with {values}, differs from its citation "
                            f"in {wrong}: a value changed by BibTeX or JSON escaping? ({Path(__file__).name})")
    return {**data, "template": {"tokens": PARAGRAPH_TOKENS, **template}, "sections": sections,
            "paragraphs": paragraphs}


def script_json(data: dict) -> str:
    """JSON safe inside <script>: no '</' and no HTML comment openers."""
    return (json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
            .replace("</", "<\\/").replace("<!--", "<\\!--"))


def _html(value: str) -> str:
    from html import escape

    return escape(value, quote=True)


def footer_html(ed: Edition, pathto) -> str:
    """The footer's line: version, licence and where to find how to cite the edition."""
    teachers = pathto("front/for-teachers")
    teachers = "" if teachers.startswith("#") else teachers  # on that page itself
    return (f'<p class="edition-cite-footer" lang="en">Version {_html(ed.version)} ({_html(ed.released)}). '
            f'Editorial content licensed <a href="{_html(ed.licence_url)}">{_html(ed.licence)}</a>. '
            f'<a href="{_html(teachers)}#cite-the-edition">How to cite this edition</a>.</p>')


def page_context(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Every page: the citation data in its head and the footer line; pages with numbered
    paragraphs or a citation block: cite.js and cite.css."""
    if app.builder.format != "html":
        return
    ed = load_cff()
    base = address(app.config)
    placed = getattr(app.env, "edition_placed", {}).get(pagename, [])
    to_root = context["pathto"]("index")[: -len("index.html")] if "pathto" in context else ""
    data = page_data(ed, base, app.builder.get_target_uri(pagename), to_root, placed)
    app.add_js_file(None, body=script_json(data), type="application/json", id="edition-citation", priority=100)
    if "pathto" in context:
        context["theme_extra_footer"] = (context.get("theme_extra_footer") or "") + footer_html(ed, context["pathto"])
    # not in the single-page build: the PDF printed from it keeps the bracketed phrase, never the
    # file address the printer opened
    if app.builder.name == "html" and (data["paragraphs"] or "edition-citation-block" in context.get("body", "")):
        app.add_css_file("cite.css")
        app.add_js_file("cite.js", loading_method="defer")


# --- the For teachers page -----------------------------------------------------------------------

class CitationBlock(SphinxDirective):
    """``{edition-citation}``: how to cite the edition, and one paragraph as an example, from
    CITATION.cff and html_baseurl; its licence. cite.js puts the address in where none is set."""

    optional_arguments = 1  # the example paragraph's id (default s3-2-p03)

    def run(self):
        self.env.note_dependency(str(CFF_FILE))
        ed = load_cff()
        base = address(self.config)
        example = get_block(self.arguments[0] if self.arguments else "s3-2-p03", f"{self.env.docname}:{self.lineno}", self.env, self.lineno)
        chapter_page = edition.paragraph_pages()[example.id]
        whole = edition_citation(ed, base or f"{ADDRESS_TOKEN}index.html")
        para_url = f"{base or ADDRESS_TOKEN}{chapter_page}.html#{example.id}"
        one = paragraph_citation(ed, example, para_url)

        box = nodes.container(classes=["edition-citation-block", "language-en"])

        def para(*children, classes=()):
            p = nodes.paragraph("", "", *children, classes=list(classes))
            box.append(p)
            return p

        def shown(kind: str, value: str, literal: bool) -> nodes.Element:
            # data-edition-cite: cite.js puts the resolved string (with the address) in its place
            node = nodes.literal_block(offline(value), offline(value), language="none") if literal \
                else nodes.paragraph("", offline(value))
            node["classes"] += ["edition-cite-value", f"edition-cite-{kind.replace('.', '-')}"]
            return node

        para(nodes.strong("", "The whole edition"), nodes.Text(f" (version {ed.version}, released {ed.released}):"))
        box.append(shown("edition.text", whole["text"], False))
        para(nodes.Text("BibTeX:"))
        box.append(shown("edition.bibtex", whole["bibtex"], True))
        para(nodes.Text("CSL-JSON (for Zotero, Pandoc and other reference managers):"))
        box.append(shown("edition.csl", csl_text(whole["csl"]), True))
        para(nodes.strong("", "A paragraph"), nodes.Text(f", for example ¶{example.number} of "
                                                          f"{section_name(section_of(example.id))}:"))
        box.append(shown("example.text", one["text"], False))
        licence = nodes.reference("", ed.licence, refuri=ed.licence_url)
        para(nodes.strong("", "Licence"), nodes.Text(": the edition's editorial content (the English rendering, "
                                                     "notes, glossary and guides) is licensed "), licence,
             nodes.Text(f"; the Chinese text is the white paper itself, issued {ed.work_published}."))
        if base:
            para(nodes.Text(f"Addresses in citations and permalinks are the edition's published address, {base}."))
        else:
            para(nodes.Text("This edition has no published address yet, so citations and permalinks give the "
                            "address of the page as you opened it: check that it is one your readers can open "
                            "(a file on your own computer is not)."), classes=["edition-cite-address-note"])
        return [box]


def setup(app: Sphinx) -> None:
    app.add_directive("edition-citation", CitationBlock)
    app.connect("html-page-context", page_context)
