"""Sign-in sessions kept on the server.

The cookie carries a random token (through Flask-Login, as the user's "id"); the row it names says
who is signed in, since when and when they were last seen. That gives us what a signed cookie alone
can't: a new session id at every sign-in and role change, an idle timeout (short for staff, who see
private data), an absolute lifetime, and "sign out everywhere"."""
import hashlib
import secrets
from datetime import timedelta

from flask import current_app, request, session
from flask_login import login_user
from sqlalchemy import delete, select, update
from sqlalchemy.orm import joinedload

from community.extensions import db
from community.models import SignInSession, User
from community.models.base import utcnow

# Writing last_seen_at on every request would be a write per page view; a minute is precise enough
# for timeouts measured in tens of minutes.
TOUCH_EVERY = timedelta(seconds=60)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def limits_for(user: User) -> tuple[timedelta, timedelta]:
    """(idle timeout, absolute lifetime) for this person's role."""
    config = current_app.config
    if user.is_staff:
        return (timedelta(minutes=config["STAFF_IDLE_MINUTES"]),
                timedelta(hours=config["STAFF_SESSION_MAX_HOURS"]))
    return (timedelta(minutes=config["MEMBER_IDLE_MINUTES"]),
            timedelta(hours=config["SESSION_MAX_HOURS"]))


def sign_in(user: User, remember: bool = False) -> str:
    """Start a new session for `user` in this browser: whatever the browser's session held before
    (a visitor's, or someone else's) is dropped, so a planted session id can't be taken over."""
    old = session.get("_user_id")
    if old:
        end(old)
    session.clear()
    token = secrets.token_urlsafe(32)
    db.session.add(SignInSession(
        token_hash=_hash(token), user_id=user.id,
        ip_address=(request.remote_addr or "")[:45],
        user_agent=request.headers.get("User-Agent", "")[:200],
    ))
    db.session.commit()
    user.session_token = token
    idle, lifetime = limits_for(user)
    login_user(user, remember=remember, duration=lifetime)
    return token


def load(token: str) -> User | None:
    """The user signed in with `token`, or None when it is unknown, idle too long or too old."""
    if not token or len(token) > 100:
        return None
    # The person comes in the same query: this runs on every request.
    row = db.session.scalar(select(SignInSession).where(SignInSession.token_hash == _hash(token))
                            .options(joinedload(SignInSession.user)))
    if row is None:
        return None
    user = row.user
    now = utcnow()
    idle, lifetime = limits_for(user)
    if now - row.last_seen_at > idle or now - row.created_at > lifetime:
        db.session.delete(row)
        db.session.commit()
        return None
    if now - row.last_seen_at > TOUCH_EVERY:
        # A guarded UPDATE rather than an ORM write: concurrent requests of one browser don't conflict.
        db.session.execute(update(SignInSession).where(SignInSession.id == row.id).values(last_seen_at=now))
        db.session.commit()
    user.session_token = token
    return user


def current_token() -> str | None:
    return session.get("_user_id")


def end(token: str) -> None:
    db.session.execute(delete(SignInSession).where(SignInSession.token_hash == _hash(token)))
    db.session.commit()


def end_all(user_id: int, keep_token: str | None = None) -> int:
    """Sign a person out everywhere (but this browser, when `keep_token` is given); returns how many."""
    query = delete(SignInSession).where(SignInSession.user_id == user_id)
    if keep_token:
        query = query.where(SignInSession.token_hash != _hash(keep_token))
    count = db.session.execute(query).rowcount
    db.session.commit()
    return count


def active(user_id: int) -> list[SignInSession]:
    return list(db.session.scalars(
        select(SignInSession).where(SignInSession.user_id == user_id).order_by(SignInSession.last_seen_at.desc())
    ))


def is_current(row: SignInSession, token: str | None) -> bool:
    return bool(token) and row.token_hash == _hash(token)


def still_signed_in(token: str | None) -> bool:
    """For long-lived Socket.IO connections: has this session been ended since they connected?"""
    return bool(token) and db.session.scalar(
        select(SignInSession.id).where(SignInSession.token_hash == _hash(token))) is not None
