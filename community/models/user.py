"""Accounts and roles."""
from datetime import datetime
from typing import TYPE_CHECKING, Optional

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import BigInteger, CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from community.encryption import EncryptedText
from community.extensions import db
from community.models.base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from community.models.profile import Profile

# Ordered from least to most trusted; admins may do everything the others can.
ROLES = ("member", "organizer", "moderator", "admin")
# Roles that see other people's private data: two-factor sign-in and a short idle timeout.
STAFF_ROLES = ("moderator", "admin")


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(f"role IN {ROLES!r}", name="role_known"),
        CheckConstraint("email = lower(email)", name="email_lowercase"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased so uniqueness is case-insensitive on every database.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(60))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="member")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set by moderators for a serious breach: no chat anywhere until then; the reason is shown.
    suspended_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    suspension_reason: Mapped[str | None] = mapped_column(String(280))
    # Two-factor sign-in (TOTP): required for moderators and admins, optional for members.
    totp_secret: Mapped[str | None] = mapped_column(EncryptedText)  # encrypted at rest, like private answers
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The last 30-second time step whose code was accepted: a code is good once (RFC 6238 §5.2).
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)

    profile: Mapped[Optional["Profile"]] = relationship(
        back_populates="user", uselist=False, cascade="all, delete-orphan"
    )

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    # The sign-in session this object was loaded through (community.auth.sessions); Flask-Login keeps
    # it in the cookie as our "id", so signing out a session anywhere ends it here too.
    session_token = None

    def get_id(self) -> str:
        if not self.session_token:
            raise RuntimeError("log in through community.auth.sessions.sign_in, which starts a session")
        return self.session_token

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def needs_two_factor_setup(self) -> bool:
        return self.is_staff and self.totp_enabled_at is None

    def has_role(self, *roles: str) -> bool:
        """Admins hold every role; everyone else holds exactly their own."""
        return self.role == "admin" or self.role in roles

    @property
    def is_onboarded(self) -> bool:
        return self.profile is not None and self.profile.completed_at is not None

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"
