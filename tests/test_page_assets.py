"""What each built page loads: sphinx-design's stylesheet and tab script only on a page that uses
one of its components (extension/assets.py; Jupyter Book adds them to every page, 10.4 KB gzip)."""

from __future__ import annotations

import re
from types import SimpleNamespace

from cyberspace_edition.extension import assets

from .conftest import HTML

DESIGN = re.compile(r'(?:href|src)="[^"]*(sphinx-design\.min\.css|design-tabs\.js)')


def test_sphinx_design_files_only_where_a_component_is_used():
    pages = sorted(HTML.rglob("*.html"))
    assert len(pages) >= 16, f"{HTML}: only {len(pages)} pages; run make book"
    wrong = []
    for page in pages:
        if "_static" in page.parts:
            continue
        html = page.read_text(encoding="utf-8")
        loads = bool(DESIGN.search(html))
        body = html.split('<article', 1)[-1]
        if loads != bool(assets.SPHINX_DESIGN_CLASS.search(body)):
            wrong.append(f"{page.relative_to(HTML)}: {'loads' if loads else 'lacks'} sphinx-design's files")
    assert not wrong, "\n".join(wrong)


def test_a_page_using_a_dropdown_keeps_sphinx_design():
    def files(body: str) -> list[str]:
        css = [SimpleNamespace(filename="_static/sphinx-design.min.css?v=1"),
               SimpleNamespace(filename="_static/edition.css")]
        context = {"body": body, "css_files": css, "script_files": [SimpleNamespace(filename="_static/design-tabs.js")]}
        assets.page_scripts(None, "p", "page.html", context, None)
        return [a.filename for a in context["css_files"] + context["script_files"]]

    used = files('<details class="sd-sphinx-override sd-dropdown"><summary>x</summary></details>')
    assert "_static/sphinx-design.min.css?v=1" in used and "_static/design-tabs.js" in used, used
    unused = files("<p>no component</p>")
    assert unused == ["_static/edition.css"], unused


def test_a_stylesheet_edit_alone_has_every_page_written_again(tmp_path, monkeypatch):
    """Sphinx copies static files only when it writes a page: after an edit to edition.css alone,
    `make book` must still publish it."""
    from cyberspace_edition import inputs

    package = tmp_path / "cyberspace_edition"
    (package / "static").mkdir(parents=True)
    css = package / "static" / "edition.css"
    css.write_text("p { color: black; }", encoding="utf-8")
    (package / "build.py").write_text("# code: not a static file", encoding="utf-8")
    monkeypatch.setattr(inputs, "PACKAGE", package)
    monkeypatch.setattr(inputs, "ROOT", tmp_path)
    env = SimpleNamespace(all_docs={"index": 0, "chapters/s3-2-cybersecurity": 0})
    app = SimpleNamespace(builder=SimpleNamespace(name="html"))
    single = SimpleNamespace(builder=SimpleNamespace(name="singlehtml"))
    assert assets.static_changed(app, env) == ["chapters/s3-2-cybersecurity", "index"], "first build: pages not written"
    assert assets.static_changed(app, env) == [], "nothing changed, yet every page is written again"
    (package / "build.py").write_text("# code changed", encoding="utf-8")
    assert assets.static_changed(app, env) == [], "a code change is the environment's business (env_version), not this"
    css.write_text("p { color: navy; }", encoding="utf-8")
    assert assets.static_changed(single, env) == [], "the single-page build writes its page anyway"
    assert assets.static_changed(app, env) == ["chapters/s3-2-cybersecurity", "index"], (
        "static/edition.css changed, yet no page is written again: the old stylesheet stays published")
