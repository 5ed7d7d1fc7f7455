"""Arrive with a buddy: two members of a group who are both going to an in-person activity meet a
few minutes before and walk in together. Entirely optional, and only the two of them ever learn
who is paired with whom.

Every change takes the same row lock on the activity that RSVPs take (rsvp.py), so two opt-ins at
the same moment pair with each other exactly once, and an opt-in never races an RSVP change.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, event, exists, inspect, select, update
from sqlalchemy.orm import Session, aliased

from community.activities import times
from community.extensions import db
from community.models import Block, Membership, User
from community.models.activity import Activity, Rsvp
from community.models.base import utcnow
from community.models.journey import BuddyOptIn
from community.notifications.services import notify

WALK_IN_MINUTES = 10  # how long before the start the two meet


class BuddyError(Exception):
    """Why walking in together isn't on offer here, in words the member can act on; nothing changed."""


@dataclass(frozen=True)
class BuddyState:
    """What the activity page shows one member: nothing (None from `state_for`), the offer, their
    wait, or who they're meeting."""
    opted_in: bool
    buddy_name: str | None  # first name of the person they're meeting, once paired
    meeting: str  # where and when the two meet, in community time


def first_name(user: User) -> str:
    return user.display_name.split()[0] if user.display_name.split() else user.display_name


def meeting_point(activity: Activity) -> str:
    """'at The Loft Café (Look for the green box.), Thursday, March 12, 6:50 PM'."""
    at = times.when(activity.starts_at - timedelta(minutes=WALK_IN_MINUTES))
    place = activity.venue or "the venue"
    return f"at {place}" + (f" ({activity.arrival})" if activity.arrival else "") + f", {at}"


def _lock(activity: Activity) -> None:
    """Queue behind anyone changing seats or buddies on this activity until we commit (the same
    row rsvp.py locks). On SQLite this must be the transaction's first statement."""
    db.session.execute(update(Activity).where(Activity.id == activity.id)
                       .values(seat_version=Activity.seat_version + 1),
                       execution_options={"synchronize_session": False})
    db.session.refresh(activity)


def _groupmates(user_id: int):
    """Ids of everyone in a current group with this member (a subquery)."""
    mine, theirs = aliased(Membership), aliased(Membership)
    return (select(theirs.user_id).join(mine, mine.group_id == theirs.group_id)
            .where(mine.user_id == user_id, mine.left_at.is_(None), theirs.left_at.is_(None),
                   theirs.user_id != user_id))


def _going(activity_id: int, user_id) -> object:
    return exists().where(Rsvp.activity_id == activity_id, Rsvp.user_id == user_id, Rsvp.status == "going")


def _why_not(user: User, activity: Activity, now: datetime) -> str | None:
    """None when this member may opt in; otherwise why not, kindly."""
    if activity.format != "in_person":
        return "Walking in together is for in-person activities."
    if activity.status == "cancelled":
        return "This activity was cancelled, so there's no walk-in to plan."
    if activity.starts_at <= now:
        return "This activity has already started."
    if not db.session.scalar(select(_going(activity.id, user.id))):
        return "Walking in together is for people who are going. If you decide to go, it'll be here for you."
    if not db.session.scalar(select(exists().where(Rsvp.activity_id == activity.id, Rsvp.status == "going",
                                                   Rsvp.user_id.in_(_groupmates(user.id))))):
        return "Nobody from your groups has said they're going yet, so there's no one to walk in with for now."
    return None


def _mine(user_id: int, activity_id: int) -> BuddyOptIn | None:
    return db.session.scalar(select(BuddyOptIn).where(BuddyOptIn.activity_id == activity_id,
                                                      BuddyOptIn.user_id == user_id)
                             .execution_options(populate_existing=True))


def state_for(user: User, activity: Activity, now: datetime | None = None) -> BuddyState | None:
    """What the activity page shows this member about walking in together; None: nothing at all."""
    now = now or utcnow()
    if not user.is_authenticated or _why_not(user, activity, now) is not None:
        return None
    mine = _mine(user.id, activity.id)
    buddy = db.session.get(User, mine.buddy_id) if mine is not None and mine.buddy_id else None
    return BuddyState(opted_in=mine is not None, buddy_name=first_name(buddy) if buddy else None,
                      meeting=meeting_point(activity))


def opt_in(user: User, activity: Activity, now: datetime | None = None) -> User | None:
    """Ask to walk in with someone from a shared group; returns the buddy if paired at once, None if
    they wait. Commits. Raises BuddyError (nothing changed) when it isn't on offer."""
    now = now or utcnow()
    _lock(activity)
    reason = _why_not(user, activity, now)
    if reason is not None:
        db.session.rollback()
        raise BuddyError(reason)
    mine = _mine(user.id, activity.id)
    if mine is None:
        mine = BuddyOptIn(activity_id=activity.id, user_id=user.id, created_at=now)
        db.session.add(mine)
    buddy = _pair(mine, activity, now) if mine.buddy_id is None else db.session.get(User, mine.buddy_id)
    db.session.commit()
    return buddy


def withdraw(user: User, activity: Activity, now: datetime | None = None) -> bool:
    """Change one's mind; any buddy is told gently and paired again if possible. Commits. Returns
    whether there was anything to withdraw."""
    now = now or utcnow()
    _lock(activity)
    found = release(user.id, activity, now)
    if found:
        db.session.commit()
    else:
        db.session.rollback()  # nothing to change, not even the lock's counter
    return found


def release(user_id: int, activity: Activity, now: datetime) -> bool:
    """Remove this member's opt-in, in the caller's transaction with the activity locked (their
    RSVP stopped being "going", or they withdrew). A buddy they had is told, kindly, and paired
    with someone else from their groups if anyone is waiting. Returns whether there was an opt-in."""
    mine = _mine(user_id, activity.id)
    if mine is None:
        return False
    buddy = _mine(mine.buddy_id, activity.id) if mine.buddy_id else None
    db.session.delete(mine)
    db.session.flush()
    if buddy is not None:
        leaving = db.session.get(User, user_id)
        buddy.buddy_id, buddy.paired_at = None, None
        notify(buddy.user_id, "buddy_unpaired",
               f"{first_name(leaving)} can't make the walk-in for {activity.title} this time; nothing you did. "
               "We'll look for someone else from your group.", link=f"/activities/{activity.id}")
        _pair(buddy, activity, now)
    return True


def release_all(user_id: int, now: datetime | None = None, paired_with: int | None = None) -> int:
    """Let go of this member's walk-ins at activities still to come (all of them, or only those
    paired with `paired_with`): they are leaving Common Ground, or blocked that buddy. Each buddy is
    told as on any withdrawal, so nobody waits for someone who won't come. Commits per activity."""
    now = now or utcnow()
    query = (select(Activity).join(BuddyOptIn, BuddyOptIn.activity_id == Activity.id)
             .where(BuddyOptIn.user_id == user_id, Activity.starts_at > now))
    if paired_with is not None:
        query = query.where(BuddyOptIn.buddy_id == paired_with)
    released = 0
    for activity in db.session.scalars(query.order_by(Activity.id)).all():
        _lock(activity)
        released += release(user_id, activity, now)
        db.session.commit()
    return released


def _pair(waiting: BuddyOptIn, activity: Activity, now: datetime) -> User | None:
    """Pair this unpaired opt-in with whoever from a shared group has waited longest (neither
    having blocked the other, both still going), and tell them both. Caller holds the lock."""
    me = waiting.user_id
    db.session.flush()
    partner = db.session.scalar(
        select(BuddyOptIn).where(
            BuddyOptIn.activity_id == activity.id, BuddyOptIn.buddy_id.is_(None), BuddyOptIn.user_id != me,
            BuddyOptIn.user_id.in_(_groupmates(me)), _going(activity.id, BuddyOptIn.user_id),
            ~exists().where(Block.blocker_id == me, Block.blocked_id == BuddyOptIn.user_id),
            ~exists().where(Block.blocker_id == BuddyOptIn.user_id, Block.blocked_id == me))
        .order_by(BuddyOptIn.created_at, BuddyOptIn.user_id).limit(1)
        .execution_options(populate_existing=True))
    if partner is None:
        return None
    waiting.buddy_id, partner.buddy_id = partner.user_id, me
    waiting.paired_at = partner.paired_at = now
    one, other = db.session.get(User, me), db.session.get(User, partner.user_id)
    for person, buddy in ((one, other), (other, one)):
        notify(person.id, "buddy_paired",
               f"You're meeting {first_name(buddy)} to walk in together to {activity.title}: "
               f"{meeting_point(activity)}, {WALK_IN_MINUTES} minutes before it starts. "
               "If you change your mind, that's fine; you can withdraw on the activity's page.",
               link=f"/activities/{activity.id}")
    return other


@event.listens_for(Session, "before_flush")
def _forget_when_no_walk_in(session, flush_context, instances):
    """A cancelled activity, or one moved online, has no walk-in: its opt-ins go (everyone who
    answered is told of the change by the activity itself)."""
    for obj in session.dirty:
        if not isinstance(obj, Activity):
            continue
        state = inspect(obj).attrs
        if "cancelled" in (state.status.history.added or ()) or "online" in (state.format.history.added or ()):
            session.connection().execute(delete(BuddyOptIn.__table__).where(
                BuddyOptIn.__table__.c.activity_id == obj.id))
