"""Refresh the vendored browser libraries from npm (maintainers only: `make vendor`).

The book serves two small MIT-licensed scripts for its glossary tooltips, popper and tippy.
They are kept in this folder, so that `make book` needs only Python and make. This script
fetches the versions named in manifest.json with `npm pack` (the ordinary npm client), copies
the served file and the licence of each package here, and writes their SHA-256 into
manifest.json and README.md. To upgrade, change a version in manifest.json and run
`make vendor`; review the diff and commit it.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
MANIFEST = HERE / "manifest.json"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fetch(package: str, version: str, into: Path) -> Path:
    """The package's tarball from the npm registry, unpacked; returns its folder."""
    if shutil.which("npm") is None:
        sys.exit("make vendor needs npm (it fetches the packages from the npm registry)")
    out = subprocess.run(["npm", "pack", f"{package}@{version}", "--silent", "--pack-destination", str(into)],
                         capture_output=True, text=True, check=True).stdout.split()
    tarball = into / out[-1]
    dest = into / tarball.stem
    with tarfile.open(tarball) as tar:
        tar.extractall(dest, filter="data")
    return dest / "package"


def write_readme(entries: dict) -> None:
    rows = "\n".join(f"| `{name}` | {e['package']} {e['version']} | {e['license']} (`{e['license_file']}`) "
                     f"| `{e['sha256']}` |" for name, e in entries.items())
    (HERE / "README.md").write_text(f"""# `vendor/`: browser libraries the book serves itself

The glossary tooltips (sphinx-tippy) run on two scripts from npm. They are kept here, with
their licences, so that building the book needs only Python and `make` (no Node.js). The
Sphinx extension copies them into `_static/vendor/` and refuses to build if a file's
SHA-256 differs from `manifest.json`.

| file | package and version | licence | SHA-256 |
|---|---|---|---|
{rows}

Maintainers refresh them from the npm registry with `make vendor` (needs npm): it runs
`refresh.py`, which fetches the versions in `manifest.json` with `npm pack`, copies the files
and licences here and rewrites the checksums and this table. Commit the result.

axe-core, the accessibility checker the tests inject, is not vendored: it comes from the
PyPI package axe-playwright-python, which ships `axe.min.js` (see `requirements.lock`).
""", encoding="utf-8")


def main() -> None:
    entries = json.loads(MANIFEST.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        for name, e in entries.items():
            package = fetch(e["package"], e["version"], Path(tmp))
            meta = json.loads((package / "package.json").read_text(encoding="utf-8"))
            if meta["version"] != e["version"]:
                sys.exit(f"{MANIFEST}: {e['package']} came as {meta['version']}, not {e['version']}")
            e["license"] = meta["license"]
            shutil.copyfile(package / e["path"], HERE / name)
            shutil.copyfile(package / e["license_source"], HERE / e["license_file"])
            e["sha256"] = sha256(HERE / name)
    MANIFEST.write_text(json.dumps(entries, indent=2) + "\n", encoding="utf-8")
    write_readme(entries)
    print(f"refreshed {', '.join(entries)} in {HERE}")


if __name__ == "__main__":
    main()
