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
    for own in ("data/translation/s3-2.yaml", ".edition-inputs/annotations-chapters--s3-2-cybersecurity.txt",
                ".edition-inputs/glossary-names.txt",
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


def test_a_note_edited_on_one_page_of_a_long_chapter_changes_that_page_s_inputs_only(tmp_path, monkeypatch):
    """s3-3 is on three pages (data/chapters.yaml, continued:): its notes file is one, but a page
    depends on the notes of its own paragraphs (and on the guide, if it shows it). A note on no
    paragraph of the chapter is every page's: the mistake must reach a page, which stops the build."""
    chapter = edition.chapter("s3-3")
    assert len(chapter.files) >= 3, "s3-3 is no longer on three pages: pick another chapter"
    last_page, last_ids = edition.chapter_pages("s3-3")[-1]
    source = (edition.ANNOTATIONS_DIR / "s3-3.yaml").read_text(encoding="utf-8")
    target = next(i for i in last_ids if f"paragraph: {i}\n" in source)
    before = {f: inputs.annotations_part(f).compute() for f in chapter.files}
    notes = tmp_path / "annotations"
    notes.mkdir()
    monkeypatch.setattr(edition, "ANNOTATIONS_DIR", notes)

    def changed_by(edit: str) -> list[str]:
        (notes / "s3-3.yaml").write_text(edit, encoding="utf-8")
        return sorted(f for f in chapter.files if inputs.annotations_part(f).compute() != before[f])

    at = source.index(f"paragraph: {target}\n")
    title = source.index("title:", at)
    edited = source[:title] + "title: Edited " + source[title + len("title: "):]
    assert changed_by(edited) == [last_page], f"a note on {target} changes the inputs of {changed_by(edited)}"
    stray = edited.replace(f"paragraph: {target}\n", "paragraph: s3-3-p99\n", 1)
    assert changed_by(stray) == sorted(chapter.files), "a note on an unknown paragraph reaches no page"
    monkeypatch.undo()

    write_parts_into(tmp_path)
    middle = chapter.files[1]
    page = ROOT / f"{middle}.md"
    paths = page_inputs(page.read_text(encoding="utf-8"), set())
    files = {p.rsplit("/", 1)[-1] for p in paths}
    assert str(edition.TRANSLATION_DIR / "s3-3.yaml") in paths and f"annotations-{middle.replace('/', '--')}.txt" in files, (
        f"{page}: does not depend on its own part of the notes (and the English of s3-3): {sorted(files)}")
    assert str(edition.ANNOTATIONS_DIR / "s3-3.yaml") not in paths, (
        f"{page}: depends on the whole notes file of s3-3, so any note of the chapter reads it again")
    assert not any(f.startswith("annotations-") and f != f"annotations-{middle.replace('/', '--')}.txt"
                   for f in files), f"{page}: depends on another page's notes: {sorted(files)}"
