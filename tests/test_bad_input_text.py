"""Bad text data stops with a message that names the file, the line and the problem."""

from __future__ import annotations

import shutil

import pytest

from cyberspace_edition import text
from cyberspace_edition.errors import DataError


@pytest.fixture
def copies(tmp_path, monkeypatch):
    """Temporary copies of the text's data files, used in place of the real ones."""
    for name in ("IDS_FILE", "DECISIONS_FILE"):
        copy = tmp_path / getattr(text, name).name
        shutil.copy(getattr(text, name), copy)
        monkeypatch.setattr(text, name, copy)
    text.load_text.cache_clear()
    yield tmp_path
    text.load_text.cache_clear()


def test_changed_source_is_refused(tmp_path):
    bad = tmp_path / "source.txt"
    bad.write_bytes(text.SOURCE_FILE.read_bytes().replace("274".encode(), "275".encode()))
    with pytest.raises(DataError, match=r"source\.txt:1: sha256 .* the source was changed"):
        text.read_source(bad)


def test_duplicate_paragraph_id(copies):
    path = copies / "paragraph_ids.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace("s3-1-p03", "s3-1-p02")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"paragraph_ids\.csv:4: duplicate id 's3-1-p02' \(first on line 3\)"):
        text.read_ids(path)


def test_id_list_that_no_longer_matches_the_text(copies):
    path = copies / "paragraph_ids.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("积极参与二十国集团框", "积极参与二十国集团峰"),
                    encoding="utf-8")
    with pytest.raises(DataError, match=r"paragraph_ids\.csv:3: id s3-1-p02 expects a paragraph"):
        text.load_text()


def test_malformed_id_row(copies):
    path = copies / "paragraph_ids.csv"
    with path.open("a", encoding="utf-8") as fh:
        fh.write("extra-id,paragraph\n")
    n = len(path.read_text(encoding="utf-8").splitlines())
    with pytest.raises(DataError, match=rf"paragraph_ids\.csv:{n}: malformed row"):
        text.read_ids(path)


def test_kept_space_that_is_not_in_the_source(copies):
    path = copies / "editorial_decisions.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("境 激活市场主体活力", "境 激活市场主体动力"),
                    encoding="utf-8")
    line = next(n for n, l in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "激活市场主体动力" in l)
    with pytest.raises(DataError, match=rf"editorial_decisions\.yaml:{line}: kept_spaces: context .* is not on source line 3"):
        text.load_text()


def test_malformed_decisions_yaml(copies):
    path = copies / "editorial_decisions.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n  - : [unclosed\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"editorial_decisions\.yaml:\d+: malformed YAML"):
        text.load_text()


def test_decisions_in_the_wrong_encoding(copies):
    path = copies / "editorial_decisions.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    with pytest.raises(DataError, match=r"editorial_decisions\.yaml:0: not UTF-8"):
        text.load_text()
