"""The curated interest taxonomy: interests, their categories, and every synonym members write.

It lives in `matching` because the similarity model is built on it; the app reads the same file
(through `community.reference`) for onboarding, so a tag means the same thing everywhere.
"""
import difflib
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).parent / "data" / "interests.json"


@dataclass(frozen=True)
class Category:
    slug: str
    name: str


@dataclass(frozen=True)
class Interest:
    slug: str
    name: str
    category: str
    modes: str  # "online", "in_person" or "both"
    synonyms: tuple[str, ...]


def normalise_tag(text: str) -> str:
    """Fold case, accents, punctuation and spacing so 'Board-Games ' meets 'board games'."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9&+#]+", " ", text.lower())
    return " ".join(text.split())


class Taxonomy:
    """The curated interests, with a lookup from any name or synonym to its interest."""

    def __init__(self, categories: list[Category], interests: list[Interest]):
        self.categories = {c.slug: c for c in categories}
        self.interests = {i.slug: i for i in interests}
        self._by_tag: dict[str, str] = {}
        for interest in interests:
            for tag in (interest.name, interest.slug.replace("-", " "), *interest.synonyms):
                self._by_tag.setdefault(normalise_tag(tag), interest.slug)
        self._longest_tag_words = max(len(tag.split()) for tag in self._by_tag)
        self._tags_by_start: dict[tuple[str, int], list[str]] = {}
        for tag in sorted(self._by_tag):
            self._tags_by_start.setdefault((tag[0], len(tag)), []).append(tag)

    def match(self, text: str) -> str | None:
        """The slug of the interest this free text names, if the taxonomy knows it."""
        return self._by_tag.get(normalise_tag(text))

    def find_within(self, text: str) -> list[str]:
        """Interests named inside longer free text: 'learning catan with friends' -> board games.

        Longest phrases win, so 'rock climbing' is read before 'climbing'; single words count
        only when they are at least four letters, to keep 'art' out of 'start'.
        """
        words = normalise_tag(text).split()
        found: list[str] = []
        taken = [False] * len(words)
        for size in range(min(self._longest_tag_words, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                if any(taken[start:start + size]):
                    continue
                phrase = " ".join(words[start:start + size])
                if size == 1 and len(phrase) < 4:
                    continue
                slug = self._by_tag.get(phrase)
                if slug is not None:
                    taken[start:start + size] = [True] * size
                    if slug not in found:
                        found.append(slug)
        return found

    def closest(self, text: str, cutoff: float = 0.86) -> str | None:
        """The interest a misspelt tag most likely means ('runing', 'hikking'), if one is close.

        Short tags are left alone: at four letters one typo is a different word.
        """
        tag = normalise_tag(text)
        if len(tag) < 5:
            return None
        # A typo rarely changes the first letter or the length by more than two, so only those
        # tags are compared: a handful instead of every tag the taxonomy knows.
        nearby = [
            known for length in range(len(tag) - 2, len(tag) + 3)
            for known in self._tags_by_start.get((tag[0], length), ())
        ]
        found = difflib.get_close_matches(tag, nearby, n=1, cutoff=cutoff)
        return self._by_tag[found[0]] if found else None

    def by_category(self) -> list[tuple[Category, list[Interest]]]:
        grouped: dict[str, list[Interest]] = {slug: [] for slug in self.categories}
        for interest in self.interests.values():
            grouped[interest.category].append(interest)
        return [
            (self.categories[slug], sorted(items, key=lambda i: i.name))
            for slug, items in grouped.items()
            if items
        ]


@cache
def taxonomy() -> Taxonomy:
    raw = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return Taxonomy(
        [Category(**c) for c in raw["categories"]],
        [Interest(**{**i, "synonyms": tuple(i["synonyms"])}) for i in raw["interests"]],
    )
