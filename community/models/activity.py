"""Activities: shared-focus sessions organizers schedule for groups, members' RSVPs (with a
waitlist), reminders already sent, and each member's private calendar feed.

Times are stored in UTC and shown in the community's time zone (TIMEZONE, America/New_York).
"""
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.extensions import db
from community.models.base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from community.models.group import Group
    from community.models.user import User

ACTIVITY_FORMATS = ("online", "in_person")
ACTIVITY_STATUSES = ("scheduled", "cancelled")
AUDIENCES = ("groups", "open")  # the chosen groups, or every member at the comfort step or above
RSVP_STATUSES = ("going", "maybe", "not_going", "waitlist")
REPEATS = ("weekly", "biweekly")
REMINDER_KINDS = ("24h", "2h")


class ActivitySeries(db.Model):
    """A repeating activity: its dates are ordinary activities that point here, so one date can be
    changed or cancelled without touching the others."""

    __tablename__ = "activity_series"
    __table_args__ = (
        CheckConstraint(f"repeat IN {REPEATS!r}", name="repeat_known"),
        CheckConstraint("until_date IS NOT NULL OR occurrences IS NOT NULL", name="has_an_end"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    repeat: Mapped[str] = mapped_column(String(10))
    until_date: Mapped[date | None] = mapped_column(Date)
    occurrences: Mapped[int | None] = mapped_column(SmallInteger)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    activities: Mapped[list["Activity"]] = relationship(back_populates="series", order_by="Activity.starts_at")


class Activity(db.Model):
    __tablename__ = "activities"
    __table_args__ = (
        CheckConstraint(f"format IN {ACTIVITY_FORMATS!r}", name="format_known"),
        CheckConstraint(f"status IN {ACTIVITY_STATUSES!r}", name="status_known"),
        CheckConstraint(f"audience IN {AUDIENCES!r}", name="audience_known"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("capacity >= 1", name="capacity_positive"),
        CheckConstraint("comfort_step BETWEEN 1 AND 4", name="comfort_step_range"),
        Index("ix_activities_starts_at", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int | None] = mapped_column(ForeignKey("activity_series.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    focus: Mapped[str] = mapped_column(String(60))  # a taxonomy interest or category name
    description: Mapped[str] = mapped_column(Text, default="")
    format: Mapped[str] = mapped_column(String(10))
    join_url: Mapped[str | None] = mapped_column(String(500))  # online
    venue: Mapped[str | None] = mapped_column(String(120))  # in person
    neighbourhood: Mapped[str | None] = mapped_column(String(60))
    address: Mapped[str | None] = mapped_column(String(300))  # shown only to members who are going
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    capacity: Mapped[int] = mapped_column(SmallInteger)
    comfort_step: Mapped[int] = mapped_column(SmallInteger, default=2)
    audience: Mapped[str] = mapped_column(String(10), default="groups")
    # "What to expect": what lowers the threshold for someone anxious about coming.
    agenda: Mapped[str] = mapped_column(Text, default="")
    noise: Mapped[str] = mapped_column(String(200), default="")
    seating: Mapped[str] = mapped_column(String(200), default="")
    step_free: Mapped[bool | None] = mapped_column(Boolean)
    getting_there: Mapped[str] = mapped_column(String(300), default="")  # parking and transit
    arrival: Mapped[str] = mapped_column(String(300), default="")  # how to find the group
    status: Mapped[str] = mapped_column(String(10), default="scheduled")
    cancel_reason: Mapped[str | None] = mapped_column(String(300))
    # Counts every change people were told about, so calendar apps replace the old copy.
    sequence: Mapped[int] = mapped_column(default=0)
    # Bumped on every change of who holds a seat, so two last-seat RSVPs queue on this row.
    seat_version: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    attendance_marked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    series: Mapped[ActivitySeries | None] = relationship(back_populates="activities")
    groups: Mapped[list["Group"]] = relationship(secondary="activity_groups", order_by="Group.id")
    rsvps: Mapped[list["Rsvp"]] = relationship(back_populates="activity", order_by="Rsvp.id",
                                               cascade="all, delete-orphan")
    created_by: Mapped["User | None"] = relationship()

    @property
    def uid(self) -> str:
        """Stable across edits: calendar apps recognise the same event."""
        return f"activity-{self.id}@common-ground"


class ActivityGroup(db.Model):
    __tablename__ = "activity_groups"

    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True, index=True)


class Rsvp(db.Model):
    """One member's answer. A waitlisted "going" keeps its place by waitlisted_at."""

    __tablename__ = "rsvps"
    __table_args__ = (
        CheckConstraint(f"status IN {RSVP_STATUSES!r}", name="status_known"),
        UniqueConstraint("activity_id", "user_id", name="uq_rsvps_once_per_member"),
        Index("ix_rsvps_activity_status", "activity_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10))
    waitlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    attended: Mapped[bool | None] = mapped_column(Boolean)  # marked by the organizer afterwards

    activity: Mapped[Activity] = relationship(back_populates="rsvps")
    user: Mapped["User"] = relationship()


class ReminderSent(db.Model):
    """A reminder that went out; the primary key makes "never twice" hold across processes."""

    __tablename__ = "reminders_sent"
    __table_args__ = (CheckConstraint(f"kind IN {REMINDER_KINDS!r}", name="kind_known"),)

    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(4), primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CalendarFeed(db.Model):
    """A member's private calendar feed address; a new token revokes the old address."""

    __tablename__ = "calendar_feeds"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
