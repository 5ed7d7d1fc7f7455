"""The lexicon's readable phrase syntax, compiled into regular expressions.

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
from dataclasses import dataclass

from community.safety.normalize import normalize_phrase

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
            out.append((re.compile(self.pattern(node)), tuple(requirement(r) for r in self.requirements(seq))))
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


def requirement_cost(req: Requirement) -> int:
    """How often a requirement's words may begin a word of an ordinary message (lower is rarer):
    the index files a phrase under its rarest requirement."""
    return sum(1000 if w in _UBIQUITOUS else 100 if w in _WEAK else 50 if len(w) <= 2 else 8 if len(w) == 3 else 1
               for w in req.words)


_INTERNED: dict[frozenset[str], Requirement] = {}
REQUIREMENTS: list[Requirement] = []  # every distinct requirement, by number


PREFIX_LENGTH = 8  # words are indexed and looked up by their first 8 characters at most


def requirement(words: frozenset[str]) -> Requirement:
    """One shared Requirement per word set, so a text is checked against each only once."""
    words = frozenset(w[:PREFIX_LENGTH] for w in words)
    req = _INTERNED.get(words)
    if req is None:
        short = sorted(w for w in words if len(w) <= 3 and w[0].isascii())
        regex = re.compile("|".join(re.escape(w) for w in short)) if short else None
        req = _INTERNED[words] = Requirement(words, regex, len(REQUIREMENTS))
        REQUIREMENTS.append(req)
    return req
