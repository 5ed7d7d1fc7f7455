"""Reference data the app and the demo share: interests, neighbourhoods, the weekly grid.

The interest taxonomy belongs to `matching` (the similarity model is built on it) and is
re-exported here with the weekly grid so the app has one place to look.

Pure Python (no Flask), loaded once from the JSON files in community/data/ so the lists can be
reviewed and edited without touching code.
"""
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from matching.taxonomy import Category, Interest, Taxonomy, normalise_tag, taxonomy
from matching.week import DAYS, PARTS, SLOT_COUNT, slot_label

__all__ = [
    "DAYS", "PARTS", "SLOT_COUNT", "Category", "Interest", "Neighbourhood", "Taxonomy",
    "neighbourhoods", "neighbourhoods_by_area", "normalise_tag", "slot_label", "taxonomy",
]

DATA_DIR = Path(__file__).parent / "data"

@dataclass(frozen=True)
class Neighbourhood:
    slug: str
    name: str
    area: str
    lat: float
    lon: float


@cache
def neighbourhoods() -> dict[str, Neighbourhood]:
    raw = json.loads((DATA_DIR / "neighbourhoods.json").read_text(encoding="utf-8"))
    return {n["slug"]: Neighbourhood(**n) for n in raw["neighbourhoods"]}


def neighbourhoods_by_area() -> list[tuple[str, list[Neighbourhood]]]:
    areas: dict[str, list[Neighbourhood]] = {}
    for hood in neighbourhoods().values():
        areas.setdefault(hood.area, []).append(hood)
    return [(area, sorted(items, key=lambda n: n.name)) for area, items in areas.items()]
