"""Group chat: the messages themselves, and which moderators look after which groups."""
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.extensions import db
from community.models.base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from community.models.group import Group
    from community.models.user import User

MESSAGE_KINDS = ("member", "system")
HELD_REASONS = ("means", "harassment", "paused", "filter")  # paused: the writer is muted or suspended


class Message(db.Model):
    """One chat message. Ids only grow, so 'everything after id N' is exactly what a client missed."""

    __tablename__ = "messages"
    __table_args__ = (
        CheckConstraint(f"kind IN {MESSAGE_KINDS!r}", name="kind_known"),
        # A retry with the same client_id finds the original instead of storing it twice.
        UniqueConstraint("author_id", "client_id", name="uq_messages_author_client"),
        Index("ix_messages_group_id_id", "group_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    # None for messages from Common Ground itself (welcome, conversation starters).
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(10), default="member")
    body: Mapped[str] = mapped_column(Text)
    client_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Held back from the group (the writer and moderators still see it): a crisis message that
    # describes a method or means, harassment waiting for review, or a crisis message from someone
    # a moderator has paused. See HELD_REASONS.
    held_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    held_reason: Mapped[str | None] = mapped_column(String(20))

    author: Mapped["User | None"] = relationship(foreign_keys=[author_id])
    group: Mapped["Group"] = relationship()


class GroupModerator(db.Model):
    """A moderator assigned to a group: they may read its chat and act on it (admins see all)."""

    __tablename__ = "group_moderators"

    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
