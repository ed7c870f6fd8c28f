"""The browser libraries kept in the repository are the ones the manifest names, byte for byte.

popper and tippy are vendored in src/cyberspace_edition/vendor/ (no Node.js for the book);
manifest.json gives each file's npm package, version, licence and SHA-256, and the build
refuses a file whose checksum differs.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil

import pytest

from cyberspace_edition.extension import assets as sphinx_assets
from cyberspace_edition.errors import DataError

VENDOR = sphinx_assets.VENDOR
MANIFEST = json.loads((VENDOR / "manifest.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_vendored_file_matches_its_manifest_entry(name):
    entry = MANIFEST[name]
    data = (VENDOR / name).read_bytes()
    assert hashlib.sha256(data).hexdigest() == entry["sha256"], (
        f"{VENDOR / name}: SHA-256 differs from manifest.json; run `make vendor`")
    licence = (VENDOR / entry["license_file"]).read_text(encoding="utf-8")
    assert entry["license"] == "MIT" and "Permission is hereby granted" in licence, (
        f"{VENDOR / entry['license_file']}: not the MIT licence text the manifest names")
    readme = (VENDOR / "README.md").read_text(encoding="utf-8")
    assert f"{entry['package']} {entry['version']}" in readme and entry["sha256"] in readme, (
        f"{VENDOR / 'README.md'}: no row for {name} ({entry['package']} {entry['version']}, {entry['sha256'][:12]}…)")


def test_popper_says_its_own_version():
    entry = MANIFEST["popper.min.js"]
    head = (VENDOR / "popper.min.js").read_text(encoding="utf-8")[:200]
    assert re.search(rf"@popperjs/core v{re.escape(entry['version'])}\b", head), (
        f"{VENDOR / 'popper.min.js'}: header does not name version {entry['version']}")


def test_a_changed_vendored_file_stops_the_build(tmp_path, monkeypatch):
    copy = tmp_path / "vendor"
    shutil.copytree(VENDOR, copy)
    target = copy / "tippy-bundle.umd.min.js"
    target.write_bytes(target.read_bytes() + b"\n")
    monkeypatch.setattr(sphinx_assets, "VENDOR", copy)
    with pytest.raises(DataError, match=r"manifest\.json:0: tippy-bundle\.umd\.min\.js: SHA-256 differs"):
        sphinx_assets._vendor_assets(tmp_path / "static")
