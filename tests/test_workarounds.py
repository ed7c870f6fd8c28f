"""Links keep their address: a query string with & reaches the reader as written in the data."""

import re

from cyberspace_edition import edition

ADDRESS_WITH_QUERY = re.compile(r"https?://[^\s)\"']+&[^\s)\"']+")


def test_links_with_a_query_keep_their_ampersands(built):
    """MyST-Parser escapes & in link addresses and the writer escapes it again (workarounds.py)."""
    bad = []
    for page in sorted(built.rglob("*.html")):
        for lineno, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
            if "&amp;amp;" in line and "href=" in line:
                bad.append(f"{page.relative_to(built)}:{lineno}")
    assert not bad, f"links published with a doubly escaped & (&amp;amp;): {bad[:10]}"


def test_the_data_has_such_a_link_so_the_check_above_means_something():
    glossary = edition.GLOSSARY_FILE.read_text(encoding="utf-8")
    assert ADDRESS_WITH_QUERY.search(glossary), (
        f"{edition.GLOSSARY_FILE}: no link with & in its query any more; keep the workaround test honest "
        "by pointing it at a page that has one, or remove the workaround (workarounds.py)")
