"""A member's profile, filled in during onboarding and editable later."""
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.encryption import EncryptedJSON, EncryptedText
from community.extensions import db
from community.models.base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from community.models.user import User

FORMATS = ("online", "in_person", "either")


class Profile(db.Model):
    __tablename__ = "profiles"
    __table_args__ = (
        CheckConstraint("comfort_step BETWEEN 1 AND 4", name="comfort_step_range"),
        CheckConstraint(f"format_preference IN {FORMATS!r}", name="format_known"),
    )

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    interests: Mapped[list] = mapped_column(JSON, default=list)  # taxonomy slugs
    custom_interests: Mapped[list] = mapped_column(JSON, default=list)  # the member's own words
    neighbourhood: Mapped[str | None] = mapped_column(String(60))  # slug; None when online only
    online_only: Mapped[bool] = mapped_column(default=False)
    availability: Mapped[list] = mapped_column(JSON, default=list)  # slots 0-20: day*3 + part
    format_preference: Mapped[str | None] = mapped_column(String(10))
    comfort_step: Mapped[int | None] = mapped_column(SmallInteger)
    # Private: never shown to other members; used only for pacing and tips. Encrypted at rest.
    barriers: Mapped[list] = mapped_column(EncryptedJSON, default=list)
    # Shown to the member's group. The note is their own words about themselves: encrypted at rest
    # (at most 280 characters: the form checks).
    communication_prefs: Mapped[list] = mapped_column(JSON, default=list)
    communication_note: Mapped[str] = mapped_column(EncryptedText, default="")
    # Onboarding steps the member has saved, so they can leave and resume where they were.
    steps_done: Mapped[list] = mapped_column(JSON, default=list)
    # Reciprocity tips on the journey and group pages: None follows the barriers (shown to those who
    # said they never learned the unwritten rules); True or False is the member's own choice.
    practice_tips: Mapped[bool | None] = mapped_column()
    consented_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    user: Mapped["User"] = relationship(back_populates="profile")
