"""A small linear model over the words of a normalised message: the detector's second opinion.

The lexicon's rules are precise but only know the phrasings written into them; people say they
want to die in more ways than any list holds. This model was trained offline (train.py, with
scikit-learn) on the project's own written examples, and its weights are a plain JSON file
(data/model.json) read here and scored in pure Python: one dictionary lookup per word and per pair
of words. `python -m community.safety.train --explain` lists the words that carry the most weight,
so what it learned can be read and questioned.

Three scores, each a logistic regression over the same features, present or absent (a word
said 300 times counts once), scaled by 1/sqrt(number of features) so that a long message is
neither favoured nor drowned:
- risk: concern or crisis, against none;
- crisis: crisis, against concern or none;
- category: for a message the model flags, which category it most resembles (only then computed).

Features of a normalised message (the same function builds them for training and for scoring):
- every word ("pills") and its first five letters for longer words ("p:overd"), so inflections
  and misspellings share weight;
- every pair of neighbouring words within a clause ("my life");
- a word within three words after a negation in its clause is also "n:"+word ("not ... die").
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

MODEL_PATH = Path(__file__).resolve().parent / "data" / "model.json"

# words and single non-ASCII symbols (emoji); clause ends break the word pairs and negation scope
_TOKEN = re.compile(r"[a-z0-9]+|[^\x00-\x7f\s]|[.!?;,\n]+")
_NEGATIONS = frozenset(
    "not no never nothing nobody dont wont cant wouldnt couldnt shouldnt isnt arent wasnt werent didnt doesnt "
    "aint nor neither without hardly".split())
_NEGATION_SCOPE = 3
_BREAKS = ".!?;,\n"
_CLAUSE_BREAK = re.compile(r"[.!?;,\n]+")
_WORDS = re.compile(r"[a-z0-9]+|[^\x00-\x7f\s]")
_STEM = 5
# the first five letters of a word of six or more letters (digits make it no word to stem)
_STEMS = re.compile(r"(?<![a-z0-9])([a-z]{5})[a-z]+(?![a-z0-9])")


def tokens(s: str) -> list[tuple[str, int, int]]:
    """(token, start, end) for each word, symbol and clause end of a normalised message."""
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(s)]


def _word_features(word: str) -> list[str]:
    out = [word]
    if len(word) > _STEM and word.isalpha():
        out.append("p:" + word[:_STEM])
    return out


def features(s: str) -> list[str]:
    """The feature names of a normalised message, in order, repeats kept (the model uses the set)."""
    out: list[str] = []
    prev = None
    negated = 0
    for tok, _, _ in tokens(s):
        if tok[0] in _BREAKS:
            prev, negated = None, 0
            continue
        out.extend(_word_features(tok))
        if negated:
            out.append("n:" + tok)
            negated -= 1
        if prev is not None:
            out.append(prev + " " + tok)
        if tok in _NEGATIONS:
            negated = _NEGATION_SCOPE
        prev = tok
    return out


@dataclass(frozen=True, slots=True)
class Scores:
    risk: float  # probability of concern or crisis
    crisis: float  # probability of crisis


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


class LinearModel:
    """The exported weights: for each feature a (risk, crisis) pair; category weights apart."""

    def __init__(self, data: dict):
        self.bias = tuple(data["bias"])
        self.weights: dict[str, tuple[float, float]] = {k: (v[0], v[1]) for k, v in data["weights"].items()}
        self._risk = {k: v[0] for k, v in self.weights.items()}
        self._crisis = {k: v[1] for k, v in self.weights.items()}
        self._vocabulary = frozenset(self.weights)
        self.thresholds: dict[str, float] = dict(data["thresholds"])
        cats = data["categories"]
        self.category_names: tuple[str, ...] = tuple(cats["names"])
        self.category_bias: tuple[float, ...] = tuple(cats["bias"])
        self.category_weights: dict[str, dict[int, float]] = {
            k: {int(i): w for i, w in v.items()} for k, v in cats["weights"].items()}

    def _word(self, word: str) -> float:
        """A word's own risk weight plus its stem's."""
        return sum(self.weights.get(f, (0.0, 0.0))[0] for f in _word_features(word))

    def score(self, s: str) -> Scores:
        """Risk and crisis probabilities of a normalised message (the hot path: every message the
        rules don't settle comes through here, so the sums run in C: set intersection, map)."""
        names = self.feature_set(s)
        known = self._vocabulary.intersection(names)
        risk = sum(map(self._risk.__getitem__, known))
        crisis = sum(map(self._crisis.__getitem__, known))
        scale = 1.0 / math.sqrt(len(names)) if names else 0.0
        return Scores(_sigmoid(self.bias[0] + risk * scale), _sigmoid(self.bias[1] + crisis * scale))

    def feature_set(self, s: str) -> set[str]:
        """set(features(s)), built clause by clause with C-level calls only (regex, map, update)."""
        out: set[str] = set()
        for clause in _CLAUSE_BREAK.split(s):
            toks = _WORDS.findall(clause)
            if not toks:
                continue
            out.update(toks)
            out.update(map("p:".__add__, _STEMS.findall(clause)))
            if len(toks) > 1:
                out.update(map(" ".join, zip(toks, toks[1:], strict=False)))  # neighbouring pairs
            if not _NEGATIONS.isdisjoint(toks):
                negated = 0
                for tok in toks:
                    if negated:
                        out.add("n:" + tok)
                        negated -= 1
                    if tok in _NEGATIONS:
                        negated = _NEGATION_SCOPE
        return out

    def evidence(self, s: str) -> tuple[int, int]:
        """The span of the word, or pair of words, that pushes the risk score up most; (-1, -1)
        when none does. Only for flagged messages."""
        best, span = 0.0, (-1, -1)
        prev = None
        for m in _TOKEN.finditer(s):
            tok = m.group()
            if tok[0] in _BREAKS:
                prev = None
                continue
            r = self._word(tok)
            if r > best:
                best, span = r, m.span()
            if prev is not None:
                w = self.weights.get(prev.group() + " " + tok)
                if w is not None and w[0] > best:
                    best, span = w[0], (prev.start(), m.end())
            prev = m
        return span

    def category(self, s: str, allowed: tuple[str, ...]) -> str:
        """The most likely category among `allowed` (computed only for flagged messages)."""
        names = self.feature_set(s)
        scale = 1.0 / math.sqrt(len(names)) if names else 0.0
        totals = list(self.category_bias)
        cw = self.category_weights
        for f in names:
            row = cw.get(f)
            if row:
                for i, w in row.items():
                    totals[i] += w * scale
        best_name, best_total = allowed[0], -math.inf
        for i, name in enumerate(self.category_names):
            if name in allowed and totals[i] > best_total:
                best_name, best_total = name, totals[i]
        return best_name


def load_model(path: Path = MODEL_PATH) -> LinearModel | None:
    """The exported model, or None when there is none (the rules alone then decide)."""
    if not path.exists():
        return None
    with open(path, encoding="utf-8") as f:
        return LinearModel(json.load(f))
