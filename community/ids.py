"""Row ids that come from outside (URLs, query strings, Socket.IO events).

No row's id is beyond a signed 64-bit integer in SQLite or PostgreSQL. A bigger number names
nothing, yet SQLite's driver raises OverflowError on it (a 500 rather than "not found"); and
"²".isdigit() is true, yet int("²") fails. So: ASCII digits only, and never more than MAX_ID.
"""
import re

from werkzeug.routing import IntegerConverter

MAX_ID = 2**63 - 1
_DIGITS = re.compile(r"[0-9]{1,19}")


def parse_id(raw) -> int | None:
    """The id `raw` (text or a number) names, or None when it can't name a row."""
    if isinstance(raw, str) and _DIGITS.fullmatch(raw):
        raw = int(raw)
    if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= MAX_ID:
        return None
    return raw


class IdConverter(IntegerConverter):
    """`<int:...>` in our routes: a number no row can have is a 404, like any other missing row."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)
