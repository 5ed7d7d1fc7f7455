"""Moderation: members' reports, blocks, the review items moderators work through, the actions
they take (the moderation log), appeals, per-group filter rules, and private notifications.

Crisis and concern items stay in `escalations` (safety); the review queue shows both tables as one
list, ranked by severity then age.
"""
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.extensions import db
from community.models.base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from community.models.chat import Message
    from community.models.group import Group
    from community.models.user import User

REPORT_REASONS = ("harassment", "hate", "spam", "unsafe", "worried", "other")
REVIEW_KINDS = ("report", "hold")  # hold: an automatic filter kept the message back for review
REVIEW_STATUSES = ("open", "closed")
ACTION_KINDS = ("dismiss", "approve", "hide", "warn", "mute", "remove", "suspend", "restore")
APPEAL_STATUSES = ("open", "upheld", "overturned")


class ReviewItem(db.Model):
    """One message waiting for a moderator: reported by members, or held by a filter. Every
    report of the same message joins the same item, so moderators see who else reported it."""

    __tablename__ = "review_items"
    __table_args__ = (
        CheckConstraint(f"kind IN {REVIEW_KINDS!r}", name="kind_known"),
        CheckConstraint(f"status IN {REVIEW_STATUSES!r}", name="status_known"),
        UniqueConstraint("message_id", "kind", name="uq_review_items_message_kind"),
        Index("ix_review_items_status_severity", "status", "severity", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    # Lower is more urgent (crisis escalations are 0); see moderation.review.SEVERITY.
    severity: Mapped[int] = mapped_column(default=3)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="open")
    # What put it here: the filter rule for a hold, the first reason for a report.
    detail: Mapped[str] = mapped_column(String(280), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # A claim tells other moderators someone is on it; it never locks anyone out for good.
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    outcome: Mapped[str | None] = mapped_column(String(10))

    message: Mapped["Message"] = relationship()
    group: Mapped["Group"] = relationship()
    subject: Mapped["User | None"] = relationship(foreign_keys=[subject_id])
    claimed_by: Mapped["User | None"] = relationship(foreign_keys=[claimed_by_id])
    closed_by: Mapped["User | None"] = relationship(foreign_keys=[closed_by_id])
    reports: Mapped[list["Report"]] = relationship(back_populates="item", order_by="Report.id")


class Report(db.Model):
    """A member's report of one message. The reporter hears that it was received and, later, that
    it was reviewed; never what happened to the other person."""

    __tablename__ = "reports"
    __table_args__ = (
        CheckConstraint(f"reason IN {REPORT_REASONS!r}", name="reason_known"),
        UniqueConstraint("reporter_id", "message_id", name="uq_reports_once_per_message"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("review_items.id", ondelete="SET NULL"), index=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(12))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    item: Mapped[ReviewItem | None] = relationship(back_populates="reports")
    reporter: Mapped["User"] = relationship()


class Block(db.Model):
    """One member has blocked another: the blocked person's messages are collapsed for the
    blocker everywhere. The blocked person is never told."""

    __tablename__ = "blocks"

    blocker_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    blocked_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ModerationAction(db.Model):
    """The moderation log: who did what, when, why, to whom and on which message. Rows are never
    changed except to note that a later action restored them."""

    __tablename__ = "moderation_actions"
    __table_args__ = (
        CheckConstraint(f"kind IN {ACTION_KINDS!r}", name="kind_known"),
        Index("ix_moderation_actions_subject", "subject_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="SET NULL"), index=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("review_items.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # mutes and suspensions
    # A restore points at the action it undid; the undone action points back.
    restores_id: Mapped[int | None] = mapped_column(ForeignKey("moderation_actions.id", ondelete="SET NULL"))
    restored_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    actor: Mapped["User | None"] = relationship(foreign_keys=[actor_id])
    subject: Mapped["User | None"] = relationship(foreign_keys=[subject_id])
    group: Mapped["Group | None"] = relationship()
    message: Mapped["Message | None"] = relationship()
    appeal: Mapped["Appeal | None"] = relationship(back_populates="action", uselist=False)


class Appeal(db.Model):
    """A member's one appeal of a hide, mute or removal; a different moderator decides."""

    __tablename__ = "appeals"
    __table_args__ = (
        CheckConstraint(f"status IN {APPEAL_STATUSES!r}", name="status_known"),
        UniqueConstraint("action_id", name="uq_appeals_once_per_action"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("moderation_actions.id", ondelete="CASCADE"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    note: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_reason: Mapped[str | None] = mapped_column(Text)

    action: Mapped[ModerationAction] = relationship(back_populates="appeal")
    member: Mapped["User | None"] = relationship(foreign_keys=[member_id])
    decided_by: Mapped["User | None"] = relationship(foreign_keys=[decided_by_id])


class FilterRules(db.Model):
    """A group's own automatic filter rules (community.filters.RuleSet as a dict). A group
    without a row uses the shipped defaults."""

    __tablename__ = "filter_rules"

    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True)
    rules: Mapped[dict] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class FilterEvent(db.Model):
    """Every automatic action a filter took (mask, hold, block), with the rule that fired."""

    __tablename__ = "filter_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"))  # None: blocked
    action: Mapped[str] = mapped_column(String(10))
    rules: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Notification(db.Model):
    """A private, in-app note to one member: a warning, a hidden message, a report reviewed."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_recipient_unread", "recipient_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
