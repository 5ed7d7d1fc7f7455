"""Scheduling: one activity or a repeating series, changing or cancelling one date (everyone who
answered is told), and the lists members and organizers see. Checks come first and nothing is
saved unless all of them pass.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import selectinload

from community.activities import times
from community.activities.access import invited
from community.activities.rsvp import fill_freed_seats, going_count
from community.extensions import db
from community.models import Group, Membership, User
from community.models.activity import Activity, ActivityGroup, ActivitySeries, ReminderSent, Rsvp
from community.models.base import utcnow
from community.notifications.services import notify

MAX_OCCURRENCES = 52
MAX_HOURS = 12
TEXT_LIMITS = {"title": 120, "focus": 60, "venue": 120, "neighbourhood": 60, "address": 300, "join_url": 500,
               "noise": 200, "seating": 200, "getting_there": 300, "arrival": 300, "description": 4000,
               "agenda": 4000}
EDITABLE = ("title", "focus", "description", "format", "join_url", "venue", "neighbourhood", "address",
            "capacity", "comfort_step", "agenda", "noise", "seating", "step_free", "getting_there", "arrival")
# Changes people who answered are told about (and that calendar apps must pick up).
NOTEWORTHY = ("title", "format", "join_url", "venue", "address", "starts_at", "ends_at")


class ActivityError(Exception):
    """Why the activity can't be saved as asked, in words the organizer can act on."""


@dataclass
class Plan:
    """What an organizer asked for, before it is checked and saved."""
    title: str
    focus: str
    format: str
    day: date
    start: time
    end: time
    capacity: int
    comfort_step: int = 2
    group_ids: list[int] = field(default_factory=list)
    open_to_all: bool = False
    description: str = ""
    join_url: str | None = None
    venue: str | None = None
    neighbourhood: str | None = None
    address: str | None = None
    agenda: str = ""
    noise: str = ""
    seating: str = ""
    step_free: bool | None = None
    getting_there: str = ""
    arrival: str = ""
    repeat: str | None = None  # None, "weekly" or "biweekly"
    until: date | None = None
    occurrences: int | None = None


def _clean(plan: Plan) -> dict:
    values = {}
    for name, limit in TEXT_LIMITS.items():
        raw = getattr(plan, name)
        text = " ".join(raw.split()) if name not in ("description", "agenda") and isinstance(raw, str) else raw
        text = text.strip() if isinstance(text, str) else text
        if isinstance(text, str) and len(text) > limit:
            raise ActivityError(f"Please keep the {name.replace('_', ' ')} to {limit:,} characters or fewer.")
        values[name] = text or (None if name in ("join_url", "venue", "neighbourhood", "address") else "")
    if not values["title"]:
        raise ActivityError("Please give the activity a title.")
    if not values["focus"]:
        raise ActivityError("Please choose the shared focus.")
    if plan.format not in ("online", "in_person"):
        raise ActivityError("Please choose online or in person.")
    if plan.format == "online":
        url = values["join_url"] or ""
        if not url.startswith(("https://", "http://")):
            raise ActivityError("An online activity needs a join link starting with https://.")
        values.update(venue=None, address=None)
    else:
        if not values["venue"] or not values["address"]:
            raise ActivityError("An in-person activity needs a venue and its address.")
        values["join_url"] = None
    if not isinstance(plan.capacity, int) or plan.capacity < 1:
        raise ActivityError("Capacity must be at least 1.")
    if plan.comfort_step not in (1, 2, 3, 4):
        raise ActivityError("Please choose a comfort step from 1 to 4.")
    return {**values, "format": plan.format, "capacity": plan.capacity, "comfort_step": plan.comfort_step,
            "step_free": plan.step_free}


def _span(day: date, start: time, end: time, now: datetime) -> tuple[datetime, datetime]:
    starts, ends = times.to_utc(day, start), times.to_utc(day, end)
    if ends <= starts:
        raise ActivityError("The end time must be after the start time.")
    if ends - starts > timedelta(hours=MAX_HOURS):
        raise ActivityError(f"An activity can last up to {MAX_HOURS} hours.")
    if starts <= now:
        raise ActivityError("The start is in the past. Please pick a time that's still ahead.")
    return starts, ends


def _days(plan: Plan) -> list[date]:
    """The local dates of the series (or the one date)."""
    if plan.repeat is None:
        return [plan.day]
    if plan.repeat not in ("weekly", "biweekly"):
        raise ActivityError("A series repeats weekly or every two weeks.")
    if plan.until is None and plan.occurrences is None:
        raise ActivityError("A repeating activity needs an end: a last date or a number of times.")
    step = timedelta(weeks=1 if plan.repeat == "weekly" else 2)
    if plan.occurrences is not None and not 1 <= plan.occurrences <= MAX_OCCURRENCES:
        raise ActivityError(f"A series can have from 1 to {MAX_OCCURRENCES} dates.")
    if plan.until is not None and plan.until < plan.day:
        raise ActivityError("The series' last date is before its first.")
    days, day = [], plan.day
    while len(days) < MAX_OCCURRENCES and (plan.until is None or day <= plan.until) \
            and (plan.occurrences is None or len(days) < plan.occurrences):
        days.append(day)
        day += step
    return days


def _groups(plan: Plan, by: User) -> list[Group]:
    if plan.open_to_all:
        return []
    if not plan.group_ids:
        raise ActivityError("Please choose at least one group, or open it to everyone at that comfort step.")
    found = list(db.session.scalars(select(Group).where(Group.id.in_(plan.group_ids))))
    if len(found) != len(set(plan.group_ids)):
        raise ActivityError("One of those groups doesn't exist. Please choose again.")
    return found


def schedule(plan: Plan, by: User, now: datetime | None = None) -> list[Activity]:
    """Create the activity (or every date of the series) and tell the invited groups."""
    now = now or utcnow()
    values = _clean(plan)
    groups = _groups(plan, by)
    days = _days(plan)
    spans = [_span(day, plan.start, plan.end, now) for day in days]
    series = None
    if plan.repeat:
        series = ActivitySeries(repeat=plan.repeat, until_date=plan.until, occurrences=plan.occurrences,
                                created_by_id=by.id, created_at=now)
        db.session.add(series)
    made = []
    for starts, ends in spans:
        activity = Activity(**values, starts_at=starts, ends_at=ends, series=series, created_by_id=by.id,
                            audience="open" if plan.open_to_all else "groups", created_at=now, updated_at=now)
        activity.groups = list(groups)
        db.session.add(activity)
        made.append(activity)
    db.session.flush()
    _announce(made[0], groups, len(made))
    db.session.commit()
    return made


def _announce(first: Activity, groups: list[Group], count: int) -> None:
    """A notification to each invited member (groups only: an open activity is listed, not pushed)."""
    if not groups:
        return
    member_ids = set(db.session.scalars(select(Membership.user_id).where(
        Membership.group_id.in_([g.id for g in groups]), Membership.left_at.is_(None))))
    more = f" (and {count - 1} more dates)" if count > 1 else ""
    for user_id in sorted(member_ids):
        notify(user_id, "activity_new", f"New activity: {first.title}, {times.when(first.starts_at)}{more}. "
                                        "Come if it suits you; no pressure either way.",
               link=f"/activities/{first.id}")


def _answered(activity: Activity) -> list[int]:
    return list(db.session.scalars(select(Rsvp.user_id).where(
        Rsvp.activity_id == activity.id, Rsvp.status.in_(("going", "maybe", "waitlist")))))


def update(activity: Activity, changes: dict, by: User, *, day: date | None = None, start: time | None = None,
           end: time | None = None, now: datetime | None = None) -> list[str]:
    """Change one date. Returns what changed; everyone who answered hears about noteworthy changes."""
    now = now or utcnow()
    if activity.status == "cancelled":
        raise ActivityError("This date was cancelled; schedule a new one instead.")
    if activity.ends_at <= now:
        raise ActivityError("This activity is over, so it can't be changed.")
    merged = Plan(**{**{k: getattr(activity, k) for k in EDITABLE}, **changes,
                     "day": day or times.local(activity.starts_at).date(),
                     "start": start or times.local(activity.starts_at).time(),
                     "end": end or times.local(activity.ends_at).time(), "group_ids": [], "open_to_all": True})
    values = _clean(merged)
    if values["capacity"] < going_count(activity.id):
        raise ActivityError(f"{going_count(activity.id)} people are already going, so the capacity can't be "
                            "lower than that.")
    starts, ends = activity.starts_at, activity.ends_at
    if day or start or end:
        starts, ends = _span(merged.day, merged.start, merged.end, now)
    values.update(starts_at=starts, ends_at=ends)
    changed = [k for k, v in values.items() if getattr(activity, k) != v]
    if not changed:
        return []
    grew = values["capacity"] > activity.capacity
    for k in changed:
        setattr(activity, k, values[k])
    activity.updated_at = now
    activity.sequence += 1  # any change: calendar apps replace their copy
    if "starts_at" in changed:  # reminders follow the new time
        db.session.execute(delete(ReminderSent).where(ReminderSent.activity_id == activity.id))
    if any(k in NOTEWORTHY for k in changed):
        for user_id in _answered(activity):
            notify(user_id, "activity_changed",
                   f"{activity.title} has changed: it's now {times.span(activity.starts_at, activity.ends_at)}"
                   + (f" at {activity.venue}" if activity.venue else "") + ". Please check the details.",
                   link=f"/activities/{activity.id}")
    db.session.commit()
    if grew:
        fill_freed_seats(activity, now)
    return changed


def cancel(activity: Activity, by: User, reason: str = "", now: datetime | None = None) -> None:
    """Cancel one date; the rest of its series stays. Everyone who answered is told, kindly."""
    now = now or utcnow()
    if activity.status == "cancelled":
        raise ActivityError("This date is already cancelled.")
    reason = " ".join((reason or "").split())[:300]
    activity.status, activity.cancel_reason, activity.updated_at = "cancelled", reason or None, now
    activity.sequence += 1
    for user_id in _answered(activity):
        notify(user_id, "activity_cancelled",
               f"{activity.title} on {times.when(activity.starts_at)} is cancelled"
               + (f": {reason}" if reason else ".") + " Sorry for the change of plans.",
               link=f"/activities/{activity.id}")
    db.session.commit()


def upcoming_for(user: User, now: datetime | None = None, limit: int = 50) -> list[Activity]:
    """Scheduled activities ahead that this member is invited to, soonest first."""
    now = now or utcnow()
    mine = select(Membership.group_id).where(Membership.user_id == user.id, Membership.left_at.is_(None))
    step = user.profile.comfort_step if user.profile and user.profile.comfort_step else 0
    query = (select(Activity).where(Activity.ends_at > now, Activity.status == "scheduled")
             .options(selectinload(Activity.groups)).order_by(Activity.starts_at).limit(limit))
    if not user.has_role("organizer"):
        query = query.where(or_(
            Activity.id.in_(select(ActivityGroup.activity_id).where(ActivityGroup.group_id.in_(mine))),
            (Activity.audience == "open") & (Activity.comfort_step <= step)))
    return list(db.session.scalars(query))


def next_for_group(group: Group, now: datetime | None = None) -> Activity | None:
    now = now or utcnow()
    return db.session.scalar(select(Activity).join(ActivityGroup).where(
        ActivityGroup.group_id == group.id, Activity.ends_at > now, Activity.status == "scheduled")
        .order_by(Activity.starts_at).limit(1))


def my_answers(user: User, now: datetime | None = None) -> list[Rsvp]:
    now = now or utcnow()
    return list(db.session.scalars(select(Rsvp).join(Activity).where(
        Rsvp.user_id == user.id, Activity.ends_at > now).options(selectinload(Rsvp.activity))
        .order_by(Activity.starts_at)))


def viewable(user: User, activity: Activity | None) -> Activity:
    if activity is None or not invited(user, activity):
        raise ActivityError("not found")
    return activity
