"""Sign-in sessions kept on the server, login attempts, and two-factor recovery codes.

The browser's cookie holds only a random token; we store its SHA-256, so a copy of the database
can't be used to sign in as anyone."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.extensions import db
from community.models.base import UTCDateTime, utcnow
from community.models.user import User


class SignInSession(db.Model):
    """One signed-in browser. Deleting the row signs that browser out, wherever it is."""

    __tablename__ = "sign_in_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Shown to the member on their security page so they can recognise their own devices.
    ip_address: Mapped[str] = mapped_column(String(45), default="")
    user_agent: Mapped[str] = mapped_column(String(200), default="")

    user: Mapped[User] = relationship()


class LoginAttempt(db.Model):
    """Every password check, kept an hour or so: the per-account delay is counted from these, in the
    database, so every server process sees the same count."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_account_created", "account_key", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # SHA-256 of the normalised email typed, whether or not such an account exists.
    account_key: Mapped[str] = mapped_column(String(64))
    # SHA-256 of the "known device" cookie's id when the browser had one for this account.
    device_key: Mapped[str | None] = mapped_column(String(64))
    ip_address: Mapped[str] = mapped_column(String(45), default="")
    succeeded: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class RecoveryCode(db.Model):
    """A one-time code for signing in without the authenticator app; stored as a SHA-256 (the codes
    are random, 40 bits each, so a fast hash is enough)."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
