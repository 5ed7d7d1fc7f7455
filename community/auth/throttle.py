"""Slowing down password guessing without locking the real person out.

Each failed login for an account makes the next one wait a little longer (after a few free tries:
2 s, 4 s, 8 s … up to a minute), and no account takes more than LOGIN_MAX_FAILURES_PER_HOUR failures
an hour. A browser that has signed in to the account before carries a "known device" cookie; its
tries are counted on their own, so someone guessing from elsewhere never delays the real person.
Attempts are rows in the database, so every server process counts the same tries."""
import hashlib
import logging
import math
import secrets
from datetime import timedelta

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import delete, func, select

from community.extensions import db
from community.models import LoginAttempt
from community.models.base import utcnow

log = logging.getLogger("community.security")

DEVICE_COOKIE = "cg_device"
WINDOW = timedelta(hours=1)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def account_key(email: str) -> str:
    return _sha(email.strip().lower())


def _devices() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="known-device")


def device_key(user_id: int | None) -> str | None:
    """The known-device id this browser holds for the account, if it holds one."""
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw or user_id is None:
        return None
    try:
        owner, device_id = _devices().loads(raw)
    except (BadSignature, ValueError, TypeError):
        return None
    return _sha(device_id) if owner == user_id else None


def device_cookie(user_id: int) -> str:
    return _devices().dumps([user_id, secrets.token_urlsafe(16)])


def delay_for(failures: int) -> int:
    """Seconds to wait after the given number of recent failures."""
    free = current_app.config["LOGIN_FREE_FAILURES"]
    if failures < free:
        return 0
    return min(current_app.config["LOGIN_MAX_DELAY_SECONDS"], 2 ** (failures - free + 1))


def wait_seconds(email: str, device: str | None) -> int:
    """How long this try must wait; 0 when it may go ahead."""
    now = utcnow()
    query = select(func.count(), func.max(LoginAttempt.created_at), func.min(LoginAttempt.created_at)).where(
        LoginAttempt.account_key == account_key(email),
        LoginAttempt.succeeded.is_(False),
        LoginAttempt.created_at > now - WINDOW,
    )
    # A known device's tries count on their own; everyone else's count together.
    query = query.where(LoginAttempt.device_key == device if device else LoginAttempt.device_key.is_(None))
    failures, latest, earliest = db.session.execute(query).one()
    if not failures:
        return 0
    if failures >= current_app.config["LOGIN_MAX_FAILURES_PER_HOUR"]:
        return max(1, math.ceil((earliest + WINDOW - now).total_seconds()))
    remaining = (latest + timedelta(seconds=delay_for(failures)) - now).total_seconds()
    return max(0, math.ceil(remaining))


def record(email: str, device: str | None, succeeded: bool) -> None:
    address = (request.remote_addr or "")[:45]
    db.session.add(LoginAttempt(account_key=account_key(email), device_key=device,
                                ip_address=address, succeeded=succeeded))
    # Old rows are no use to the count; clear this account's as we go (indexed), and now and then
    # everyone's, so guesses at made-up emails don't pile up.
    stale = LoginAttempt.created_at < utcnow() - 2 * WINDOW
    if secrets.randbelow(100):
        stale = stale & (LoginAttempt.account_key == account_key(email))
    db.session.execute(delete(LoginAttempt).where(stale))
    db.session.commit()
    if not succeeded:
        log.warning("login failed account=%s ip=%s known_device=%s", account_key(email)[:12], address,
                    bool(device))
