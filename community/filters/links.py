"""Links in a chat message: "https://...", "www....", or a bare domain ("example.com/page", "bit.ly/x").

A bare domain counts when its top-level domain is on a list of common ones, so "e.g. this",
"version 3.5", "Mr.Smith" and "notes.txt" are not links. Any other two-to-six-letter ending counts
only with a path after it ("t.me/x", "linktr.ee/x"), so a missing space after a full stop ("home.It
was", "out.Live music") is not a link either. E-mail addresses are not links.
"""
from __future__ import annotations

import re

# Top-level domains that count on their own ("example.com"). Others, and ones that are everyday words
# (me, to, it, in, is, us, so, be, at, live, shop, club, fun, ...), count only with a path ("t.me/x").
_TLDS = ("com|org|net|edu|gov|io|co|uk|ly|gg|tv|xyz|info|biz|app|dev|ai|ru|de|fr|nl|cn|ca|au|nz|eu|jp|"
         "br|pl|online|website|icu|tk|ml|ga|cf|gq|cc|ws|su|ua|kz|vn|onion|xxx|porn|casino|crypto|nft")
_LINK = re.compile(
    r"\bhttps?://\S+"
    r"|\bwww\.[^\s.]+\.\S+"
    r"|(?<![\w@.\-])(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+"
    rf"(?:(?:{_TLDS})(?![\w\-])(?:[/:?#]\S*)?|[a-z]{{2,6}}/[\w\-]\S*)",
    re.IGNORECASE,
)
_LINK_TAIL = ".,;:!?)]}'\""


_SPACES = (" ", "\n", "\t")


def find_links(text: str) -> list[tuple[int, int]]:
    """(start, end) of each link. Only the space-free stretches around full stops are searched (every
    link has a dot), which is much faster than running the regex over the whole message."""
    out: list[tuple[int, int]] = []
    dot = text.find(".")
    while dot >= 0:
        start = max(text.rfind(c, 0, dot) for c in _SPACES) + 1
        ends = [i for i in (text.find(c, dot) for c in _SPACES) if i >= 0]
        end = min(ends) if ends else len(text)
        for m in _LINK.finditer(text, start, end):
            stop = m.end()
            while stop > m.start() and text[stop - 1] in _LINK_TAIL:  # sentence punctuation after a link
                stop -= 1
            out.append((m.start(), stop))
        dot = text.find(".", end)
    return out
