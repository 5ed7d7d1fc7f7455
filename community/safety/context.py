"""The context checks of one message (negation, hyperbole, past and resolved, who it is about),
each computed at most once: see detector.py for how they are used."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from community.safety.gate import hits, possible
from community.safety.lexicon import Lexicon, Rule

_WORD = re.compile(r"[a-z0-9]+")
_TRIM = " \t\n\r.,;:!?'\"()[]{}-_*~/"
_QUOTE = re.compile(r"[\"':]")
# inside a match: someone else's ("his car") and not the writer's ("my arms")
_THEIRS = re.compile(r"\b(?:his|her|their|himself|herself|themselves)\b")
_MINE = re.compile(r"\b(?:i|im|me|my|myself|mine)\b")


def overlaps(spans: list[tuple[int, int]], a: int, b: int) -> bool:
    return any(x < b and a < y for x, y in spans)


def trim(s: str, a: int, b: int) -> tuple[int, int]:
    while a < b and s[a] in _TRIM:
        a += 1
    while b > a and s[b - 1] in _TRIM:
        b -= 1
    return a, b


class Doc:
    """One normalised message and what the context checks need of it, each computed once."""

    __slots__ = ("s", "lex", "ctx", "_benign", "prefixes", "status", "_clauses", "_sentences", "_words", "_cache")

    def __init__(self, s: str, lex: Lexicon, prefixes: set[str], status: bytearray):
        self.s = s
        self.prefixes = prefixes
        self.status = status
        self.lex = lex
        self.ctx = lex.context
        self._benign: list[tuple[int, int]] | None = None
        self._clauses: tuple[list[int], list[int]] | None = None
        self._sentences: tuple[list[int], list[int]] | None = None
        self._words: list[int] | None = None
        self._cache: dict = {}

    @property
    def benign(self) -> list[tuple[int, int]]:
        """Spans of benign senses ("dying to see it", "kill the process"), found on first need."""
        if self._benign is None:
            lex, s = self.lex, self.s
            found: list[tuple[int, int]] = []
            for k in hits(lex.benign_index, self.prefixes, s, self.status):
                found.extend(m.span() for m in lex.benign[k].regex.finditer(s))
            self._benign = found
        return self._benign

    # boundaries
    @staticmethod
    def _marks(regex: re.Pattern, s: str) -> tuple[list[int], list[int]]:
        starts, ends = [], []
        for m in regex.finditer(s):
            starts.append(m.start())
            ends.append(m.end())
        return starts, ends

    def clause(self, a: int, b: int) -> tuple[int, int]:
        """Start and end of the clause around s[a:b]."""
        if self._clauses is None:
            self._clauses = self._marks(self.ctx.clause_break, self.s)
        return self._bounds(self._clauses, a, b)

    def sentence(self, a: int, b: int) -> tuple[int, int]:
        if self._sentences is None:
            self._sentences = self._marks(self.ctx.sentence_break, self.s)
        return self._bounds(self._sentences, a, b)

    def _bounds(self, marks: tuple[list[int], list[int]], a: int, b: int) -> tuple[int, int]:
        starts, ends = marks
        i = bisect_right(ends, a)  # marks ending at or before a
        lo = ends[i - 1] if i else 0
        j = bisect_left(starts, b)  # first mark starting at or after b
        hi = starts[j] if j < len(starts) else len(self.s)
        return lo, hi

    def window_start(self, lo: int, a: int, words: int) -> int:
        """Start of the `words`-th last word in s[lo:a] (lo if there are fewer)."""
        if self._words is None:
            self._words = [m.start() for m in _WORD.finditer(self.s)]
        w = self._words
        k = bisect_left(w, a)
        first = bisect_left(w, lo)
        return w[k - words] if k - words >= first else lo

    def cue(self, regex: re.Pattern, lo: int = 0, hi: int | None = None):
        """The first match of a cue in s[lo:hi] that isn't part of a benign phrase ("dying to see
        it" is no deadly word), or None."""
        for m in regex.finditer(self.s, lo, len(self.s) if hi is None else hi):
            if not self.benign or not overlaps(self.benign, m.start(), m.end()):
                return m
        return None

    def anywhere(self, name: str, regex: re.Pattern) -> bool:
        """Whether a cue occurs anywhere in the message (cached)."""
        found = self._cache.get(name)
        if found is None:
            gate = self.lex.gates.get(name)
            if not possible(gate, self.prefixes, self.s, self.status):
                found = False  # the words it needs aren't in the message: skip the regex
            else:
                found = self.cue(regex) is not None
            self._cache[name] = found
        return found

    def together(self, names, window: int) -> tuple[int, int]:
        """The first place where every cue of `names` occurs within `window` characters of a match of
        the first one (none in a benign sense): the span covering them, or (-1, -1)."""
        cues = self.lex.cues
        s = self.s
        for m in cues[names[0]].finditer(s):
            if self.benign and overlaps(self.benign, m.start(), m.end()):
                continue
            lo, hi = max(0, m.start() - window), min(len(s), m.end() + window)
            a, b = m.span()
            for name in names[1:]:
                other = self.cue(cues[name], lo, hi)
                if other is None:
                    break
                a, b = min(a, other.start()), max(b, other.end())
            else:
                return a, b
        return -1, -1

    # the checks
    def negated_cached(self, a: int, b: int) -> bool:
        key = ("neg", a, b)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self.negated(a, b)
        return found

    def negated(self, a: int, b: int) -> bool:
        """A negation among the few words before the match in its clause (not a pseudo-negation
        like "can't stop"), or a denial right after it ("... is not an option")."""
        ctx, s = self.ctx, self.s
        cs, ce = self.clause(a, b)
        if cs < a:
            lo = self.window_start(cs, a, ctx.negation_window)
            negs = [m.span() for m in ctx.negation.finditer(s, lo, a)]
            if negs:
                pseudo = [m.span() for m in ctx.pseudo_negation.finditer(s, cs, min(len(s), b + 40))]
                for na, nb in negs:
                    if not any(pa <= na and nb <= pb for pa, pb in pseudo):
                        return True
        return b < ce and ctx.post_negation.search(s, b, ce) is not None

    def hyperbole(self, a: int, b: int) -> bool:
        """A trivial condition right after the match in a message that laughs."""
        return (self.ctx.trivial_condition.match(self.s, b, b + 80) is not None
                and self.anywhere("laughing", self.ctx.laughing))

    def past(self, a: int, b: int, rule: Rule) -> bool:
        """The rule is in the past tense, a past marker is among the few words before the match,
        or its clause says when ("in high school", "years ago")."""
        if rule.tense == "past":
            return True
        ctx = self.ctx
        cs, ce = self.clause(a, b)
        if cs < a and ctx.past_marker.search(self.s, self.window_start(cs, a, ctx.past_window), a):
            return True
        return ctx.distant_past.search(self.s, cs, ce) is not None

    def resolved(self, a: int, b: int, rule: Rule) -> bool:
        """Said in the past, with a distant time or recovery in the message, and nothing recent
        ("last night", "again") in the match's own clause."""
        ctx = self.ctx
        if not self.past(a, b, rule):
            return False
        if not (self.anywhere("distant_past", ctx.distant_past) or self.anywhere("resolved", ctx.resolved)):
            return False
        cs, ce = self.clause(a, b)
        return ctx.recent.search(self.s, cs, ce) is None

    def _people(self, ss: int, se: int):
        """The person cues of the sentence s[ss:se] (cached): first-person starts, (start, end,
        "second"/"third") for the others, and the ends of reported speech followed by a quote."""
        key = ("people", ss)
        found = self._cache.get(key)
        if found is None:
            firsts: list[int] = []
            others: list[tuple[int, int, str]] = []
            reported: list[int] = []
            for m in self.ctx.people.finditer(self.s, ss, se):  # one pass for all four lists
                kind = m.lastgroup
                if kind == "f":
                    firsts.append(m.start())
                elif kind == "s":
                    others.append((m.start(), m.end(), "second"))
                else:  # reported speech names a third person too ("she said")
                    others.append((m.start(), m.end(), "third"))
                    if kind == "r":
                        reported.append(m.end())
            found = self._cache[key] = (firsts, others, reported)
        return found

    def someone_named(self, a: int, b: int) -> bool:
        """Whether a third person is named before the match in its sentence, or in the match
        itself (for third-party rules: "my dad sent me what sounded like a goodbye")."""
        ss, se = self.sentence(a, b)
        _, others, reported = self._people(ss, se)
        if any(who == "third" and start < b for start, _, who in others):
            return True
        return any(end <= a and _QUOTE.search(self.s, end, a) for end in reported)

    def subject(self, a: int, b: int) -> str | None:
        """Who the match is about: "first", "second" or "third" person, from the last subject
        named before it (or, for the first person, in it) within its sentence; reported speech in
        quotes is third. None when no subject is named."""
        s = self.s
        ss, se = self.sentence(a, b)
        firsts, others, reported = self._people(ss, se)
        last: tuple[int, str | None] = (-1, None)
        for start in firsts:
            if start < b and start > last[0]:
                last = (start, "first")
        for start, _end, who in others:  # a cue may run into the match ("we're gonna| end it")
            if last[0] < start < a:
                last = (start, who)
        if any(end <= a and _QUOTE.search(s, end, a) for end in reported):
            return "third"
        if last[0] < a and _MINE.search(s, a, b) is None and _THEIRS.search(s, a, b):
            return "third"  # "sitting in his car in the garage": the match itself is about someone else
        return last[1]

