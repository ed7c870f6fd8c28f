"""Where the book's files live, found from the package so cells run from any folder."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
