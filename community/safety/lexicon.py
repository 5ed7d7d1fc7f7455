"""Reads data/lexicon.toml and compiles its readable phrase syntax into regular expressions.

The syntax (documented for clinicians at the top of the TOML file):

    word        a whole word                      kill
    word*       any word starting with this       suicid*  (suicide, suicidal, ...)
    #  ##       any number; a number of 10 or more  ## pills
    #year       a year (1900-2099)                  in #year
    (a|b c)     one of the alternatives           (want to|wanna) die
    [a|b c]     optional                          [really|just] want to die
    {name}      one of the phrases in [slots]     {me}
    ...  ...N   up to 4 (or N) other words, not across . ! ? or a new line
    a|b         at the top level, whole alternatives

Anything else (emoji, say) is matched literally. Words are normalised like the text they are
matched against (lower case, apostrophes dropped), so "don't" in the file matches "dont" and
"don't" in a message. Between two parts of a phrase any run of spaces and punctuation may stand
(or none, so "killmyself" matches "kill myself").

Each phrase is compiled per top-level alternative, with its "requirements": for every part it
can't do without, the words that part may start with. A message is only matched against the
alternatives whose requirements its words meet (an index finds them from the rarest requirement),
which keeps a call in the tens of microseconds with hundreds of phrases. Word lists become tries
("kill|killing|kil" -> "kil(?:l(?:ing)?)?").

Everything is compiled once, at import. Only the standard library.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from community.safety.normalize import normalize_phrase

LEXICON_PATH = Path(__file__).resolve().parent / "data" / "lexicon.toml"

CRISIS_CATEGORIES = ("ideation", "intent", "plan", "means", "self_harm", "in_progress", "goodbye")
CONCERN_CATEGORIES = ("hopelessness", "burden", "passive_wish", "denial_with_thoughts", "third_party", "harassment")
CATEGORIES = CRISIS_CATEGORIES + CONCERN_CATEGORIES

_W = "[a-z0-9]"
# between two parts of a phrase: spaces, punctuation, an ellipsis, or nothing at all ("killmyself"),
# but not the end of a sentence
_SEP = r"(?:[^a-z0-9.!?\n]|\.\.+){0,8}"
_GAP_SEP = r"[^a-z0-9.!?\n]{1,8}"  # before each skipped word: no sentence end
# Guards: a phrase starts and ends at a word boundary (\b is far cheaper than a lookbehind);
# phrases holding a symbol (an emoji) may also start or end at it.
_START, _END = r"\b", r"\b"
_START_SYM, _END_SYM = r"(?:\b|(?=[^\w\s]))", r"(?:\b|(?<=[^\w\s]))"
_DEFAULT_GAP = 4

# Words too common to be a good index key (a phrase is then filed under a rarer part of it).
_WEAK = frozenset(
    "i im ive id ill me my mine to too 2 a an the and or of in on at it its is be been am are was were "
    "so just you u do not no all for with that this these those they he she we us them her him his their "
    "have has had get got go going gonna want wanna need feel like really can cant will would could should "
    "good better nice up down out off end back time day today tonight way know think take make see say "
    "one some any every what why how when where who there here then now again still even more much very "
    "done did does being life people everyone someone thing things".split()
)


class LexiconError(ValueError):
    """The lexicon file is malformed; the message says where."""


# --- Parsing the phrase syntax -------------------------------------------------------------------
# Nodes: ("word", text, is_prefix) ("num", "#"|"##"|"#year") ("lit", text) ("slot", name) ("gap", n)
#        ("alt", [seq, ...], optional)   where a seq is a list of nodes
_TOKEN = re.compile(r"\s+|\.\.\.(\d*)|\{([a-z0-9_]+)\}|[()\[\]|]|#year|##|#|[\w'’]+\*?|[^\s()\[\]|{}#\w]+", re.UNICODE)


def _tokens(phrase: str) -> list[str]:
    out: list[str] = []
    pos = 0
    while pos < len(phrase):
        m = _TOKEN.match(phrase, pos)
        if m is None:
            raise LexiconError(f"can't read {phrase!r} at {phrase[pos:]!r}")
        if not m.group().isspace():
            out.append(m.group())
        pos = m.end()
    return out


class _Parser:
    def __init__(self, phrase: str):
        self.phrase = phrase
        self.toks = _tokens(phrase)
        self.i = 0

    def parse(self):
        node = self._alt(optional=False)
        if self.i != len(self.toks):
            raise LexiconError(f"unbalanced brackets in {self.phrase!r}")
        return node

    def _alt(self, optional: bool):
        seqs = [self._seq()]
        while self.i < len(self.toks) and self.toks[self.i] == "|":
            self.i += 1
            seqs.append(self._seq())
        return ("alt", seqs, optional)

    def _seq(self):
        seq = []
        while self.i < len(self.toks):
            t = self.toks[self.i]
            if t in ("|", ")", "]"):
                break
            self.i += 1
            if t in ("(", "["):
                node = self._alt(optional=(t == "["))
                close = ")" if t == "(" else "]"
                if self.i >= len(self.toks) or self.toks[self.i] != close:
                    raise LexiconError(f"missing {close!r} in {self.phrase!r}")
                self.i += 1
                seq.append(node)
            elif t.startswith("{"):
                seq.append(("slot", t[1:-1]))
            elif t.startswith("..."):
                seq.append(("gap", int(t[3:]) if t[3:] else _DEFAULT_GAP))
            elif t in ("#", "##", "#year"):
                seq.append(("num", t))
            elif re.fullmatch(r"[\w'’]+\*?", t):
                prefix = t.endswith("*")
                word = normalize_phrase(t.rstrip("*"))
                for k, part in enumerate(word.split()):  # a normalised word may split ("k i l l")
                    last = k == len(word.split()) - 1
                    seq.append(("word", part, prefix and last))
            else:
                lit = normalize_phrase(t)
                if lit and not re.fullmatch(r"[\x00-\x7f]*", lit.replace('"', "")):
                    seq.append(("lit", lit))
                elif lit.strip() in ('"', "'", ":"):
                    seq.append(("lit", lit.strip()))
                # other ASCII punctuation ("-" in "self-harm") is just a separator
        if not seq:
            raise LexiconError(f"empty alternative in {self.phrase!r}")
        return seq


def parse_phrase(phrase: str):
    if not isinstance(phrase, str) or not phrase.strip():
        raise LexiconError(f"a phrase must be a non-empty string, not {phrase!r}")
    return _Parser(phrase).parse()


# --- Compiling ---------------------------------------------------------------------------------
def _trie(words: list[str]) -> str:
    """A regex matching exactly these words, shaped as a trie."""
    root: dict = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return f"(?:{body})?" if len(branches) == 1 and len(body) > 1 else body + "?"
        return body

    return "(?:" + emit(root) + ")"


class _Compiler:
    def __init__(self, slots: dict[str, list[str]]):
        self.slot_src = slots
        self.slot_nodes: dict[str, tuple] = {}
        self.slot_regex: dict[str, str] = {}
        self._busy: set[str] = set()

    def slot(self, name: str):
        if name not in self.slot_src:
            raise LexiconError(f"unknown slot {{{name}}}")
        if name in self._busy:
            raise LexiconError(f"slot {{{name}}} refers to itself")
        if name not in self.slot_nodes:
            self._busy.add(name)
            seqs = []
            for phrase in self.slot_src[name]:
                seqs.extend(parse_phrase(phrase)[1])
            node = ("alt", seqs, False)
            self.slot_nodes[name] = node
            self.slot_regex[name] = self.node(node)
            self._busy.discard(name)
        return self.slot_nodes[name]

    def node(self, n) -> str:
        kind = n[0]
        if kind == "word":
            return re.escape(n[1]) + (f"{_W}*" if n[2] else "")
        if kind == "num":
            return {"#": "[0-9]+", "##": "[1-9][0-9]+", "#year": "(?:19|20)[0-9]{2}"}[n[1]] + "(?![a-z0-9])"
        if kind == "lit":
            return re.escape(n[1])
        if kind == "slot":
            self.slot(n[1])
            return self.slot_regex[n[1]]
        if kind == "alt":
            # single plain words go into a trie ("kill|killing|kil" -> "kil(?:l(?:ing)?)?"): a big
            # list of words is then matched letter by letter instead of word by word
            words = sorted({seq[0][1] for seq in n[1] if len(seq) == 1 and seq[0][0] == "word" and not seq[0][2]})
            others = sorted({self.seq(seq) for seq in n[1]
                             if not (len(seq) == 1 and seq[0][0] == "word" and not seq[0][2])}, key=lambda b: (-len(b), b))
            bodies = ([_trie(words)] if words else []) + others
            inner = bodies[0] if len(bodies) == 1 else "(?:" + "|".join(bodies) + ")"
            return f"(?:{inner})?" if n[2] else inner
        raise LexiconError(f"bad node {n!r}")

    def seq(self, seq) -> str:
        parts: list[str] = []
        for k, item in enumerate(seq):
            # no separator after the last part, nor before a gap (the gap brings its own)
            sep = "" if k == len(seq) - 1 or seq[k + 1][0] == "gap" else _SEP
            if item[0] == "gap":
                parts.append(f"(?:{_GAP_SEP}{_W}+){{0,{item[1]}}}" + sep)
                continue
            optional = item[0] == "alt" and item[2]
            body = self.node(("alt", item[1], False) if optional else item)
            parts.append(f"(?:{body}{sep})?" if optional else body + sep)
        return "".join(parts)

    def pattern(self, tree) -> str:
        body = self.node(tree)
        if self._has_symbol(tree):
            return _START_SYM + "(?:" + body + ")" + _END_SYM
        return _START + "(?:" + body + ")" + _END

    def _has_symbol(self, n) -> bool:
        kind = n[0]
        if kind == "lit":
            return True
        if kind == "slot":
            return self._has_symbol(self.slot(n[1]))
        if kind == "alt":
            return any(self._has_symbol(item) for seq in n[1] for item in seq)
        return False

    # anchors: the first words some mandatory part of a phrase must start with
    def first_words(self, n):
        """Set of first words the node can begin with, None if it can be empty, "ANY" if unknown."""
        kind = n[0]
        if kind == "word":
            return {n[1]}
        if kind == "lit":
            return {n[1][0]}
        if kind == "num":
            return "ANY"
        if kind == "gap":
            return None
        if kind == "slot":
            return self.first_words(self.slot(n[1]))
        if kind == "alt":
            if n[2]:
                return None
            out: set[str] = set()
            for s in n[1]:
                f = self.seq_first_words(s)
                if f is None or f == "ANY":
                    return "ANY"
                out |= f
            return out
        return "ANY"

    def seq_first_words(self, seq):
        out: set[str] = set()
        for item in seq:
            if item[0] == "gap":
                return "ANY"
            f = self.first_words(item)
            if f == "ANY":
                return "ANY"
            if f is None:  # optional: its first words, or the next part's
                inner = self.first_words(("alt", item[1], False))
                if inner == "ANY" or inner is None:
                    return "ANY"
                out |= inner
                continue
            return out | f
        return None

    def requirements(self, seq) -> list[frozenset[str]]:
        """For one alternative: the first-word sets of its mandatory parts. A text can only match
        if, for every set, some word of the text starts with one of its members."""
        reqs = []
        for item in seq:
            f = self.first_words(item)
            if f is None or f == "ANY" or not f:
                continue
            reqs.append(frozenset(f))
        return reqs

    def compile_phrase(self, phrase: str) -> list[tuple[re.Pattern, tuple[Requirement, ...]]]:
        """A phrase's top-level alternatives, each compiled on its own with its requirements."""
        tree = parse_phrase(phrase)
        out = []
        for seq in tree[1]:
            node = ("alt", [seq], False)
            out.append((re.compile(self.pattern(node)), tuple(_requirement(r) for r in self.requirements(seq))))
        return out


@dataclass(frozen=True)
class Requirement:
    """Some word of the text starts with one of `words`, or (for short ones, which may be glued to
    the word before: "ive", "tonights") the text contains one of `short`."""

    words: frozenset[str]
    short: re.Pattern | None  # the short ones, found anywhere in the text
    number: int  # its place in REQUIREMENTS

    def met(self, prefixes: set[str], text: str) -> bool:
        return (not self.words.isdisjoint(prefixes)) or (self.short is not None and self.short.search(text) is not None)


_UBIQUITOUS = frozenset("i a to the my it and is me im of in that you so be for on do not just this with have was but".split())


def _cost(req: Requirement) -> int:
    """How often a requirement's words may begin a word of an ordinary message (lower is rarer):
    the index files a phrase under its rarest requirement."""
    return sum(1000 if w in _UBIQUITOUS else 100 if w in _WEAK else 50 if len(w) <= 2 else 8 if len(w) == 3 else 1
               for w in req.words)


_INTERNED: dict[frozenset[str], Requirement] = {}
REQUIREMENTS: list[Requirement] = []  # every distinct requirement, by number


_PREFIX = 8  # words are indexed and looked up by their first 8 characters at most


def _requirement(words: frozenset[str]) -> Requirement:
    """One shared Requirement per word set, so a text is checked against each only once."""
    words = frozenset(w[:_PREFIX] for w in words)
    req = _INTERNED.get(words)
    if req is None:
        short = sorted(w for w in words if len(w) <= 3 and w[0].isascii())
        regex = re.compile("|".join(re.escape(w) for w in short)) if short else None
        req = _INTERNED[words] = Requirement(words, regex, len(REQUIREMENTS))
        REQUIREMENTS.append(req)
    return req


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
            for w in min(reqs, key=_cost).words:
                by_word.setdefault(w, []).append(key)
        requires = {k: tuple(sorted((r.number for r in reqs), key=lambda n: _cost(REQUIREMENTS[n])))
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
                acc = None if (not reqs or acc is None) else acc | min(reqs, key=_cost).words
        return frozenset(acc) if acc is not None else None

    cue_words = {name: gate_words(phrases) for name, phrases in cues_src.items()}

    def gate(phrases) -> int | None:
        """A requirement any match of the list meets (the union of each alternative's rarest
        requirement): when the text doesn't meet it, the list's regex needn't run. None: can't be gated."""
        words = gate_words(phrases)
        return _requirement(words).number if words else None

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
            items.append(((i, -1), (_requirement(words),) if words else ()))
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
        benign_sections=tuple(benign_src), context=context, prefix_length=_PREFIX, gates=gates,
    )


def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    with open(path, "rb") as f:
        return compile_lexicon(tomllib.load(f))
