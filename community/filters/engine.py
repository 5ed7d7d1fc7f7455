"""Automatic chat filters: a group's rules, as data, decide what happens to a chat message.

    from community.filters import check, default_rules
    d = check("some message", default_rules(), author_is_new=True, recent=[(ts, body), ...])
    d.action   # "allow", "mask", "hold" or "block" (the strongest of d.hits)
    d.text     # what to store and deliver: masked words replaced when d.action == "mask"
    d.reason   # shown to the author when a message is held or blocked

Pure: the standard library and `community.safety.normalize` only (no Flask, no database), so it
can run on every chat message and in tests without an app.

Rule file format (data/default_rules.json; `RuleSet.from_dict` reads the same shape)::

    {
      "comment": "anything: ignored",
      "sections": [                          # rules grouped by purpose (optional)
        {"purpose": "Common profanity",      # or "comment": ignored, for people reading the file
         "action": "mask",                   # "mask", "hold" or "block"
         "reason": "",                       # shown to the author when held or blocked
         "words": ["ass", "fuck*", {"pattern": "cunt", "reason": "..."}]}
      ],
      "words": [                             # single rules (optional), same fields, as objects
        {"pattern": "buy followers", "action": "block", "reason": "...", "comment": "ignored"}
      ],
      "allow": ["scunthorpe", "assess"],     # words never caught
      "new_member_days": 3, "link_action": "hold",
      "flood_count": 5, "flood_seconds": 10, "duplicate_window": 3
    }                                        # flood_count 0: no group flood rule (the app-wide limit stays)

Every key is optional. Patterns are written plainly ("ass", "buy followers"); a trailing `*` means
"and words starting with it" ("fuck*"). Matching (see words.py) is on whole words after normalising
case, spacing ("a s s"), stretched letters ("asssss"), look-alike and leet characters ("@$$", "sh1t",
Cyrillic "а"), zero-width characters and spelled-out punctuation ("a.s.s"). A plain pattern also
catches its plural ("asses", "you idiots"), never a longer word ("assess", "Scunthorpe").
`to_dict` writes the flat form (every rule under "words"); `from_dict(to_dict(r)) == r`.

Masking replaces every character of a caught word in the original text with "•" (same length, so
the rest of the message and its offsets are unchanged): "what the fuck" -> "what the ••••".
"""
from __future__ import annotations

import json
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from community.filters.links import find_links
from community.filters.words import WORD, WordMatcher
from community.safety.normalize import normalize

__all__ = ["ACTIONS", "Decision", "FilterRuleError", "Hit", "RuleSet", "WordRule", "check", "default_rules"]

ACTIONS = ("allow", "mask", "hold", "block")  # in increasing strength
RANK = {a: i for i, a in enumerate(ACTIONS)}
WORD_ACTIONS = ("mask", "hold", "block")
LINK_ACTIONS = ("hold", "block")
MAX_RULES = 500
MAX_ALLOW = 1000
MAX_PATTERN = 100
MAX_REASON = 300
DATA = Path(__file__).resolve().parent / "data" / "default_rules.json"

FLOOD_REASON = "You're sending messages quickly. Please wait a few seconds and try again."
DUPLICATE_REASON = "This looks the same as a message you just sent."
LINK_REASONS = {
    "hold": "Links open up after your first few days here; a moderator will take a look.",
    "block": "Links open up after your first few days here. Please share it again then.",
}


class FilterRuleError(ValueError):
    """Rule data that can't be used; the message says what is wrong, for the admin who wrote it."""


def _check_text(value, what: str, limit: int, *, empty: bool = False) -> str:
    if not isinstance(value, str):
        raise FilterRuleError(f"{what} must be text, not {type(value).__name__}")
    if not empty and not value.strip():
        raise FilterRuleError(f"{what} is empty")
    if len(value) > limit:
        raise FilterRuleError(f"{what} is longer than {limit} characters")
    return value


@dataclass(frozen=True)
class WordRule:
    pattern: str  # a word or a phrase, written plainly; a trailing "*" also catches longer words
    action: str   # "mask" | "hold" | "block"
    reason: str = ""  # shown to the author for block/hold

    def __post_init__(self):
        _check_text(self.pattern, "pattern", MAX_PATTERN)
        body = self.pattern.strip()
        if "*" in body[:-1] or not WORD.search(normalize(body.rstrip("*")).text):
            raise FilterRuleError(f"pattern {self.pattern!r} needs letters, and '*' only at its end")
        if self.action not in WORD_ACTIONS:
            raise FilterRuleError(f"pattern {self.pattern!r}: unknown action {self.action!r} "
                                  "(use mask, hold or block)")
        _check_text(self.reason, f"reason of {self.pattern!r}", MAX_REASON, empty=True)


_NUMBERS = {  # field -> smallest value allowed
    "new_member_days": 0, "flood_count": 0, "flood_seconds": 1, "duplicate_window": 0}
_TOP_KEYS = {"comment", "purpose", "sections", "words", "allow", "link_action", *_NUMBERS}


@dataclass(frozen=True)
class RuleSet:
    words: tuple[WordRule, ...] = ()
    allow: tuple[str, ...] = ()   # words never caught, e.g. "scunthorpe", "assess"
    new_member_days: int = 3      # members newer than this can't post links
    link_action: str = "hold"     # what a link from a new member gets ("hold" or "block")
    flood_count: int = 5          # this many messages or more ... (0: no group rule; the app-wide chat limit still applies)
    flood_seconds: int = 10       # ... within this many seconds is flooding
    duplicate_window: int = 3     # the same text as one of the author's last N messages is a duplicate

    def __post_init__(self):
        for name in ("words", "allow"):  # lists would make the rule set unhashable
            value = getattr(self, name)
            if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
                raise FilterRuleError(f"{name} must be a list")
            object.__setattr__(self, name, tuple(value))
        if len(self.words) > MAX_RULES:
            raise FilterRuleError(f"there are {len(self.words)} rules; the most allowed is {MAX_RULES}")
        for n, rule in enumerate(self.words):
            if not isinstance(rule, WordRule):
                raise FilterRuleError(f"words[{n}] is not a WordRule")
        if len(self.allow) > MAX_ALLOW:
            raise FilterRuleError(f"the allow-list has {len(self.allow)} words; the most allowed is {MAX_ALLOW}")
        for n, word in enumerate(self.allow):
            _check_text(word, f"allow[{n}]", MAX_PATTERN)
            if len(WORD.findall(normalize(word).text)) != 1:
                raise FilterRuleError(f"allow[{n}] {word!r} must be a single word")
        for name, least in _NUMBERS.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise FilterRuleError(f"{name} must be a whole number, not {value!r}")
            if value < least:
                raise FilterRuleError(f"{name} must be at least {least}, not {value}")
        if self.link_action not in LINK_ACTIONS:
            raise FilterRuleError(f"link_action must be hold or block, not {self.link_action!r}")

    @classmethod
    def from_dict(cls, data: dict) -> RuleSet:
        if not isinstance(data, dict):
            raise FilterRuleError(f"rules must be an object, not {type(data).__name__}")
        unknown = sorted(set(data) - _TOP_KEYS)
        if unknown:
            raise FilterRuleError(f"unknown setting {unknown[0]!r}")
        words: list[WordRule] = []
        sections = _list(data, "sections")
        for s, section in enumerate(sections):
            where = f"sections[{s}]"
            if not isinstance(section, dict):
                raise FilterRuleError(f"{where} must be an object")
            extra = sorted(set(section) - {"purpose", "comment", "action", "reason", "words"})
            if extra:
                raise FilterRuleError(f"{where}: unknown key {extra[0]!r}")
            shared = {k: section[k] for k in ("action", "reason") if k in section}
            for n, item in enumerate(_list(section, "words", where)):
                words.append(_rule(item, f"{where}.words[{n}]", shared))
        for n, item in enumerate(_list(data, "words")):
            words.append(_rule(item, f"words[{n}]", {}))
        if len(words) > MAX_RULES:
            raise FilterRuleError(f"there are {len(words)} rules; the most allowed is {MAX_RULES}")
        settings = {k: data[k] for k in ("link_action", *_NUMBERS) if k in data}
        return cls(words=tuple(words), allow=tuple(_list(data, "allow")), **settings)

    def to_dict(self) -> dict:
        return {
            "words": [{"pattern": r.pattern, "action": r.action, "reason": r.reason} for r in self.words],
            "allow": list(self.allow),
            "new_member_days": self.new_member_days,
            "link_action": self.link_action,
            "flood_count": self.flood_count,
            "flood_seconds": self.flood_seconds,
            "duplicate_window": self.duplicate_window,
        }


def _list(data: dict, key: str, where: str = "") -> list:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise FilterRuleError(f"{where + '.' if where else ''}{key} must be a list")
    return value


def _rule(item, where: str, shared: dict) -> WordRule:
    if isinstance(item, str):
        item = {"pattern": item}
    if not isinstance(item, dict):
        raise FilterRuleError(f"{where} must be a pattern or an object")
    extra = sorted(set(item) - {"pattern", "action", "reason", "comment", "purpose"})
    if extra:
        raise FilterRuleError(f"{where}: unknown key {extra[0]!r}")
    fields = {**shared, **{k: item[k] for k in ("pattern", "action", "reason") if k in item}}
    for key in ("pattern", "action"):
        if key not in fields:
            raise FilterRuleError(f"{where}: missing {key!r}")
    try:
        return WordRule(**fields)
    except FilterRuleError as e:
        raise FilterRuleError(f"{where}: {e}") from None


@lru_cache(maxsize=1)
def default_rules() -> RuleSet:
    """The rule set new groups start with (data/default_rules.json)."""
    with open(DATA, encoding="utf-8") as f:
        return RuleSet.from_dict(json.load(f))


@dataclass(frozen=True)
class Hit:
    rule: str    # the rule's pattern, or "link", "flood", "duplicate"
    action: str
    reason: str
    start: int   # offsets into the original text
    end: int


@dataclass(frozen=True)
class Decision:
    action: str             # strongest action of all hits; "allow" when none
    hits: tuple[Hit, ...]
    text: str               # the original, with masked words replaced when action == "mask"
    reason: str             # the reason of the deciding hit ("" for allow/mask)


# ---- compiled rule sets -------------------------------------------------------------------------

class _Compiled:
    __slots__ = ("rules", "matcher")

    def __init__(self, rules: RuleSet):
        self.rules = rules
        self.matcher = WordMatcher([(n, r.pattern) for n, r in enumerate(rules.words)], list(rules.allow))


_by_id: dict[int, _Compiled] = {}  # fast path: the same RuleSet object again (holds it, so ids stay valid)


@lru_cache(maxsize=256)
def _compile_equal(rules: RuleSet) -> _Compiled:  # equal rule sets share one compilation
    return _Compiled(rules)


def _compiled(rules: RuleSet) -> _Compiled:
    c = _by_id.get(id(rules))
    if c is None or c.rules is not rules:
        c = _compile_equal(rules)
        if len(_by_id) >= 256:
            _by_id.clear()
        _by_id[id(rules)] = c
    return c


# ---- flood and duplicates ------------------------------------------------------------------------

_EVERYDAY = frozenset(p.strip() for p in """ok, okay, okey, kk, yes, yeah, yep, yup, yea, no, nope, nah,
    sure, thanks, thank you, thanks all, thanks everyone, thx, ty, tysm, np, lol, lmao, rofl, same, me too,
    agreed, true, nice, cool, great, wow, aww, omg, hi, hey, hello, hiya, hi all, hi everyone, hello all,
    morning, good morning, night, good night, bye, see you, see ya, congrats, congratulations, welcome,
    love it, love this, yay, hugs, sorry, oh no, ugh, hmm, same here, me neither""".split(","))
_LAUGH = re.compile(r"(?:a?h+[aeiou]+)+h?|(?:l+o+)+l+|lm+f*a+o+|x+d+|(?:ja)+j?|(?:ha|he|hi|ho)+")
_dup_keys: dict[str, str] = {}


def _dup_key(body: str, normalized: str | None = None) -> str:
    """A message as compared for duplicates: its normalised words; "" for everyday replies."""
    key = _dup_keys.get(body)
    if key is None:
        key = " ".join(WORD.findall(normalize(body).text if normalized is None else normalized))
        letters = sum(c.isalpha() for c in key)
        if letters < 4 or key in _EVERYDAY or all(_LAUGH.fullmatch(w) for w in key.split()):
            key = ""
        if len(_dup_keys) >= 4096:
            _dup_keys.clear()
        _dup_keys[body] = key
    return key


# ---- the check -----------------------------------------------------------------------------------

def check(text: str, rules: RuleSet, *, author_is_new: bool = False,
          recent: Sequence[tuple[float, str]] = (), now: float | None = None) -> Decision:
    """What happens to `text`.

    author_is_new: the author joined the group less than `rules.new_member_days` ago (the caller
    decides); their links are held or blocked. recent: the author's own recent messages in this
    group as (unix time, body), newest last, for the flood and duplicate checks; `now` defaults to
    the current time. Hits come flood, duplicate, then links and words in text order; the decision's
    reason is that of the first hit with the strongest action.
    """
    compiled = _compiled(rules)
    norm = normalize(text)
    hits: list[Hit] = []
    if recent:
        now = time.time() if now is None else now
        since = now - rules.flood_seconds
        if rules.flood_count and sum(1 for ts, _ in recent if ts > since) >= rules.flood_count:
            hits.append(Hit("flood", "block", FLOOD_REASON, 0, len(text)))
        if rules.duplicate_window:
            key = _dup_key(text, norm.text)
            window = list(recent)[-rules.duplicate_window:]
            if key and any(_dup_key(body) == key for _, body in window):
                hits.append(Hit("duplicate", "block", DUPLICATE_REASON, 0, len(text)))
    spotted: list[Hit] = []
    if author_is_new:
        reason = LINK_REASONS[rules.link_action]
        spotted.extend(Hit("link", rules.link_action, reason, s, e) for s, e in find_links(text))
    for n, start, end in compiled.matcher.find_all(text, norm):
        rule = rules.words[n]
        spotted.append(Hit(rule.pattern, rule.action, rule.reason, start, end))
    spotted.sort(key=lambda h: (h.start, h.end))
    hits.extend(spotted)
    if not hits:
        return Decision("allow", (), text, "")
    best = max(hits, key=lambda h: RANK[h.action])  # the first of the strongest
    if best.action != "mask":
        return Decision(best.action, tuple(hits), text, best.reason)
    return Decision("mask", tuple(hits), _mask(text, hits), "")


def _mask(text: str, hits: list[Hit]) -> str:
    pieces, pos = [], 0
    for h in sorted(hits, key=lambda h: h.start):
        start = max(h.start, pos)
        if h.end <= start:
            continue
        pieces.append(text[pos:start])
        pieces.append("•" * (h.end - start))
        pos = h.end
    pieces.append(text[pos:])
    return "".join(pieces)

