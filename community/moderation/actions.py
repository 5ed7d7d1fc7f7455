"""What moderators do with an escalation: look at it, acknowledge it, message the person,
write notes, resolve it and follow up a day later, and the team's view of how it's going.

Each action is one transaction that changes the escalation and writes its audit row together;
the person hears anything (a `support_message` event) only after the commit. State changes are
claimed with a conditional UPDATE, so two moderators pressing the same button on two server
processes still leave one acknowledgement and one resolution on record.
"""
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from community.chat import services as chat  # a module, not names: chat.services imports us back
from community.extensions import db
from community.models import AuditLog, Escalation, EscalationNote, Message, SupportMessage, User
from community.models.base import utcnow
from community.moderation.escalations import SEVERITY, audit, may_handle
from community.support import services as support

OUTCOMES = {
    "checked_in_safe": "Checked in; safe for now",
    "crisis_line": "Connected with 988 or another crisis line",
    "emergency": "Emergency services contacted",
    "no_reply": "No reply yet to a check-in",
    "not_a_risk": "Not a risk after all",
}
MAX_BODY = 2000
SENDER_NAME = support.FROM_MODERATOR  # what the member sees as the sender, never a name
RECENT_DAYS = 7
CONTEXT = 5  # messages either side of the flagged one
HISTORY_DAYS = 90
DASHBOARD_DAYS = 30


class ActionError(Exception):
    """A reason the moderator can read; nothing was changed."""


@dataclass
class Queue:
    active: list[Escalation]  # open and acknowledged, crisis first, oldest first
    follow_ups: list[Escalation]  # resolved, check-in due, not done yet
    resolved: list[Escalation]  # resolved in the last RECENT_DAYS days, newest first


@dataclass
class Detail:
    escalation: Escalation
    context: list[Message]  # oldest first, the flagged message among them
    history: list[Escalation]  # the same person's other escalations, newest first
    messages: list[SupportMessage]
    trail: list[AuditLog]


def _allowed(escalation: Escalation, by: User) -> None:
    if not may_handle(by, escalation):
        raise ActionError("Only a moderator of this group can act on this.")


def _text(raw, what: str) -> str:
    """Trimmed, control characters removed (as in chat), 1 to MAX_BODY characters."""
    if isinstance(raw, str) and len(raw.strip()) > MAX_BODY:
        raise ActionError(f"Please keep the {what} to {MAX_BODY:,} characters or fewer.")
    try:
        return chat.clean_body(raw)
    except chat.ChatError:
        raise ActionError(f"Please write the {what} first.") from None


def queue(user: User, now: datetime | None = None) -> Queue:
    """Everything this moderator may handle, in the order it should be looked at."""
    now = now or utcnow()
    listed = select(Escalation).options(*(selectinload(r) for r in (
        Escalation.user, Escalation.group, Escalation.acknowledged_by, Escalation.resolved_by)))
    active = db.session.scalars(listed.where(Escalation.status.in_(("open", "acknowledged"))))
    active = sorted((e for e in active if may_handle(user, e)),
                    key=lambda e: (SEVERITY.get(e.level, len(SEVERITY)), e.created_at, e.id))
    due = db.session.scalars(listed.where(
        Escalation.status == "resolved", Escalation.follow_up_at.is_not(None), Escalation.follow_up_at <= now,
        Escalation.followed_up_at.is_(None)).order_by(Escalation.follow_up_at, Escalation.id))
    resolved = db.session.scalars(listed.where(
        Escalation.status == "resolved", Escalation.resolved_at >= now - timedelta(days=RECENT_DAYS))
        .order_by(Escalation.resolved_at.desc(), Escalation.id.desc()))
    return Queue(active, [e for e in due if may_handle(user, e)], [e for e in resolved if may_handle(user, e)])


def view(escalation: Escalation, by: User) -> Detail:
    """What the escalation page shows; looking is recorded too, as every action is."""
    _allowed(escalation, by)
    audit("escalation_viewed", actor_id=by.id, escalation=escalation)
    db.session.commit()
    context = []
    message = escalation.message
    if message is not None:
        around = select(Message).where(Message.group_id == message.group_id)
        before = db.session.scalars(around.where(Message.id < message.id).order_by(Message.id.desc()).limit(CONTEXT))
        after = db.session.scalars(around.where(Message.id > message.id).order_by(Message.id).limit(CONTEXT))
        context = [*reversed(list(before)), message, *after]
    history = []
    if escalation.user_id is not None:
        history = list(db.session.scalars(select(Escalation).where(
            Escalation.user_id == escalation.user_id, Escalation.id != escalation.id,
            Escalation.created_at >= utcnow() - timedelta(days=HISTORY_DAYS))
            .order_by(Escalation.created_at.desc(), Escalation.id.desc())))
    messages = list(db.session.scalars(select(SupportMessage).where(SupportMessage.escalation_id == escalation.id)
                                       .order_by(SupportMessage.id)))
    trail = list(db.session.scalars(select(AuditLog).where(AuditLog.escalation_id == escalation.id)
                                    .order_by(AuditLog.id)))
    return Detail(escalation, context, history, messages, trail)


def _claim_acknowledgement(escalation: Escalation, by: User, now: datetime) -> bool:
    """open -> acknowledged in the caller's transaction; False if it wasn't open any more."""
    claimed = db.session.execute(
        update(Escalation).where(Escalation.id == escalation.id, Escalation.status == "open")
        .values(status="acknowledged", acknowledged_at=now, acknowledged_by_id=by.id, next_alert_at=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed:
        audit("escalation_acknowledged", actor_id=by.id, escalation=escalation)
    return bool(claimed)


def acknowledge(escalation: Escalation, by: User, now: datetime | None = None) -> bool:
    """"I'm on it": stops the re-alerts. False (and nothing written) if someone got there first."""
    _allowed(escalation, by)
    claimed = _claim_acknowledgement(escalation, by, now or utcnow())
    db.session.commit()
    db.session.refresh(escalation)
    return claimed


def message_member(escalation: Escalation, by: User, body, now: datetime | None = None) -> SupportMessage:
    """A private check-in to the person. Stored first; the live event is a bonus on top."""
    _allowed(escalation, by)
    if escalation.user_id is None:
        raise ActionError("This person's account no longer exists, so there is no one to message.")
    body = _text(body, "message")
    now = now or utcnow()
    sent = SupportMessage(recipient_id=escalation.user_id, sender_id=by.id, escalation_id=escalation.id,
                          body=body, created_at=now)
    db.session.add(sent)
    _claim_acknowledgement(escalation, by, now)
    db.session.flush()
    audit("support_message_sent", actor_id=by.id, escalation=escalation, support_message_id=sent.id)
    db.session.commit()
    db.session.refresh(escalation)
    support.tell(sent)
    return sent


def add_note(escalation: Escalation, by: User, body, now: datetime | None = None) -> EscalationNote:
    """A note for the other moderators; the person never sees it."""
    _allowed(escalation, by)
    note = EscalationNote(escalation_id=escalation.id, author_id=by.id, body=_text(body, "note"),
                          created_at=now or utcnow())
    db.session.add(note)
    db.session.flush()
    audit("note_added", actor_id=by.id, escalation=escalation, note_id=note.id)
    db.session.commit()
    return note


def resolve(escalation: Escalation, by: User, outcome: str, note: str = "",
            now: datetime | None = None) -> None:
    """Close it with an outcome, and set the day-after check-in the watch will remind about."""
    _allowed(escalation, by)
    if outcome not in OUTCOMES:
        raise ActionError("Please choose how it ended from the list.")
    note = (note or "").strip()
    if note:
        note = _text(note, "note")
    now = now or utcnow()
    follow_up_at = now + timedelta(hours=current_app.config["SAFETY_FOLLOW_UP_HOURS"])
    _claim_acknowledgement(escalation, by, now)
    resolved = db.session.execute(
        update(Escalation).where(Escalation.id == escalation.id, Escalation.status == "acknowledged")
        .values(status="resolved", resolved_at=now, resolved_by_id=by.id, outcome=outcome,
                next_alert_at=None, follow_up_at=follow_up_at)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not resolved:
        db.session.rollback()
        raise ActionError("Someone else resolved this a moment ago; nothing was changed.")
    if note:
        db.session.add(EscalationNote(escalation_id=escalation.id, author_id=by.id, body=note, created_at=now))
    audit("escalation_resolved", actor_id=by.id, escalation=escalation, outcome=outcome,
          follow_up_at=follow_up_at.isoformat(), with_note=bool(note))
    db.session.commit()
    db.session.refresh(escalation)


def follow_up_done(escalation: Escalation, by: User, now: datetime | None = None) -> bool:
    """The check-in after resolving happened. False if it was already marked done."""
    _allowed(escalation, by)
    if escalation.status != "resolved":
        raise ActionError("A follow-up comes after resolving; please resolve this first.")
    done = db.session.execute(
        update(Escalation).where(Escalation.id == escalation.id, Escalation.followed_up_at.is_(None))
        .values(followed_up_at=now or utcnow()).execution_options(synchronize_session=False)
    ).rowcount
    if done:
        audit("follow_up_done", actor_id=by.id, escalation=escalation)
    db.session.commit()
    db.session.refresh(escalation)
    return bool(done)


def percentile(values: list[float], share: float) -> float | None:
    """Nearest rank: the smallest value at least `share` of them are at or under."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass
class Load:
    user: User
    acknowledged: int = 0
    resolved: int = 0
    notes: int = 0
    messages: int = 0
    in_hand: int = 0  # acknowledged by them and not resolved yet

    @property
    def total(self) -> int:
        return self.acknowledged + self.resolved + self.notes + self.messages


@dataclass
class Dashboard:
    open_by_level: dict[str, dict[str, int]]  # level -> {"open": n, "acknowledged": n}
    ack_seconds: dict[str, dict]  # "crisis" / "all" -> {"p50", "p90", "count", "waiting"}
    load: list[Load] = field(default_factory=list)


def _counts(column, since_column, since: datetime, *where) -> dict[int, int]:
    rows = db.session.execute(select(column, func.count()).where(column.is_not(None), since_column >= since, *where)
                              .group_by(column))
    return dict(rows.all())


def dashboard(now: datetime | None = None) -> Dashboard:
    """How the team is doing: what's waiting, how fast someone picks things up, who carries what."""
    now = now or utcnow()
    since = now - timedelta(days=DASHBOARD_DAYS)
    open_by_level = {level: {"open": 0, "acknowledged": 0} for level in SEVERITY}
    for level, status, count in db.session.execute(
            select(Escalation.level, Escalation.status, func.count())
            .where(Escalation.status.in_(("open", "acknowledged"))).group_by(Escalation.level, Escalation.status)):
        open_by_level.setdefault(level, {"open": 0, "acknowledged": 0})[status] = count

    recent = db.session.execute(select(Escalation.level, Escalation.created_at, Escalation.acknowledged_at)
                                .where(Escalation.created_at >= since)).all()
    ack_seconds = {}
    for name, rows in (("crisis", [r for r in recent if r.level == "crisis"]), ("all", recent)):
        waits = [(r.acknowledged_at - r.created_at).total_seconds() for r in rows if r.acknowledged_at]
        ack_seconds[name] = {"p50": percentile(waits, 0.5), "p90": percentile(waits, 0.9),
                             "count": len(waits), "waiting": len(rows) - len(waits)}

    people = db.session.scalars(select(User).where(User.role.in_(("moderator", "admin"))).order_by(User.display_name))
    load = {u.id: Load(u) for u in people}
    counts = {
        "acknowledged": _counts(Escalation.acknowledged_by_id, Escalation.acknowledged_at, since),
        "resolved": _counts(Escalation.resolved_by_id, Escalation.resolved_at, since),
        "notes": _counts(EscalationNote.author_id, EscalationNote.created_at, since),
        "messages": _counts(SupportMessage.sender_id, SupportMessage.created_at, since),
        "in_hand": dict(db.session.execute(
            select(Escalation.acknowledged_by_id, func.count())
            .where(Escalation.status == "acknowledged", Escalation.acknowledged_by_id.is_not(None))
            .group_by(Escalation.acknowledged_by_id)).all()),
    }
    for what, per_user in counts.items():
        for user_id, count in per_user.items():
            if user_id not in load:  # someone who has since lost the role still did the work
                load[user_id] = Load(db.session.get(User, user_id))
            setattr(load[user_id], what, count)
    ranked = sorted(load.values(), key=lambda row: (-row.total - row.in_hand, row.user.display_name))
    return Dashboard(open_by_level, ack_seconds, ranked)
