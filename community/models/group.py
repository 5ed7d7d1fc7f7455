"""Groups, who is in them, how matching runs went, and what members told us about a group."""
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, Index, SmallInteger, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.encryption import EncryptedText
from community.extensions import db
from community.models.base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from community.models.user import User

GROUP_MODES = ("online", "in_person")
GROUP_ORIGINS = ("matching", "manual")
MEMBERSHIP_ROLES = ("member", "host")  # a host welcomes newcomers; no extra power over others
MEMBERSHIP_SOURCES = ("matching", "manual", "joined")
LEAVE_REASONS = ("left", "not_for_me", "removed")
MIN_GROUP_SIZE = 4
MAX_GROUP_SIZE = 6


class Group(db.Model):
    __tablename__ = "groups"
    __table_args__ = (
        CheckConstraint(f"mode IN {GROUP_MODES!r}", name="mode_known"),
        CheckConstraint(f"origin IN {GROUP_ORIGINS!r}", name="origin_known"),
        CheckConstraint("capacity BETWEEN 2 AND 12", name="capacity_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    mode: Mapped[str] = mapped_column(String(10))
    origin: Mapped[str] = mapped_column(String(10), default="matching")
    capacity: Mapped[int] = mapped_column(SmallInteger, default=MAX_GROUP_SIZE)
    # Browsable and joinable by members who fit, while it has a free seat.
    is_open: Mapped[bool] = mapped_column(default=True)
    shared_interests: Mapped[list] = mapped_column(JSON, default=list)  # display names
    common_slots: Mapped[list] = mapped_column(JSON, default=list)  # weekly slots 0-20
    explanation: Mapped[str] = mapped_column(String(400), default="")
    score: Mapped[float | None] = mapped_column(Float)
    neighbourhood: Mapped[str | None] = mapped_column(String(60))  # rough area, in-person groups
    match_run_id: Mapped[int | None] = mapped_column(ForeignKey("match_runs.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Bumped on every join so concurrent joins conflict on one row (see groups.services.join).
    seat_version: Mapped[int] = mapped_column(default=0)
    # Seconds a member waits between chat messages in this group; 0 is off (moderators set it).
    slow_mode_seconds: Mapped[int] = mapped_column(default=0, server_default="0")

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="Membership.id"
    )
    announcements: Mapped[list["GroupAnnouncement"]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="GroupAnnouncement.id"
    )

    @property
    def active_memberships(self) -> list["Membership"]:
        return [m for m in self.memberships if m.left_at is None]

    @property
    def size(self) -> int:
        return len(self.active_memberships)

    def __repr__(self) -> str:
        return f"<Group {self.id} {self.name!r}>"


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (
        CheckConstraint(f"role IN {MEMBERSHIP_ROLES!r}", name="role_known"),
        CheckConstraint(f"source IN {MEMBERSHIP_SOURCES!r}", name="source_known"),
        # One active membership per person per group; history rows keep left_at.
        Index(
            "uq_memberships_active", "group_id", "user_id", unique=True,
            sqlite_where=text("left_at IS NULL"), postgresql_where=text("left_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(10), default="member")
    source: Mapped[str] = mapped_column(String(10), default="matching")
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    left_reason: Mapped[str | None] = mapped_column(String(12))
    # Set when the member has seen their new group on the home page.
    seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A moderator may pause someone's messages in this group for a while, with a reason they see.
    muted_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    muted_reason: Mapped[str | None] = mapped_column(String(280))

    group: Mapped[Group] = relationship(back_populates="memberships")
    user: Mapped["User"] = relationship()


class MatchRun(db.Model):
    """One preview or applied run of matching: who ran it, when, and what it proposed."""

    __tablename__ = "match_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Who applied it; often another organizer than the one who previewed.
    applied_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    member_count: Mapped[int] = mapped_column(default=0)  # onboarded members considered
    placed_count: Mapped[int] = mapped_column(default=0)  # newly placed by this run
    new_group_count: Mapped[int] = mapped_column(default=0)
    filled_group_count: Mapped[int] = mapped_column(default=0)  # existing groups given newcomers
    unmatched_count: Mapped[int] = mapped_column(default=0)
    duration_ms: Mapped[int] = mapped_column(default=0)
    # What the community looked like when previewed; apply refuses if it has changed since.
    fingerprint: Mapped[str] = mapped_column(String(64), default="")
    # {"groups": [{"group_id"|None, "name", "member_ids", "new_member_ids", "mode",
    #   "shared_interests", "common_slots", "score", "explanation", "neighbourhood"}],
    #  "unmatched": [{"user_id", "reason"}]}; only new groups and groups given newcomers are listed.
    proposal: Mapped[dict] = mapped_column(JSON, default=dict)

    run_by: Mapped["User | None"] = relationship(foreign_keys=[run_by_id])
    applied_by: Mapped["User | None"] = relationship(foreign_keys=[applied_by_id])


class WaitlistEntry(db.Model):
    """Why an onboarded member is not in a group yet, from the last applied run."""

    __tablename__ = "waitlist_entries"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    reason: Mapped[str] = mapped_column(String(400))
    match_run_id: Mapped[int | None] = mapped_column(ForeignKey("match_runs.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class GroupFeedback(db.Model):
    """'Not for me': the member leaves, and matching never puts them with that group again."""

    __tablename__ = "group_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    reasons: Mapped[list] = mapped_column(JSON, default=list)  # keys of groups.options.NOT_FOR_ME
    note: Mapped[str] = mapped_column(EncryptedText, default="")  # the member's private words: encrypted
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class GroupAnnouncement(db.Model):
    """Warm notes the app posts to a group: a welcome, a newcomer on the way, a starter question.

    The chat issue will show these in the conversation; until then the group page lists them.
    """

    __tablename__ = "group_announcements"
    __table_args__ = (
        CheckConstraint("kind IN ('welcome', 'newcomer', 'starter')", name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    body: Mapped[str] = mapped_column(String(600))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    group: Mapped[Group] = relationship(back_populates="announcements")
