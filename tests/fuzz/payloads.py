"""What the fuzzers send: hostile strings, wrong types, oversized text, and for each form field a
value a person might plausibly send (so validation passes often enough to reach the code behind it)."""
from datetime import date, timedelta

from hypothesis import strategies as st

from tests.support import PASSWORD

# The markers set window.__xss, which the browser test looks for; the rest probe templates, SQL,
# paths and redirects.
XSS = [
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=1">',
    '"><svg onload=window.__xss=1>',
    "javascript:window.__xss=1",
    "<a href=\"javascript:window.__xss=1\">click</a>",
    "'><iframe srcdoc='<script>parent.__xss=1</script>'>",
    "{{ 7 * 7 }}", "{% for x in () %}{% endfor %}", "${7*7}", "%s%s%n",
]
SQL = ["' OR 1=1 --", "'; DROP TABLE users; --", '" OR ""="', "1); SELECT pg_sleep(3); --",
       "%' UNION SELECT email FROM users --", "\\", "%", "_%_", "'"]
CONTROL = ["\x00", "a\x00b", "\r\n\r\nSet-Cookie: x=1", "\x1b[31mred", "\x7f\x08\x0c", "\u0085", "\u2028\u2029"]
UNICODE = [
    "\u202eevil.exe\u202c", "\u200b", "a\u200db", "\ufeffhello", "\u2066x\u2069", "Z\u0301\u0302\u0303\u0304" * 40,
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "👩‍👩‍👧‍👦", "İstanbul ß ﬁ", "\uffff", "\U0010ffff", "ｗｉｄｅ",
]
NUMBERS = ["-1", "0", "-0", str(10**30), "-" + str(10**30), "1e309", "NaN", "Infinity", "1.5", "0x1F",
           "٣", "²", "1_000", " 7 ", "9" * 400, "2147483648", "9223372036854775808", "-9223372036854775809"]
NOT_NUMBERS = ["seven", "", " ", "<b>1</b>", "2026-02-30", "25:61", "99999-01-01", "0000-00-00", "null",
               "true", "[]", "{}", "1,000"]
PATHS = ["../../etc/passwd", "//evil.example/", "https://evil.example/", "/\\evil.example", "mailto:x@y"]
# Bytes no UTF-8 encoder would write: a lone surrogate encoded, overlong forms, Latin-1.
RAW_BYTES = [b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xff\xfe\xfd", b"\xc0\xaf", b"caf\xe9", b"\xf4\x90\x80\x80"]
# Only JSON can carry these (a JavaScript string cut through an emoji is one); a form's bytes can't.
LONE_SURROGATES = ["\ud800", "hi \udfff there", "\ud83d", "🙂"[:1] + "\ud83d"]
NASTY = XSS + SQL + CONTROL + UNICODE + NUMBERS + NOT_NUMBERS + PATHS
OVERSIZED = 100_000
# Names a form never has but a crafted request might add.
EXTRA_NAMES = ["role", "is_admin", "user_id", "group_id", "id", "author_id", "status", "next", "email",
               "csrf_token2", "__class__", "action", "password", ""]


def oversized() -> st.SearchStrategy[str]:
    """100 KB of one repeated piece (drawing that many characters one by one would be slow)."""
    pieces = st.sampled_from(["a", "word ", "<script>window.__xss=1</script>", "é", "👩‍👩‍👧", "\u200b", "' OR 1=1 -- "])
    return pieces.map(lambda piece: (piece * (OVERSIZED // len(piece) + 1))[:OVERSIZED])


def nasty() -> st.SearchStrategy:
    """A hostile value: a known-bad string, any text, invalid UTF-8, a good word with something bad
    stuck on, or (one time in eight: parsing 100 KB costs the app, and the run, real time) 100 KB."""
    kinds = {
        "known": st.sampled_from(NASTY),
        "text": st.text(max_size=80),
        "bytes": st.sampled_from(RAW_BYTES),
        "stuck": st.builds(lambda a, b: a + b, st.sampled_from(["Board games", "hello"]), st.sampled_from(NASTY)),
        "big": oversized(),
    }
    return st.sampled_from(["known", "known", "known", "text", "text", "bytes", "stuck", "big"]).flatmap(kinds.get)


def _dates() -> st.SearchStrategy[str]:
    return st.integers(-30, 400).map(lambda days: (date.today() + timedelta(days=days)).isoformat())


def plausible(field, known: str = "", emails=()) -> st.SearchStrategy:
    """A value a person could send from this field, or a list of them for multiple choices. `known`
    is a value another form had filled in for a field of the same name (an edit form's title for
    the new form's title), and `emails` the addresses of people who exist, so whole forms pass
    validation often enough to reach the work behind them."""
    if field.options and field.multiple:
        return st.lists(st.sampled_from(field.options), unique=True, max_size=len(field.options))
    if field.options:
        return st.sampled_from(field.options)
    kind = field.kind
    if kind == "hidden":
        return st.just(field.default)
    filled = field.default if field.default.strip() else known.strip()
    made = _made_up(kind)
    if kind == "email" and emails:
        made = st.one_of(st.sampled_from(list(emails)), made)
    if made is None:  # free text: what the page (or a page) filled in, else a few words
        return st.just(filled) if filled else st.text(st.sampled_from("abcdefghij klmnop-"), min_size=1, max_size=40)
    return st.one_of(st.just(filled), made) if filled else made


def _made_up(kind: str) -> st.SearchStrategy | None:
    """A valid-looking value for a typed input; None for free text."""
    if kind == "number":
        return st.integers(0, 30).map(str)
    if kind == "email":
        return st.from_regex(r"[a-z]{1,12}", fullmatch=True).map(lambda name: f"{name}.fuzz@example.org")
    if kind == "date":
        return _dates()
    if kind == "time":
        return st.tuples(st.integers(0, 23), st.sampled_from([0, 15, 30, 45])).map(lambda t: f"{t[0]:02d}:{t[1]:02d}")
    if kind == "url":
        return st.sampled_from(["https://example.org/room", "https://meet.example.org/abc"])
    return None


def wrong_type(field) -> st.SearchStrategy:
    """Text where a number, date or choice goes; a number where text goes."""
    if field.options or field.kind in {"number", "date", "time", "datetime-local", "url", "email"}:
        return st.sampled_from(NOT_NUMBERS + NUMBERS + ["other", "<script>window.__xss=1</script>"])
    return st.sampled_from(NUMBERS)


HOSTILE_MODES = ("nasty", "nasty", "wrong_type", "missing", "several")


@st.composite
def submissions(draw, form, known: dict | None = None, emails=()) -> list[tuple[str, str | bytes]]:
    """The (name, value) pairs one POST sends, without the CSRF token. Either every field is
    plausible but a few, or every field is random; a field that isn't plausible is hostile, of the
    wrong type, missing or sent several times. Sometimes fields the form hasn't are added."""
    known = known or {}
    fields = [f for f in form.fields.values() if f.name != "csrf_token"]
    names = [f.name for f in fields]
    if names and not draw(st.booleans()):  # shrinks toward this: fewest fields spoiled
        spoiled = set(draw(st.lists(st.sampled_from(names), max_size=3, unique=True)))
    else:
        spoiled = set(names)
    # A person types the same password in both boxes (the tests' own, for a login or deletion).
    password = draw(st.sampled_from([PASSWORD, "violet kettle mountain drum", "short"]))
    pairs = []
    for field in fields:
        good = st.just(password) if field.kind == "password" else plausible(field, known.get(field.name, ""), emails)
        mode = draw(st.sampled_from(HOSTILE_MODES)) if field.name in spoiled else "plausible"
        if mode == "missing":
            continue
        if mode == "plausible":
            value = draw(good)
        elif mode == "nasty":
            value = draw(nasty())
        elif mode == "wrong_type":
            value = draw(wrong_type(field))
        else:
            value = draw(st.lists(st.one_of(good, nasty()), min_size=2, max_size=4))
        for item in value if isinstance(value, list) else [value]:
            pairs += [(field.name, v) for v in (item if isinstance(item, list) else [item])]
    extra = st.tuples(st.one_of(st.sampled_from(EXTRA_NAMES), st.text(min_size=1, max_size=20)), nasty())
    return pairs + draw(st.lists(extra, max_size=2))


# --- Socket.IO payloads: anything JSON can carry ---
JSON_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.sampled_from([10**30, -(10**30), 2**63, -1, 0]),
    st.floats(), st.text(max_size=40), st.sampled_from(NASTY), oversized(),
)
JSON_VALUES = st.recursive(JSON_SCALARS, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=10), inner, max_size=4), max_leaves=12)
EVENT_KEYS = ["group_id", "body", "client_id", "after_id", "before_id", "message_id"]


@st.composite
def _aimed(draw, group_id: int, binary: bool) -> dict:
    """A payload a chat page might send to a real group (with hostile text sometimes), with up to
    two of its keys then dropped or given a value of any type."""
    payload = {
        "group_id": draw(st.sampled_from([group_id, str(group_id)])),
        "body": draw(st.one_of(st.sampled_from(["See you Thursday!", "hello https://example.org"]),
                               nasty() if binary else nasty().filter(lambda value: isinstance(value, str)),
                               st.sampled_from(LONE_SURROGATES))),
        "client_id": draw(st.uuids()).hex,
        "after_id": draw(st.integers(0, 50)),
        "before_id": draw(st.integers(0, 50)),
    }
    for key in draw(st.lists(st.sampled_from(sorted(payload)), max_size=2, unique=True)):
        if draw(st.booleans()):
            del payload[key]
        else:
            payload[key] = draw(JSON_VALUES)
    return payload


def event_payloads(group_id: int) -> st.SearchStrategy:
    """A payload for any chat event: aimed at a real group, anything JSON can carry, or a dict
    with our keys holding anything. Bytes travel as Socket.IO binary attachments."""
    return st.one_of(_aimed(group_id, binary=True), JSON_VALUES,
                     st.dictionaries(st.sampled_from(EVENT_KEYS), JSON_VALUES, max_size=5))


def handshake_payloads(group_id: int) -> st.SearchStrategy:
    """The auth data of a `connect`: the protocol carries an object or nothing (a bare number
    doesn't survive Socket.IO's own packet format, and bytes can't travel in a handshake)."""
    return st.one_of(st.none(), _aimed(group_id, binary=False),
                     st.dictionaries(st.text(max_size=10), JSON_VALUES, max_size=5))
