"""What each page depends on (src/cyberspace_edition/inputs.py) is complete and specific."""

from __future__ import annotations

from unittest import mock

from cyberspace_edition import edition, inputs
from cyberspace_edition.extension import PARTS
from cyberspace_edition.extension.dependencies import page_inputs, write_parts_into
from cyberspace_edition.paths import ROOT


def _registered() -> set[str]:
    app = mock.MagicMock()
    for part in PARTS:
        part.setup(app)
    return {c.args[0] for c in app.add_directive.call_args_list + app.add_role.call_args_list}


def test_every_directive_and_role_says_what_it_reads():
    missing = sorted(_registered() - set(inputs.READS))
    assert not missing, (f"src/cyberspace_edition/inputs.py: READS does not say which files {missing} read; "
                         "until it does, a page using them depends on every data file")


def test_every_file_named_exists():
    """A renamed or moved data file is renamed here too (a missing dependency rebuilds its page every time)."""
    for name, reads in inputs.READS.items():
        for chapter in edition.CHAPTERS:
            for path in reads(chapter):
                if isinstance(path, inputs.Part):
                    continue
                assert path.is_file(), f"src/cyberspace_edition/inputs.py: READS[{name!r}] names {path}, which does not exist"


def test_a_chapter_page_depends_on_its_own_chapter_files_only(tmp_path):
    write_parts_into(tmp_path)
    page = ROOT / "chapters" / "s3-2-cybersecurity.md"
    files = {p.replace(str(ROOT) + "/", "").replace(str(tmp_path) + "/", "")
             for p in page_inputs(page.read_text(encoding="utf-8"), set())}
    for own in ("data/translation/s3-2.yaml", "data/annotations/s3-2.yaml", ".edition-inputs/glossary-names.txt",
                "data/text/paragraph_ids.csv", "data/facts.csv"):
        assert own in files, f"{page}: the page does not depend on {own}"
    assert "data/glossary.yaml" not in files, f"{page}: a glossary definition (not shown there) would rebuild it"
    others = sorted(f for f in files if f.startswith(("data/translation/", "data/annotations/"))
                    and "s3-2" not in f)
    assert not others, f"{page}: the page depends on other chapters' files {others}"


def test_an_unlisted_edition_directive_depends_on_every_data_file():
    files = page_inputs("```{new-directive} s3-2\n```\n", {"new-directive"})
    assert str(ROOT / "data" / "facts.csv") in files and str(ROOT / "data" / "glossary.yaml") in files


def test_a_part_file_changes_only_when_its_part_does(tmp_path):
    write_parts_into(tmp_path)
    names = tmp_path / ".edition-inputs" / "glossary-names.txt"
    first = names.stat().st_mtime_ns
    write_parts_into(tmp_path)
    assert names.stat().st_mtime_ns == first, f"{names} was rewritten although the glossary's names did not change"
