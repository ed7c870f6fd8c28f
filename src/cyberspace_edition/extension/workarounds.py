"""Fixes for bugs of the libraries the book is built with, each isolated here with its upstream report.

- MyST-Parser HTML-escapes a Markdown link's address before storing it (``refuri``), and the HTML
  writer escapes it again: ``?channel=2808&id=898574`` is published as ``&amp;amp;id=``, a link
  that loses its query. Reported as https://github.com/executablebooks/MyST-Parser/issues/760 and
  fixed upstream by pull request #1126 (refuri holds the raw URL), in a myst-parser newer than the
  one Jupyter Book 1 allows. Until then the transform below gives ``refuri`` its raw address back.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform


class RawLinkAddresses(SphinxTransform):
    """``&amp;`` in an external link's address -> ``&`` (the writer escapes it once, as it should)."""

    default_priority = 500

    def apply(self, **kwargs) -> None:
        for ref in self.document.findall(nodes.reference):
            uri = ref.get("refuri", "")
            if "&amp;" in uri and "://" in uri:
                ref["refuri"] = uri.replace("&amp;", "&")


def setup(app: Sphinx) -> None:
    app.add_transform(RawLinkAddresses)
