"""Every run of text carries its language: lang="en" / lang="zh-Hans" through docutils'
language-xx classes, when a page is read and again when it is written, and in the HTML the theme
writes from strings (navigation, footer, index)."""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform

# Han characters and the CJK punctuation and full-width forms that go with them
_CJK = "\u2e80-\u2fff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
CJK_RUN = re.compile(f"[{_CJK}](?:[{_CJK}0-9 ·]*[{_CJK}])?")
_LATIN = "A-Za-z\u00c0-\u024f\u1e00-\u1eff"
_WORD = f"[{_LATIN}][{_LATIN}0-9'’.\\-/&]*"
LATIN_RUN = re.compile(f"{_WORD}(?:[\\s,;:()\"“”‘’–—!?]+(?:{_WORD}|[0-9][0-9,.–-]*))*[.)]?")
_PROSE_WORD = re.compile(f"[{_LATIN}]*[a-z\u00df-\u024f][{_LATIN}]*")
_BLOCKS = (nodes.section, nodes.container, nodes.Admonition, nodes.definition, nodes.list_item, nodes.entry,
           nodes.block_quote, nodes.paragraph, nodes.term, nodes.rubric, nodes.line, nodes.field_name,
           nodes.literal)
_WRAPPED = (nodes.title, nodes.caption)  # writers add text of their own: mark the content instead


def _own_language(node: nodes.Node) -> str | None:
    if not isinstance(node, nodes.Element):
        return None
    if node.get("lang") or node.get("edition_lang"):
        return node.get("lang") or node["edition_lang"]
    for cls in node.get("classes", []):
        if cls.startswith("language-"):
            return cls[len("language-"):]
    return None


def _dominant(text_: str) -> str | None:
    """en or zh-Hans, whichever script has more words (two Han characters count as one word)."""
    han = len(re.findall("[\u3400-\u4dbf\u4e00-\u9fff]", text_))
    words = len(re.findall(f"[{_LATIN}]{{2,}}", text_))
    if han == words == 0:
        return None
    return "en" if 2 * words > han else "zh-Hans"


def _is_english_prose(run: str) -> bool:
    """A Latin run that a Chinese voice would misread: any word in lower case (not CNCERT, G20)."""
    return any(len(w) >= 2 for w in _PROSE_WORD.findall(run))


def _split(textnode: nodes.Text, language: str) -> list[nodes.Node] | None:
    """The text with each run of the other script in an inline node of its own language."""
    value = str(textnode)
    if language == "en":
        runs = [(m.start(), m.end(), "zh-Hans") for m in CJK_RUN.finditer(value)]
    else:
        runs = [(m.start(), m.end(), "en") for m in LATIN_RUN.finditer(value) if _is_english_prose(m.group(0))]
    if not runs:
        return None
    out: list[nodes.Node] = []
    pos = 0
    for start, end, lang in runs:
        if start > pos:
            out.append(nodes.Text(value[pos:start]))
        out.append(nodes.inline(value[start:end], value[start:end], classes=[f"language-{lang}"]))
        pos = end
    if pos < len(value):
        out.append(nodes.Text(value[pos:]))
    return out


def mark_languages(node: nodes.Element, language: str) -> None:
    """Give every run of English lang=en and every run of Chinese lang=zh-Hans, through docutils'
    language-xx classes (the HTML writer turns them into lang attributes).

    A block (paragraph, term, caption, title …) whose text is mostly in the other language is
    marked as a whole; inside it, runs of the page's other script get an inline of their own."""
    own = _own_language(node)
    if own:
        language = own
        if node.get("edition_lang") and f"language-{own}" not in node["classes"]:
            node["classes"].append(f"language-{own}")  # set after docutils' smart quotes, which know no zh-Hans
    elif isinstance(node, (*_BLOCKS, *_WRAPPED)):
        dominant = _dominant(node.astext())
        if dominant and dominant != language:
            if isinstance(node, _WRAPPED):
                marked = [c for c in node.children if _own_language(c)]
                if not marked:  # not yet wrapped (this runs when the page is read and when it is written)
                    inner = nodes.inline("", "", classes=[f"language-{dominant}"])
                    inner.extend(node.children)
                    node.children = []
                    node += inner
                    for child in inner.children:
                        child.parent = inner
            else:
                node["classes"].append(f"language-{dominant}")
            language = dominant
    if isinstance(node, nodes.raw) and "html" in node.get("format", "").split() and not node.get("edition_marked"):
        # HTML from notebook outputs (the charts: their captions, sources, data tables)
        marked = mark_html(node.astext(), language)
        node.children = [nodes.Text(marked)]
        node.rawsource = marked
        node["edition_marked"] = True
        return
    if isinstance(node, (nodes.literal, nodes.literal_block, nodes.raw, nodes.comment)):
        return  # code is not prose, and the writer does not render inline markup inside it
    for child in list(node.children):
        if isinstance(child, nodes.Text):
            parts = _split(child, language)
            if parts:
                index = node.index(child)
                node.remove(child)
                for offset, part in enumerate(parts):
                    node.insert(index + offset, part)
        elif isinstance(child, nodes.Element):
            mark_languages(child, language)


PAGE_LANGUAGE = "zh-Hans"  # <html lang>: the text, the theme's words and the navigation are Chinese


class LanguageMarks(SphinxTransform):
    """Languages marked when a page is read, so titles carry them into the navigation."""

    default_priority = 870  # after smart quotes (855), before doctree-read is emitted (880)

    def apply(self, **kwargs) -> None:
        mark_languages(self.document, PAGE_LANGUAGE)


class LanguageMarksResolved(SphinxPostTransform):
    """… and again when it is written, for text that references and glue add on resolving."""

    default_priority = 900
    formats = ("html",)

    def run(self, **kwargs) -> None:
        mark_languages(self.document, PAGE_LANGUAGE)


def mark_html(fragment: str, language: str = PAGE_LANGUAGE) -> str:
    """The same marking for HTML the theme writes from strings (navigation captions, footer):
    each run of English prose in a Chinese context gets <span lang="en">, and the reverse."""
    from html.parser import HTMLParser

    void = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
    out: list[str] = []
    stack: list[tuple[str, str]] = []

    def split(data: str, lang: str) -> str:
        if lang == "en":
            runs = [(m.start(), m.end(), "zh-Hans") for m in CJK_RUN.finditer(data)]
        else:
            runs = [(m.start(), m.end(), "en") for m in LATIN_RUN.finditer(data) if _is_english_prose(m.group(0))]
        pos, parts = 0, []
        for start, end, other in runs:
            parts += [data[pos:start], f'<span lang="{other}">', data[start:end], "</span>"]
            pos = end
        return "".join(parts) + data[pos:]

    class Marker(HTMLParser):
        def handle_starttag(self, tag, attrs):
            start = self.get_starttag_text()
            attributes = dict(attrs)
            context = stack[-1][1] if stack else language
            label = attributes.get("aria-label")
            if label and not attributes.get("lang") and _dominant(label) not in (None, context):
                # a chart's text alternative: its language is the element's
                attributes["lang"] = _dominant(label)
                start = f'<{tag} lang="{attributes["lang"]}"' + start[len(tag) + 1:]
            out.append(start)
            if tag not in void:
                stack.append((tag, attributes.get("lang") or context))

        def handle_startendtag(self, tag, attrs):
            out.append(self.get_starttag_text())

        def handle_endtag(self, tag):
            out.append(f"</{tag}>")
            while stack:
                if stack.pop()[0] == tag:
                    break

        def handle_data(self, data):
            skip = stack and stack[-1][0] in ("script", "style")
            out.append(data if skip else split(data, stack[-1][1] if stack else language))

        def handle_entityref(self, name):
            out.append(f"&{name};")

        def handle_charref(self, name):
            out.append(f"&#{name};")

        def handle_comment(self, data):
            out.append(f"<!--{data}-->")

    parser = Marker(convert_charrefs=False)
    parser.feed(str(fragment))
    parser.close()
    return "".join(out)


def page_language(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """<html lang="zh-Hans">, the same tag as the text's own blocks (Sphinx would write zh-CN for
    `language: zh_CN`, which stays the locale of the theme's words); and English in the theme's
    frame (navigation captions from _toc.yml, author, footer) marked as English."""
    context["language"] = PAGE_LANGUAGE
    for key in ("author", "theme_extra_footer"):
        if context.get(key):
            context[key] = mark_html(context[key])
    for key in ("prev", "next"):
        if context.get(key) and context[key].get("title"):
            context[key] = {**context[key], "title": mark_html(context[key]["title"])}
    for key in ("generate_toctree_html", "generate_toc_html"):
        generate = context.get(key)
        if generate and not getattr(generate, "edition_marked", False):
            context[key] = _marked_output(generate)
    if context.get("pagetitle"):  # the printed page's heading (sphinx-book-theme: plain text)
        from markupsafe import escape

        context["pagetitle"] = mark_html(str(escape(context["pagetitle"])))
    if context.get("body"):
        # captions of a table of contents in the page (from _toc.yml): Sphinx writes them after
        # the post-transforms have run, so they are marked here
        context["body"] = re.sub(
            r'<span class="caption-text">(.*?)</span>',
            lambda m: (f'<span class="caption-text" lang="{_dominant(m.group(1)) or PAGE_LANGUAGE}">'
                       f'{mark_html(m.group(1), _dominant(m.group(1)) or PAGE_LANGUAGE)}</span>'),
            context["body"])
    if pagename == "genindex" and context.get("genindexentries"):
        context["genindexentries"] = _marked_index(context["genindexentries"])


def _marked_output(generate):
    def marked(*args, **kwargs):
        return mark_html(generate(*args, **kwargs))

    marked.edition_marked = True
    return marked


def _marked_index(entries):
    """The index page: each entry "网络安全（cybersecurity）" with its English marked."""
    from markupsafe import Markup, escape

    def name(text_):
        return Markup(mark_html(str(escape(text_))))

    out = []
    for key, group in entries:
        rows = []
        for entryname, (links, subitems, key_) in group:
            rows.append((name(entryname), (links, [(name(sub), sublinks) for sub, sublinks in subitems], key_)))
        out.append((key, rows))
    return out


def _figure_numbers(app: Sphinx, config) -> None:
    """Figure numbers keep the locale's 图, marked as Chinese: a caption is English, and the HTML
    writer puts the number inside it (it writes numfig_format as HTML; the book has no numref)."""
    config.numfig_format = {**(config.numfig_format or {}), "figure": '<span lang="zh-Hans">图</span> %s'}


def setup(app: Sphinx) -> None:
    app.add_transform(LanguageMarks)
    app.add_post_transform(LanguageMarksResolved)
    app.connect("html-page-context", page_language, priority=900)
    app.connect("config-inited", _figure_numbers)
