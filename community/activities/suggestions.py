"""Activity ideas for a group: drawn from the interests its members share, pitched at its comfort step.

The ideas live in data/ideas.json so anyone can edit them; "{interest}" in a title or description
becomes the shared interest the idea was drawn from. The lowest step in the group sets the ceiling:
nobody is offered something above the step they chose. Online ideas (steps 1-2) suit everyone at or
above their step; in-person ideas need every member at step 3 or above and a group that meets in
person; step-4 ideas need everyone at step 4. Pure and deterministic: same group, same ideas.
"""
import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from itertools import zip_longest
from pathlib import Path

from community.activities.services import ActivityError, Plan
from community.models import Group
from community.models.group import MAX_GROUP_SIZE
from community.reference import Interest, neighbourhoods, taxonomy

DATA_FILE = Path(__file__).parent / "data" / "ideas.json"
GENERIC = "general"  # the category of ideas that suit any group
PLACEHOLDER = "{interest}"
# Interest names that start with a proper noun keep their capital inside a sentence.
PROPER = {"Atlanta", "Premier", "American", "Spanish", "French", "Korean", "Japanese", "Mandarin",
          "Vietnamese", "German", "Arabic", "Portuguese", "Minecraft", "Go"}
SUITS = {
    1: "it's online and in text, which suits everyone from step 1",
    2: "it's a structured online activity, which suits everyone from step 2",
    3: "it's a small in-person meet-up with a shared focus, which suits everyone from step 3",
    4: "it's open-ended and in person, which suits everyone at step 4",
}


@dataclass(frozen=True)
class Idea:
    category: str
    format: str  # "online" or "in_person"
    step: int
    title: str
    description: str
    agenda: str
    duration_minutes: int
    capacity: int
    noise: str = ""  # in person: what to expect
    seating: str = ""
    arrival: str = ""
    join_hint: str = ""  # online: the link the organizer adds
    interest: str | None = None  # the shared interest (display name) it was drawn from
    why: str = ""


@cache
def raw_ideas() -> tuple[dict, ...]:
    """Every idea in the data file, in file order."""
    return tuple(json.loads(DATA_FILE.read_text(encoding="utf-8"))["ideas"])


def _shared(group: Group) -> list[tuple[str, Interest]]:
    """The group's shared interests that the taxonomy knows, in the group's order, once each."""
    tax, found, seen = taxonomy(), [], set()
    for name in group.shared_interests or []:
        slug = tax.match(name) or next(iter(tax.find_within(name)), None)
        if slug and slug not in seen:
            seen.add(slug)
            found.append((name, tax.interests[slug]))
    return found


def _allowed(raw: dict, lowest: int, in_person: bool, modes: str = "both") -> bool:
    if raw["step"] > lowest:
        return False
    if raw["format"] == "online":
        return True
    return in_person and modes != "online"  # an online-only interest gets no in-person ideas


def _ordered(indexes: list[int]) -> list[int]:
    """Closest to the group's step first (in person before online), then in file order."""
    return sorted(indexes, key=lambda i: -raw_ideas()[i]["step"])


def _sentence_name(name: str) -> str:
    """'Board games' -> 'board games', but 'Atlanta Braves', 'LEGO building', 'K-pop' stay as written."""
    slug, first = taxonomy().match(name), name.split()[0]
    if slug is None or taxonomy().interests[slug].name != name or first in PROPER or not first[1:].isalpha() \
            or not first[1:].islower():
        return name  # a member's own words, a proper noun, or an acronym
    return name[0].lower() + name[1:]


def _idea(raw: dict, interest: str | None) -> Idea:
    def fill(text: str) -> str:
        return text.replace(PLACEHOLDER, interest or "").strip(" :")

    lead = (f"Everyone in the group likes {_sentence_name(interest)}" if interest
            else "It suits any group while you find out what you share")
    fields = {k: v for k, v in raw.items() if k in Idea.__dataclass_fields__}
    return Idea(**{**fields, "title": fill(raw["title"]), "description": fill(raw["description"])},
                interest=interest, why=f"{lead}, and {SUITS[raw['step']]}.")


def ideas_for(group: Group, members_steps: list[int], limit: int = 5) -> list[Idea]:
    """Up to `limit` ideas for the group, taking turns between its shared interests.

    A member with no step yet counts as step 1, so nobody is pushed past where they might be.
    """
    if limit <= 0:
        return []
    lowest = min((step or 1 for step in members_steps), default=1)
    in_person = lowest >= 3 and group.mode == "in_person"
    ideas = raw_ideas()
    queues = [[(name, i) for i in _ordered([i for i, raw in enumerate(ideas)
                                            if raw["category"] == interest.category
                                            and _allowed(raw, lowest, in_person, interest.modes)])]
              for name, interest in _shared(group)]
    picked, seen = [], set()
    for turn in zip_longest(*queues):  # one idea per interest per turn, so the first few vary
        for item in turn:
            if item and item[1] not in seen:
                seen.add(item[1])
                picked.append(item)
    if not picked:
        picked = [(None, i) for i in _ordered([i for i, raw in enumerate(ideas)
                                               if raw["category"] == GENERIC and _allowed(raw, lowest, in_person)])]
    return [_idea(ideas[i], name) for name, i in picked[:limit]]


def plan_from(idea: Idea, group: Group, day: date, start_time: time) -> Plan:
    """A Plan for `schedule`, filled from the idea. Online plans have no join link yet: the organizer
    adds one (see `idea.join_hint`); in-person plans still need a venue and its address."""
    ends = datetime.combine(day, start_time) + timedelta(minutes=idea.duration_minutes)
    if ends.date() != day:
        raise ActivityError("This idea would run past midnight. Please pick an earlier start.")
    category = taxonomy().categories.get(idea.category)
    hood = neighbourhoods().get(group.neighbourhood or "") if idea.format == "in_person" else None
    return Plan(
        title=idea.title, focus=idea.interest or (category.name if category else idea.title),
        format=idea.format, day=day, start=start_time, end=ends.time(),
        capacity=group.capacity or MAX_GROUP_SIZE, comfort_step=idea.step, group_ids=[group.id],
        description=idea.description, agenda=idea.agenda, join_url=None,
        neighbourhood=hood.name if hood else None,
        noise=idea.noise, seating=idea.seating, arrival=idea.arrival,
    )
