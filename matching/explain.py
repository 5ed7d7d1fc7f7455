"""Words for members: why a group fits, and why someone is still waiting.

Every sentence here may be read by someone anxious or low, so it is plain, warm and never blames.
"""
import numpy as np

from matching.features import mask_slots
from matching.formation import Forming
from matching.pool import IN_PERSON, Pool
from matching.week import slots_phrase


def shared_names(group: Forming, pool: Pool) -> list[str]:
    """The focus every member shares, as words; a shared category when no single interest is."""
    f = pool.f
    names = sorted(f.focus_names[key] for key in group.foci)
    if not names:
        names = sorted(f.category_names[key] for key in group.cats)
    return names


def _and_list(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def explanation(group: Forming, pool: Pool, names: list[str]) -> str:
    if group.foci:
        interest = f"You all enjoy {_and_list(names[:2])}"
    elif names:
        interest = f"You all like {_and_list(names[:2])} in one form or another"
    else:
        interest = "You were brought together by hand"
    slots = mask_slots(group.common)
    if slots:
        time = f"are free {slots_phrase(slots)}"
    else:
        time = "can agree a time that suits everyone in your group chat"
    if group.mode == IN_PERSON and len(group.members) > 1:
        members = np.array(group.members)
        farthest = max(float(pool.distance_km(m, members).max()) for m in group.members)
        return f"{interest}, live within about {max(1, round(farthest))} km of each other and {time}."
    return f"{interest} and {time}."


def members_by_focus(pool: Pool) -> dict[int, np.ndarray]:
    lists: dict[int, list[int]] = {}
    for member, keys in enumerate(pool.f.foci):
        for key in keys.tolist():
            lists.setdefault(key, []).append(member)
    return {key: np.array(items, dtype=np.int64) for key, items in lists.items()}


def unmatched_reason(pool: Pool, member: int, blocked: np.ndarray, by_focus: dict[int, np.ndarray],
                     min_size: int) -> str:
    """Why this member is waiting, in a sentence they could read."""
    f = pool.f
    wait = "you're on the waitlist and we'll match you as soon as there are enough."
    if not pool.has_interests[member]:
        return "Add a few interests to your profile so we can find people who enjoy the same things; until then you're on the waitlist."
    if not pool.has_slots[member]:
        return "Add some times in the week when you're usually free, so we can find people who can meet when you can; until then you're on the waitlist."
    if not (pool.can[0][member] or pool.can[1][member]):
        return "Choose your neighbourhood (or say you'd also meet online) so we can look for people near you; until then you're on the waitlist."
    # Everyone who could share a group with this member, placed or not.
    sharing = np.zeros(len(blocked), dtype=bool)
    for key in f.foci[member].tolist():
        sharing[by_focus[key]] = True
    sharing &= ~blocked
    sharing[member] = False
    others = np.flatnonzero(sharing)
    others = others[np.abs(f.comfort[others].astype(int) - int(f.comfort[member])) <= 1]
    if not pool.can[0][member]:  # in person only
        others = others[pool.can[1][others]]
        count = int((pool.distance_km(member, others) <= pool.max_km).sum()) + 1
        where = f"of {f.places[member]}" if f.places[member] else "of you"
        if count == 1:
            return f"You're the first member who wants in-person meetups around your interests within {pool.max_km:g} km {where}; {wait}"
        if count < min_size:
            return f"Only {count} members want in-person meetups around your interests within {pool.max_km:g} km {where} yet; {wait}"
        return (f"The in-person groups within {pool.max_km:g} km {where} that share your interests are full "
                "or meet at times you're not free, for now; you're on the waitlist, and we'll look again as soon as a seat opens or new members join.")
    count = int(pool.can[0][others].sum()) + 1
    if count == 1:
        return f"You're the first member with your interests at a similar pace so far; {wait}"
    if count < min_size:
        return f"Only {count} members share your interests at a similar pace so far; {wait}"
    return ("The groups that suit you are full for now, or meet at times you're not free; "
            "you're on the waitlist, and we'll look again as soon as a seat opens or new members join.")
