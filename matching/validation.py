"""Refusing malformed calls early, with messages that say what to fix."""
from collections.abc import Hashable, Iterable

from matching.types import FORMATS, ExistingGroup, MemberProfile
from matching.week import SLOT_COUNT


def check_call(profiles: list[MemberProfile], min_size: int, max_size: int, max_distance_km: float) -> None:
    if not isinstance(min_size, int) or not isinstance(max_size, int) or min_size < 2:
        raise ValueError(f"min_size must be a whole number of at least 2, not {min_size!r}")
    if min_size > max_size:
        raise ValueError(f"min_size ({min_size}) is larger than max_size ({max_size})")
    if not max_distance_km > 0:
        raise ValueError(f"max_distance_km must be positive, not {max_distance_km!r}")
    seen: set = set()
    for position, profile in enumerate(profiles):
        if not isinstance(profile, MemberProfile):
            raise ValueError(f"profiles[{position}] is a {type(profile).__name__}, not a MemberProfile")
        check_profile(profile)
        if profile.id in seen:
            raise ValueError(f"member id {profile.id!r} appears more than once")
        seen.add(profile.id)


def check_profile(profile: MemberProfile) -> None:
    who = f"member {profile.id!r}"
    if profile.format not in FORMATS:
        raise ValueError(f"{who}: unknown format {profile.format!r}; use one of {', '.join(FORMATS)}")
    if isinstance(profile.comfort, bool) or not isinstance(profile.comfort, int) or not 1 <= profile.comfort <= 4:
        raise ValueError(f"{who}: comfort must be a step from 1 to 4, not {profile.comfort!r}")
    if isinstance(profile.interests, str):
        raise ValueError(f"{who}: interests must be a list of tags, not one string")
    for tag in profile.interests:
        if not isinstance(tag, str):
            raise ValueError(f"{who}: interest {tag!r} is not text")
    for slot in profile.availability:
        if isinstance(slot, bool) or not isinstance(slot, int) or not 0 <= slot < SLOT_COUNT:
            raise ValueError(f"{who}: availability slot {slot!r} is not a whole number from 0 to {SLOT_COUNT - 1}")
    for name in ("lat", "lon"):
        value = getattr(profile, name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise ValueError(f"{who}: {name} must be a number or None, not {value!r}")
    if (profile.lat is None) != (profile.lon is None):
        raise ValueError(f"{who}: give both lat and lon, or neither")
    if profile.lat is not None and not (-90 <= profile.lat <= 90 and -180 <= profile.lon <= 180):
        raise ValueError(f"{who}: coordinates ({profile.lat}, {profile.lon}) are not on Earth")


def existing_members(existing: Iterable | None) -> list[tuple[list[Hashable], str | None]]:
    """Each running group as (member ids, mode or None); accepts id lists or ExistingGroup."""
    groups = []
    for position, group in enumerate(existing or ()):
        if isinstance(group, ExistingGroup):
            ids, mode = list(group.member_ids), group.mode
        elif isinstance(group, str | bytes) or not isinstance(group, Iterable):
            raise ValueError(f"existing[{position}] must be a list of member ids or an ExistingGroup")
        else:
            ids, mode = list(group), None
        if mode not in (None, "online", "in_person"):
            raise ValueError(f"existing[{position}]: unknown mode {mode!r}")
        if len(set(ids)) != len(ids):
            raise ValueError(f"existing[{position}] lists a member twice")
        groups.append((ids, mode))
    return groups


def avoid_pairs(avoid: Iterable | None) -> list[tuple[Hashable, Hashable]]:
    pairs = []
    for pair in avoid or ():
        try:
            first, second = pair
        except (TypeError, ValueError):
            raise ValueError(f"avoid entries must be pairs of member ids, not {pair!r}") from None
        pairs.append((first, second))
    return pairs
