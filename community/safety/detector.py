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
5. Second opinion: the linear model (model.py, weights in data/model.json, trained offline on our
   own written examples) scores the message where the rules found no phrase at all, or only the
   writer's own low mood; when it is confident it raises the level (none to concern or crisis,
   concern to crisis), never lowers one. Where the rules weighed a phrase or a benign sense and set
   it aside (negation, someone else, the past, "cut the onions"), the model stays out. The rules
   give precision, the model recall for phrasings no list holds.
6. Categorize: a message still at crisis level that names a time or place, the means, or a farewell
   ([categorize] in the lexicon) also gets plan, means or goodbye, so means_or_method() holds it back.
7. Level: crisis if any crisis category is left, else concern if any concern category, else none.

Concept rules: an all_of rule with all_of_window counts only when its cues (concepts such as a time
and a word of finality) occur within that many characters of one another; needs_window likewise
keeps a needed cue near the match (the sentence before, for a follow-through like "I'm going to
make that happen").

Pure Python, standard library only; everything is compiled and loaded at import.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from community.safety.context import Doc, overlaps, trim
from community.safety.gate import hits, possible, prefixes_of
from community.safety.lexicon import (
    CATEGORIES,
    CONCERN_CATEGORIES,
    CRISIS_CATEGORIES,
    REQUIREMENTS,
    Lexicon,
    Rule,
    load_lexicon,
)
from community.safety.model import LinearModel, load_model
from community.safety.normalize import normalize

log = logging.getLogger(__name__)

LEVELS = ("none", "concern", "crisis")
_CRISIS = frozenset(CRISIS_CATEGORIES)
_CONCERN = frozenset(CONCERN_CATEGORIES)
_ORDER = {c: i for i, c in enumerate(CATEGORIES)}
# categories about the writer themself: the subject, denial and past checks apply to these
_SELF = frozenset(CRISIS_CATEGORIES) | {"hopelessness", "burden", "passive_wish"}
_DEMOTABLE = frozenset({"ideation", "intent", "plan", "means", "self_harm", "passive_wish"})
# concern the model may raise to crisis: the writer's own low mood (not a denial, someone else, harassment)
_RAISABLE = frozenset({"hopelessness", "burden", "passive_wish"})


@dataclass(frozen=True, slots=True)
class Match:
    """One piece of evidence: its category, where it is in the original text, and which rule
    ("model" when the linear model found it)."""

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
MODEL: LinearModel | None = load_model()


def means_or_method(assessment: Assessment) -> bool:
    """True when the message describes a method or means (the means, or a place to do it): the app
    holds such messages back from peers. A plan named only by its time ("tonight") is not one."""
    return "means" in assessment.categories


def _rule_matches(s: str, lex: Lexicon, doc: Doc) -> tuple[list[tuple[str, int, int, str]], bool]:
    """What the lexicon's rules find in the normalised message, after every context check:
    (category, start, end, rule id) items; and whether any phrase of theirs occurred at all (then
    the rules weighed the message, and their context checks decided)."""
    rules = lex.rules
    prefixes, status = doc.prefixes, doc.status
    keys = hits(lex.rule_index, prefixes, s, status)
    if not keys:
        return [], False

    raw: list[tuple[Rule, int, int]] = []
    for i, j in keys:
        rule = rules[i]
        if j < 0:  # co-occurrence: a quick look now; benign senses are checked below
            gates = lex.gates
            if all(possible(gates[name], prefixes, s, status) and lex.cues[name].search(s)
                   for name in rule.all_of):
                raw.append((rule, -1, -1))
            continue
        for m in rule.subs[j].regex.finditer(s):
            a, b = trim(s, m.start(), m.end())
            if a < b:
                raw.append((rule, a, b))
    if not raw:
        return [], False

    benign = doc.benign
    kept: list[tuple[str, int, int, str]] = []
    negated: list[tuple[str, int, int, str]] = []
    acts: set[str] = set()  # crisis rules that describe more than thoughts (a plan, means, an act)
    for rule, a, b in raw:
        if a < 0 and rule.all_of_window:  # every cue near one another: the span covering them
            a, b = doc.together(rule.all_of, rule.all_of_window)
            if a < 0:
                continue
            a, b = trim(s, a, b)
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
                a, b = trim(s, *max(spans))
            if a < 0 or a >= b:
                continue
        elif benign and overlaps(benign, a, b):
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
    return kept, True


def _model_match(s: str, kept: list, model: LinearModel) -> tuple[str, int, int, str] | None:
    """The model's second opinion, where the rules found nothing at all (none to concern or
    crisis) or only the writer's own low mood (concern to crisis); it never lowers a level."""
    scores = model.score(s)
    t = model.thresholds
    if scores.crisis >= t["crisis"] and scores.risk >= t["risk"]:
        allowed = CRISIS_CATEGORIES
    elif not kept and scores.risk >= t["risk"]:
        allowed = CONCERN_CATEGORIES
    else:
        return None
    a, b = model.evidence(s)
    if a < 0:
        a, b = 0, len(s)
    return (model.category(s, allowed), a, b, "model")


def _model_may_raise(kept: list, weighed: bool) -> bool:
    """Whether the model may speak: not where the rules weighed a phrase and their context checks
    set it aside (negation, a benign sense, someone else, the past), and not above a crisis, a
    denial, or worry about someone else; only over nothing, or over the writer's own low mood."""
    if not kept:
        return not weighed
    return all(k[0] in _RAISABLE for k in kept)


def _assess(text: str, lex: Lexicon = LEXICON, model: LinearModel | None = MODEL) -> Assessment:
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    if not text or text.isspace():
        return NONE
    norm = normalize(text)
    s = norm.text
    prefixes = prefixes_of(s, lex.prefix_length)
    status = bytearray(len(REQUIREMENTS))  # requirement checks, shared by everything below
    doc = Doc(s, lex, prefixes, status)
    kept, weighed = _rule_matches(s, lex, doc)
    if model is not None and _model_may_raise(kept, weighed):
        found = _model_match(s, kept, model)
        # a benign sense in the message ("cut the onions", "kill the process") was the rules' to weigh
        if found is not None and (kept or not doc.benign):
            kept.append(found)

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
                    a, b = trim(s, *m.span())
                    if a < b:
                        kept.append((cat, a, b, "categorize." + cat))
                        break

    if not kept:
        return NONE
    return _assessment(norm, kept)


def _assessment(norm, kept: list[tuple[str, int, int, str]]) -> Assessment:
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


def assess_rules(text: str) -> Assessment:
    """The rules alone, without the model (for training and comparison)."""
    return _assess(text, LEXICON, None)


def rules_verdict(text: str) -> str:
    """What the rules leave to the model (for training): "crisis", "concern" (not to be raised),
    "raisable" (the writer's own low mood), "weighed" (phrases set aside: the model stays out) or
    "none" (nothing found)."""
    s = normalize(text if isinstance(text, str) else str(text)).text
    doc = Doc(s, LEXICON, prefixes_of(s, LEXICON.prefix_length), bytearray(len(REQUIREMENTS)))
    kept, weighed = _rule_matches(s, LEXICON, doc)
    if any(k[0] in _CRISIS for k in kept):
        return "crisis"
    if kept:
        return "raisable" if _model_may_raise(kept, weighed) else "concern"
    return "weighed" if weighed or doc.benign else "none"


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
