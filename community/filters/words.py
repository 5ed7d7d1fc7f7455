"""Word and phrase matching for the chat filters, on text normalised by `community.safety.normalize`
(case, look-alike letters, zero-width characters, leet, letters typed one by one; offsets kept).

A pattern is one or more words ("ass", "buy followers"); the last word may end in `*` ("fuck*":
the word and every word starting with it). Matching is on whole words of the normalised text, so a
pattern never matches inside a longer word ("ass" leaves "assess", "bass" and "class" alone), and a
phrase matches its words in a row whatever spaces or punctuation lie between them.

How a token compares with a pattern word, letter run by letter run ("ass" is the runs a, ss):
- a run of the same length matches ("ass" = "ass"; but "as" is not "ass", "pass" is not "pas");
- a run the author stretched to three or more letters matches a run of one or two ("asssss",
  "fuuuck", "idiooot"). Normalising collapses such runs to one letter, so whether a letter was
  stretched is read back from the original text;
- the last word of a plain pattern also matches its plural: "+es" after s, x, z, ch, sh
  ("asses", "bitches"), "+s" otherwise ("cocks", "you idiots");
- a `*` word matches any token starting with it ("fuck*": "fucking", "fucker").
A token on the allow-list (the same comparison, plurals included) is never caught.

Two readings normalising misses are added here: a word typed only in symbols ("@$$" -> "ass"), and
letters typed one by one right after "a" or "I" ("give a f u c k", which normalises to "afuck"):
such a token is matched again with the "a" split off.

Speed: a compiled "gate" regex over the normalised text (all patterns in one trie, exact letters
when normalising changed nothing, each letter repeatable otherwise) finds where a pattern may start;
only there is any per-token Python work done.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from community.safety.normalize import Normalized, normalize

WORD = re.compile(r"[^\W_]+")
_RUNS = re.compile(r"([^\W\d_])\1+")
# A word typed only in symbols ("@$$"), which normalising leaves alone; one character for one.
_SYMBOL_WORD = re.compile(r"(?<![^\W_])[@$]{2,}(?![^\W_])")
_SYMBOL_LETTERS = str.maketrans("@$", "as")
_LEET = {"$": "s", "@": "a", "0": "o", "3": "e", "4": "a", "5": "s", "7": "t", "!": "i"}
_fold_cache: dict[str, str] = {}


_skeleton_cache: dict[str, str] = {}


def skeleton(word: str) -> str:
    """The word with every run of a repeated letter cut to one letter ("assess" -> "ases")."""
    sk = _skeleton_cache.get(word)
    if sk is None:
        sk = _RUNS.sub(r"\1", word)
        if len(_skeleton_cache) >= 50_000:
            _skeleton_cache.clear()
        _skeleton_cache[word] = sk
    return sk


def runs(word: str) -> tuple[tuple[str, int], ...]:
    """Letter runs of a word: "ass" -> (("a", 1), ("s", 2))."""
    out: list[tuple[str, int]] = []
    for m in re.finditer(r"(.)\1*", word):
        out.append((m.group(1), len(m.group())))
    return tuple(out)


def plural_suffix(word: str) -> str:
    return "es" if word.endswith(("s", "x", "z", "ch", "sh")) else "s"


def _fold(ch: str) -> str:
    """What one original character reads as, for counting a stretched run."""
    f = _fold_cache.get(ch)
    if f is None:
        f = _LEET.get(ch.lower(), ch.lower()) if ch.isascii() else normalize(ch).text
        if len(_fold_cache) < 10_000:
            _fold_cache[ch] = f
    return f


def _reads_as(ch: str, letter: str) -> bool:
    return _fold(ch) == letter or (ch == "1" and letter in "il")


@dataclass(frozen=True, slots=True)
class _Pattern:
    """One compiled pattern: its words as letter runs; `rule` is its index in the rule set."""
    rule: int
    words: tuple[tuple[tuple[str, int], ...], ...]
    skeletons: tuple[str, ...]
    prefix: bool      # the last word ends in `*`


def _pattern(rule: int, words: list[str], prefix: bool) -> _Pattern:
    return _Pattern(rule, tuple(runs(w) for w in words), tuple(skeleton(w) for w in words), prefix)


class Scan:
    """One message being matched: its normalised text and, for the tokens a gate regex points at,
    their ends, skeletons and letter runs. A token is named by its start in the normalised text."""

    __slots__ = ("original", "norm", "text", "_ends", "_skeletons", "_runs")

    def __init__(self, original: str, norm: Normalized):
        self.original = original
        self.norm = norm
        s = norm.text
        if "@" in s or "$" in s:
            s = _SYMBOL_WORD.sub(lambda m: m.group().translate(_SYMBOL_LETTERS), s)
        self.text = s
        self._ends: dict[int, int] = {}
        self._skeletons: dict[int, str] = {}
        self._runs: dict[int, list[tuple[str, int, bool]]] = {}

    def end(self, start: int) -> int:
        end = self._ends.get(start)
        if end is None:
            m = WORD.match(self.text, start)
            end = self._ends[start] = m.end() if m else start
        return end

    def following(self, start: int) -> int | None:
        """The start of the token after the one at `start`, if any."""
        m = WORD.search(self.text, self.end(start))
        return m.start() if m else None

    def skeleton(self, start: int) -> str:
        sk = self._skeletons.get(start)
        if sk is None:
            sk = self._skeletons[start] = skeleton(self.text[start:self.end(start)])
        return sk

    def token_runs(self, start: int) -> list[tuple[str, int, bool]]:
        """(letter, count, stretched) for each run of the token at `start`."""
        cached = self._runs.get(start)
        if cached is not None:
            return cached
        s, offs, original = self.text, self.norm.offsets, self.original
        end = self.end(start)
        out: list[tuple[str, int, bool]] = []
        pos = start
        while pos < end:
            c = s[pos]
            run_end = pos + 1
            while run_end < end and s[run_end] == c:
                run_end += 1
            stretched = False
            if offs is not None and run_end - pos == 1:
                lo = offs[pos]
                hi = offs[pos + 1] if pos + 1 < len(offs) else self.norm.original_length
                if hi - lo >= 3:  # room for a letter typed three or more times
                    seen = 0
                    for ch in original[lo:hi]:
                        if ch == c or _reads_as(ch, c):
                            seen += 1
                    stretched = seen >= 3
            out.append((c, run_end - pos, stretched))
            pos = run_end
        self._runs[start] = out
        return out

    def original_span(self, first: int, last: int) -> tuple[int, int]:
        """Offsets into the original text from the token at `first` to the end of the token at
        `last`, a stretched last letter included."""
        end = self.end(last)
        offs = self.norm.offsets
        if offs is None:
            return first, end
        letter = self.text[end - 1]
        lo = offs[end - 1]
        hi = offs[end] if end < len(offs) else self.norm.original_length
        stop = lo + 1
        for k in range(lo + 1, hi):
            if _reads_as(self.original[k], letter):
                stop = k + 1
        return offs[first], stop


# Letters typed one by one after "a" or "I" ("give a f u c k") are joined with it by normalising
# ("afuck"); such a token is matched a second time with that first letter split off.
_SPELLED_AFTER_A = re.compile(r"[ai](?<![^\W_].)(?=[^\W_]{3})")
_SPELL_GAP = " .-*/|"


def split_spelled_article(original: str, norm: Normalized) -> Normalized | None:
    offs = norm.offsets
    if offs is None:
        return None
    s = norm.text
    cuts = []
    for m in _SPELLED_AFTER_A.finditer(s):
        p = m.start()
        if offs[p + 1] - offs[p] < 2:  # nothing between the first two letters
            continue
        gap = original[offs[p] + 1:offs[p + 1]]
        if gap and not gap.strip(_SPELL_GAP):
            cuts.append(p + 1)
    if not cuts:
        return None
    text, new_offs, pos = [], [], 0
    for cut in cuts:
        text += [s[pos:cut], " "]
        new_offs += offs[pos:cut] + [offs[cut - 1] + 1]
        pos = cut
    text.append(s[pos:])
    new_offs += offs[pos:]
    return Normalized("".join(text), new_offs, norm.original_length)


# ---- gate regexes: find where a pattern might start, in C, before any per-token work ----------

_END = r"(?![^\W_])"
_GAP = r"[\W_]+"


def _atoms(words: list[str], loose: bool) -> list[str]:
    """Regex pieces for a sequence of words; loose: each letter may repeat (stretched runs)."""
    out: list[str] = []
    for n, w in enumerate(words):
        if n:
            out.append(_GAP)
        if loose:
            out.extend(re.escape(c) + "+" for c in skeleton(w))
        else:
            out.extend(re.escape(c) for c in w)
    return out


def _trie_regex(sequences: list[list[str]]) -> str:
    """One regex for many atom sequences, common beginnings shared. It consumes only the first
    character of a pattern (the rest is a lookahead), so a pattern starting inside another's match
    is still found, and it starts with a literal, so the regex engine skips other characters fast."""
    trie: dict = {}
    for seq in sequences:
        node = trie
        for atom in seq:
            node = node.setdefault(atom, {})
        node[""] = {}  # end of a sequence

    def emit(node: dict) -> str:
        branches = [atom + emit(child) if atom else "" for atom, child in node.items()]
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    first = []
    for atom, child in trie.items():  # "a+" -> "a" + boundary + "(?=a*...)"; "a" -> "a" + boundary + "(?=...)"
        char, rest = (atom[:-1], atom[:-1] + "*") if atom.endswith("+") else (atom, "")
        first.append(char + r"(?<![^\W_].)(?=" + rest + emit(child) + ")")
    return "|".join(first)


def _gate(variants: list[tuple[list[str], str]], loose: bool) -> re.Pattern | None:
    """variants: (words, kind) with kind "exact", "prefix" or a plural suffix."""
    sequences = []
    for words, kind in variants:
        seq = _atoms(words, loose)
        if kind == "prefix":
            seq.append(r"[^\W_]*")
        elif kind != "exact":
            seq.extend(_atoms([kind], loose))
        seq.append(_END)
        sequences.append(seq)
    if not sequences:
        return None
    return re.compile(_trie_regex(sequences))


def _word_matches(want: tuple[tuple[str, int], ...], got: list[tuple[str, int, bool]], prefix: bool) -> bool:
    if len(got) < len(want) or (not prefix and len(got) != len(want)):
        return False
    last = len(want) - 1
    for j, (letter, count) in enumerate(want):
        g_letter, g_count, stretched = got[j]
        if g_letter != letter:
            return False
        if stretched or g_count == count or (prefix and j == last and g_count > count):
            continue
        return False
    return True


class WordMatcher:
    """Compiled word patterns plus the allow-list, looked up by the skeleton of a token."""

    def __init__(self, patterns: list[tuple[int, str]], allow: list[str]):
        self._index: dict[str, list[_Pattern]] = {}   # skeleton of the first word -> patterns
        self._pairs: dict[tuple[str, str], list[_Pattern]] = {}  # phrases: skeletons of two first words
        self._prefixes: dict[str, list[_Pattern]] = {}  # single `*` words: skeleton of the stem
        self._allow: dict[str, list[_Pattern]] = {}
        variants: list[tuple[list[str], str]] = []
        for rule, text in patterns:
            variants.extend(self._add(rule, text))
        for word in allow:
            words = WORD.findall(normalize(word.rstrip("*")).text)[:1]
            for w in (words + [words[0] + plural_suffix(words[0])] if words else []):
                self._allow.setdefault(skeleton(w), []).append(_pattern(-1, [w], False))
        self._prefix_keys = tuple(self._prefixes)
        self._pair_firsts = frozenset(first for first, _ in self._pairs)
        # exact: for text normalising changed nothing (no stretched runs possible); loose: otherwise
        self._exact = _gate(variants, loose=False)
        self._loose = _gate(variants, loose=True)

    def _put(self, p: _Pattern) -> None:
        if len(p.words) == 1:
            (self._prefixes if p.prefix else self._index).setdefault(p.skeletons[0], []).append(p)
        elif p.prefix and len(p.words) == 2:  # "you idiot*": the second word is only a stem
            self._index.setdefault(p.skeletons[0], []).append(p)
        else:
            self._pairs.setdefault(p.skeletons[:2], []).append(p)

    def _add(self, rule: int, text: str) -> list[tuple[list[str], str]]:
        prefix = text.rstrip().endswith("*")
        words = WORD.findall(normalize(text.rstrip().rstrip("*")).text)
        if not words:
            return []
        self._put(_pattern(rule, words, prefix))
        if prefix:
            return [(words, "prefix")]
        suffix = plural_suffix(words[-1])
        self._put(_pattern(rule, words[:-1] + [words[-1] + suffix], False))
        return [(words, "exact"), (words, suffix)]

    def allowed(self, scan: Scan, start: int) -> bool:
        candidates = self._allow.get(scan.skeleton(start))
        return bool(candidates) and any(
            _word_matches(p.words[0], scan.token_runs(start), False) for p in candidates)

    def find_all(self, original: str, norm: Normalized) -> list[tuple[int, int, int]]:
        """(rule index, start, end) for every match, offsets into the original text."""
        found = self.find(Scan(original, norm))
        split = split_spelled_article(original, norm)
        if split is not None:
            found += [f for f in self.find(Scan(original, split)) if f not in found]
        return found

    def find(self, scan: Scan) -> list[tuple[int, int, int]]:
        """(rule index, start, end) for every match in one reading of the message, in text order."""
        gate = self._exact if scan.norm.offsets is None else self._loose
        if gate is None:
            return []
        found: list[tuple[int, int, int]] = []
        for m in gate.finditer(scan.text):
            first = m.start()
            token = scan.skeleton(first)
            candidates = list(self._index.get(token, ()))
            if self._prefix_keys and token.startswith(self._prefix_keys):
                candidates += [p for k, ps in self._prefixes.items() if token.startswith(k) for p in ps]
            if token in self._pair_firsts:
                second = scan.following(first)
                if second is not None:
                    candidates += self._pairs.get((token, scan.skeleton(second)), ())
            for p in candidates:
                tokens = self._tokens(scan, first, p)
                if tokens is None or any(self.allowed(scan, t) for t in tokens):
                    continue
                start, end = scan.original_span(first, tokens[-1])
                found.append((p.rule, start, end))
        return found

    @staticmethod
    def _tokens(scan: Scan, first: int, p: _Pattern) -> list[int] | None:
        """The starts of the tokens matching pattern p from the token at `first`, or None."""
        tokens: list[int] = []
        pos: int | None = first
        last = len(p.words) - 1
        for j, want in enumerate(p.words):
            if pos is None:
                return None
            prefix = p.prefix and j == last
            token = scan.skeleton(pos)
            if not (token.startswith(p.skeletons[j]) if prefix else token == p.skeletons[j]):
                return None
            if not _word_matches(want, scan.token_runs(pos), prefix):
                return None
            tokens.append(pos)
            if j < last:
                pos = scan.following(pos)
        return tokens
