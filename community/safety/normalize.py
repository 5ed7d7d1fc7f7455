"""Text normalisation for the crisis-language detector, keeping a map back to the original text.

`normalize(text)` returns a `Normalized`: `.text` is lower-case, mostly-ASCII text the lexicon's
patterns are matched against, and `.span(start, end)` turns a span of it back into offsets into the
original string. Steps, in order:

1. Unicode: NFKC (fullwidth and styled letters become plain ones), case folding, accents dropped,
   Cyrillic and Greek look-alike letters mapped to Latin ones, zero-width and other format
   characters (U+200B-U+200F, U+2060, U+FEFF, soft hyphen, variation selectors) removed, curly
   quotes, dashes and odd spaces made plain. Emoji are kept as they are.
2. Apostrophes inside words are dropped ("don't" -> "dont", "I'm" -> "im"), so the lexicon writes
   contractions without them; a censoring `*` inside a word is dropped too ("k*ll" -> "kll").
3. Letters typed one by one ("k i l l", "k.i.l.l") are joined; where the gaps differ
   ("k i l l  m e") the odd gaps stay as a space.
4. Leetspeak inside words that also hold letters: 1 -> i (l after an i or l), 3 -> e, 4 -> a,
   0 -> o, 5 -> s, 7 -> t, @ -> a, $ -> s, and ! between letters -> i. Words that are numbers
   with a unit ("5pm", "2nd", "500mg", "10k") and plain numbers ("2 players") are left alone.
5. A lone "1", "2", "70" in a sentence that has two or more leet words becomes "i" or "to"
   ("1 w4nt 70 d13"); "sui cide" is joined.
6. A letter repeated three or more times becomes one ("diiieee" -> "die", "sooo" -> "so").

Only the standard library; every regex is compiled at import.
"""
from __future__ import annotations

import re
import unicodedata

__all__ = ["Normalized", "normalize"]

# Look-alike letters NFKC leaves alone: Cyrillic and Greek that read as Latin letters.
_HOMOGLYPHS = {
    # Cyrillic (lower case; upper case is case-folded first)
    "а": "a", "в": "b", "с": "c", "е": "e", "ё": "e", "һ": "h", "і": "i", "ї": "i", "ј": "j",
    "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "ԛ": "q", "ѕ": "s", "т": "t", "у": "y",
    "х": "x", "ԝ": "w", "ү": "y", "ɩ": "i", "ӏ": "l", "г": "r", "п": "n", "ш": "w", "ь": "b",
    "з": "3", "и": "u", "д": "d",
    # Greek
    "α": "a", "β": "b", "γ": "y", "δ": "d", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v",
    "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ς": "s", "σ": "s", "μ": "u",
    "λ": "l", "ϲ": "c", "ϳ": "j",
    # Latin oddities
    "ı": "i", "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ŀ": "l", "ß": "ss", "æ": "ae", "œ": "oe",
    "ɑ": "a", "ɡ": "g", "ʟ": "l", "ɪ": "i", "ᴋ": "k", "ᴇ": "e", "ᴅ": "d", "ᴍ": "m", "ꜱ": "s",
    "ʏ": "y", "ᴜ": "u", "ᴄ": "c", "ᴏ": "o", "ᴛ": "t", "ʜ": "h", "ɴ": "n", "ʀ": "r", "ᴀ": "a",
    "ᴡ": "w", "ᴠ": "v", "ᴢ": "z", "ᴘ": "p", "ғ": "f", "ʙ": "b",
    # Punctuation that should read as its plain form
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u02bc": "'", "\u00b4": "'",
    "\u0060": "'", "\u2032": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"',
    "\u00bb": '"', "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u2015": "-", "\u2212": "-", "\u2026": "...", "\u00a0": " ", "\u3000": " ", "\u2028": "\n",
    "\u2029": "\n", "\u0085": "\n",
}
_CACHE_LIMIT = 50_000
_char_cache: dict[str, str] = {}


def _map_char(ch: str) -> str:
    """What one non-ASCII character becomes (possibly several characters, possibly none)."""
    out = []
    for c in unicodedata.normalize("NFKC", ch):
        cat = unicodedata.category(c)
        if cat == "Cf":  # zero-width spaces and joiners, direction marks, soft hyphen, BOM
            continue
        if cat in ("Mn", "Me"):  # combining marks and variation selectors
            continue
        if cat == "Zs":
            out.append(" ")
            continue
        for f in c.casefold():
            mapped = _HOMOGLYPHS.get(f)
            if mapped is not None:
                out.append(mapped)
                continue
            if f.isascii():
                out.append(f)
                continue
            # accents: decompose, keep the base letters
            base = "".join(b for b in unicodedata.normalize("NFKD", f) if not unicodedata.combining(b))
            base = "".join(_HOMOGLYPHS.get(b, b) for b in base)
            out.append(base if base else f)
    return "".join(out)


class Normalized:
    """Normalised text plus, for each of its characters, the index of the original character."""

    __slots__ = ("text", "offsets", "original_length")

    def __init__(self, text: str, offsets: list[int] | None, original_length: int):
        self.text = text
        self.offsets = offsets  # None: the identity map (nothing moved)
        self.original_length = original_length

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Offsets into the original text covering normalised text[start:end]."""
        if self.offsets is None:
            return (start, end)
        if end <= start:
            i = self.offsets[start] if start < len(self.offsets) else self.original_length
            return (i, i)
        end = min(end, len(self.offsets))
        return (self.offsets[start], self.offsets[end - 1] + 1)


def _unicode_pass(text: str) -> tuple[str, list[int] | None]:
    if text.isascii():
        return text.lower(), None
    chars: list[str] = []
    offs: list[int] = []
    cache = _char_cache
    for i, ch in enumerate(text):
        if ch < "\x80":
            chars.append(ch.lower())
            offs.append(i)
            continue
        mapped = cache.get(ch)
        if mapped is None:
            mapped = _map_char(ch)
            if len(cache) < _CACHE_LIMIT:
                cache[ch] = mapped
        for m in mapped:
            chars.append(m)
            offs.append(i)
    return "".join(chars), offs


def _rewrite(s: str, offs: list[int] | None, regex: re.Pattern, fn) -> tuple[str, list[int] | None]:
    """Replace every match of `regex` (never empty) by fn(match) -> (new text, for each new character
    its source position within the match); unchanged text keeps its offsets."""
    first = regex.search(s)
    if first is None:
        return s, offs
    if offs is None:
        offs = list(range(len(s)))
    pieces: list[str] = []
    new_offs: list[int] = []
    pos = 0
    for m in regex.finditer(s, first.start()):
        start, end = m.span()
        pieces.append(s[pos:start])
        new_offs.extend(offs[pos:start])
        rep, sources = fn(m)
        pieces.append(rep)
        new_offs.extend(offs[start + k] for k in sources)
        pos = end
    pieces.append(s[pos:])
    new_offs.extend(offs[pos:])
    return "".join(pieces), new_offs


# 2. apostrophes and censoring stars inside words
_INNER_MARK = re.compile(r"(?<=[a-z])['*]+(?=[a-z])")


def _drop(m: re.Match) -> tuple[str, list[int]]:
    return "", []


# 3. letters typed one by one: three or more single characters separated by one kind of short gap
_SPACED = re.compile(r"\b[a-z0-9](?:[ .\-*/|]{1,3}[a-z0-9]\b){2,}(?:[.\-*/|](?![a-z0-9]))?")
_GAP = re.compile(r"[ .\-*/|]+")


def _join_spaced(m: re.Match) -> tuple[str, list[int]]:
    s = m.group()
    if s[-1] in ".-*/|":  # "k.i.l.l." : the closing mark belongs to the word
        s = s[:-1]
    letters = sum(c.isalpha() for c in s)
    if letters < 2:
        return s, list(range(len(s)))
    gaps = _GAP.findall(s)
    usual = max(set(gaps), key=gaps.count)
    out: list[str] = []
    src: list[int] = []
    pos = 0
    for g in _GAP.finditer(s):
        out.append(s[pos:g.start()])
        src.extend(range(pos, g.start()))
        if g.group() != usual:  # a different gap: a word break
            out.append(" ")
            src.append(g.start())
        pos = g.end()
    out.append(s[pos:])
    src.extend(range(pos, len(s)))
    return "".join(out), src


# 4. leetspeak in words that mix letters and digits or symbols
# a word holding a letter next to a digit or symbol ("k1ll", "$uicide", "5pm"); the cheap check first
_LEET_HINT = re.compile(r"[a-z][0-9@$]|[0-9@$][a-z]")
_LEET_WORD = re.compile(r"(?<![a-z0-9@$])[a-z0-9@$]*(?:[a-z][0-9@$]|[0-9@$][a-z])[a-z0-9@$]*")
_HAS_LEET = re.compile(r"[013457@$]")
_NUMBER_WITH_UNIT = re.compile(
    r"[0-9]+(?:st|nd|rd|th|s|am|pm|k|m|h|hr|hrs|min|mins|yo|yr|yrs|x|ish|kg|lb|lbs|km|mi|g|mg|ml|mcg|d|w|y|mo|gb|mb|tb|p|px|hz|ghz|v)"
)
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
_BANG = re.compile(r"(?<=[a-z])!(?=[a-z])")


_ONE_WORDS = {"every1": "everyone", "some1": "someone", "any1": "anyone", "no1": "noone"}


def _leet_fix(m: re.Match) -> tuple[str, list[int]]:
    w = m.group()
    n = len(w)
    if w in _ONE_WORDS:  # "every1" is "everyone", not "everyi"
        out = _ONE_WORDS[w]
        return out, list(range(n - 1)) + [n - 1] * (len(out) - n + 1)
    if not _HAS_LEET.search(w) or _NUMBER_WITH_UNIT.fullmatch(w):
        return w, list(range(n))
    out = []
    for k, ch in enumerate(w):
        if ch == "1":
            # "ki11", "wi1l": l after an i or l when no letter follows; "k1ll1ng": i before a letter
            nxt = w[k + 1] if k + 1 < n else ""
            out.append("l" if out and out[-1] in "il" and not ("a" <= nxt <= "z") else "i")
        else:
            out.append(_LEET.get(ch, ch))
    return "".join(out), list(range(n))


_LONE_LEET = re.compile(r"(?<![a-z0-9.,:/$])(?:1s|1|70|7o|2)(?![a-z0-9.,:/%])")
_LONE = {"1": "i", "1s": "is", "70": "to", "7o": "to", "2": "to"}


def _lone_fix(m: re.Match) -> tuple[str, list[int]]:
    out = _LONE[m.group()]
    n = len(m.group())
    return out, [min(k, n - 1) for k in range(len(out))]


# a word split by a space: "sui cide", "sui cidal" (joined; the lexicon lists other splits)
_LONE_SPLIT = re.compile(r"\bsui (?=cid)")


def _lone_split_fix(m: re.Match) -> tuple[str, list[int]]:
    return "sui", [0, 1, 2]


def _bang(m: re.Match) -> tuple[str, list[int]]:
    return "i", [0]



# 5. letters repeated three or more times
_REPEAT = re.compile(r"([a-z])\1{2,}")


def _collapse(m: re.Match) -> tuple[str, list[int]]:
    return m.group(1), [0]


def normalize(text: str) -> Normalized:
    s, offs = _unicode_pass(text)
    if "_" in s:  # one for one, offsets unchanged: "kill_myself" is two words
        s = s.replace("_", " ")
    if "'" in s or "*" in s:
        s, offs = _rewrite(s, offs, _INNER_MARK, _drop)
    s, offs = _rewrite(s, offs, _SPACED, _join_spaced)
    if _LEET_HINT.search(s):
        before = s
        s, offs = _rewrite(s, offs, _LEET_WORD, _leet_fix)
        # a sentence written in leet ("1 w4nt 70 d13"): with two or more words undone, the lone
        # "1" and "70"/"2" in it are "i" and "to" too
        if s != before and len(_LEET_WORD.findall(before)) - len(_LEET_WORD.findall(s)) >= 2:
            s, offs = _rewrite(s, offs, _LONE_LEET, _lone_fix)
    if "sui " in s:
        s, offs = _rewrite(s, offs, _LONE_SPLIT, _lone_split_fix)
    if "!" in s:
        s, offs = _rewrite(s, offs, _BANG, _bang)
    s, offs = _rewrite(s, offs, _REPEAT, _collapse)
    return Normalized(s, offs, len(text))


def normalize_phrase(text: str) -> str:
    """The normalised form of a lexicon word (no offsets needed)."""
    return normalize(text).text
