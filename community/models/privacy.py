"""Privacy: accounts waiting out their cooling-off period before they are erased, and crisis
records that have been reduced to a bare, unlinked form and will be deleted after retention.

Both live in tables of their own so the rows they describe (users, escalations) keep their shape;
erasing an account deletes its `account_deletions` row with it (ON DELETE CASCADE).
"""
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from community.extensions import db
from community.models.base import UTCDateTime, utcnow

MINIMISED_BECAUSE = ("account_deleted", "retention")


class AccountDeletion(db.Model):
    """A member asked for their account to be deleted. Nothing is erased before `purge_after`;
    until then logging in and pressing "Keep my account" removes this row and that is all."""

    __tablename__ = "account_deletions"
    __table_args__ = (Index("ix_account_deletions_purge_after", "purge_after"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    purge_after: Mapped[datetime] = mapped_column(UTCDateTime())
    # True: their chat messages are removed; False: kept, shown as "Former member".
    erase_messages: Mapped[bool] = mapped_column(Boolean)


class MinimisedEscalation(db.Model):
    """An escalation reduced to level, categories, dates and outcome, with no link to the person,
    their messages or anyone's notes. The purge deletes it ESCALATION_RETENTION_DAYS after this."""

    __tablename__ = "minimised_escalations"
    __table_args__ = (
        CheckConstraint(f"reason IN {MINIMISED_BECAUSE!r}", name="reason_known"),
        Index("ix_minimised_escalations_minimised_at", "minimised_at"),
    )

    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id", ondelete="CASCADE"), primary_key=True)
    minimised_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reason: Mapped[str] = mapped_column(String(20))
