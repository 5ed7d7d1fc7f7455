"""Escalations: opened in the same transaction as the message that caused them, alerted after
the commit, alerted again until someone acknowledges, and every step audited.

The writer is never told that moderators were alerted by name, and peers never learn anything.
"""
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select, true

from community.extensions import db
from community.models import AuditLog, Escalation, GroupModerator, User

SEVERITY = {"crisis": 0, "concern": 1}  # queue order: crisis first, then concern; oldest first within


def realert_after() -> timedelta:
    return timedelta(minutes=current_app.config["SAFETY_REALERT_MINUTES"])


def audit(action: str, *, actor_id: int | None, escalation: Escalation | None = None,
          subject_id: int | None = None, **detail) -> AuditLog:
    """Add an audit row to the current transaction (it commits or rolls back with the action)."""
    row = AuditLog(actor_id=actor_id, action=action, escalation=escalation,
                   subject_id=subject_id if subject_id is not None else (escalation.user_id if escalation else None),
                   detail=detail)
    db.session.add(row)
    return row


def open_for_message(*, level: str, categories, message_id: int, user_id: int, group_id: int,
                     now: datetime) -> Escalation:
    """Open an escalation for a stored (not yet committed) message, in the caller's transaction."""
    escalation = Escalation(
        level=level, source="message", categories=list(categories), user_id=user_id,
        message_id=message_id, group_id=group_id, status="open", created_at=now,
        next_alert_at=now + realert_after() if level == "crisis" else None,
    )
    db.session.add(escalation)
    audit("escalation_opened", actor_id=None, escalation=escalation, subject_id=user_id,
          level=level, categories=list(categories), message_id=message_id)
    return escalation


def for_message(message_id: int) -> Escalation | None:
    return db.session.scalar(select(Escalation).where(Escalation.message_id == message_id))


def responders(escalation: Escalation, everyone: bool = False) -> list[int]:
    """Who hears about it: the group's moderators and every admin; everyone with the moderator
    role too when it has waited too long (or belongs to no group)."""
    roles = ("moderator", "admin") if everyone or escalation.group_id is None else ("admin",)
    ids = set(db.session.scalars(select(User.id).where(User.role.in_(roles))))
    if escalation.group_id is not None:
        ids |= set(db.session.scalars(
            select(GroupModerator.user_id).join(User, User.id == GroupModerator.user_id)
            .where(GroupModerator.group_id == escalation.group_id, User.role.in_(("moderator", "admin")))
        ))
    return sorted(ids)


def handled_by(user: User):
    """may_handle as a WHERE clause, for counting in one query (keep the two in step)."""
    if user.role == "admin":
        return true()
    mine = select(GroupModerator.group_id).where(GroupModerator.user_id == user.id)
    return or_(Escalation.group_id.is_(None), Escalation.alert_count > 1, Escalation.group_id.in_(mine))


def may_handle(user: User, escalation: Escalation) -> bool:
    """Admins handle everything; moderators what belongs to their groups or to no group, and
    everything once it has gone unacknowledged long enough to be sent to all of them."""
    if not user.is_authenticated or not user.has_role("moderator"):
        return False
    if user.role == "admin" or escalation.group_id is None or escalation.alert_count > 1:
        return True
    return bool(db.session.scalar(select(GroupModerator.user_id).where(
        GroupModerator.group_id == escalation.group_id, GroupModerator.user_id == user.id)))
