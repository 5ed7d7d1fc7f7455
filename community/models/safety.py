"""Crisis safety: escalations and what moderators do with them, private check-ins to members,
members' "I'm worried about this person", and the audit trail of it all.

Escalation state lives here, not in memory, so re-alerts and follow-ups survive restarts and
any server process can pick them up.
"""
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.encryption import EncryptedText
from community.extensions import db
from community.models.base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from community.models.chat import Message
    from community.models.group import Group
    from community.models.user import User

ESCALATION_LEVELS = ("crisis", "concern")
ESCALATION_SOURCES = ("message", "worry")  # a chat message, or a member worried about someone
ESCALATION_STATUSES = ("open", "acknowledged", "resolved")


class Escalation(db.Model):
    """Someone may be at risk. Crisis items come first in the queue and alert moderators at once;
    concern items wait in the queue at normal priority."""

    __tablename__ = "escalations"
    __table_args__ = (
        CheckConstraint(f"level IN {ESCALATION_LEVELS!r}", name="level_known"),
        CheckConstraint(f"source IN {ESCALATION_SOURCES!r}", name="source_known"),
        CheckConstraint(f"status IN {ESCALATION_STATUSES!r}", name="status_known"),
        # One escalation per message, however often the client retries or a process restarts.
        UniqueConstraint("message_id", name="uq_escalations_message"),
        Index("ix_escalations_status_next_alert", "status", "next_alert_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    level: Mapped[str] = mapped_column(String(10))
    source: Mapped[str] = mapped_column(String(10), default="message")
    categories: Mapped[list] = mapped_column(JSON, default=list)
    # The person who may be at risk (the writer, or whoever a member is worried about).
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(15), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Real-time alerts: None until the first one went out (a failed one is retried from here).
    alerted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    alert_count: Mapped[int] = mapped_column(default=0)
    # When to alert everyone again if nobody has acknowledged it by then; None once acknowledged.
    next_alert_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    outcome: Mapped[str | None] = mapped_column(String(40))
    # A check-in reminder a day after resolving; done when followed_up_at is set.
    follow_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    follow_up_alerted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    followed_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped["User | None"] = relationship(foreign_keys=[user_id])
    message: Mapped["Message | None"] = relationship()
    group: Mapped["Group | None"] = relationship()
    acknowledged_by: Mapped["User | None"] = relationship(foreign_keys=[acknowledged_by_id])
    resolved_by: Mapped["User | None"] = relationship(foreign_keys=[resolved_by_id])
    notes: Mapped[list["EscalationNote"]] = relationship(
        back_populates="escalation", order_by="EscalationNote.id", cascade="all, delete-orphan")


class EscalationNote(db.Model):
    __tablename__ = "escalation_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(EncryptedText)  # about someone's crisis: encrypted at rest
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    escalation: Mapped[Escalation] = relationship(back_populates="notes")
    author: Mapped["User | None"] = relationship()


class SupportMessage(db.Model):
    """A private message to a member: a moderator checking in, or Common Ground's own check-in
    when another member was worried about them (never saying who)."""

    __tablename__ = "support_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))  # None: Common Ground
    escalation_id: Mapped[int | None] = mapped_column(ForeignKey("escalations.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(EncryptedText)  # a check-in about someone's wellbeing: encrypted
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    sender: Mapped["User | None"] = relationship(foreign_keys=[sender_id])


class WorryReport(db.Model):
    """A member's private "I'm worried about this person". One per reporter, person and day."""

    __tablename__ = "worry_reports"
    __table_args__ = (UniqueConstraint("reporter_id", "subject_id", "day", name="uq_worry_reports_once_a_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    subject_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"))
    escalation_id: Mapped[int | None] = mapped_column(ForeignKey("escalations.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(EncryptedText, default="")  # about another's wellbeing: encrypted
    day: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    escalation: Mapped[Escalation | None] = relationship()


class AuditLog(db.Model):
    """Who looked at or did what, and when. Written in the same transaction as the action."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_escalation", "escalation_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))  # None: the system
    action: Mapped[str] = mapped_column(String(40))
    escalation_id: Mapped[int | None] = mapped_column(ForeignKey("escalations.id", ondelete="SET NULL"))
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    actor: Mapped["User | None"] = relationship(foreign_keys=[actor_id])
    # escalations.audit() passes the escalation itself: it may not have an id until the flush.
    escalation: Mapped[Escalation | None] = relationship()
