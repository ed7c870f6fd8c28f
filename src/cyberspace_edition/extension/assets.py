"""What the pages load, and only where it is needed: the edition's CSS and script on every page;
the chart runtime only on pages with charts; popper and tippy from the vendored copies (checked
against their manifest); the theme's templates without fontawesome.js and with the search scripts
only on the search page; icon fonts subset to the icons used; nothing from outside the book."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from ..errors import DataError

logger = logging.getLogger(__name__)

PACKAGE = Path(__file__).parents[1]
STATIC = PACKAGE / "static"  # served on every page
ASSETS = PACKAGE / "assets"  # served only where needed


def _add_static(app: Sphinx) -> None:
    app.config.html_static_path.append(str(STATIC))
    app.add_css_file("edition.css")
    app.add_js_file("edition.js")
    if app.builder.format == "html":
        generated = Path(app.outdir).parent / ".edition-static"
        _vendor_assets(generated)
        from .. import icons

        if _stock_assets():
            shutil.rmtree(generated / icons.OUT, ignore_errors=True)
        else:
            app.edition_icon_codes = icons.write_subsets(generated, machine_cache(app) / "fonts")
        app.config.html_static_path.append(str(generated))



VENDOR = PACKAGE / "vendor"  # popper and tippy, with licences: see vendor/README.md
TEMPLATES = PACKAGE / "templates"  # theme overrides: no fontawesome.js, search scripts only on search


def machine_cache(app: Sphinx) -> Path:
    """Made once per machine, not per build: the chart library (vl-convert's bundle, by version) and
    the icon subsets (by fonts and icons), in the user's cache folder (where the Makefile keeps uv),
    so that a clean build or a fresh clone does not make them again; under _build if it is not
    writable."""
    import os

    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cyberspace-edition"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    except OSError:
        return Path(app.outdir).parent / ".edition-cache"


def _stock_assets() -> bool:
    """EDITION_STOCK_ASSETS=1: the theme's own asset set (the benchmark's stock configuration)."""
    import os

    return os.environ.get("EDITION_STOCK_ASSETS") == "1"


def _vendor_assets(root: Path) -> None:
    """The vendored browser libraries, checked against manifest.json, into _static/vendor/."""
    import hashlib
    import json

    manifest = VENDOR / "manifest.json"
    folder = root / "vendor"
    folder.mkdir(parents=True, exist_ok=True)
    for name, entry in json.loads(manifest.read_text(encoding="utf-8")).items():
        data = (VENDOR / name).read_bytes()
        if hashlib.sha256(data).hexdigest() != entry["sha256"]:
            raise DataError(manifest, 0, f"{name}: SHA-256 differs from the manifest; run `make vendor` "
                                         f"to fetch {entry['package']} {entry['version']} again")
        for out, content in ((name, data), (entry["license_file"], (VENDOR / entry["license_file"]).read_bytes())):
            if not (folder / out).exists() or (folder / out).read_bytes() != content:
                (folder / out).write_bytes(content)


def _add_templates(app: Sphinx, config) -> None:
    if not _stock_assets():
        config.templates_path.insert(0, str(TEMPLATES))


def _check_icons(app: Sphinx, exception) -> None:
    """Every icon on every page has its glyph in the served (subset) fonts."""
    codes = getattr(app, "edition_icon_codes", None)
    if exception or codes is None:
        return
    from .. import icons

    for problem in icons.check_pages(Path(app.outdir), codes):
        logger.warning(f"{problem}: icon without a glyph in the served fonts (see icons.py)")


SPHINX_DESIGN_FILES = ("sphinx-design.min.css", "design-tabs.js")
SPHINX_DESIGN_CLASS = re.compile(r'class="(?:[^"]*\s)?sd-')


def page_scripts(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """No page loads Thebe (the chart library, only on chart pages: chart_assets.move_specs).

    Jupyter Book always adds sphinx-thebe, whose inline config is added twice (a
    page error: THEBE_JS_URL already declared) and points at a CDN; the book has
    no live kernels, so its scripts are dropped. It also always adds sphinx-design, whose
    stylesheet and tab script (10.4 KB gzip) a page loads only if it uses one of its
    components (an element with an ``sd-`` class: dropdown, card, grid, tabs).
    """
    uses_design = bool(SPHINX_DESIGN_CLASS.search(context.get("body", "")))

    def unwanted(asset) -> bool:
        body = getattr(asset, "attributes", {}).get("body", "") or ""
        name = str(asset)
        file = str(getattr(asset, "filename", name)).split("?")[0].rsplit("/", 1)[-1]
        if "thebe" in name or "THEBE" in body or "mathjax" in name.lower() or "MathJax" in body:
            return True  # no live kernels and no mathematics in this book
        if not uses_design and file in SPHINX_DESIGN_FILES:
            return True
        if "://" in name:
            logger.warning(f"{pagename}: dropped a script or style from outside the book: {name}",
                           location=pagename)
            return True
        return False

    for key in ("script_files", "css_files"):  # in place: add_js_file below appends to the same list
        if key in context:
            context[key][:] = [a for a in context[key] if not unwanted(a)]



def static_changed(app: Sphinx, env) -> list[str]:
    """Every page is written again when a stylesheet, script, template or vendored file of the
    package changed, else none. Sphinx copies static files only after it writes a page, and those
    files are no page's input: after an edit to edition.css alone, `make book` found nothing out
    of date and kept the old stylesheet. Every page, because a template or stylesheet shows on all.
    For the HTML builder only: the single-page builder writes its page every time, and the two share
    the environment, where the key is kept."""
    from .. import inputs

    if app.builder.name != "html":
        return []

    key = inputs.digest(inputs.copied_files())
    if getattr(env, "edition_static_key", None) == key:
        return []
    env.edition_static_key = key
    return sorted(env.all_docs)


def setup(app: Sphinx) -> None:
    app.connect("env-get-updated", static_changed)
    app.connect("config-inited", _add_templates)
    app.connect("builder-inited", _add_static)
    app.connect("build-finished", _check_icons)
    app.connect("html-page-context", page_scripts)
