"""Facilitated question rounds: one question put to a group, each member invited in turn.

Turn order: the group's active members ordered by when they joined (then membership id), rotated
by the number of rounds the group has had before, so a different person goes first each time
(round 1 starts with the first to join, round 2 with the second, and so on, wrapping around).

A turn moves on when its member answers (their next chat message in the group while it is their
turn, recorded in the same transaction as the message: chat/services.py calls `answered`), passes,
leaves the group, or lets ROUND_TURN_HOURS go by. Passing is always fine and never announced: the
chat only ever says whose turn it is now, and the closing note thanks everyone without a list.

Every change of the current turn is a compare-and-set (UPDATE ... WHERE status = 'current'), so of
two things happening at once (two messages, a message and a pass, two processes' timeout passes)
exactly one moves the round on and none is skipped. Starting takes the group row's lock (FOR UPDATE
on PostgreSQL) and checks again after inserting (SQLite serializes writers), so a group never has
two open rounds. The `round` event reaches the group's room only after the commit.
"""
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import event, func, or_, select, update
from sqlalchemy.orm import Session

from community.extensions import db, socketio
from community.models import ConversationRound, Group, Membership, Message, RoundTurn, User
from community.models.base import utcnow

MAX_QUESTION = 300
ALREADY_OPEN = ("A question round is already going in this group. Once it finishes (or is ended), "
                "a new one can start.")
NO_ROUND = "There's no question round going in this group just now."
NOT_YOUR_TURN = "It isn't your turn in this round just now, so there's nothing to pass."
NO_MEMBERS = "This group has no members to ask yet."
HOW_IT_WORKS = ("We'll go around one at a time. When it's your turn, answer in a message, or pass. "
                "Passing is always fine, no reason needed.")
THANKS = "That's the end of this round. Thank you, everyone, for being part of it."
_PENDING = "round_events_to_emit"
log = logging.getLogger(__name__)


class RoundError(Exception):
    """Why it can't be done, in words the person can act on; nothing was changed."""


@dataclass(frozen=True)
class RoundState:
    """What the group page and the `round` event show: the question and whose turn it is."""

    round_id: int
    question: str
    current_id: int | None
    current_name: str | None
    started_at: datetime


def may_lead(user: User, group_id: int) -> bool:
    """Organizers and admins, and moderators assigned to this group, may start and end rounds."""
    from community.moderation.review import may_review  # imports chat.services, which imports us lazily

    return user.is_authenticated and (user.has_role("organizer") or may_review(user, group_id))


def active_member_ids(group_id: int) -> list[int]:
    """The group's active members, in the order they joined."""
    return list(db.session.scalars(
        select(Membership.user_id).where(Membership.group_id == group_id, Membership.left_at.is_(None))
        .order_by(Membership.joined_at, Membership.id)))


def turn_order(group_id: int, rounds_before: int) -> list[int]:
    """Join order, rotated by the number of rounds before this one (see the module docstring)."""
    ids = active_member_ids(group_id)
    if not ids:
        return []
    shift = rounds_before % len(ids)
    return ids[shift:] + ids[:shift]


def open_round(group_id: int) -> ConversationRound | None:
    return db.session.scalar(select(ConversationRound).where(
        ConversationRound.group_id == group_id, ConversationRound.finished_at.is_(None))
        .order_by(ConversationRound.id).limit(1))


def state(group_id: int) -> RoundState | None:
    """The open round's question and whose turn it is (None when no round is going)."""
    found = open_round(group_id)
    if found is None:
        return None
    current = db.session.execute(
        select(User.id, User.display_name).join(RoundTurn, RoundTurn.user_id == User.id)
        .where(RoundTurn.round_id == found.id, RoundTurn.status == "current")).first()
    return RoundState(found.id, found.question, current.id if current else None,
                      current.display_name if current else None, found.started_at)


def _post(group_id: int, body: str, now: datetime) -> None:
    """A note from Common Ground in the chat; notices.py pushes it to the room after the commit."""
    db.session.add(Message(group_id=group_id, author_id=None, kind="system", body=body, created_at=now))


def over_to(name: str) -> str:
    return f"Over to you, {name}. No rush: a few words are plenty, or pass if you'd rather."


def start(group: Group, question: str, by: User | None, now: datetime | None = None) -> ConversationRound:
    """Open a round and invite the first member; the caller commits. RoundError if one is open."""
    now = now or utcnow()
    question = " ".join((question or "").split())
    if not question:
        raise RoundError("Please write the question for the round.")
    if len(question) > MAX_QUESTION:
        raise RoundError(f"Please keep the question to {MAX_QUESTION} characters or fewer.")
    # One starter at a time per group (PostgreSQL; SQLite ignores FOR UPDATE and serializes writers).
    db.session.execute(select(Group.id).where(Group.id == group.id).with_for_update())
    if open_round(group.id) is not None:
        raise RoundError(ALREADY_OPEN)
    rounds_before = db.session.scalar(
        select(func.count(ConversationRound.id)).where(ConversationRound.group_id == group.id))
    order = turn_order(group.id, rounds_before)
    if not order:
        raise RoundError(NO_MEMBERS)
    new = ConversationRound(group_id=group.id, question=question, started_by_id=by.id if by else None,
                            started_at=now)
    new.turns = [RoundTurn(user_id=user_id, position=n, status="current" if n == 0 else "waiting",
                           invited_at=now if n == 0 else None) for n, user_id in enumerate(order)]
    db.session.add(new)
    db.session.flush()
    others = db.session.scalar(select(func.count(ConversationRound.id)).where(
        ConversationRound.group_id == group.id, ConversationRound.finished_at.is_(None),
        ConversationRound.id != new.id))
    if others:  # another process started one at the same moment (SQLite: it committed first)
        db.session.rollback()
        raise RoundError(ALREADY_OPEN)
    first = db.session.get(User, order[0])
    _post(group.id, f"A question round: {question}\n{HOW_IT_WORKS}", now)
    _post(group.id, over_to(first.display_name), now)
    _queue_event(group.id)
    return new


def _take_current(round_id: int, user_id: int, status: str, now: datetime, message_id: int | None = None,
                  invited_before: datetime | None = None) -> int | None:
    """Mark this member's current turn taken (compare-and-set); its position, or None if someone
    else (another message, a pass, a timeout) took it first."""
    where = [RoundTurn.round_id == round_id, RoundTurn.user_id == user_id, RoundTurn.status == "current"]
    if invited_before is not None:
        where.append(RoundTurn.invited_at <= invited_before)
    result = db.session.execute(
        update(RoundTurn).where(*where).values(status=status, taken_at=now, message_id=message_id)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        return None
    return db.session.scalar(select(RoundTurn.position).where(RoundTurn.round_id == round_id,
                                                              RoundTurn.user_id == user_id))


def _advance(found: ConversationRound, now: datetime, leaving: frozenset = frozenset()) -> None:
    """Invite the next member still in the group (those who left are passed over quietly), or
    close the round with the thank-you note when everyone has had their turn."""
    active = set(active_member_ids(found.group_id)) - leaving
    waiting = db.session.execute(
        select(RoundTurn.user_id, User.display_name).join(User, User.id == RoundTurn.user_id)
        .where(RoundTurn.round_id == found.id, RoundTurn.status == "waiting").order_by(RoundTurn.position)).all()
    for user_id, name in waiting:
        if user_id not in active:
            _set_waiting(found.id, user_id, status="passed", taken_at=now)
            continue
        if _set_waiting(found.id, user_id, status="current", invited_at=now):
            _post(found.group_id, over_to(name), now)
            _queue_event(found.group_id)
            return
    closed = db.session.execute(
        update(ConversationRound).where(ConversationRound.id == found.id, ConversationRound.finished_at.is_(None))
        .values(finished_at=now).execution_options(synchronize_session=False))
    if closed.rowcount == 1:
        _post(found.group_id, THANKS, now)
    _queue_event(found.group_id)


def _set_waiting(round_id: int, user_id: int, **values) -> bool:
    result = db.session.execute(
        update(RoundTurn).where(RoundTurn.round_id == round_id, RoundTurn.user_id == user_id,
                                RoundTurn.status == "waiting")
        .values(**values).execution_options(synchronize_session=False))
    return result.rowcount == 1


def answered(group_id: int, user_id: int, message_id: int, now: datetime) -> bool:
    """A member's message was just stored (same transaction, not yet committed): if it was their
    turn, it is their answer and the round moves on. Held messages count the same, quietly."""
    found = db.session.scalar(
        select(ConversationRound).join(RoundTurn, RoundTurn.round_id == ConversationRound.id)
        .where(ConversationRound.group_id == group_id, ConversationRound.finished_at.is_(None),
               RoundTurn.user_id == user_id, RoundTurn.status == "current"))
    if found is None or _take_current(found.id, user_id, "answered", now, message_id) is None:
        return False
    _advance(found, now)
    return True


def pass_turn(group_id: int, user_id: int, now: datetime | None = None) -> None:
    """The current member passes; the caller commits. RoundError for anyone whose turn it isn't."""
    now = now or utcnow()
    found = open_round(group_id)
    if found is None:
        raise RoundError(NO_ROUND)
    if _take_current(found.id, user_id, "passed", now) is None:
        raise RoundError(NOT_YOUR_TURN)
    _advance(found, now)


def end(group_id: int, by: User, now: datetime | None = None) -> None:
    """A moderator or organizer ends the round early; the caller commits."""
    now = now or utcnow()
    found = open_round(group_id)
    if found is None:
        raise RoundError(NO_ROUND)
    closed = db.session.execute(
        update(ConversationRound).where(ConversationRound.id == found.id, ConversationRound.finished_at.is_(None))
        .values(finished_at=now).execution_options(synchronize_session=False))
    if closed.rowcount != 1:
        raise RoundError(NO_ROUND)
    _post(group_id, THANKS, now)
    _queue_event(group_id)


def _overdue_turns(now: datetime) -> list[tuple]:
    """Current turns that have waited ROUND_TURN_HOURS, or whose member has left the group."""
    hours = float(current_app.config.get("ROUND_TURN_HOURS", 24))
    still_member = select(Membership.id).where(
        Membership.group_id == ConversationRound.group_id, Membership.user_id == RoundTurn.user_id,
        Membership.left_at.is_(None)).exists()
    return db.session.execute(
        select(RoundTurn.round_id, RoundTurn.user_id, RoundTurn.invited_at)
        .join(ConversationRound, ConversationRound.id == RoundTurn.round_id)
        .where(ConversationRound.finished_at.is_(None), RoundTurn.status == "current",
               or_(RoundTurn.invited_at <= now - timedelta(hours=hours), ~still_member))
        .order_by(RoundTurn.round_id)).all()


def run_due(now: datetime | None = None) -> int:
    """Pass on turns that timed out (quietly), then start the weekly rounds that are due. Each
    piece is claimed with a compare-and-set and committed on its own, so two processes running
    this at once never move a round twice or start a week's round twice. Returns how many."""
    from community.journey import round_schedule

    now = now or utcnow()
    done = 0
    for round_id, user_id, invited_at in _overdue_turns(now):
        try:
            # Claimed only if it is still the same invitation this pass saw (nobody took it since).
            if _take_current(round_id, user_id, "passed", now, invited_before=invited_at) is not None:
                _advance(db.session.get(ConversationRound, round_id), now)
                done += 1
            db.session.commit()
        except Exception:  # noqa: BLE001 - one round's trouble must not stop the others
            db.session.rollback()
            log.exception("question round %s not moved on", round_id)
    return done + _restart_stalled(now) + round_schedule.run_due(now)


def _restart_stalled(now: datetime) -> int:
    """An open round with nobody's turn current (its speaker's account was deleted, taking their
    turn with it) invites the next member. The no-op UPDATE takes the round's lock first (a row
    lock on PostgreSQL, the write lock on SQLite), so only one process does it."""
    has_current = select(RoundTurn.user_id).where(RoundTurn.round_id == ConversationRound.id,
                                                  RoundTurn.status == "current").exists()
    stalled = list(db.session.scalars(select(ConversationRound.id).where(
        ConversationRound.finished_at.is_(None), ~has_current)))
    done = 0
    for round_id in stalled:
        try:
            claimed = db.session.execute(
                update(ConversationRound).where(ConversationRound.id == round_id, ConversationRound.finished_at.is_(None))
                .values(started_at=ConversationRound.started_at).execution_options(synchronize_session=False))
            still = db.session.scalar(select(RoundTurn.user_id).where(RoundTurn.round_id == round_id,
                                                                      RoundTurn.status == "current"))
            if claimed.rowcount == 1 and still is None:
                _advance(db.session.get(ConversationRound, round_id), now)
                done += 1
            db.session.commit()
        except Exception:  # noqa: BLE001 - one round's trouble must not stop the others
            db.session.rollback()
            log.exception("question round %s not restarted", round_id)
    return done


# --- the `round` event, after the commit ---

def event_payload(group_id: int) -> dict:
    found = state(group_id)
    if found is None:
        return {"group_id": group_id, "open": False}
    current = {"id": found.current_id, "name": found.current_name} if found.current_id else None
    return {"group_id": group_id, "open": True, "round_id": found.round_id, "question": found.question,
            "current": current}


def _queue_event(group_id: int) -> None:
    """Remember the group's state as of this transaction, to send once it has committed."""
    db.session.info.setdefault(_PENDING, {})[group_id] = event_payload(group_id)


@event.listens_for(Session, "after_commit")
def _emit_round_events(session):
    from community.chat.services import room

    for group_id, payload in session.info.pop(_PENDING, {}).items():
        try:
            socketio.emit("round", payload, to=room(group_id))
        except Exception:  # stored already; the group page shows the state on the next visit
            log.exception("round state of group %s stored but not broadcast", group_id)


@event.listens_for(Session, "after_rollback")
def _forget_round_events(session):
    session.info.pop(_PENDING, None)


# --- a member who leaves mid-round is passed over quietly ---

@event.listens_for(Session, "before_flush")
def _skip_members_who_leave(session, flush_context, instances):
    from sqlalchemy import inspect

    for obj in list(session.dirty):
        if not isinstance(obj, Membership) or obj.left_at is None:
            continue
        history = inspect(obj).attrs.left_at.history
        if not history.added or any(value is not None for value in history.deleted):
            continue
        _left_mid_round(obj.group_id, obj.user_id, obj.left_at)


def _left_mid_round(group_id: int, user_id: int, now: datetime) -> None:
    """Runs inside the flush that records the leaving (autoflush is off there)."""
    found = open_round(group_id)
    if found is None:
        return
    _set_waiting(found.id, user_id, status="passed", taken_at=now)
    if _take_current(found.id, user_id, "passed", now) is not None:
        _advance(found, now, leaving=frozenset({user_id}))
