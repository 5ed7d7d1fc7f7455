"""Whether a long-lived chat connection's sign-in session still exists.

A connection outlives the page that opened it; when the person signs out everywhere (or a session
times out or their role changes), their open connections must stop sending too. Looking the session
up on every message would be a query per message, so each connection checks at most once every
SOCKET_SESSION_CHECK_SECONDS."""
import time

from flask import current_app, request, session

from community.auth import sessions

_checked_at: dict[str, float] = {}  # per connection (sid), monotonic seconds


def connected() -> None:
    _checked_at[request.sid] = time.monotonic()


def still_valid() -> bool:
    now = time.monotonic()
    if now - _checked_at.get(request.sid, 0.0) < current_app.config["SOCKET_SESSION_CHECK_SECONDS"]:
        return True
    if not sessions.still_signed_in(session.get("_user_id")):
        return False
    _checked_at[request.sid] = now
    return True


def forget(sid: str) -> None:
    _checked_at.pop(sid, None)
