"""The cheap first look: which rules and cue lists can match at all, from the beginnings of the
message's words (the lexicon indexes each phrase by a word it can't match without)."""
from __future__ import annotations

import re

from community.safety.lexicon import REQUIREMENTS, PhraseIndex

_TOKEN = re.compile(r"[a-z0-9]+|[^a-z0-9\s]")
_PREFIX_CACHE: dict[str, tuple[str, ...]] = {}
_PREFIX_CACHE_LIMIT = 100_000


def word_prefixes(w: str, longest: int) -> tuple[str, ...]:
    """The beginnings of one word (cached: chat repeats its words); for long words also of the
    words they might hide ("killmyself")."""
    found = _PREFIX_CACHE.get(w)
    if found is None:
        n = len(w)
        out = [w[:k] for k in range(1, min(n, longest) + 1)]
        if n >= 9:
            for i in range(2, n - 2):
                rest = w[i:]
                out.extend(rest[:k] for k in range(3, min(n - i, longest) + 1))
        found = tuple(out)
        if len(_PREFIX_CACHE) < _PREFIX_CACHE_LIMIT:
            _PREFIX_CACHE[w] = found
    return found


def prefixes_of(s: str, longest: int) -> set[str]:
    """Every beginning (up to `longest` characters) of every word and symbol in s."""
    out: set[str] = set()
    for w in set(_TOKEN.findall(s)):
        out.update(word_prefixes(w, longest))
    return out


def met(n: int, prefixes: set[str], text: str, status: bytearray) -> bool:
    """Whether the text meets requirement n (remembered in status: 0 unknown, 1 met, 2 not)."""
    v = status[n]
    if not v:
        r = REQUIREMENTS[n]
        v = status[n] = 1 if (not r.words.isdisjoint(prefixes)
                              or (r.short is not None and r.short.search(text) is not None)) else 2
    return v == 1


def possible(gate: int | None, prefixes: set[str], text: str, status: bytearray) -> bool:
    """Whether a cue list can match at all (its gate requirement is met), cheaply."""
    return gate is None or met(gate, prefixes, text, status)


def hits(index: PhraseIndex, prefixes: set[str], text: str, status: bytearray) -> list:
    """Keys of the index whose every requirement the text meets."""
    keys = set(index.always)
    by_word = index.by_word
    for p in index.words.intersection(prefixes):
        keys.update(by_word[p])
    if not keys:
        return []
    out = []
    requires = index.requires
    for k in keys:
        for n in requires[k]:
            v = status[n]
            if not v:
                r = REQUIREMENTS[n]
                v = status[n] = 1 if (not r.words.isdisjoint(prefixes)
                                      or (r.short is not None and r.short.search(text) is not None)) else 2
            if v == 2:
                break
        else:
            out.append(k)
    return out

