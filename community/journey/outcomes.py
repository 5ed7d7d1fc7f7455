"""What organizers and admins see of how the community is doing: aggregates only, never a person's
answers, and nothing drawn from fewer than five people (journey/kanon.py: the threshold, and the
complementary hiding that stops a hidden group being worked out from the overall figure).

Each function takes `now` (so tests fix the clock) and reads with a few queries, never one per member.

Definitions, as the page explains them:
- Loneliness trend: for each of the last TREND_MONTHS months (community time zone), the mean
  UCLA-3 total (3-9, one decimal) of that month's check-ins, overall and per group (the group the
  member's check-in was about). Answers are encrypted, so they are decrypted here through the ORM
  type and scored with scoring.loneliness_score; a check-in without all three items doesn't count.
- Moved up a step: onboarded members (role "member": staff aren't who this measures) who aren't
  leaving (no AccountDeletion) whose comfort step at the end of the last STEP_WINDOW_DAYS is higher
  than at its start: the `to_step` of their last StepChange in the window above the `from_step` of
  their first. Up then back down is not "up". Per group: the group's current members among them.
- Repeat attendance: current members of a group marked as having come to REPEAT_VISITS or more of
  that group's activities (already started); overall, the people in any group who did so in one.
- Reciprocity: over the last RECIPROCITY_DAYS, a reply is a visible member message (not hidden, not
  held) that directly follows another member's visible message in the same group within
  REPLY_WINDOW (six hours: the next message in a slow-moving small group is usually an answer; the
  next morning's usually isn't). Hidden, held and Common Ground's own messages are left out of the
  sequence entirely. A reciprocal pair is two people who each replied to the other. The first
  message of the window doesn't count as a reply to one before it.
- Quiet groups: groups with members where nobody has written (visible member messages) and no
  activity has started for QUIET_DAYS, counted from the group's start if it is newer. This is about
  groups, not people, so no threshold applies.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, func, select

from community.activities import times
from community.extensions import db
from community.journey.kanon import HIDDEN, Figure, figure, hidden_parts, mean_figure, share_figure
from community.journey.scoring import loneliness_score
from community.journey.starters import NUDGE_GAP
from community.models import Group, GroupAnnouncement, Membership, Message, Profile, User
from community.models.activity import Activity, ActivityGroup, Rsvp
from community.models.journey import MonthlyCheckIn, StepChange
from community.models.privacy import AccountDeletion

TREND_MONTHS = 6
STEP_WINDOW_DAYS = 90
REPEAT_VISITS = 3
RECIPROCITY_DAYS = 30
REPLY_WINDOW = timedelta(hours=6)
QUIET_DAYS = 10
OVERALL = "Whole community"


@dataclass(frozen=True)
class Row:
    """One line of a table: the whole community (group_id None) or one group."""

    label: str
    group_id: int | None
    figure: Figure


@dataclass(frozen=True)
class TrendRow:
    label: str
    group_id: int | None
    figures: list[Figure]  # one per month, oldest first


@dataclass(frozen=True)
class Trend:
    months: list[str]  # "2026-11", oldest first
    labels: list[str]  # "November 2026"
    rows: list[TrendRow]  # the whole community first


@dataclass(frozen=True)
class QuietGroup:
    group_id: int
    name: str
    days: int
    last_starter_at: datetime | None = None
    can_nudge: bool = True


@dataclass(frozen=True)
class Outcomes:
    trend: Trend
    moved_up: list[Row]
    repeat_attendance: list[Row]
    reciprocity: list[Row]
    quiet: list[QuietGroup] = field(default_factory=list)


def everything(now: datetime) -> Outcomes:
    return Outcomes(loneliness_trend(now), moved_up(now), repeat_attendance(now), reciprocity(now),
                    quiet_groups(now))


def month_keys(now: datetime, count: int = TREND_MONTHS) -> list[str]:
    """The last `count` months in the community's time zone, oldest first, ending with this one."""
    today = times.local(now)
    index = today.year * 12 + today.month - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - count + 1, index + 1)]


def _month_label(key: str) -> str:
    return datetime.strptime(key, "%Y-%m").strftime("%B %Y")


def current_groups() -> dict[int, tuple[str, set[int]]]:
    """Groups with members now: id -> (name, member ids), by name."""
    rows = db.session.execute(select(Group.id, Group.name, Membership.user_id).join(Membership)
                              .where(Membership.left_at.is_(None)).order_by(Group.name, Group.id)).all()
    groups: dict[int, tuple[str, set[int]]] = {}
    for group_id, name, user_id in rows:
        groups.setdefault(group_id, (name, set()))[1].add(user_id)
    return groups


def _rows(groups: dict[int, tuple[str, set[int]]], overall: Figure, per_group: dict[int, Figure],
          hidden: set) -> list[Row]:
    return [Row(OVERALL, None, overall)] + [
        Row(name, gid, HIDDEN if gid in hidden else per_group.get(gid, HIDDEN)) for gid, (name, _) in groups.items()]


def loneliness_trend(now: datetime) -> Trend:
    months = month_keys(now)
    totals: dict[str, dict[int, int]] = defaultdict(dict)
    by_group: dict[str, dict[int, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    for checkin in db.session.scalars(select(MonthlyCheckIn).where(MonthlyCheckIn.month.in_(months))):
        try:
            total = loneliness_score(checkin.answers or {})
        except (TypeError, ValueError):  # the loneliness items were skipped: nothing to count
            continue
        totals[checkin.month][checkin.user_id] = total
        if checkin.group_id is not None:
            by_group[checkin.month][checkin.group_id][checkin.user_id] = total
    groups = current_groups()
    overall, per_group = [], {gid: [] for gid in groups}
    for month in months:
        parts = {gid: by_group[month].get(gid, {}) for gid in groups}  # only the groups listed
        hidden = hidden_parts(parts, totals[month])
        overall.append(mean_figure(totals[month]))
        for gid in groups:
            per_group[gid].append(HIDDEN if gid in hidden else mean_figure(parts[gid]))
    rows = [TrendRow(OVERALL, None, overall)] + [TrendRow(name, gid, per_group[gid]) for gid, (name, _) in groups.items()]
    return Trend(months, [_month_label(m) for m in months], rows)


def moved_up(now: datetime) -> list[Row]:
    leaving = select(AccountDeletion.user_id)
    counted = set(db.session.scalars(select(Profile.user_id).join(User, User.id == Profile.user_id).where(
        User.role == "member", Profile.completed_at.is_not(None), Profile.user_id.not_in(leaving))))
    changes = db.session.execute(
        select(StepChange.user_id, StepChange.from_step, StepChange.to_step)
        .where(StepChange.changed_at > now - timedelta(days=STEP_WINDOW_DAYS), StepChange.changed_at <= now)
        .order_by(StepChange.user_id, StepChange.changed_at, StepChange.id)).all()
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    for user_id, from_step, to_step in changes:
        first.setdefault(user_id, from_step)
        last[user_id] = to_step
    up = {user_id for user_id in last if last[user_id] > first[user_id]} & counted
    groups = current_groups()
    parts = {gid: members & counted for gid, (_, members) in groups.items()}
    hidden = hidden_parts(parts, counted)
    per_group = {gid: share_figure(len(members & up), len(members)) for gid, members in parts.items()}
    return _rows(groups, share_figure(len(up), len(counted)), per_group, hidden)


def repeat_attendance(now: datetime) -> list[Row]:
    visits = func.count(func.distinct(Rsvp.activity_id))
    rows = db.session.execute(
        select(ActivityGroup.group_id, Rsvp.user_id)
        .join(Activity, Activity.id == Rsvp.activity_id)
        .join(ActivityGroup, ActivityGroup.activity_id == Rsvp.activity_id)
        .join(Membership, and_(Membership.group_id == ActivityGroup.group_id, Membership.user_id == Rsvp.user_id,
                               Membership.left_at.is_(None)))
        .where(Rsvp.attended.is_(True), Activity.starts_at <= now)
        .group_by(ActivityGroup.group_id, Rsvp.user_id).having(visits >= REPEAT_VISITS)).all()
    repeaters: dict[int, set[int]] = defaultdict(set)
    for group_id, user_id in rows:
        repeaters[group_id].add(user_id)
    groups = current_groups()
    parts = {gid: members for gid, (_, members) in groups.items()}
    everyone = set().union(*parts.values()) if parts else set()
    anyone = set().union(*repeaters.values()) if repeaters else set()
    per_group = {gid: share_figure(len(repeaters[gid]), len(members)) for gid, members in parts.items()}
    return _rows(groups, share_figure(len(anyone & everyone), len(everyone)), per_group,
                 hidden_parts(parts, everyone))


def reciprocal_pairs(messages) -> tuple[dict[int, set[frozenset]], dict[int, set[int]]]:
    """From (group_id, author_id, created_at) of visible member messages in group and time order:
    each group's reciprocal pairs, and who wrote at all."""
    replies: dict[int, set[tuple[int, int]]] = defaultdict(set)
    authors: dict[int, set[int]] = defaultdict(set)
    previous: dict[int, tuple[int, datetime]] = {}
    for group_id, author_id, created_at in messages:
        authors[group_id].add(author_id)
        before = previous.get(group_id)
        if before and before[0] != author_id and created_at - before[1] <= REPLY_WINDOW:
            replies[group_id].add((author_id, before[0]))
        previous[group_id] = (author_id, created_at)
    pairs = {gid: {frozenset(pair) for pair in found if pair[::-1] in found} for gid, found in replies.items()}
    return pairs, authors


def _visible_member_messages():
    return (Message.kind == "member", Message.hidden_at.is_(None), Message.held_at.is_(None),
            Message.author_id.is_not(None))


def reciprocity(now: datetime) -> list[Row]:
    messages = db.session.execute(
        select(Message.group_id, Message.author_id, Message.created_at)
        .where(*_visible_member_messages(), Message.created_at > now - timedelta(days=RECIPROCITY_DAYS),
               Message.created_at <= now)
        .order_by(Message.group_id, Message.created_at, Message.id)).all()
    pairs, authors = reciprocal_pairs(messages)
    everyone = set().union(*authors.values()) if authors else set()
    overall = figure(len(set().union(*pairs.values())) if pairs else 0, len(everyone))
    groups = current_groups()
    per_group = {gid: figure(len(pairs.get(gid, ())), len(authors.get(gid, ()))) for gid in groups}
    hidden = hidden_parts({gid: authors.get(gid, set()) for gid in groups}, everyone)
    return _rows(groups, overall, per_group, hidden)


def quiet_groups(now: datetime) -> list[QuietGroup]:
    """Groups with members and nothing happening for QUIET_DAYS, the longest quiet first."""
    last_message = (select(Message.group_id, func.max(Message.created_at).label("at"))
                    .where(*_visible_member_messages(), Message.created_at <= now)
                    .group_by(Message.group_id).subquery())
    last_activity = (select(ActivityGroup.group_id, func.max(Activity.starts_at).label("at"))
                     .join(Activity, Activity.id == ActivityGroup.activity_id)
                     .where(Activity.status == "scheduled", Activity.starts_at <= now)
                     .group_by(ActivityGroup.group_id).subquery())
    last_starter = (select(GroupAnnouncement.group_id, func.max(GroupAnnouncement.created_at).label("at"))
                    .where(GroupAnnouncement.kind == "starter").group_by(GroupAnnouncement.group_id).subquery())
    has_members = select(Membership.id).where(Membership.group_id == Group.id, Membership.left_at.is_(None)).exists()
    rows = db.session.execute(
        select(Group.id, Group.name, Group.created_at, last_message.c.at, last_activity.c.at, last_starter.c.at)
        .outerjoin(last_message, last_message.c.group_id == Group.id)
        .outerjoin(last_activity, last_activity.c.group_id == Group.id)
        .outerjoin(last_starter, last_starter.c.group_id == Group.id)
        .where(has_members)).all()
    quiet = []
    for group_id, name, created_at, message_at, activity_at, starter_at in rows:
        since = max(moment for moment in (created_at, message_at, activity_at) if moment is not None)
        if now - since >= timedelta(days=QUIET_DAYS):
            quiet.append(QuietGroup(group_id, name, (now - since).days, starter_at,
                                    starter_at is None or now - starter_at >= NUDGE_GAP))
    return sorted(quiet, key=lambda g: (-g.days, g.name, g.group_id))
