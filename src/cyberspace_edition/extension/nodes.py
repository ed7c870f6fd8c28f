"""The edition's own docutils nodes and how the HTML writer shows them (other writers skip them)."""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from .languages import PAGE_LANGUAGE, mark_html

class lang_block(nodes.General, nodes.Element):
    """A block element that carries ``lang`` and ``data-para`` into the HTML."""


class details_block(nodes.General, nodes.Element):
    """<details> with a <summary>: a long note, folded beside its paragraph."""


class fact_value(nodes.Inline, nodes.TextElement):
    """A number from the ledger, shown as plain text; its title says where the text states it."""


def _visit_lang_block(self, node):
    attrs = {}
    if node.get("lang"):
        attrs["lang"] = node["lang"]
    if node.get("para"):
        attrs["data-para"] = node["para"]
    for key in ("role", "aria-label"):
        if node.get(key):
            attrs[key] = node[key]
    self.body.append(self.starttag(node, node.get("tag", "div"), "", **attrs))


def _depart_lang_block(self, node):
    self.body.append(f"</{node.get('tag', 'div')}>\n")


def _visit_details(self, node):
    attrs = {"lang": node["lang"]} if node.get("lang") else {}
    self.body.append(self.starttag(node, "details", "", **attrs))
    self.body.append(f"<summary>{mark_html(self.encode(node['summary']), node.get('lang') or PAGE_LANGUAGE)}</summary>")


def _visit_fact(self, node):
    self.body.append(self.starttag(node, "span", "", CLASS="fact", title=node["source"]))


def _depart_fact(self, node):
    self.body.append("</span>")


def _depart_details(self, node):
    self.body.append("</details>\n")


def _skip(self, node):
    pass



def setup(app: Sphinx) -> None:
    for node, visit, depart in ((lang_block, _visit_lang_block, _depart_lang_block),
                                (details_block, _visit_details, _depart_details),
                                (fact_value, _visit_fact, _depart_fact)):
        app.add_node(node, html=(visit, depart), latex=(_skip, _skip), text=(_skip, _skip),
                     man=(_skip, _skip), texinfo=(_skip, _skip))
