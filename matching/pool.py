"""The members being matched, as arrays, with the pair similarity and the hard rules.

Everything here works on index arrays so one call scores thousands of candidates at once; nothing
ever builds a members-by-members matrix (only small candidates-by-candidates ones).
"""
import math

import numpy as np

from matching.features import Features
from matching.geo import EARTH_RADIUS_KM, haversine_km
from matching.weights import WEIGHTS

ONLINE, IN_PERSON = 0, 1
MODES = ("online", "in_person")


class Pool:
    def __init__(self, features: Features, max_distance_km: float):
        self.f = features
        self.max_km = max_distance_km
        fmt = features.fmt
        has_coords = ~np.isnan(features.lat)
        # Who may sit in a group of each mode: format rules are never bent.
        self.can = (
            (fmt == 0) | (fmt == 2),  # online
            ((fmt == 1) | (fmt == 2)) & has_coords,  # in person
        )
        self.has_interests = np.array([len(f) > 0 for f in features.foci], dtype=bool)
        self.has_slots = features.slots != 0
        # Unit vectors on the sphere: two points are within max_km when their dot product is at
        # least cos(max_km / R), which is far cheaper than the haversine formula per pair.
        lat, lon = np.nan_to_num(features.lat), np.nan_to_num(features.lon)
        self.xyz = np.column_stack((np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)))
        self.near_cos = math.cos((max_distance_km - 1e-6) / EARTH_RADIUS_KM)
        # Each mode's weights, scaled so a perfect match scores 1 either way.
        online_total = WEIGHTS.interest + WEIGHTS.availability + WEIGHTS.comfort
        self.scale = (1.0 / online_total, 1.0 / (online_total + WEIGHTS.proximity))

    # -- distance -------------------------------------------------------------------------
    def distance_km(self, i: int, others: np.ndarray) -> np.ndarray:
        f = self.f
        return haversine_km(f.lat[i], f.lon[i], f.lat[others], f.lon[others])

    def near(self, i: int, others: np.ndarray) -> np.ndarray:
        return self.xyz[others] @ self.xyz[i] >= self.near_cos

    # -- similarity -----------------------------------------------------------------------
    def similarity(self, i: int, others: np.ndarray, mode: int, with_interest: bool = True) -> np.ndarray:
        """Pair score (0-1) of member i with each of `others`, as `mode` weighs it."""
        f = self.f
        shared = np.bitwise_count(f.slots[others] & f.slots[i])
        either = np.bitwise_count(f.slots[others] | f.slots[i])
        score = WEIGHTS.availability * shared / np.maximum(either, 1)
        score += WEIGHTS.comfort * np.where(f.comfort[others] == f.comfort[i], 1.0, 0.5)
        if with_interest:
            score += WEIGHTS.interest * (f.embedding[others] @ f.embedding[i])
        if mode == IN_PERSON:
            proximity = 1.0 - self.distance_km(i, others) / self.max_km
            score += WEIGHTS.proximity * np.clip(proximity, 0.0, 1.0)
        return score * self.scale[mode]

    def pair_matrix(self, members: np.ndarray, mode: int) -> np.ndarray:
        """Pair scores among a small set of members (a shortlist), as a square matrix."""
        f = self.f
        slots = f.slots[members]
        shared = np.bitwise_count(slots[:, None] & slots[None, :])
        either = np.bitwise_count(slots[:, None] | slots[None, :])
        comfort = f.comfort[members]
        score = WEIGHTS.availability * shared / np.maximum(either, 1)
        score += WEIGHTS.comfort * np.where(comfort[:, None] == comfort[None, :], 1.0, 0.5)
        embedding = f.embedding[members]
        score += WEIGHTS.interest * (embedding @ embedding.T)
        if mode == IN_PERSON:
            xyz = self.xyz[members]
            distance = np.arccos(np.clip(xyz @ xyz.T, -1.0, 1.0)) * EARTH_RADIUS_KM
            score += WEIGHTS.proximity * np.clip(1.0 - distance / self.max_km, 0.0, 1.0)
        return score * self.scale[mode]

    def near_matrix(self, members: np.ndarray) -> np.ndarray:
        xyz = self.xyz[members]
        return xyz @ xyz.T >= self.near_cos

    def group_score(self, members: list[int], mode: int) -> float:
        """Mean pair similarity within a group (1.0 for a group of one)."""
        if len(members) < 2:
            return 1.0
        matrix = self.pair_matrix(np.array(members), mode)
        upper = np.triu_indices(len(members), k=1)
        return float(matrix[upper].mean())

    # -- hard rules -----------------------------------------------------------------------
    def compatible(self, candidates: np.ndarray, members: list[int], mode: int, need_slots: int,
                   common: int, cmin: int, cmax: int) -> np.ndarray:
        """Which candidates may join `members`: comfort spread, shared slots, and distance."""
        f = self.f
        comfort = f.comfort[candidates]
        ok = (np.maximum(comfort, cmax) - np.minimum(comfort, cmin)) <= 1
        if need_slots:
            ok &= np.bitwise_count(f.slots[candidates] & common) >= need_slots
        if mode == IN_PERSON:
            for member in members:
                ok &= self.near(member, candidates)
        return ok
