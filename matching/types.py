"""The values `form_groups` takes and gives back. Plain dataclasses: callers build them from
whatever they store, and nothing here knows about Flask or a database."""
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Literal

Format = Literal["online", "in_person", "either"]
Mode = Literal["online", "in_person"]
FORMATS: tuple[str, ...] = ("online", "in_person", "either")


@dataclass(frozen=True)
class MemberProfile:
    """One member as matching sees them.

    interests: tags in the member's words or taxonomy names ("board games", "Catan", "D&D").
    availability: weekly slots 0-20 (day * 3 + part, Monday morning = 0).
    lat, lon: degrees; may be None for members who only meet online.
    format: "online", "in_person" or "either".
    comfort: 1-4, the member's step on the graduated ladder.
    place: optional name of where they are ("Kennesaw"), used only in waitlist reasons.
    """

    id: Hashable
    interests: tuple[str, ...] | list[str] = ()
    availability: tuple[int, ...] | list[int] = ()
    lat: float | None = None
    lon: float | None = None
    format: str = "either"
    comfort: int = 1
    place: str | None = None


@dataclass(frozen=True)
class ExistingGroup:
    """A running group, for callers that know its mode; plain lists of ids work too."""

    member_ids: tuple[Hashable, ...] | list[Hashable]
    mode: Mode | None = None


@dataclass
class Group:
    member_ids: list[Hashable]
    mode: Mode
    shared_interests: list[str]  # display names of the focus every member shares
    common_slots: list[int]  # weekly slots every member is free
    score: float  # 0-1, see matching.weights
    explanation: str  # one sentence a member could read
    existing_index: int | None = None  # position in `existing`, or None for a new group
    new_member_ids: list[Hashable] = field(default_factory=list)  # placed by this run


@dataclass(frozen=True)
class Unmatched:
    member_id: Hashable
    reason: str  # a sentence a member could read


@dataclass
class MatchResult:
    groups: list[Group]
    unmatched: list[Unmatched]

    def group_of(self, member_id: Hashable) -> Group | None:
        for group in self.groups:
            if member_id in group.member_ids:
                return group
        return None


@dataclass(frozen=True)
class CandidateGroup:
    """A running group a member might join by choice: its current members and its mode."""

    members: tuple[MemberProfile, ...] | list[MemberProfile]
    mode: Mode


@dataclass(frozen=True)
class GroupFit:
    """How well one candidate group suits one member (from `rank_groups`)."""

    index: int  # position in the candidates given
    score: float  # 0-1, the same pair similarity `form_groups` uses
    shared_interests: list[str]  # focus the member shares with every current member
    common_slots: list[int]  # slots the member and every current member are free
