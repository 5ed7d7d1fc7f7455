"""Widening the circle: once a member's group is stable and they are at step 3 or above, one open
activity or a second group, so Common Ground is never their only source of connection.

A group is stable for a member when at least STABLE_COMPANIONS others still in it went to at
least STABLE_TIMES_TOGETHER of the same activities of that group as the member did (attendance as
organizers marked it). That is the "attended together several times" of the issue: the same few
people have met again and again, so the circle has a core to widen from.
"""
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from flask import url_for
from sqlalchemy import exists, select
from sqlalchemy.orm import aliased

from community.activities import times
from community.extensions import db
from community.groups import services as group_services
from community.models import Group, Membership, User
from community.models.activity import Activity, ActivityGroup, Rsvp
from community.models.base import utcnow

STABLE_TIMES_TOGETHER = 3
STABLE_COMPANIONS = 2
WIDENING_FROM_STEP = 3

WHY = ("Your group has met together several times now. Adding one more place to meet people means "
       "Common Ground is never your only source of connection, and that's good for you.")


@dataclass(frozen=True)
class Widening:
    kind: str  # "open_activity" or "second_group"
    title: str
    detail: str
    link: str
    group_name: str  # the stable group it widens from
    why: str = WHY


def stable_group(user: User) -> Group | None:
    """The first of the member's groups (in the order joined) that is stable for them, if any."""
    mine, theirs = aliased(Rsvp), aliased(Rsvp)
    my_seat, their_seat = aliased(Membership), aliased(Membership)
    rows = db.session.execute(
        select(ActivityGroup.group_id, theirs.user_id)
        .join(my_seat, (my_seat.group_id == ActivityGroup.group_id) & (my_seat.user_id == user.id)
              & my_seat.left_at.is_(None))
        .join(mine, (mine.activity_id == ActivityGroup.activity_id) & (mine.user_id == user.id)
              & mine.attended.is_(True))
        .join(theirs, (theirs.activity_id == ActivityGroup.activity_id) & (theirs.user_id != user.id)
              & theirs.attended.is_(True))
        .join(their_seat, (their_seat.group_id == ActivityGroup.group_id) & (their_seat.user_id == theirs.user_id)
              & their_seat.left_at.is_(None)))
    together = Counter((group_id, other) for group_id, other in rows)
    companions = Counter(group_id for (group_id, _), times_met in together.items()
                         if times_met >= STABLE_TIMES_TOGETHER)
    stable_ids = {group_id for group_id, count in companions.items() if count >= STABLE_COMPANIONS}
    if not stable_ids:
        return None
    return next((g for g in group_services.groups_of(user) if g.id in stable_ids), None)


def open_activity_for(user: User, now: datetime | None = None) -> Activity | None:
    """The soonest open activity ahead at or below the member's step that they haven't answered,
    and that isn't one of their own groups' (that wouldn't widen anything). In person only for
    members who aren't online only."""
    now = now or utcnow()
    profile = user.profile
    mine = select(Membership.group_id).where(Membership.user_id == user.id, Membership.left_at.is_(None))
    query = select(Activity).where(
        Activity.audience == "open", Activity.status == "scheduled", Activity.starts_at > now,
        Activity.comfort_step <= profile.comfort_step,
        ~exists().where(Rsvp.activity_id == Activity.id, Rsvp.user_id == user.id),
        ~Activity.id.in_(select(ActivityGroup.activity_id).where(ActivityGroup.group_id.in_(mine))),
    )
    if profile.online_only:
        query = query.where(Activity.format == "online")
    return db.session.scalar(query.order_by(Activity.starts_at, Activity.id).limit(1))


def widening_for(user: User, now: datetime | None = None) -> Widening | None:
    """One way to widen the circle, or None while it isn't time yet (not stable, or below step 3)."""
    profile = user.profile
    if profile is None or (profile.comfort_step or 0) < WIDENING_FROM_STEP:
        return None
    group = stable_group(user)
    if group is None:
        return None
    activity = open_activity_for(user, now)
    if activity is not None:
        return Widening("open_activity", activity.title, f"An open activity, {times.when(activity.starts_at)}.",
                        url_for("activities.activity", activity_id=activity.id), group.name)
    suggestions = group_services.open_groups_for(user, limit=1)
    if suggestions:
        second = suggestions[0]
        shared = ", ".join(second.shared_interests[:3])
        detail = f"A second group with a free seat{f' that shares {shared}' if shared else ''}."
        return Widening("second_group", second.group.name, detail, url_for("groups.browse"), group.name)
    return None
