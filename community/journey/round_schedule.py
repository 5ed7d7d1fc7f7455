"""The weekly question round a group agrees to, and the questions Common Ground asks.

Any member may propose a weekday and hour (in the community's time zone); the proposer agrees by
proposing. The round runs only while MORE than half of the group's current members agree (votes
of people who have since left don't count), so 3 of 5 is enough and 2 of 4 is not. A proposal can
be replaced only while it isn't running; one that runs changes once enough people withdraw.

`run_due` starts the week's round at the agreed time: it claims the week by setting last_run_on
to that day's date with a compare-and-set, so two processes (or two passes) never start it twice.
A pass that comes late still starts it within GRACE of the time; a week whose round would clash
with one still going is skipped quietly.
"""
import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from community.activities.times import local, to_utc
from community.extensions import db
from community.journey.rounds import RoundError, active_member_ids, open_round, start
from community.models import ConversationRound, Group, RoundSchedule, RoundScheduleVote, User
from community.models.base import utcnow

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
GRACE = timedelta(hours=12)
RECENT = 5  # questions used in a group's last few rounds aren't asked again yet
log = logging.getLogger(__name__)

# Questions about one shared interest ({interest}), then ones for any group.
ABOUT_AN_INTEREST = (
    "What first drew you to {interest}?",
    "What's one small thing about {interest} you've enjoyed lately?",
    "If you could share one thing about {interest} with someone new to it, what would it be?",
)
FOR_ANY_GROUP = (
    "What's something small that made you smile this week?",
    "What's a place you like to spend time, near home or online?",
    "What's something you'd like to try or learn this year?",
    "What's a comfort food, film or song you come back to?",
    "What's a good piece of advice someone once gave you?",
)


def _in_sentence(name: str) -> str:
    """'Board games' reads better mid-sentence as 'board games'; 'Dungeons & Dragons' stays."""
    name = name.strip()
    return name[:1].lower() + name[1:] if name[1:] == name[1:].lower() else name


def question_bank(group: Group) -> list[str]:
    interests = [_in_sentence(n) for n in (group.shared_interests or []) if isinstance(n, str) and n.strip()]
    about = [template.format(interest=name) for template in ABOUT_AN_INTEREST for name in interests]
    return about + list(FOR_ANY_GROUP)


def _recent_questions(group_id: int) -> list[str]:
    return list(db.session.scalars(select(ConversationRound.question).where(ConversationRound.group_id == group_id)
                                   .order_by(ConversationRound.id.desc()).limit(RECENT)))


def suggestions(group: Group, count: int = 3) -> list[str]:
    """A few ready questions from the group's shared interests, leaving out recently used ones;
    the first is the one the schedule would ask next."""
    recent = set(_recent_questions(group.id))
    fresh = [q for q in question_bank(group) if q not in recent] or question_bank(group)
    rounds_before = db.session.scalar(
        select(func.count(ConversationRound.id)).where(ConversationRound.group_id == group.id))
    shift = rounds_before % len(fresh)  # deterministic, and moving on from round to round
    return (fresh[shift:] + fresh[:shift])[:count]


# --- agreeing on a time ---

@dataclass(frozen=True)
class Agreement:
    schedule: RoundSchedule
    agreeing: int  # current members who agree
    members: int  # current members
    mine: bool  # whether the viewer agrees

    @property
    def runs(self) -> bool:
        return self.agreeing * 2 > self.members

    @property
    def needed(self) -> int:
        """How many more must agree before it runs."""
        return max(0, self.members // 2 + 1 - self.agreeing)

    @property
    def when(self) -> str:
        return when_label(self.schedule.weekday, self.schedule.hour)


def hour_label(hour: int) -> str:
    return time(hour).strftime("%-I %p").replace("AM", "a.m.").replace("PM", "p.m.")


def when_label(weekday: int, hour: int) -> str:
    return f"{WEEKDAYS[weekday]}s at {hour_label(hour)}"


def agreement(group_id: int, viewer_id: int | None = None) -> Agreement | None:
    schedule = db.session.get(RoundSchedule, group_id)
    if schedule is None:
        return None
    members = active_member_ids(group_id)
    voters = set(db.session.scalars(select(RoundScheduleVote.user_id).where(RoundScheduleVote.group_id == group_id)))
    return Agreement(schedule, len(voters & set(members)), len(members), viewer_id in voters)


def _member(group_id: int, user: User) -> None:
    if user.id not in active_member_ids(group_id):
        raise RoundError("Only the group's members can agree on a time for its weekly round.")


def propose(group_id: int, user: User, weekday: int, hour: int, now: datetime | None = None) -> RoundSchedule:
    """A member proposes a time (and agrees to it); the caller commits."""
    _member(group_id, user)
    if not (0 <= weekday <= 6 and 0 <= hour <= 23):
        raise RoundError("Please choose a day and an hour from the lists.")
    current = agreement(group_id, user.id)
    if current is not None and current.runs:
        raise RoundError(f"Your group has agreed on {current.when}. A new time can be proposed once fewer "
                         "than half agree with this one.")
    now = now or utcnow()
    if current is None:
        schedule = RoundSchedule(group_id=group_id, weekday=weekday, hour=hour, proposed_by_id=user.id, created_at=now)
        db.session.add(schedule)
    else:
        schedule = current.schedule
        schedule.weekday, schedule.hour, schedule.proposed_by_id = weekday, hour, user.id
        schedule.created_at, schedule.last_run_on = now, None
        db.session.execute(delete(RoundScheduleVote).where(RoundScheduleVote.group_id == group_id))
    try:
        db.session.flush()
    except IntegrityError as exc:  # someone else proposed a time at the same moment
        db.session.rollback()
        raise RoundError("Someone in your group proposed a time just now. Have a look and agree if it suits you.") from exc
    db.session.add(RoundScheduleVote(group_id=group_id, user_id=user.id, created_at=now))
    return schedule


def agree(group_id: int, user: User) -> None:
    _member(group_id, user)
    if db.session.get(RoundSchedule, group_id) is None:
        raise RoundError("No time has been proposed yet. You're welcome to propose one.")
    if db.session.get(RoundScheduleVote, (group_id, user.id)) is None:
        db.session.add(RoundScheduleVote(group_id=group_id, user_id=user.id))


def withdraw(group_id: int, user: User) -> bool:
    """Take back one's agreement; False if there was none to take back."""
    _member(group_id, user)
    result = db.session.execute(delete(RoundScheduleVote).where(
        RoundScheduleVote.group_id == group_id, RoundScheduleVote.user_id == user.id))
    return result.rowcount > 0


# --- starting the week's round ---

def occurrence(schedule: RoundSchedule, now: datetime) -> tuple[date, datetime]:
    """The most recent agreed day and time at or before `now` (local day, and the UTC moment)."""
    today = local(now).date()
    day = today - timedelta(days=(today.weekday() - schedule.weekday) % 7)
    at = to_utc(day, time(schedule.hour))
    if at > now:
        day -= timedelta(days=7)
        at = to_utc(day, time(schedule.hour))
    return day, at


def run_due(now: datetime | None = None) -> int:
    """Start the weekly rounds that are due; commits each one. Returns how many started."""
    now = now or utcnow()
    started = 0
    for group_id in list(db.session.scalars(select(RoundSchedule.group_id).order_by(RoundSchedule.group_id))):
        try:
            started += _run_one(group_id, now)
            db.session.commit()
        except Exception:  # noqa: BLE001 - one group's trouble must not stop the others
            db.session.rollback()
            log.exception("weekly question round of group %s not started", group_id)
    return started


def _run_one(group_id: int, now: datetime) -> int:
    found = agreement(group_id)
    if found is None or not found.runs:
        return 0
    day, at = occurrence(found.schedule, now)
    if now - at > GRACE or at < found.schedule.created_at:
        return 0  # long past (the loop was off), or the time was agreed after it went by
    claimed = db.session.execute(
        update(RoundSchedule).where(RoundSchedule.group_id == group_id,
                                    or_(RoundSchedule.last_run_on.is_(None), RoundSchedule.last_run_on != day))
        .values(last_run_on=day).execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        return 0  # this week's has started already (here or in another process)
    if open_round(group_id) is not None:
        return 0  # last week's is still going: this week's waits for next week
    group = db.session.get(Group, group_id)
    try:
        start(group, suggestions(group, 1)[0], None, now)
    except RoundError:  # no members, or a round started by hand a moment ago
        return 0
    return 1

