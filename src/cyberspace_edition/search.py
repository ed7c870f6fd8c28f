"""Chinese and English search for the book.

Sphinx indexes Chinese with jieba. Two things make it work for this text:

- a user dictionary built from the glossary at each build, so that jieba keeps
  names such as 数字经济 or 网络空间命运共同体 whole (search mode still indexes
  their parts);
- a query splitter for the browser: a query typed without spaces (网络安全合作)
  is cut into the longest words the index knows, instead of being looked up as
  one word that was never indexed.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.search.zh import SearchChinese

from . import edition

# Browser side: split on non-letters as Sphinx does, then cut each CJK run greedily
# into the longest terms present in the search index.
SPLITTER_JS = r"""
splitQuery = function (query) {
  var parts = query.split(/[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu).filter(Boolean);
  var index = (typeof Search !== "undefined" && Search._index) || {};
  var known = function (w) {
    return (index.terms && Object.prototype.hasOwnProperty.call(index.terms, w)) ||
           (index.titleterms && Object.prototype.hasOwnProperty.call(index.titleterms, w));
  };
  var out = [];
  parts.forEach(function (part) {
    if (!/[\u3400-\u9fff]/.test(part) || known(part)) { out.push(part); return; }
    var i = 0;
    while (i < part.length) {
      var j = Math.min(part.length, i + 12), hit = null;
      for (; j > i + 1; j--) { if (known(part.slice(i, j))) { hit = part.slice(i, j); break; } }
      if (hit) { out.push(hit); i += hit.length; } else { out.push(part[i]); i += 1; }
    }
  });
  return out.filter(function (w) { return w.length > 1 || !/[\u3400-\u9fff]/.test(w); });
};
"""


class _Terms(set):
    """A set with list's extend: Sphinx 7.4's SearchChinese keeps every Latin word it has split in a
    list (a class attribute) and scans it for each word it stems, which made indexing quadratic:
    about half of a clean build. Membership is the same; the scan is gone."""

    extend = set.update


class SearchChineseEdition(SearchChinese):
    """Sphinx's Chinese search with the edition's query splitter."""

    js_splitter_code = SPLITTER_JS

    def init(self, options: dict) -> None:
        super().init(options)
        self.latin_terms = _Terms()
        self._stems: dict[str, str] = {}

    def stem(self, word: str) -> str:
        """Sphinx's stem, remembered per word (the English stemmer ran twice for every word)."""
        if word not in self._stems:
            self._stems[word] = super().stem(word)
        return self._stems[word]


def write_user_dictionary(path: Path) -> Path:
    """One glossary term (or variant) per line, with a high frequency so jieba keeps it whole."""
    words = sorted({form for t in edition.load_glossary().values() for form in t.forms
                    if len(form) > 1 and " " not in form})
    content = "".join(f"{w} 100000\n" for w in words)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.is_file() or path.read_text(encoding="utf-8") != content:  # rewriting costs ~1 s on a busy disk
        path.write_text(content, encoding="utf-8")
    return path
