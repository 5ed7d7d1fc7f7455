"""Monthly check-ins: saving one (a second in the same month replaces the first), the member's
trend, taking one back, and "I'd like to talk to someone".

A check-in is private. Nothing here tells anyone about one: the only way a moderator hears
anything is the member pressing "I'd like to talk to someone" (ask_to_talk), and even then they
hear only that the member asked, never an answer or a note.
"""
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from community.activities import times
from community.extensions import db
from community.journey.chart import TrendPoint
from community.journey.scoring import CheckInAnswers
from community.models import Escalation, MonthlyCheckIn, User
from community.models.base import utcnow
from community.models.group import Membership
from community.moderation.escalations import audit

NOTE_LENGTH = 1000
ASKED_TO_TALK = "asked_to_talk"  # the escalation's only category: what moderators see, and all of it


@dataclass(frozen=True)
class Saved:
    check_in: MonthlyCheckIn
    replaced: bool  # this month's earlier answers were updated, not a new check-in made


def month_of(moment: datetime) -> str:
    """The calendar month ("2026-11") a moment falls in, in the community's time zone: 23:30 on
    30 November in New York is November, though it is already December in UTC."""
    return f"{times.local(moment):%Y-%m}"


def current_group_id(user_id: int) -> int | None:
    """The group the member joined most recently and is still in (None when in no group)."""
    return db.session.scalar(select(Membership.group_id).where(
        Membership.user_id == user_id, Membership.left_at.is_(None))
        .order_by(Membership.joined_at.desc(), Membership.id.desc()).limit(1))


def for_month(user_id: int, month: str) -> MonthlyCheckIn | None:
    return db.session.scalar(select(MonthlyCheckIn).where(MonthlyCheckIn.user_id == user_id,
                                                          MonthlyCheckIn.month == month))


def this_month(user_id: int, now: datetime | None = None) -> MonthlyCheckIn | None:
    return for_month(user_id, month_of(now or utcnow()))


def due(user: User, now: datetime | None = None) -> bool:
    """No check-in yet this month (for the journey page's gentle invitation; never a reminder)."""
    return this_month(user.id, now) is None


def save(user: User, answers: CheckInAnswers, note: str = "", now: datetime | None = None) -> Saved:
    """Store this month's check-in, or update it if there is one already. The group question is
    about the member's current group, so without a group its answer is dropped."""
    now = now or utcnow()
    month = month_of(now)
    group_id = current_group_id(user.id)
    if group_id is None:
        answers = replace(answers, group_connection=None)
    note = (note or "").strip()[:NOTE_LENGTH]
    row = for_month(user.id, month)
    replaced = row is not None
    if row is None:
        row = MonthlyCheckIn(user_id=user.id, month=month, created_at=now)
        db.session.add(row)
    _fill(row, answers, note, group_id, now)
    try:
        db.session.commit()
    except IntegrityError:  # two tabs saving the month's first check-in at once: the other won
        db.session.rollback()
        row = for_month(user.id, month)
        if row is None:
            raise
        _fill(row, answers, note, group_id, now)
        db.session.commit()
        replaced = True
    return Saved(row, replaced)


def _fill(row: MonthlyCheckIn, answers: CheckInAnswers, note: str, group_id: int | None, now: datetime) -> None:
    row.answers = answers.as_dict()
    row.note = note
    row.group_id = group_id
    row.updated_at = now


def answers_of(row: MonthlyCheckIn) -> CheckInAnswers | None:
    """The stored answers, or None if they are somehow incomplete (never shown as a wrong number)."""
    try:
        return CheckInAnswers.from_dict(row.answers or {})
    except (TypeError, ValueError):
        return None


def history(user_id: int) -> list[MonthlyCheckIn]:
    """The member's own check-ins, oldest month first."""
    return list(db.session.scalars(select(MonthlyCheckIn).where(MonthlyCheckIn.user_id == user_id)
                                   .order_by(MonthlyCheckIn.month)))


def points(rows: list[MonthlyCheckIn]) -> list[TrendPoint]:
    found = []
    for row in rows:
        answers = answers_of(row)
        if answers is not None:
            found.append(TrendPoint(row.month, answers.loneliness, answers.group_connection))
    return found


def trend(user_id: int) -> list[TrendPoint]:
    """Loneliness (3-9) and group connection (1-5 or None) for each month checked in, in order."""
    return points(history(user_id))


def delete(user: User, checkin_id: int) -> bool:
    """Take back one of one's own check-ins. False when there is no such check-in of theirs (the
    caller answers 404, so another member's id reveals nothing)."""
    row = db.session.get(MonthlyCheckIn, checkin_id)
    if row is None or row.user_id != user.id:
        return False
    db.session.delete(row)
    db.session.commit()
    return True


def open_talk_request(user_id: int) -> Escalation | None:
    """An earlier "I'd like to talk" nobody has resolved yet (categories are JSON: checked in Python)."""
    waiting = db.session.scalars(select(Escalation).where(
        Escalation.user_id == user_id, Escalation.status.in_(("open", "acknowledged")),
        Escalation.message_id.is_(None)).order_by(Escalation.id))
    return next((e for e in waiting if ASKED_TO_TALK in (e.categories or [])), None)


def ask_to_talk(user: User, now: datetime | None = None) -> tuple[Escalation, bool]:
    """The member asked, after their check-in, for a moderator to get in touch: a concern item in
    the moderators' queue saying only that. No answer, note or score goes with it. Returns the
    item and whether it is new (asking twice before anyone has replied adds nothing)."""
    earlier = open_talk_request(user.id)
    if earlier is not None:
        return earlier, False
    now = now or utcnow()
    # No group: it's about the person, not a group, so every moderator (not only a group's) may answer.
    escalation = Escalation(level="concern", source="message", categories=[ASKED_TO_TALK], user_id=user.id,
                            message_id=None, group_id=None, status="open", created_at=now)
    db.session.add(escalation)
    audit("talk_requested", actor_id=user.id, escalation=escalation, subject_id=user.id)
    db.session.commit()
    return escalation, True
