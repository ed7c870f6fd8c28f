"""The charts in the book: their HTML, their specs compiled to Vega, and the runtime that draws them.

A chapter's chart cell displays an ``EditionChart`` (see ``altair_offline``): the Vega-Lite
spec under ``application/vnd.vegalite.v5+json``, which JupyterLab draws itself, and the
figure's other pieces (titles, sources, description, data table) in the output's metadata.
On the Sphinx side:

1. ``EditionChartMime``, a myst-nb mime render plugin (entry point
   ``myst_nb.mime_renderers`` in ``pyproject.toml``), turns that output into the book's
   figure (``altair_offline.figure_html``), with the spec **compiled to Vega** by
   vl-convert at build time; ``nb_mime_priority_overrides`` in ``_config.yml`` chooses the
   Vega-Lite mimetype for the HTML builders. (A plugin and not a second ``text/html`` in the
   notebook: see ``altair_offline``.)
2. ``move_specs`` (``html-page-context``) moves each compiled spec out of the page into a
   small script of its own, ``_static/edition-charts/specs/<id>.js``, loaded with a deferred
   ``<script src>``: the page stays light, the browser caches the spec, and a script tag works
   from ``file://`` where ``fetch`` of a JSON file does not.
3. ``write_runtime`` (``builder-inited``) writes the runtime: **Vega only**, bundled by
   ``vl_convert.javascript_bundle`` from a snippet that imports nothing but ``vega`` (no
   Vega-Lite compiler, no vega-embed), and ``charts.js`` / ``charts.css``; pages with a chart,
   and only those, load them.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx

from .. import altair_offline

ASSETS = Path(__file__).parents[1] / "assets"
FOLDER = "edition-charts"  # in _static/
SPECS = "specs"  # in _static/edition-charts/


def runtime_snippet() -> str:
    """What the runtime bundle holds: Vega's own API as ``window.vega``, nothing that would pull
    in the Vega-Lite compiler or vega-embed.

    The snippet's own names (``vega``, ``vegaEmbed``) are default imports, and Vega has no
    default export (the bundle would set ``window.vega = null``), so the snippet imports Vega's
    namespace itself, by the address under which vl-convert keeps its inlined copy of Vega
    (resolved from vl-convert's own import map: nothing is fetched)."""
    import vl_convert

    url = f"https://cdn.jsdelivr.net/npm/vega@{vl_convert.get_vega_version()}/+esm.js"
    return f'import * as vegaRuntime from "{url}";\nwindow.vega = vegaRuntime;\n'
INLINE = re.compile(
    r'<script type="application/json" class="edition-chart-spec" data-target="(chart-[0-9a-f]+)">(.*?)</script>',
    re.S)


# Compiled Vega specs kept on disk by the digest of the Vega-Lite spec and vl-convert's version
# (set when the builder starts): compiling takes 0.1-0.2 s a chart, and every page read again
# compiles its charts again, though a chapter's edit rarely changes them.
_compiled_cache: Path | None = None


@lru_cache(maxsize=None)
def _compile(spec_json: str) -> dict:
    import vl_convert

    cached = None
    if _compiled_cache is not None:
        key = hashlib.sha256(f"{vl_convert.__version__}\n{spec_json}".encode()).hexdigest()[:32]
        cached = _compiled_cache / f"{key}.json"
        if cached.is_file():
            return json.loads(cached.read_text(encoding="utf-8"))
    vega = vl_convert.vegalite_to_vega(json.loads(spec_json))
    if cached is not None:
        _write_whole(cached, json.dumps(vega, ensure_ascii=False))
    return vega


def _write_whole(path: Path, content: str) -> None:
    """Written under another name, then renamed: a build running beside this one (the machine's
    caches are shared) never reads half a file."""
    import os

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(content, encoding="utf-8")
    tmp.replace(path)


def to_vega(spec: dict) -> dict:
    """The Vega spec of a Vega-Lite spec, with the version of Vega-Lite its $schema names."""
    return _compile(json.dumps(spec, ensure_ascii=False, sort_keys=True))


class EditionChartMime:
    """myst-nb mime render plugin: an edition chart's Vega-Lite output becomes the book's figure.

    Outputs of the Vega-Lite mimetype without the edition's metadata (a plain Altair chart) are
    left to myst-nb."""

    @staticmethod
    def handle_mime(renderer, data, inline):
        if inline or data.mime_type != altair_offline.MIMETYPE:
            return None
        edition = (data.output_metadata.get(data.mime_type) or {}).get("edition")
        if not edition:
            return None
        spec = data.content if isinstance(data.content, dict) else json.loads(data.string)
        spec = altair_offline.container_width(spec, edition.get("fitted", []))
        cid = altair_offline.chart_id(spec)
        layout = (spec.get("usermeta") or {}).get("edition") or {}
        payload = json.dumps({"spec": to_vega(spec), "layout": layout}, ensure_ascii=False,
                             sort_keys=True, separators=(",", ":")).replace("</", "<\\/")
        inline_spec = (f'<script type="application/json" class="edition-chart-spec" data-target="{cid}">'
                       f"{payload}</script>")
        return [nodes.raw("", altair_offline.figure_html(cid, edition, inline_spec), format="html")]


def runtime_name() -> str:
    import vl_convert

    return f"vega-runtime-{vl_convert.get_vega_version()}-vlc{vl_convert.__version__}.js"


def write_runtime(root: Path, cache: Path) -> Path:
    """The chart runtime in its own static folder (``root/edition-charts``).

    Kept out of the book's _static so that Jupyter Book does not add it to every page; the
    bundle is wrapped in a function because its top-level names would clash with Sphinx's
    doctools.js."""
    import vl_convert

    folder = root / FOLDER
    target = folder / runtime_name()
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("vega-*.js"):
            old.unlink()
        made = cache / target.name  # vl-convert takes seconds to bundle: once per machine and version
        if not made.is_file():
            bundle = vl_convert.javascript_bundle(runtime_snippet())
            _write_whole(made, "(function () {\n" + bundle + "\n})();\n")
        target.write_bytes(made.read_bytes())
    for name in ("charts.js", "charts.css"):
        content = (ASSETS / name).read_text(encoding="utf-8")
        if not (folder / name).exists() or (folder / name).read_text(encoding="utf-8") != content:
            (folder / name).write_text(content, encoding="utf-8")
    return root


def _builder_inited(app: Sphinx) -> None:
    if app.builder.format == "html":
        # the folder the edition's generated static files live in (added to html_static_path by
        # assets._add_static)
        from .assets import machine_cache

        global _compiled_cache
        _compiled_cache = machine_cache(app) / "vega-specs"
        write_runtime(Path(app.outdir).parent / ".edition-static", machine_cache(app))


def move_specs(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Each chart's spec out of the page into _static/edition-charts/specs/<id>.js; the chart
    scripts added to this page only."""
    body = context.get("body", "")
    if "edition-chart-spec" not in body:
        return
    folder = Path(app.outdir) / "_static" / FOLDER / SPECS
    folder.mkdir(parents=True, exist_ok=True)
    pathto = context["pathto"]

    def external(m: re.Match) -> str:
        cid, payload = m.group(1), json.loads(m.group(2).replace("<\\/", "</"))
        script = (f"editionChart({json.dumps(cid)}, "
                  f"{json.dumps(payload['spec'], ensure_ascii=False, separators=(',', ':'))}, "
                  f"{json.dumps(payload['layout'], ensure_ascii=False, separators=(',', ':'))});\n")
        path = folder / f"{cid}.js"
        if not path.exists() or path.read_text(encoding="utf-8") != script:
            path.write_text(script, encoding="utf-8")
        version = hashlib.sha1(script.encode()).hexdigest()[:8]  # a new spec is fetched again
        src = pathto(f"_static/{FOLDER}/{SPECS}/{cid}.js", 1) + f"?v={version}"
        return f'<script class="edition-chart-spec" data-target="{cid}" src="{src}" defer></script>'

    context["body"] = INLINE.sub(external, body)
    app.add_js_file(f"{FOLDER}/{runtime_name()}", priority=900, defer="defer")
    app.add_js_file(f"{FOLDER}/charts.js", priority=901, defer="defer")
    app.add_css_file(f"{FOLDER}/charts.css", priority=901)


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", _builder_inited)
    app.connect("html-page-context", move_specs)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
