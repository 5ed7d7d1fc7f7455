"""The crisis-language detector: `assess(text) -> Assessment`.

1. Normalise the text (normalize.py), keeping a map back to the original offsets.
2. Gate: only rules whose anchor words occur in the text are tried (the lexicon picks, for each
   phrase, a word it can't match without).
3. Each rule's phrases are matched; every match then goes through the context checks, all driven
   by lists in lexicon.toml:
   - benign senses (idioms, games, cooking, technical, titles, grief, prevention): a match that
     overlaps one is dropped;
   - the rule's own `needs` (a cue somewhere in the message, or within `needs_window` characters) and `unless` (no cue near the match);
   - negation ("I would never kill myself"): a negation cue among the few words before the match
     in the same clause, not part of a pseudo-negation ("can't stop", "not gonna lie"), or a
     denial right after it ("... is not an option");
   - joking hyperbole: laughter in the message and a trivial "if ..." right after the match;
   - past and resolved: said in the past tense, with a distant time ("years ago", "as a teen") or
     a recovery cue ("I'm doing well now") in the message, and nothing recent ("last night");
   - someone else: the last subject before the match in its sentence is a third person ("my friend
     is suicidal") or it's reported speech -> third_party (concern) instead; "you" -> dropped
     ("if you feel suicidal, call 988"). Third-party rules only count about a third person.
4. Denial: a negated crisis match in a message that talks about the thoughts, or thoughts alone
   (ideation, urges: rules with thought_only) in a message that says they won't be acted on,
   become denial_with_thoughts (concern).
5. Categorize: a message still at crisis level that names a time or place, the means, or a farewell
   ([categorize] in the lexicon) also gets plan, means or goodbye, so means_or_method() holds it back.
6. Level: crisis if any crisis category is left, else concern if any concern category, else none.

Concept rules: an all_of rule with all_of_window counts only when its cues (concepts such as a time
and a word of finality) occur within that many characters of one another; needs_window likewise
keeps a needed cue near the match (the sentence before, for a follow-through like "I'm going to
make that happen").

Pure Python, standard library only; everything is compiled at import.
"""
from __future__ import annotations

import logging
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from community.safety.lexicon import (
    CATEGORIES,
    CONCERN_CATEGORIES,
    CRISIS_CATEGORIES,
    REQUIREMENTS,
    Lexicon,
    PhraseIndex,
    Rule,
    load_lexicon,
)
from community.safety.normalize import normalize

log = logging.getLogger(__name__)

LEVELS = ("none", "concern", "crisis")
_CRISIS = frozenset(CRISIS_CATEGORIES)
_CONCERN = frozenset(CONCERN_CATEGORIES)
_ORDER = {c: i for i, c in enumerate(CATEGORIES)}
# categories about the writer themself: the subject, denial and past checks apply to these
_SELF = frozenset(CRISIS_CATEGORIES) | {"hopelessness", "burden", "passive_wish"}
_DEMOTABLE = frozenset({"ideation", "intent", "plan", "means", "self_harm", "passive_wish"})

_WORD = re.compile(r"[a-z0-9]+")
_TOKEN = re.compile(r"[a-z0-9]+|[^a-z0-9\s]")
_TRIM = " \t\n\r.,;:!?'\"()[]{}-_*~/"
_QUOTE = re.compile(r"[\"':]")
# inside a match: someone else's ("his car") and not the writer's ("my arms")
_THEIRS = re.compile(r"\b(?:his|her|their|himself|herself|themselves)\b")
_MINE = re.compile(r"\b(?:i|im|me|my|myself|mine)\b")


@dataclass(frozen=True, slots=True)
class Match:
    """One piece of evidence: its category, where it is in the original text, and which rule."""

    category: str
    span: tuple[int, int]
    rule: str


@dataclass(frozen=True, slots=True)
class Assessment:
    level: str
    categories: tuple[str, ...] = ()
    matches: tuple[Match, ...] = ()

    def __bool__(self) -> bool:  # truthy when anything was found
        return self.level != "none"


NONE = Assessment("none")

LEXICON: Lexicon = load_lexicon()


def means_or_method(assessment: Assessment) -> bool:
    """True when the message describes a method or means (the means, or a place to do it): the app
    holds such messages back from peers. A plan named only by its time ("tonight") is not one."""
    return "means" in assessment.categories


# --- context checks ---------------------------------------------------------------------------------
def _overlaps(spans: list[tuple[int, int]], a: int, b: int) -> bool:
    return any(x < b and a < y for x, y in spans)


def _trim(s: str, a: int, b: int) -> tuple[int, int]:
    while a < b and s[a] in _TRIM:
        a += 1
    while b > a and s[b - 1] in _TRIM:
        b -= 1
    return a, b


class _Doc:
    """One normalised message and what the context checks need of it, each computed once."""

    __slots__ = ("s", "lex", "ctx", "benign", "prefixes", "status", "_clauses", "_sentences", "_words", "_cache")

    def __init__(self, s: str, lex: Lexicon, benign: list[tuple[int, int]], prefixes: set[str], status: bytearray):
        self.s = s
        self.prefixes = prefixes
        self.status = status
        self.lex = lex
        self.ctx = lex.context
        self.benign = benign
        self._clauses: tuple[list[int], list[int]] | None = None
        self._sentences: tuple[list[int], list[int]] | None = None
        self._words: list[int] | None = None
        self._cache: dict = {}

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
            if not self.benign or not _overlaps(self.benign, m.start(), m.end()):
                return m
        return None

    def anywhere(self, name: str, regex: re.Pattern) -> bool:
        """Whether a cue occurs anywhere in the message (cached)."""
        found = self._cache.get(name)
        if found is None:
            gate = self.lex.gates.get(name)
            if not _possible(gate, self.prefixes, self.s, self.status):
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
            if self.benign and _overlaps(self.benign, m.start(), m.end()):
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


# --- the detector ---------------------------------------------------------------------------------
_PREFIX_CACHE: dict[str, tuple[str, ...]] = {}
_PREFIX_CACHE_LIMIT = 100_000


def _word_prefixes(w: str, longest: int) -> tuple[str, ...]:
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


def _prefixes(s: str, longest: int) -> set[str]:
    """Every beginning (up to `longest` characters) of every word and symbol in s."""
    out: set[str] = set()
    for w in set(_TOKEN.findall(s)):
        out.update(_word_prefixes(w, longest))
    return out


def _met(n: int, prefixes: set[str], text: str, status: bytearray) -> bool:
    """Whether the text meets requirement n (remembered in status: 0 unknown, 1 met, 2 not)."""
    v = status[n]
    if not v:
        r = REQUIREMENTS[n]
        v = status[n] = 1 if (not r.words.isdisjoint(prefixes)
                              or (r.short is not None and r.short.search(text) is not None)) else 2
    return v == 1


def _possible(gate: int | None, prefixes: set[str], text: str, status: bytearray) -> bool:
    """Whether a cue list can match at all (its gate requirement is met), cheaply."""
    return gate is None or _met(gate, prefixes, text, status)


def _hits(index: PhraseIndex, prefixes: set[str], text: str, status: bytearray) -> list:
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


def _assess(text: str, lex: Lexicon = LEXICON) -> Assessment:
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    if not text or text.isspace():
        return NONE
    norm = normalize(text)
    s = norm.text
    rules = lex.rules
    prefixes = _prefixes(s, lex.prefix_length)
    status = bytearray(len(REQUIREMENTS))  # requirement checks, shared by everything below
    keys = _hits(lex.rule_index, prefixes, s, status)
    if not keys:
        return NONE

    raw: list[tuple[Rule, int, int]] = []
    for i, j in keys:
        rule = rules[i]
        if j < 0:  # co-occurrence: a quick look now; benign senses are checked below
            gates = lex.gates
            if all(_possible(gates[name], prefixes, s, status) and lex.cues[name].search(s)
                   for name in rule.all_of):
                raw.append((rule, -1, -1))
            continue
        for m in rule.subs[j].regex.finditer(s):
            a, b = _trim(s, m.start(), m.end())
            if a < b:
                raw.append((rule, a, b))
    if not raw:
        return NONE

    benign: list[tuple[int, int]] = []
    for k in _hits(lex.benign_index, prefixes, s, status):
        benign.extend(m.span() for m in lex.benign[k].regex.finditer(s))
    doc = _Doc(s, lex, benign, prefixes, status)
    kept: list[tuple[str, int, int, str]] = []
    negated: list[tuple[str, int, int, str]] = []
    acts: set[str] = set()  # crisis rules that describe more than thoughts (a plan, means, an act)
    for rule, a, b in raw:
        if a < 0 and rule.all_of_window:  # every cue near one another: the span covering them
            a, b = doc.together(rule.all_of, rule.all_of_window)
            if a < 0:
                continue
            a, b = _trim(s, a, b)
            if a >= b:
                continue
        elif a < 0:  # every cue somewhere in the message (not in a benign sense); the last cue's span
            spans = []
            for name in rule.all_of:
                m = doc.cue(lex.cues[name])
                if m is None:
                    break
                spans.append(m.span())
            else:
                a, b = _trim(s, *max(spans))
            if a < 0 or a >= b:
                continue
        elif benign and _overlaps(benign, a, b):
            continue
        if rule.needs:
            if not any(doc.anywhere(n, lex.cues[n]) for n in rule.needs):
                continue
            if rule.needs_window:  # near the match: this sentence or the one before ("... I'm dead. I'll make it happen")
                lo, hi = max(0, a - rule.needs_window), min(len(s), b + rule.needs_window)
                if not any(doc.cue(lex.cues[n], lo, hi) for n in rule.needs):
                    continue
        if rule.unless:
            lo, hi = max(0, a - rule.unless_window), min(len(s), b + rule.unless_window)
            if any(doc.cue(lex.cues[n], lo, hi) for n in rule.unless):
                continue
        category = rule.category
        if rule.negatable and doc.negated_cached(a, b):
            negated.append((category, a, b, rule.id))
            continue
        if category in _SELF or category == "third_party":
            if category in _CRISIS and doc.hyperbole(a, b):
                continue
            if doc.resolved(a, b, rule):
                continue
        if rule.subject and (category in _SELF or category == "third_party"):
            if category == "third_party":
                if not doc.someone_named(a, b):  # "is suicidal" said of the writer, or of nobody
                    continue
            else:
                who = doc.subject(a, b)
                if who == "second":  # "if you feel suicidal, call 988": about the reader
                    continue
                if who == "third":
                    category = "third_party"
        if category in _CRISIS and not rule.thought_only:
            acts.add(rule.id)
        kept.append((category, a, b, rule.id))

    # denial: thoughts acknowledged, acting on them denied
    ctx = lex.context
    if negated and doc.anywhere("thoughts", ctx.thoughts):
        for category, a, b, rid in negated:
            if category in _DEMOTABLE:
                kept.append(("denial_with_thoughts", a, b, rid))
    # thoughts only (ideation, urges), said not to be acted on: denial with thoughts
    if not acts and any(k[0] in _CRISIS for k in kept) and doc.anywhere("denial", ctx.denial):
        kept = [("denial_with_thoughts", a, b, rid) if c in _CRISIS else (c, a, b, rid)
                for c, a, b, rid in kept]

    # a crisis message that names a time or a place is a plan, one that names the means is means
    # ([categorize] in the lexicon): the app holds back messages with a method or means
    if lex.categorize and any(k[0] in _CRISIS for k in kept):
        have = {k[0] for k in kept}
        for cat, names in lex.categorize:
            if cat in have:
                continue
            for name in names:
                if doc.anywhere(name, lex.cues[name]):
                    m = doc.cue(lex.cues[name])
                    a, b = _trim(s, *m.span())
                    if a < b:
                        kept.append((cat, a, b, "categorize." + cat))
                        break

    if not kept:
        return NONE
    kept.sort(key=lambda k: (k[1], k[2], _ORDER[k[0]], k[3]))
    matches = []
    seen = set()
    for item in kept:
        if item in seen:
            continue
        seen.add(item)
        category, a, b, rid = item
        matches.append(Match(category, norm.span(a, b), rid))
    categories = tuple(sorted({m.category for m in matches}, key=_ORDER.__getitem__))
    level = "crisis" if any(c in _CRISIS for c in categories) else "concern"
    return Assessment(level, categories, tuple(matches))


_FALLBACK = re.compile(r"suicid|kill\W*(?:my\W*self|me\b)|\bkms\b|end\W*(?:my\W*life|it\W*all)|want\W*to\W*die")


def assess(text: str) -> Assessment:
    """Assess one message. Never raises: should anything go wrong inside, a plain keyword check
    decides (crisis on the clearest words), and the error is logged."""
    try:
        return _assess(text)
    except Exception:  # noqa: BLE001 - a safety check must answer
        log.exception("safety assess failed; using the keyword fallback")
        if isinstance(text, str) and _FALLBACK.search(text.lower()):  # str.lower and one regex: can't fail
            return Assessment("crisis", ("ideation",), ())
        return NONE
