"""One icon route, only the icons used.

pydata-sphinx-theme draws its icons twice over: its CSS loads the Font Awesome web fonts
(fa-solid-900.woff2 alone is 153 KB), and a template macro adds ``fontawesome.js`` (1.45 MB),
which replaces every ``<i class="fa-…">`` with an inline SVG. The book keeps the CSS route
(the template override in ``templates/`` drops the script) and serves the fonts cut down to
the glyphs the themes can show: every ``fa-NAME`` the theme templates, Python and scripts
name, and every icon the theme CSS draws itself (admonitions, external links and so on).

After the build, :func:`check_pages` reads every page and fails the build (a Sphinx warning
under ``-W``) if an icon on a page has no glyph in the served font.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

import pydata_sphinx_theme
import sphinx_book_theme

PYDATA = Path(pydata_sphinx_theme.__file__).parent
BOOK_THEME = Path(sphinx_book_theme.__file__).parent
THEME_CSS = [PYDATA / "theme/pydata_sphinx_theme/static/styles/pydata-sphinx-theme.css",
             BOOK_THEME / "theme/sphinx_book_theme/static/styles/sphinx-book-theme.css"]
WEBFONTS = PYDATA / "theme/pydata_sphinx_theme/static/vendor/fontawesome/webfonts"
FONTS = ["fa-solid-900", "fa-regular-400", "fa-brands-400"]
OUT = Path("vendor/fontawesome/webfonts")  # under _static, where the theme CSS looks

NAME = re.compile(r"\bfa-[a-z0-9]+(?:-[a-z0-9]+)*")
# .fa-magnifying-glass:before,.fa-search:before{content:"\f002"}
GLYPH_BODY = re.compile(r'content:"\\([0-9a-f]{4,5})"')
GLYPH_SELECTOR = re.compile(r"\.(fa-[a-z0-9-]+)::?(?:before|after)")
CSS_STRING = re.compile(r'"((?:[^"\\]|\\[0-9a-fA-F]{1,6} ?|\\.)*)"')
PUA = range(0xE000, 0xF900)


def _unescape(css: str) -> str:
    return re.sub(r"\\([0-9a-fA-F]{1,6}) ?", lambda m: chr(int(m.group(1), 16)), css)


def _rules(path: Path):
    """(selectors, declarations) of each CSS rule, in one linear pass (minified CSS)."""
    for chunk in path.read_text(encoding="utf-8").split("}"):
        selectors, _, body = chunk.rpartition("{")
        yield selectors, body


def _glyph_rule(selectors: str, body: str) -> int | None:
    """The codepoint of a Font Awesome name rule (.fa-x:before{content:"\\f002"}), else None."""
    m = GLYPH_BODY.fullmatch(body.strip())
    if m and all(GLYPH_SELECTOR.fullmatch(s.strip()) for s in selectors.split(",")):
        return int(m.group(1), 16)
    return None


@lru_cache(maxsize=1)
def glyph_map() -> dict[str, int]:
    """fa-NAME -> codepoint, from the theme's Font Awesome CSS."""
    out: dict[str, int] = {}
    for selectors, body in _rules(THEME_CSS[0]):
        code = _glyph_rule(selectors, body)
        if code is not None:
            for sel in selectors.split(","):
                out[GLYPH_SELECTOR.fullmatch(sel.strip()).group(1)] = code
    return out


@lru_cache(maxsize=1)
def css_drawn() -> frozenset[int]:
    """Icons the theme CSS draws itself (content strings and --pst-icon-* values)."""
    codes: set[int] = set()
    for path in THEME_CSS:
        for selectors, body in _rules(path):
            if _glyph_rule(selectors, body) is not None:
                continue  # the per-name table: glyph_map
            for s in CSS_STRING.findall(body):
                codes.update(ord(c) for c in _unescape(s) if ord(c) in PUA)
    return frozenset(codes)


def names_in(paths) -> set[str]:
    names: set[str] = set()
    for path in paths:
        names.update(NAME.findall(path.read_text(encoding="utf-8", errors="replace")))
    return names


def theme_sources() -> list[Path]:
    """Theme templates, Python and scripts (not the Font Awesome script itself)."""
    out = []
    for root in (PYDATA, BOOK_THEME):
        for path in root.rglob("*"):
            if (path.suffix in {".html", ".py", ".js"} and "fontawesome" not in path.name
                    and "__pycache__" not in path.parts and path.is_file()):
                out.append(path)
    return out


def wanted(extra_names: set[str] = frozenset()) -> set[int]:
    table = glyph_map()
    names = names_in(theme_sources()) | set(extra_names)
    return {table[n] for n in names if n in table} | set(css_drawn())


def write_subsets(static_root: Path, cache: Path) -> set[int]:
    """Subset the theme's web fonts into static_root/vendor/fontawesome/webfonts; returns the codepoints.

    Cached by the fonts and the codepoints: a rebuild with nothing changed copies, not subsets.
    """
    codes = wanted()
    key = hashlib.sha256(repr(sorted(codes)).encode())
    for name in FONTS:
        key.update((WEBFONTS / f"{name}.woff2").read_bytes())
    key = key.hexdigest()[:16]
    target = static_root / OUT
    target.mkdir(parents=True, exist_ok=True)
    for name in FONTS:
        for flavor, ext in (("woff2", "woff2"), (None, "ttf")):
            cached = cache / key / f"{name}.{ext}"
            if not cached.exists():
                from fontTools import subset

                cached.parent.mkdir(parents=True, exist_ok=True)
                options = subset.Options()
                options.flavor = flavor
                options.layout_features = []
                options.hinting = False
                options.notdef_outline = True
                font = subset.load_font(str(WEBFONTS / f"{name}.{ext}"), options)
                sub = subset.Subsetter(options)
                sub.populate(unicodes=codes)
                sub.subset(font)
                tmp = cached.with_suffix(".tmp")
                subset.save_font(font, str(tmp), options)
                tmp.replace(cached)
            data = cached.read_bytes()
            out = target / f"{name}.{ext}"
            if not out.exists() or out.read_bytes() != data:
                out.write_bytes(data)
    return codes


def check_pages(html_root: Path, codes: set[int]) -> list[str]:
    """Icons named in the built pages that the served fonts cannot draw: 'page: fa-NAME'."""
    table = glyph_map()
    problems = []
    for page in sorted(html_root.rglob("*.html")):
        for name in sorted(set(NAME.findall(page.read_text(encoding="utf-8")))):
            if name in table and table[name] not in codes:
                problems.append(f"{page.relative_to(html_root)}: {name}")
    return problems
