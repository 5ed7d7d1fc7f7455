"""The connection journey: monthly check-ins, moves between comfort steps, "arrive with a buddy",
facilitated question rounds in a group's chat, and the weekly round schedule a group agrees to.

Check-in answers are the member's own and never shown to anyone else: encrypted at rest, and read
by organizers only as aggregates over at least five people (community/journey/outcomes.py).
"""
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.encryption import EncryptedJSON, EncryptedText
from community.extensions import db
from community.models.base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from community.models.user import User

TURN_STATUSES = ("waiting", "current", "answered", "passed")


class MonthlyCheckIn(db.Model):
    """One member's check-in for one month (in the community's time zone); a second one in the
    same month replaces the first. `answers` holds the three UCLA items (1-3 each), how connected
    they felt to their group (1-5, or None) and their mood (1-3, or None): see journey/scoring.py."""

    __tablename__ = "monthly_checkins"
    __table_args__ = (UniqueConstraint("user_id", "month", name="uq_monthly_checkins_once_a_month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    month: Mapped[str] = mapped_column(String(7))  # "2026-11"
    # The group the connection question was about, so organizers can see a group's trend (k >= 5).
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="SET NULL"), index=True)
    answers: Mapped[dict] = mapped_column(EncryptedJSON, default=dict)
    note: Mapped[str] = mapped_column(EncryptedText, default="")  # their own words, for their summary
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class StepChange(db.Model):
    """A member moved their comfort step (recorded whichever page they did it on)."""

    __tablename__ = "step_changes"
    __table_args__ = (
        CheckConstraint("from_step BETWEEN 1 AND 4", name="from_step_range"),
        CheckConstraint("to_step BETWEEN 1 AND 4", name="to_step_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    from_step: Mapped[int] = mapped_column(SmallInteger)
    to_step: Mapped[int] = mapped_column(SmallInteger)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class BuddyOptIn(db.Model):
    """A member going to an in-person activity who would like to meet someone from their group a
    few minutes before and walk in together. `buddy_id` is set on both rows once paired."""

    __tablename__ = "activity_buddies"

    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    buddy_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    paired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped["User"] = relationship(foreign_keys=[user_id])
    buddy: Mapped["User | None"] = relationship(foreign_keys=[buddy_id])


class ConversationRound(db.Model):
    """One question put to a group, each member invited in turn; anyone may pass."""

    __tablename__ = "conversation_rounds"
    __table_args__ = (Index("ix_conversation_rounds_group_open", "group_id", "finished_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    question: Mapped[str] = mapped_column(String(300))
    # None: Common Ground started it, on the schedule the group agreed to.
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    turns: Mapped[list["RoundTurn"]] = relationship(back_populates="round", order_by="RoundTurn.position",
                                                    cascade="all, delete-orphan")


class RoundTurn(db.Model):
    __tablename__ = "round_turns"
    __table_args__ = (CheckConstraint(f"status IN {TURN_STATUSES!r}", name="status_known"),)

    round_id: Mapped[int] = mapped_column(ForeignKey("conversation_rounds.id", ondelete="CASCADE"),
                                          primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(SmallInteger)
    status: Mapped[str] = mapped_column(String(10), default="waiting")
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # when it became their turn
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"))

    round: Mapped[ConversationRound] = relationship(back_populates="turns")
    user: Mapped["User"] = relationship()


class RoundSchedule(db.Model):
    """A weekly question round a member proposed for their group. It runs only while more than
    half of the group's members have agreed (RoundScheduleVote)."""

    __tablename__ = "round_schedules"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint("hour BETWEEN 0 AND 23", name="hour_range"),
    )

    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True)
    weekday: Mapped[int] = mapped_column(SmallInteger)  # Monday 0, in the community's time zone
    hour: Mapped[int] = mapped_column(SmallInteger)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_run_on: Mapped[date | None] = mapped_column(Date)  # claimed before posting: once a week


class RoundScheduleVote(db.Model):
    __tablename__ = "round_schedule_votes"

    group_id: Mapped[int] = mapped_column(ForeignKey("round_schedules.group_id", ondelete="CASCADE"),
                                          primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
