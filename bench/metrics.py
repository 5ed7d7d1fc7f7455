"""Judge a grouping of a synthetic population by ground truth (`bench.population.Truth`).

`evaluate(groups, profiles, truth)` takes groups as `(member_ids, mode)` pairs; `mode` is "online",
"in_person" or None. None means the method gave no mode (the baselines), and the mode is inferred:
in_person if every member has coordinates and nobody is online-only, else online. That is the most
favourable honest reading of a baseline group: it meets in person whenever it could.

Every share is over groups except coverage (over members) and in-person distance (over in-person
groups). A group counts as format-consistent when its mode suits every member: no online-only
member in an in-person group, no in-person-only member in an online group, and every member of an
in-person group has coordinates.
"""
from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from matching.types import MemberProfile

EARTH_RADIUS_KM = 6371.0088


@dataclass
class Scores:
    members: int
    placed: int  # members in some group (each counted once)
    groups: int
    common_focus: int  # groups whose members all share a canonical hobby (ground truth)
    two_slots: int  # groups with >= 2 weekly slots every member is free
    comfort_ok: int  # groups whose comfort steps span at most 1
    format_ok: int  # groups whose mode suits every member
    in_person: int  # in-person groups
    in_person_near: int  # in-person groups whose farthest pair is within max_distance_km
    size_ok: int  # groups of min_size..max_size
    duplicates: int  # member ids placed in more than one group (or twice in one)
    unknown: int  # ids in groups that are not in the population
    common_category: int  # groups sharing at least a category of hobby (looser; for diagnosis)

    def share(self, part: int, whole: int) -> float:
        return 100.0 * part / whole if whole else float("nan")

    @property
    def row(self) -> dict[str, float]:
        g = self.groups
        return {
            "placed": self.share(self.placed, self.members),
            "common_focus": self.share(self.common_focus, g),
            "two_slots": self.share(self.two_slots, g),
            "comfort": self.share(self.comfort_ok, g),
            "format": self.share(self.format_ok, g),
            "near": self.share(self.in_person_near, self.in_person),
            "size_ok": self.share(self.size_ok, g),
            "mean_size": self.placed / g if g else float("nan"),
            "in_person_groups": float(self.in_person),
            "common_category": self.share(self.common_category, g),
        }


def infer_mode(members: Sequence[MemberProfile]) -> str:
    """For methods that give no mode: in person when everyone could, else online."""
    if all(m.lat is not None and m.lon is not None and m.format != "online" for m in members):
        return "in_person"
    return "online"


def max_pairwise_km(lat: np.ndarray, lon: np.ndarray) -> float:
    """The largest haversine distance between any two points, in km."""
    if len(lat) < 2:
        return 0.0
    la, lo = np.radians(lat), np.radians(lon)
    dlat = la[:, None] - la[None, :]
    dlon = lo[:, None] - lo[None, :]
    a = np.sin(dlat / 2) ** 2 + np.cos(la)[:, None] * np.cos(la)[None, :] * np.sin(dlon / 2) ** 2
    return float(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))).max())


def format_consistent(members: Sequence[MemberProfile], mode: str) -> bool:
    if mode == "in_person":
        return all(m.format != "online" and m.lat is not None and m.lon is not None for m in members)
    if mode == "online":
        return all(m.format != "in_person" for m in members)
    return False


def evaluate(
    groups: Iterable[tuple[Sequence[Hashable], str | None]],
    profiles: Sequence[MemberProfile],
    truth,
    min_size: int = 4,
    max_size: int = 6,
    max_distance_km: float = 25.0,
) -> Scores:
    by_id = {p.id: p for p in profiles}
    seen: set = set()
    s = Scores(len(profiles), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    for ids, mode in groups:
        s.groups += 1
        for mid in ids:
            if mid not in by_id:
                s.unknown += 1
            elif mid in seen:
                s.duplicates += 1
            else:
                seen.add(mid)
        members = [by_id[mid] for mid in ids if mid in by_id]
        if not members:
            continue
        mode = mode or infer_mode(members)
        s.size_ok += min_size <= len(ids) <= max_size
        s.common_focus += bool(frozenset.intersection(*(truth.hobbies[m.id] for m in members)))
        s.common_category += bool(frozenset.intersection(*(truth.categories(m.id) for m in members)))
        s.two_slots += len(set.intersection(*(set(m.availability) for m in members))) >= 2
        comforts = [m.comfort for m in members]
        s.comfort_ok += max(comforts) - min(comforts) <= 1
        s.format_ok += format_consistent(members, mode)
        if mode == "in_person":
            s.in_person += 1
            located = [m for m in members if m.lat is not None and m.lon is not None]
            if len(located) == len(members):
                km = max_pairwise_km(np.array([m.lat for m in located]), np.array([m.lon for m in located]))
                s.in_person_near += km <= max_distance_km
    s.placed = len(seen)
    return s


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, a)))
