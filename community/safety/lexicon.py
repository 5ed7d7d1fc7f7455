"""Reads data/lexicon.toml and builds the Lexicon the detector runs on: the rules, cue lists,
benign senses and context lists, each compiled by phrases.py and indexed by the words they need.

Everything is compiled once, at import. Only the standard library.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from community.safety.phrases import (  # noqa: F401 - REQUIREMENTS, Requirement, parse_phrase are used by importers
    PREFIX_LENGTH,
    REQUIREMENTS,
    LexiconError,
    Requirement,
    _Compiler,
    parse_phrase,
    requirement,
    requirement_cost,
)

LEXICON_PATH = Path(__file__).resolve().parent / "data" / "lexicon.toml"

CRISIS_CATEGORIES = ("ideation", "intent", "plan", "means", "self_harm", "in_progress", "goodbye")
CONCERN_CATEGORIES = ("hopelessness", "burden", "passive_wish", "denial_with_thoughts", "third_party", "harassment")
CATEGORIES = CRISIS_CATEGORIES + CONCERN_CATEGORIES


@dataclass(frozen=True)
class Sub:
    """One compiled alternative of a phrase, with what a text must contain to match it."""

    regex: re.Pattern
    requires: tuple[Requirement, ...]


@dataclass(frozen=True)
class PhraseIndex:
    """Which subs to try for a text: each is filed under the words of its rarest requirement, and
    tried only when the text meets all of its requirements."""

    by_word: dict  # word -> tuple of keys
    words: frozenset  # the words of by_word
    always: tuple  # keys with no usable requirement
    requires: dict  # key -> tuple of requirement numbers (see REQUIREMENTS)

    @staticmethod
    def build(items: list[tuple[object, tuple[Requirement, ...]]]) -> PhraseIndex:
        by_word: dict[str, list] = {}
        always = []
        for key, reqs in items:
            if not reqs:
                always.append(key)
                continue
            for w in min(reqs, key=requirement_cost).words:
                by_word.setdefault(w, []).append(key)
        requires = {k: tuple(sorted((r.number for r in reqs), key=lambda n: requirement_cost(REQUIREMENTS[n])))
                    for k, reqs in items}
        return PhraseIndex({w: tuple(v) for w, v in by_word.items()}, frozenset(by_word), tuple(always), requires)


@dataclass(frozen=True)
class Rule:
    id: str
    category: str
    subs: tuple[Sub, ...]  # empty for a co-occurrence rule (all_of)
    needs: tuple[str, ...] = ()
    needs_window: int = 0  # 0: a needed cue anywhere in the message; else within this many characters
    unless: tuple[str, ...] = ()
    unless_window: int = 80
    all_of: tuple[str, ...] = ()
    all_of_window: int = 0  # 0: the all_of cues anywhere in the message; else all within this many characters
    tense: str = "present"
    negatable: bool = True
    subject: bool = True
    thought_only: bool = False
    patterns: tuple[str, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Context:
    clause_break: re.Pattern
    sentence_break: re.Pattern
    negation: re.Pattern
    pseudo_negation: re.Pattern
    post_negation: re.Pattern
    negation_window: int
    people: re.Pattern  # reported_speech, first, second and third person in one pass (groups r, f, s, t)
    first_person: re.Pattern
    second_person: re.Pattern
    third_person: re.Pattern
    reported_speech: re.Pattern
    past_marker: re.Pattern
    past_window: int
    distant_past: re.Pattern
    resolved: re.Pattern
    recent: re.Pattern
    denial: re.Pattern
    thoughts: re.Pattern
    laughing: re.Pattern
    trivial_condition: re.Pattern


@dataclass(frozen=True)
class Lexicon:
    rules: tuple[Rule, ...]
    rule_index: PhraseIndex  # keys: (rule number, sub number); sub -1 for a co-occurrence rule
    cues: dict  # name -> compiled regex
    benign: tuple[Sub, ...]
    benign_index: PhraseIndex  # keys: benign sub numbers
    benign_sections: tuple[str, ...]
    context: Context
    gates: dict  # cue or context list name -> number of a requirement any match meets (None: can't be gated)
    prefix_length: int  # word beginnings up to this length are looked up
    # (category, cue names): a crisis message with one of the cues also gets the category ("tonight" -> plan)
    categorize: tuple = ()


_RULE_KEYS = {"id", "category", "patterns", "needs", "needs_window", "unless", "all_of_window", "unless_window", "all_of", "tense",
              "negatable", "subject", "thought_only", "note"}
_CONTEXT_LISTS = ("clause_breaks", "negation", "pseudo_negation", "post_negation", "first_person",
                  "second_person", "third_person", "reported_speech", "past_markers", "distant_past", "resolved", "recent",
                  "denial", "thoughts", "laughing", "trivial_condition")


def _alternation(compiler: _Compiler, phrases, where: str) -> re.Pattern:
    if not isinstance(phrases, list) or not phrases:
        raise LexiconError(f"{where} must be a non-empty list of phrases")
    trees = []
    for p in phrases:
        try:
            trees.append(parse_phrase(p))
        except LexiconError as e:
            raise LexiconError(f"{where}: {e}") from None
    # one guarded group for the whole list: far quicker to scan than one guard per phrase
    return re.compile(compiler.pattern(("alt", [seq for tree in trees for seq in tree[1]], False)))


def compile_lexicon(data: dict) -> Lexicon:
    slots = data.get("slots", {})
    if not isinstance(slots, dict):
        raise LexiconError("[slots] must be a table of lists")
    compiler = _Compiler(slots)
    for name in slots:
        compiler.slot(name)

    cues_src = data.get("cues", {})
    cues = {name: _alternation(compiler, phrases, f"[cues] {name}") for name, phrases in cues_src.items()}
    def gate_words(phrases) -> frozenset[str] | None:
        """Words one of the phrases must start with (each phrase's rarest requirement), or None."""
        acc: set[str] | None = set()
        for p in phrases:
            for _, reqs in compiler.compile_phrase(p):
                acc = None if (not reqs or acc is None) else acc | min(reqs, key=requirement_cost).words
        return frozenset(acc) if acc is not None else None

    cue_words = {name: gate_words(phrases) for name, phrases in cues_src.items()}

    def gate(phrases) -> int | None:
        """A requirement any match of the list meets (the union of each alternative's rarest
        requirement): when the text doesn't meet it, the list's regex needn't run. None: can't be gated."""
        words = gate_words(phrases)
        return requirement(words).number if words else None

    gates: dict[str, int | None] = {name: gate(phrases) for name, phrases in cues_src.items()}

    ctx_src = data.get("context", {})
    missing = [k for k in _CONTEXT_LISTS if k not in ctx_src]
    if missing:
        raise LexiconError(f"[context] lacks {', '.join(missing)}")

    def ctx(name):
        return _alternation(compiler, ctx_src[name], f"[context] {name}")

    for name in ("distant_past", "resolved", "recent", "thoughts", "denial", "laughing"):
        gates[name] = gate(ctx_src.get(name, []))

    # punctuation always ends a clause; the file adds words ("but", "because", ...)
    clause_break = re.compile(r"[.!?;,:\n\u2026]+|" + ctx("clause_breaks").pattern)
    sentence_break = re.compile(r"[.!?\n]+")
    people = re.compile("|".join(f"(?P<{g}>{ctx(name).pattern})" for g, name in (
        ("r", "reported_speech"), ("f", "first_person"), ("s", "second_person"), ("t", "third_person"))))
    context = Context(
        people=people, clause_break=clause_break, sentence_break=sentence_break, negation=ctx("negation"),
        pseudo_negation=ctx("pseudo_negation"), post_negation=ctx("post_negation"),
        negation_window=int(ctx_src.get("negation_window", 5)), first_person=ctx("first_person"),
        second_person=ctx("second_person"), third_person=ctx("third_person"), reported_speech=ctx("reported_speech"),
        past_marker=ctx("past_markers"), past_window=int(ctx_src.get("past_window", 4)),
        distant_past=ctx("distant_past"), resolved=ctx("resolved"), recent=ctx("recent"),
        denial=ctx("denial"), thoughts=ctx("thoughts"), laughing=ctx("laughing"),
        trivial_condition=re.compile(r"[^a-z0-9]{0,6}(?:" + ctx("trivial_condition").pattern + ")"),
    )

    benign_src = data.get("benign", {})
    benign: list[Sub] = []
    for section, phrases in benign_src.items():
        _alternation(compiler, phrases, f"[benign] {section}")  # checks the list
        for p in phrases:
            benign.extend(Sub(r, q) for r, q in compiler.compile_phrase(p))

    rules: list[Rule] = []
    seen: set[str] = set()
    for raw in data.get("rule", []):
        rid = raw.get("id")
        if not isinstance(rid, str) or not rid:
            raise LexiconError(f"a [[rule]] without an id: {raw!r}")
        if rid in seen:
            raise LexiconError(f"rule id {rid!r} is used twice")
        seen.add(rid)
        unknown = set(raw) - _RULE_KEYS
        if unknown:
            raise LexiconError(f"rule {rid}: unknown keys {sorted(unknown)}")
        category = raw.get("category")
        if category not in CATEGORIES:
            raise LexiconError(f"rule {rid}: category {category!r} is not one of {CATEGORIES}")
        for key in ("needs", "unless", "all_of"):
            for name in raw.get(key, []):
                if name not in cues:
                    raise LexiconError(f"rule {rid}: {key} names an unknown cue {name!r}")
        patterns = raw.get("patterns", [])
        all_of = tuple(raw.get("all_of", ()))
        if bool(patterns) == bool(all_of):
            raise LexiconError(f"rule {rid}: give either patterns or all_of")
        if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
            raise LexiconError(f"rule {rid}: patterns must be a list of strings")
        tense = raw.get("tense", "present")
        if tense not in ("present", "past"):
            raise LexiconError(f"rule {rid}: tense must be 'present' or 'past'")
        subs: list[Sub] = []
        for p in patterns:
            try:
                subs.extend(Sub(r, q) for r, q in compiler.compile_phrase(p))
            except LexiconError as e:
                raise LexiconError(f"rule {rid}: {e}") from None
        rules.append(Rule(
            id=rid, category=category, subs=tuple(subs),
            needs=tuple(raw.get("needs", ())), needs_window=int(raw.get("needs_window", 0)), unless=tuple(raw.get("unless", ())),
            unless_window=int(raw.get("unless_window", 80)), all_of=all_of,
            all_of_window=int(raw.get("all_of_window", 0)), tense=tense,
            # a co-occurrence rule's cues carry their own polarity: no negation check by default
            negatable=bool(raw.get("negatable", not all_of)), subject=bool(raw.get("subject", True)),
            thought_only=bool(raw.get("thought_only", category == "ideation")),
            patterns=tuple(patterns),
        ))
    if not rules:
        raise LexiconError("the lexicon has no [[rule]] entries")

    items: list = []
    for i, r in enumerate(rules):
        if r.all_of:
            words = cue_words[r.all_of[0]]
            items.append(((i, -1), (requirement(words),) if words else ()))
        for j, sub in enumerate(r.subs):
            items.append(((i, j), sub.requires))
    categorize = []
    for cat, names in data.get("categorize", {}).items():
        if cat not in CATEGORIES:
            raise LexiconError(f"[categorize]: {cat!r} is not a category")
        if not isinstance(names, list) or not all(n in cues for n in names):
            raise LexiconError(f"[categorize] {cat}: must be a list of [cues] names")
        categorize.append((cat, tuple(names)))
    return Lexicon(
        categorize=tuple(categorize),
        rules=tuple(rules), rule_index=PhraseIndex.build(items), cues=cues, benign=tuple(benign),
        benign_index=PhraseIndex.build([(k, b.requires) for k, b in enumerate(benign)]),
        benign_sections=tuple(benign_src), context=context, prefix_length=PREFIX_LENGTH, gates=gates,
    )


def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    with open(path, "rb") as f:
        return compile_lexicon(tomllib.load(f))
