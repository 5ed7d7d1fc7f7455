"""The two entry points: forming groups for everyone, and ranking open groups for one member."""
from collections.abc import Hashable, Iterable

import numpy as np

from matching.explain import explanation, members_by_focus, shared_names, unmatched_reason
from matching.features import build_features, mask_slots
from matching.formation import Former
from matching.pool import IN_PERSON, MODES, ONLINE, Pool
from matching.types import CandidateGroup, Group, GroupFit, MatchResult, MemberProfile, Unmatched
from matching.validation import avoid_pairs, check_call, check_profile, existing_members


def form_groups(
    profiles: list[MemberProfile],
    min_size: int = 4,
    max_size: int = 6,
    existing: Iterable | None = None,
    seed: int = 0,
    max_distance_km: float = 25.0,
    avoid: Iterable[tuple[Hashable, Hashable]] | None = None,
) -> MatchResult:
    """Place every member in exactly one group, or say why they are waiting.

    Parameters
    ----------
    profiles : members to place; ids must be unique.
    existing : running groups, as lists of member ids or `ExistingGroup`s. They are kept as they
        are; their free seats (up to `max_size`) are filled, those below `min_size` first.
    seed : ties are broken with this seed; the same seed and input order give the same result.
    max_distance_km : the farthest apart two members of an in-person group may live.
    avoid : pairs of member ids never to be put in one group (a member said a group wasn't for
        them).

    Raises
    ------
    ValueError for a malformed call (duplicate ids, unknown format, comfort outside 1-4, bad slot,
    min_size > max_size). Members who simply can't be placed are returned in `unmatched`.
    """
    profiles = list(profiles)
    check_call(profiles, min_size, max_size, max_distance_km)
    running = existing_members(existing)
    position = {profile.id: i for i, profile in enumerate(profiles)}
    pool = Pool(build_features(profiles), max_distance_km)
    avoid_index: dict[int, set[int]] = {}
    for first, second in avoid_pairs(avoid):
        if first in position and second in position:
            avoid_index.setdefault(position[first], set()).add(position[second])
            avoid_index.setdefault(position[second], set()).add(position[first])
    former = Former(pool, min_size, max_size, avoid_index, seed)

    blocked = ~pool.has_interests | ~pool.has_slots | ~(pool.can[ONLINE] | pool.can[IN_PERSON])
    former.block(np.flatnonzero(blocked))
    for index, (ids, mode) in enumerate(running):
        known = [position[i] for i in ids if i in position]
        outside = [i for i in ids if i not in position]
        former.add_running(index, known, outside, _running_mode(pool, known, mode))
    former.run()

    groups = [_as_group(group, pool, profiles) for group in former.groups]
    by_focus = members_by_focus(pool)
    in_group = np.zeros(len(profiles), dtype=bool)
    for group in former.groups:
        in_group[group.members] = True
    unmatched = [
        Unmatched(profiles[i].id, unmatched_reason(pool, i, blocked, by_focus, min_size))
        for i in np.flatnonzero(~in_group).tolist()
    ]
    return MatchResult(groups=groups, unmatched=unmatched)


def _running_mode(pool: Pool, members: list[int], given: str | None) -> int:
    """A running group's mode: as given, else in person only if everyone can meet in person."""
    if given is not None:
        return MODES.index(given)
    if members and all(pool.can[IN_PERSON][m] for m in members):
        members_array = np.array(members)
        if all((pool.distance_km(m, members_array) <= pool.max_km).all() for m in members):
            return IN_PERSON
    return ONLINE


def _as_group(group, pool: Pool, profiles: list[MemberProfile]) -> Group:
    names = shared_names(group, pool)
    return Group(
        member_ids=list(group.outside_ids) + [profiles[m].id for m in group.members],
        mode=MODES[group.mode],
        shared_interests=names,
        common_slots=mask_slots(group.common),
        score=round(pool.group_score(group.members, group.mode), 4),
        explanation=explanation(group, pool, names),
        existing_index=group.existing_index,
        new_member_ids=[profiles[m].id for m in group.new],
    )


def rank_groups(
    member: MemberProfile,
    candidates: list[CandidateGroup],
    max_size: int = 6,
    max_distance_km: float = 25.0,
) -> list[GroupFit]:
    """Open groups this member could join by choice, best first, scored like `form_groups`.

    A group fits when it has a free seat, meets in a format the member accepts, is within one
    comfort step of everyone in it, within `max_distance_km` of everyone for in-person groups,
    and shares at least one interest the member has with every current member.
    """
    check_profile(member)
    everyone = [member]
    spans = []
    for candidate in candidates:
        for profile in candidate.members:
            check_profile(profile)
        spans.append((len(everyone), len(everyone) + len(candidate.members)))
        everyone.extend(candidate.members)
    pool = Pool(build_features(everyone), max_distance_km)
    f = pool.f
    fits = []
    for index, (candidate, (start, end)) in enumerate(zip(candidates, spans, strict=True)):
        mode = MODES.index(candidate.mode)
        others = np.arange(start, end)
        if len(others) == 0 or len(others) >= max_size or not pool.can[mode][0]:
            continue
        comfort = f.comfort[np.append(others, 0)]
        if comfort.max() - comfort.min() > 1:
            continue
        if mode == IN_PERSON and not (
            pool.can[IN_PERSON][others].all() and (pool.distance_km(0, others) <= max_distance_km).all()
        ):
            continue
        shared = set(f.foci[0].tolist())
        for other in others.tolist():
            shared.intersection_update(f.foci[other].tolist())
        if not shared:
            continue
        common = int(f.slots[0])
        for other in others.tolist():
            common &= int(f.slots[other])
        fits.append(GroupFit(
            index=index,
            score=round(float(pool.similarity(0, others, mode).mean()), 4),
            shared_interests=sorted(f.focus_names[key] for key in shared),
            common_slots=mask_slots(common),
        ))
    fits.sort(key=lambda fit: (-fit.score, fit.index))
    return fits
