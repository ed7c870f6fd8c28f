"""What a newcomer and a citer rely on: the two commands, one version everywhere."""

from __future__ import annotations

import re
import tomllib

import yaml

from .conftest import ROOT


def test_citation_and_package_agree_on_the_version():
    package = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    citation = str(yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))["version"])
    assert citation == package, f"CITATION.cff: version {citation} but pyproject.toml says {package}"


def test_readme_starts_with_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"^make (\w+)", readme, re.M)
    assert commands[:2] == ["book", "test"], f"README.md: the first commands are {commands[:2]}, not make book / make test"
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8"), ".ci/run does not call make test"
