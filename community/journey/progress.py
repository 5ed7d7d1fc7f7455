"""What a member has done on their journey, read from the database (never typed in by anyone):
their first chat message, the activities an organizer marked them as attending, the groups they
are in. Also the facts the pure suggestion rules (suggestions.py) need, links included."""
from dataclasses import dataclass, field
from datetime import datetime

from flask import url_for
from sqlalchemy import exists, func, select
from sqlalchemy.orm import selectinload

from community.activities import times
from community.extensions import db
from community.journey.suggestions import ActivityOption, SuggestionInput
from community.models import Membership, Message, User
from community.models.activity import Activity, ActivityGroup, Rsvp
from community.models.base import utcnow
from community.profiles.options import COMFORT_LABELS

# How many upcoming activities the suggestion rules look at; they pick one.
UPCOMING_LOOKED_AT = 20


@dataclass(frozen=True)
class Attended:
    title: str
    day: str  # "March 12"
    group_ids: frozenset[int]
    series_id: int | None


@dataclass(frozen=True)
class StepDone:
    step: int
    label: str
    activities: list[Attended]


@dataclass
class Progress:
    step: int
    first_message_at: datetime | None = None
    memberships: list[Membership] = field(default_factory=list)  # active, in the order joined
    by_step: list[StepDone] = field(default_factory=list)  # only steps with something attended

    @property
    def attended(self) -> list[Attended]:
        return [item for done in self.by_step for item in done.activities]

    @property
    def anything_yet(self) -> bool:
        return bool(self.first_message_at or self.memberships or self.by_step)


def day_label(moment: datetime) -> str:
    """'March 12', in the community's time."""
    at = times.local(moment)
    return f"{at:%B} {at.day}"


def progress_of(user: User) -> Progress:
    """The member's own facts, in at most three small queries."""
    step = (user.profile.comfort_step if user.profile else None) or 1
    first = db.session.scalar(select(func.min(Message.created_at)).where(
        Message.author_id == user.id, Message.kind == "member"))
    memberships = list(db.session.scalars(
        select(Membership).where(Membership.user_id == user.id, Membership.left_at.is_(None))
        .options(selectinload(Membership.group)).order_by(Membership.joined_at, Membership.id)))
    attended = db.session.scalars(
        select(Activity).join(Rsvp, Rsvp.activity_id == Activity.id)
        .where(Rsvp.user_id == user.id, Rsvp.attended.is_(True))
        .options(selectinload(Activity.groups)).order_by(Activity.starts_at, Activity.id))
    grouped: dict[int, list[Attended]] = {}
    for activity in attended:
        grouped.setdefault(activity.comfort_step, []).append(Attended(
            title=activity.title, day=day_label(activity.starts_at),
            group_ids=frozenset(g.id for g in activity.groups), series_id=activity.series_id))
    by_step = [StepDone(n, COMFORT_LABELS[n], grouped[n]) for n in sorted(grouped)]
    return Progress(step=step, first_message_at=first, memberships=memberships, by_step=by_step)


def _has_expectations(activity: Activity) -> bool:
    """A written plan or "what to expect" an organizer filled in."""
    return any((value or "").strip() for value in (activity.agenda, activity.arrival, activity.noise,
                                                   activity.seating))


def _familiar(activity: Activity, attended: list[Attended]) -> bool:
    """The same repeating activity, or the same title in the same group, as one they went to."""
    groups = {g.id for g in activity.groups}
    return any((activity.series_id is not None and item.series_id == activity.series_id)
               or (item.title == activity.title and item.group_ids & groups) for item in attended)


def upcoming_options(user: User, progress: Progress, now: datetime | None = None) -> list[ActivityOption]:
    """Scheduled activities of the member's groups, still ahead, at or below their step, that they
    haven't answered yet (an answer, even "can't go", is theirs to keep: no nudging about it)."""
    group_ids = [m.group_id for m in progress.memberships]
    if not group_ids:
        return []
    now = now or utcnow()
    answered = exists().where(Rsvp.activity_id == Activity.id, Rsvp.user_id == user.id)
    found = db.session.scalars(
        select(Activity).where(
            Activity.id.in_(select(ActivityGroup.activity_id).where(ActivityGroup.group_id.in_(group_ids))),
            Activity.status == "scheduled", Activity.starts_at > now,
            Activity.comfort_step <= progress.step, ~answered)
        .options(selectinload(Activity.groups)).order_by(Activity.starts_at, Activity.id)
        .limit(UPCOMING_LOOKED_AT))
    attended = progress.attended
    return [ActivityOption(
        title=a.title, link=url_for("activities.activity", activity_id=a.id), comfort_step=a.comfort_step,
        when=times.when(a.starts_at), online=a.format == "online", has_expectations=_has_expectations(a),
        familiar=_familiar(a, attended)) for a in found]


def suggestion_input(user: User, progress: Progress, now: datetime | None = None) -> SuggestionInput:
    profile = user.profile
    first_group = progress.memberships[0].group if progress.memberships else None
    return SuggestionInput(
        step=progress.step,
        barriers=tuple(profile.barriers or ()) if profile else (),
        has_posted=progress.first_message_at is not None,
        group_name=first_group.name if first_group else None,
        chat_link=url_for("groups.group", group_id=first_group.id, _anchor="group-chat") if first_group else None,
        browse_link=url_for("groups.browse"),
        sharing_link=url_for("profiles.step", step="sharing", **{"from": "profile"}),
        shared_note=bool(profile and ((profile.communication_note or "").strip() or profile.communication_prefs)),
        upcoming=tuple(upcoming_options(user, progress, now)),
    )
