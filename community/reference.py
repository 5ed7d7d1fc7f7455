"""Reference data the app and the demo share: interests, neighbourhoods, the weekly grid.

Pure Python (no Flask), loaded once from the JSON files in community/data/ so the lists can be
reviewed and edited without touching code.
"""
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
PARTS = ("morning", "afternoon", "evening")
SLOT_COUNT = len(DAYS) * len(PARTS)  # 21; slot = day * 3 + part, Monday = 0


def slot_label(slot: int) -> str:
    """'Thursday evening' for slot 11."""
    day, part = divmod(slot, len(PARTS))
    return f"{DAYS[day]} {PARTS[part]}"


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


@dataclass(frozen=True)
class Neighbourhood:
    slug: str
    name: str
    area: str
    lat: float
    lon: float


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

    def match(self, text: str) -> str | None:
        """The slug of the interest this free text names, if the taxonomy knows it."""
        return self._by_tag.get(normalise_tag(text))

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
    raw = json.loads((DATA_DIR / "interests.json").read_text(encoding="utf-8"))
    return Taxonomy(
        [Category(**c) for c in raw["categories"]],
        [Interest(**{**i, "synonyms": tuple(i["synonyms"])}) for i in raw["interests"]],
    )


@cache
def neighbourhoods() -> dict[str, Neighbourhood]:
    raw = json.loads((DATA_DIR / "neighbourhoods.json").read_text(encoding="utf-8"))
    return {n["slug"]: Neighbourhood(**n) for n in raw["neighbourhoods"]}


def neighbourhoods_by_area() -> list[tuple[str, list[Neighbourhood]]]:
    areas: dict[str, list[Neighbourhood]] = {}
    for hood in neighbourhoods().values():
        areas.setdefault(hood.area, []).append(hood)
    return [(area, sorted(items, key=lambda n: n.name)) for area, items in areas.items()]
