"""The printable summary a member can bring to a therapist or someone they trust: their own steps,
time in groups, activities and check-ins. Read only, made fresh for each request and never stored.

It is about the member alone: groups appear by name and dates, never with who else is in them.
"""
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select

from community.activities import times
from community.extensions import db
from community.journey import checkins
from community.models import Message, MonthlyCheckIn, StepChange, User
from community.models.activity import Activity, Rsvp
from community.models.base import utcnow
from community.models.group import Group, Membership
from community.profiles.options import COMFORT_LABELS


@dataclass(frozen=True)
class StepMove:
    moved_on: date
    from_step: int
    to_step: int


@dataclass(frozen=True)
class GroupTime:
    name: str
    joined_on: date
    left_on: date | None  # None: still in it
    length: str  # "about 3 months"


@dataclass(frozen=True)
class Attended:
    title: str
    on: date
    where: str  # "Online" or "In person"


@dataclass
class Summary:
    name: str
    made_on: date
    parts: set[str]
    comfort_step: int | None = None
    step_moves: list[StepMove] = field(default_factory=list)
    groups: list[GroupTime] = field(default_factory=list)
    first_message_on: date | None = None
    attended: list[Attended] = field(default_factory=list)
    check_ins: list[MonthlyCheckIn] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (month, note)
    own_words: str = ""

    @property
    def comfort_label(self) -> str | None:
        return COMFORT_LABELS.get(self.comfort_step) if self.comfort_step else None


def how_long(start: datetime, end: datetime) -> str:
    """A rough, friendly length of time: "a few days", "3 weeks", "about 5 months", "about 2 years"."""
    days = max(0, (end - start).days)
    if days < 7:
        return "less than a week"
    if days < 60:
        weeks = days // 7
        return "1 week" if weeks == 1 else f"{weeks} weeks"
    if days < 730:
        return f"about {round(days / 30.44)} months"
    return f"about {round(days / 365.25)} years"


def _local_day(moment: datetime) -> date:
    return times.local(moment).date()


def step_moves(user_id: int) -> list[StepMove]:
    rows = db.session.scalars(select(StepChange).where(StepChange.user_id == user_id)
                              .order_by(StepChange.changed_at, StepChange.id))
    return [StepMove(_local_day(r.changed_at), r.from_step, r.to_step) for r in rows]


def group_times(user_id: int, now: datetime) -> list[GroupTime]:
    """Each group the member has been in, by its name and their own dates only."""
    rows = db.session.execute(select(Group.name, Membership.joined_at, Membership.left_at)
                              .join(Group, Group.id == Membership.group_id)
                              .where(Membership.user_id == user_id).order_by(Membership.joined_at, Membership.id))
    return [GroupTime(name, _local_day(joined), _local_day(left) if left else None, how_long(joined, left or now))
            for name, joined, left in rows]


def first_message_on(user_id: int) -> date | None:
    first = db.session.scalar(select(func.min(Message.created_at)).where(
        Message.author_id == user_id, Message.kind == "member"))
    return _local_day(first) if first else None


def attended(user_id: int) -> list[Attended]:
    rows = db.session.execute(select(Activity.title, Activity.starts_at, Activity.format)
                              .join(Rsvp, Rsvp.activity_id == Activity.id)
                              .where(Rsvp.user_id == user_id, Rsvp.attended.is_(True))
                              .order_by(Activity.starts_at, Activity.id))
    return [Attended(title, _local_day(starts), "Online" if fmt == "online" else "In person")
            for title, starts, fmt in rows]


PARTS = ("steps", "activities", "check_ins", "notes")


def build(user: User, parts: set[str], own_words: str = "", now: datetime | None = None) -> Summary:
    """The summary with just the parts the member chose."""
    now = now or utcnow()
    summary = Summary(name=user.display_name, made_on=_local_day(now), parts=set(parts) & set(PARTS),
                      own_words=(own_words or "").strip())
    if "steps" in summary.parts:
        summary.comfort_step = user.profile.comfort_step if user.profile else None
        summary.step_moves = step_moves(user.id)
    if "activities" in summary.parts:
        summary.groups = group_times(user.id, now)
        summary.first_message_on = first_message_on(user.id)
        summary.attended = attended(user.id)
    if summary.parts & {"check_ins", "notes"}:
        rows = checkins.history(user.id)
        if "check_ins" in summary.parts:
            summary.check_ins = rows
        if "notes" in summary.parts:
            summary.notes = [(row.month, row.note) for row in rows if (row.note or "").strip()]
    return summary
