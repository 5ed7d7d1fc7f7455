"""RSVPs: going, maybe or can't go, changeable until the start. When the activity is full, "going"
joins a waitlist in order, and a freed seat goes to the next person at once, who is told.

Seats are counted after locking the activity's row (the same pattern as group seats in
groups/seats.py), so two people taking the last seat at the same moment can't both get it.
"""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update

from community.activities import times
from community.activities.access import invited
from community.extensions import db
from community.models import User
from community.models.activity import Activity, Rsvp
from community.models.base import utcnow
from community.notifications.services import notify

ANSWERS = ("going", "maybe", "not_going")


class RsvpError(Exception):
    """Why the answer can't be taken, in words the member can act on; nothing was changed."""


@dataclass(frozen=True)
class Answer:
    status: str  # what was stored: going, maybe, not_going or waitlist
    message: str  # what to tell the member
    promoted: User | None = None  # who got the seat this answer freed, if anyone


def _lock_seats(activity_id: int) -> None:
    """Queue behind anyone else changing seats on this activity until we commit."""
    db.session.execute(update(Activity).where(Activity.id == activity_id)
                       .values(seat_version=Activity.seat_version + 1),
                       execution_options={"synchronize_session": False})


def going_count(activity_id: int) -> int:
    return db.session.scalar(select(func.count(Rsvp.id)).where(Rsvp.activity_id == activity_id,
                                                               Rsvp.status == "going")) or 0


def waitlist(activity_id: int) -> list[Rsvp]:
    return list(db.session.scalars(select(Rsvp).where(Rsvp.activity_id == activity_id, Rsvp.status == "waitlist")
                                   .order_by(Rsvp.waitlisted_at, Rsvp.id)))


def answer_of(user: User, activity: Activity) -> Rsvp | None:
    return db.session.scalar(select(Rsvp).where(Rsvp.activity_id == activity.id, Rsvp.user_id == user.id))


def _check_open(user: User, activity: Activity, now: datetime) -> None:
    if not invited(user, activity):
        raise RsvpError("This activity isn't one you're invited to.")
    if activity.status == "cancelled":
        raise RsvpError("This activity was cancelled, so there's nothing to answer.")
    if activity.starts_at <= now:
        raise RsvpError("This activity has already started, so answers are closed.")


def respond(user: User, activity: Activity, status: str, now: datetime | None = None) -> Answer:
    """Store the member's answer; returns what happened, in words for them."""
    if status not in ANSWERS:
        raise RsvpError("Please choose going, maybe or can't go.")
    now = now or utcnow()
    _check_open(user, activity, now)
    _lock_seats(activity.id)
    rsvp = answer_of(user, activity)
    was = rsvp.status if rsvp else None
    if status == "going" and was in ("going", "waitlist"):
        db.session.rollback()
        return Answer(was, "You're already going." if was == "going" else
                      "You're already on the waitlist. We'll tell you the moment a seat frees up.")
    stored = status
    if status == "going" and going_count(activity.id) >= activity.capacity:  # counted before we change anything
        stored = "waitlist"
    if rsvp is None:
        rsvp = Rsvp(activity_id=activity.id, user_id=user.id, status=stored, created_at=now)
        db.session.add(rsvp)
    rsvp.status, rsvp.updated_at = stored, now
    rsvp.waitlisted_at = now if stored == "waitlist" else None
    promoted = _promote_next(activity, now) if was == "going" and stored != "going" else None
    if was == "going" and stored != "going":
        _no_longer_going(user.id, activity, now)
    db.session.commit()
    return Answer(stored, _message(activity, stored), promoted)


def _message(activity: Activity, stored: str) -> str:
    if stored == "going":
        return "You're going. See you there! If plans change, you can bow out any time; it's fine."
    if stored == "waitlist":
        place = len(waitlist(activity.id))
        return (f"It's full right now, so you're number {place} on the waitlist. If a seat frees up "
                "it's yours automatically, and we'll tell you.")
    if stored == "maybe":
        return "Noted as maybe. There's no need to decide now."
    return ("Thanks for letting us know. Not going is always fine."
            + (f" {nxt}" if (nxt := next_date_note(activity)) else ""))


def next_date_note(activity: Activity) -> str:
    """A kind pointer to the next date of the same series, if there is one."""
    if activity.series_id is None:
        return ""
    later = db.session.scalar(select(Activity).where(
        Activity.series_id == activity.series_id, Activity.starts_at > activity.starts_at,
        Activity.status == "scheduled").order_by(Activity.starts_at).limit(1))
    return f"The next one is {times.when(later.starts_at)}, if that suits you better." if later else ""


def _promote_next(activity: Activity, now: datetime) -> User | None:
    """A seat just freed up (in the caller's transaction, seats locked): give it to the first in line."""
    db.session.flush()
    if going_count(activity.id) >= activity.capacity:
        return None
    line = waitlist(activity.id)
    if not line:
        return None
    first = line[0]
    first.status, first.waitlisted_at, first.updated_at = "going", None, now
    notify(first.user_id, "seat_freed",
           f"Good news: a seat opened up for {activity.title} on {times.when(activity.starts_at)}, and it's "
           "yours. If you can't make it after all, just say so on the activity's page.",
           link=f"/activities/{activity.id}")
    return first.user


def fill_freed_seats(activity: Activity, now: datetime | None = None) -> list[User]:
    """After capacity grows: move people from the waitlist into the new seats, in order."""
    now = now or utcnow()
    _lock_seats(activity.id)
    promoted = []
    while (user := _promote_next(activity, now)) is not None:
        promoted.append(user)
    db.session.commit()
    return promoted


def release_after_leaving(user: User, group_id: int, now: datetime | None = None) -> int:
    """Someone left a group (or was taken out): their answers to its upcoming activities that they
    are no longer invited to are let go, in the caller's transaction, and freed seats move the
    waitlist on. Returns how many answers were let go."""
    from community.models.activity import ActivityGroup  # here: keeps this module's imports short

    now = now or utcnow()
    db.session.flush()  # the membership's end must be visible to invited()
    answers = list(db.session.scalars(select(Rsvp).join(Activity).join(
        ActivityGroup, ActivityGroup.activity_id == Activity.id).where(
        ActivityGroup.group_id == group_id, Rsvp.user_id == user.id, Activity.starts_at > now,
        Rsvp.status.in_(("going", "maybe", "waitlist")))))
    released = 0
    for answer in answers:
        activity = answer.activity
        if invited(user, activity):
            continue  # still invited through another group
        _lock_seats(activity.id)
        was = answer.status
        answer.status, answer.waitlisted_at, answer.updated_at = "not_going", None, now
        released += 1
        if was == "going":
            _promote_next(activity, now)
            _no_longer_going(user.id, activity, now)
    return released


def _no_longer_going(user_id: int, activity: Activity, now: datetime) -> None:
    """Their walk-in buddy, if they had one, is told and paired again (seats locked, caller's transaction)."""
    from community.journey import buddies  # here: the journey package imports activities, not the reverse

    buddies.release(user_id, activity, now)


def mark_attendance(activity: Activity, attended_ids: set[int], by: User, now: datetime | None = None) -> int:
    """After the activity, the organizer ticks who came; everyone else who said going is marked absent."""
    now = now or utcnow()
    if activity.starts_at > now:
        raise RsvpError("Attendance can be marked once the activity has started.")
    marked = 0
    for rsvp in db.session.scalars(select(Rsvp).where(Rsvp.activity_id == activity.id)):
        if rsvp.status == "going" or rsvp.user_id in attended_ids:
            rsvp.attended = rsvp.user_id in attended_ids
            marked += 1
    activity.attendance_marked_at = now
    db.session.commit()
    return marked
