"""Group formation: hardest-to-place members first, each growing the best small group it can.

How it works, and why it scales (it never compares everyone with everyone):
1. Members are blocked by mode and by focus: a member can only be grouped with people who share
   a focus (an interest after synonyms, or later a category) and may meet in the same mode.
2. Seeds are taken hardest first (fewest possible partners), so members with rare interests or
   in far-out places are grouped while their few partners are still free.
3. For a seed, each of its foci gives a block of free candidates; the hard rules (comfort within
   one step, shared weekly slots, distance for in-person) filter it with array maths; the most
   similar ones by the model are shortlisted (nearest neighbours within the block) and the group is
   grown greedily from them. The best group over the seed's foci is kept.
4. Levels relax only what the population forces: two shared slots, then one, then none; a
   shared interest, then a shared category. After each level, members left over take free seats
   in groups that still fit them, running groups first.
"""
from dataclasses import dataclass, field

import numpy as np

from matching.pool import IN_PERSON, ONLINE, Pool
from matching.weights import CANDIDATES_PER_SEED, SLOT_REQUIREMENTS, WEIGHTS

SHORTLIST = 200  # candidates given the full (sparse) interest similarity per seed and focus
LEVELS = tuple(("focus", need) for need in SLOT_REQUIREMENTS) + (("category", 2), ("category", 0))
ALL_SLOTS = (1 << 21) - 1


@dataclass
class Forming:
    members: list[int]
    mode: int
    foci: set[int]
    cats: set[int]
    common: int
    cmin: int
    cmax: int
    existing_index: int | None = None
    outside_ids: list = field(default_factory=list)  # ids of running-group members we know nothing of
    new: list[int] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.members) + len(self.outside_ids)

    def keys(self, kind: str) -> set[int]:
        return self.foci if kind == "focus" else self.cats


class Former:
    def __init__(self, pool: Pool, min_size: int, max_size: int, avoid: dict[int, set[int]], seed: int):
        self.pool = pool
        self.f = pool.f
        self.n = len(self.f.comfort)
        self.min_size, self.max_size = min_size, max_size
        self.goal = max(min_size, max_size - 1)
        self.avoid = avoid
        self.rng = np.random.default_rng(seed)
        self.taken = np.zeros(self.n, dtype=bool)
        self.groups: list[Forming] = []
        self.by_key: dict[str, dict[int, list[int]]] = {"focus": {}, "category": {}}
        self._buckets: dict[tuple[str, int], dict[int, np.ndarray]] = {}
        self._order: dict[str, np.ndarray] = {}

    # -- set-up ---------------------------------------------------------------------------
    def block(self, members: np.ndarray) -> None:
        """Members who can't be placed at all (their reasons are given later)."""
        self.taken[members] = True

    def add_running(self, index: int, members: list[int], outside_ids: list, mode: int) -> None:
        group = self._new_group(members, mode)
        group.existing_index = index
        group.outside_ids = outside_ids
        self.taken[members] = True
        self._register(len(self.groups), group)
        self.groups.append(group)

    # -- the levels -----------------------------------------------------------------------
    def run(self) -> None:
        for kind, need in LEVELS:
            self._refill_running(kind, need)
            self._form_new(kind, need)
            self._fill_vacancies(kind, need)
        # Last resort, for those still waiting: a seat in a group that keeps its shared focus and
        # at least one shared slot, even if the group had two.
        self._fill_vacancies("focus", 1, keep_second_slot=False)

    def _form_new(self, kind: str, need: int) -> None:
        order = self.order(kind)
        # In-person-only members are the most constrained, then online-only, then the flexible.
        for fmt in (IN_PERSON, ONLINE, 2):
            for seed in order[self.f.fmt[order] == fmt]:
                if self.taken[seed]:
                    continue
                best = None
                for mode in (IN_PERSON, ONLINE):
                    if not self.pool.can[mode][seed]:
                        continue
                    for key in self._member_keys(kind, seed):
                        grown = self._grow([seed], mode, kind, key, need, self.goal, seed=seed)
                        if grown and len(grown) >= self.min_size:
                            rank = (len(grown), self.pool.group_score(grown, mode))
                            if best is None or rank > best[0]:
                                best = (rank, grown, mode)
                if best:
                    _, members, mode = best
                    self.taken[members] = True
                    group = self._new_group(members, mode)
                    group.new = list(members)
                    self._register(len(self.groups), group)
                    self.groups.append(group)

    def _refill_running(self, kind: str, need: int) -> None:
        """Running groups that fell below the minimum get newcomers before anything else."""
        for number, group in enumerate(self.groups):
            if group.existing_index is None or group.size >= self.min_size or not group.members:
                continue
            best = None
            for key in sorted(group.keys(kind)):
                grown = self._grow(
                    list(group.members), group.mode, kind, key, need, self.goal - len(group.outside_ids),
                    group=group,
                )
                added = grown[len(group.members):] if grown else []
                if added and (best is None or len(added) > len(best)):
                    best = added
            for member in best or ():
                self._add(number, group, member)

    def _fill_vacancies(self, kind: str, need: int, keep_second_slot: bool = True) -> None:
        """Members still free take a seat in the best group that still fits them all."""
        free = [m for m in self.order(kind).tolist() if not self.taken[m]]
        if not free:
            return
        table = _GroupTable(self.groups, self.max_size)
        by_key = {key: np.array(numbers) for key, numbers in self.by_key[kind].items()}
        f, pool = self.f, self.pool
        for member in free:
            lists = [by_key[key] for key in self._member_keys(kind, member).tolist() if key in by_key]
            if not lists:
                continue
            numbers = np.unique(np.concatenate(lists))
            numbers = numbers[table.open_for(numbers, member, pool, need, keep_second_slot)]
            if len(numbers) == 0:
                continue
            score = table.mean_similarity(numbers, member, pool)
            running = table.running[numbers]
            for choice in np.lexsort((table.size[numbers], -score, ~running)).tolist():
                number = int(numbers[choice])
                group = self.groups[number]
                if self._keeps_focus(group, kind, member) and not self._avoids(member, group.members):
                    self._add(number, group, member)
                    table.update(number, group, f)
                    break

    # -- growing one group ----------------------------------------------------------------
    def _grow(self, anchors: list[int], mode: int, kind: str, key: int, need: int, goal: int,
              seed: int | None = None, group: Forming | None = None) -> list[int] | None:
        """Grow a group from `anchors` with free members who share `key`; None if none fit."""
        pool, f = self.pool, self.f
        candidates = self._free_in_bucket(kind, mode, key)
        if seed is not None:
            candidates = candidates[candidates != seed]
        if group is not None:
            common, cmin, cmax = group.common, group.cmin, group.cmax
        else:
            common = int(f.slots[anchors[0]])
            cmin = cmax = int(f.comfort[anchors[0]])
        candidates = candidates[pool.compatible(candidates, anchors, mode, need, common, cmin, cmax)]
        if len(candidates) == 0 or (group is None and len(candidates) + len(anchors) < self.min_size):
            return None
        if len(candidates) > SHORTLIST:
            cheap = sum(pool.similarity(a, candidates, mode, with_interest=False) for a in anchors)
            candidates = candidates[np.sort(np.argpartition(-cheap, SHORTLIST)[:SHORTLIST])]
        affinity = sum(pool.similarity(a, candidates, mode) for a in anchors)
        if len(candidates) > CANDIDATES_PER_SEED:
            keep = np.sort(np.argpartition(-affinity, CANDIDATES_PER_SEED)[:CANDIDATES_PER_SEED])
            candidates, affinity = candidates[keep], affinity[keep]
        # From here on only the shortlist is compared, with itself: a small square matrix.
        pairs = pool.pair_matrix(candidates, mode)
        near = pool.near_matrix(candidates) if mode == IN_PERSON else None
        slots, comfort = f.slots[candidates], f.comfort[candidates]
        preference = affinity + WEIGHTS.exact_format_bonus * (f.fmt[candidates] == mode)
        alive = np.ones(len(candidates), dtype=bool)
        members = list(anchors)
        while len(members) < goal:
            alive &= (np.maximum(comfort, cmax) - np.minimum(comfort, cmin)) <= 1
            if need:
                alive &= np.bitwise_count(slots & common) >= need
            choice = self._best_allowed(candidates, np.where(alive, preference, -np.inf), members)
            if choice is None:
                break
            member = int(candidates[choice])
            members.append(member)
            alive[choice] = False
            if near is not None:
                alive &= near[choice]
            common &= int(slots[choice])
            cmin, cmax = min(cmin, int(comfort[choice])), max(cmax, int(comfort[choice]))
            preference = preference + pairs[choice]
        return members

    def _best_allowed(self, candidates: np.ndarray, preference: np.ndarray, members: list[int]) -> int | None:
        for choice in np.argsort(-preference, kind="stable"):
            if preference[choice] == -np.inf:
                return None
            if not self._avoids(int(candidates[choice]), members):
                return int(choice)
        return None

    def _keeps_focus(self, group: Forming, kind: str, member: int) -> bool:
        """A newcomer shares the level's key with the group and never costs it a shared interest."""
        if group.foci:
            return bool(group.foci.intersection(self.f.foci[member].tolist()))
        return kind == "category" and bool(group.cats.intersection(self.f.categories[member].tolist()))

    def _avoids(self, member: int, members) -> bool:
        shunned = self.avoid.get(member)
        return bool(shunned) and any(other in shunned for other in members)

    # -- bookkeeping ----------------------------------------------------------------------
    def _new_group(self, members: list[int], mode: int) -> Forming:
        f = self.f
        foci = set(f.foci[members[0]].tolist()) if members else set()
        cats = set(f.categories[members[0]].tolist()) if members else set()
        common = ALL_SLOTS
        for member in members:
            foci.intersection_update(f.foci[member].tolist())
            cats.intersection_update(f.categories[member].tolist())
            common &= int(f.slots[member])
        comfort = [int(f.comfort[m]) for m in members] or [1]
        return Forming(list(members), mode, foci, cats, common if members else 0, min(comfort), max(comfort))

    def _add(self, number: int, group: Forming, member: int) -> None:
        f = self.f
        group.members.append(member)
        group.new.append(member)
        group.foci.intersection_update(f.foci[member].tolist())
        group.cats.intersection_update(f.categories[member].tolist())
        group.common &= int(f.slots[member])
        group.cmin = min(group.cmin, int(f.comfort[member]))
        group.cmax = max(group.cmax, int(f.comfort[member]))
        self.taken[member] = True

    def _register(self, number: int, group: Forming) -> None:
        for kind in ("focus", "category"):
            index = self.by_key[kind]
            for key in group.keys(kind):
                index.setdefault(key, []).append(number)

    def _groups_sharing(self, kind: str, member: int) -> list[int]:
        index = self.by_key[kind]
        numbers: set[int] = set()
        for key in self._member_keys(kind, member).tolist():
            numbers.update(index.get(key, ()))
        return sorted(numbers)

    def _member_keys(self, kind: str, member: int) -> np.ndarray:
        return self.f.foci[member] if kind == "focus" else self.f.categories[member]

    def _free_in_bucket(self, kind: str, mode: int, key: int) -> np.ndarray:
        buckets = self._bucket_index(kind, mode)
        bucket = buckets.get(key)
        if bucket is None:
            return np.empty(0, dtype=np.int64)
        free = bucket[~self.taken[bucket]]
        if len(free) < len(bucket):
            buckets[key] = free  # taken members never come back: drop them for good
        return free

    def _bucket_index(self, kind: str, mode: int) -> dict[int, np.ndarray]:
        found = self._buckets.get((kind, mode))
        if found is None:
            lists: dict[int, list[int]] = {}
            for member in np.flatnonzero(self.pool.can[mode]).tolist():
                for key in self._member_keys(kind, member).tolist():
                    lists.setdefault(key, []).append(member)
            found = {key: np.array(items, dtype=np.int64) for key, items in lists.items()}
            self._buckets[(kind, mode)] = found
        return found

    def order(self, kind: str) -> np.ndarray:
        """Members by how few partners they could have (fewest first); ties broken by the seed."""
        found = self._order.get(kind)
        if found is None:
            options = np.zeros(self.n, dtype=np.int64)
            for mode in (ONLINE, IN_PERSON):
                sizes = {key: len(items) for key, items in self._bucket_index(kind, mode).items()}
                for member in np.flatnonzero(self.pool.can[mode]).tolist():
                    options[member] += sum(sizes[key] for key in self._member_keys(kind, member).tolist())
            found = np.lexsort((self.rng.permutation(self.n), options))
            self._order[kind] = found
        return found


class _GroupTable:
    """The groups as arrays, so one member is checked against thousands of groups at once."""

    def __init__(self, groups: list[Forming], max_size: int):
        self.max_size = max_size
        width = max([max_size] + [len(g.members) for g in groups])
        self.members = np.full((len(groups), width), -1, dtype=np.int64)
        for number, group in enumerate(groups):
            self.members[number, :len(group.members)] = group.members
        self.size = np.array([g.size for g in groups], dtype=np.int64)
        self.known = np.array([len(g.members) for g in groups], dtype=np.int64)
        self.common = np.array([g.common for g in groups], dtype=np.int64)
        self.cmin = np.array([g.cmin for g in groups], dtype=np.int64)
        self.cmax = np.array([g.cmax for g in groups], dtype=np.int64)
        self.mode = np.array([g.mode for g in groups], dtype=np.int8)
        self.running = np.array([g.existing_index is not None for g in groups], dtype=bool)

    def open_for(self, numbers: np.ndarray, member: int, pool, need: int, keep_second_slot: bool) -> np.ndarray:
        f = pool.f
        comfort = int(f.comfort[member])
        ok = (self.size[numbers] < self.max_size) & (self.known[numbers] > 0)
        ok &= np.where(self.mode[numbers] == IN_PERSON, pool.can[IN_PERSON][member], pool.can[ONLINE][member])
        ok &= (np.maximum(self.cmax[numbers], comfort) - np.minimum(self.cmin[numbers], comfort)) <= 1
        # A newcomer never costs a group its second shared slot: at relaxed levels only groups
        # that already share fewer than two slots take members who share less.
        shared_now = np.bitwise_count(self.common[numbers])
        shared_after = np.bitwise_count(self.common[numbers] & f.slots[member])
        ok &= shared_after >= (np.maximum(need, np.minimum(shared_now, 2)) if keep_second_slot else need)
        in_person = ok & (self.mode[numbers] == IN_PERSON)
        if in_person.any():
            rows = self.members[numbers[in_person]]
            near = (pool.xyz[rows] @ pool.xyz[member] >= pool.near_cos) | (rows < 0)
            ok[in_person] = near.all(axis=1)
        return ok

    def mean_similarity(self, numbers: np.ndarray, member: int, pool) -> np.ndarray:
        rows = self.members[numbers]
        valid = rows >= 0
        scores = np.zeros(rows.shape)
        scores[valid] = pool.similarity(member, rows[valid], ONLINE)
        return scores.sum(axis=1) / np.maximum(valid.sum(axis=1), 1)

    def update(self, number: int, group: Forming, f) -> None:
        self.members[number, len(group.members) - 1] = group.members[-1]
        self.size[number] = group.size
        self.known[number] = len(group.members)
        self.common[number] = group.common
        self.cmin[number], self.cmax[number] = group.cmin, group.cmax
