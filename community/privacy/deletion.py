"""Asking for an account to be deleted, and changing one's mind.

Nothing is erased when a member asks: the account is scheduled, every browser is signed out, and
for ACCOUNT_DELETION_COOLING_OFF_HOURS logging in shows a banner with "Keep my account". After
that `flask purge-deleted-accounts` (purge.py) erases it. A cooling-off period is kinder than an
instant delete for people who may decide on a hard night; it is also short, so a real wish to
leave is honoured within days.
"""
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from community.extensions import db
from community.models import AccountDeletion, User
from community.models.base import utcnow
from community.moderation.escalations import audit


class DeletionError(Exception):
    """Why the request wasn't taken, in words the member can act on; nothing was changed."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def cooling_off() -> timedelta:
    return timedelta(hours=current_app.config["ACCOUNT_DELETION_COOLING_OFF_HOURS"])


def pending(user_id: int) -> AccountDeletion | None:
    return db.session.get(AccountDeletion, user_id)


def schedule(user: User, password: str, erase_messages: bool, now: datetime | None = None) -> AccountDeletion:
    """Schedule the account's erasure after the cooling-off period; the password proves it's them."""
    if not user.check_password(password or ""):
        raise DeletionError("That password doesn't match your account. Please try again; nothing has changed.",
                            "password")
    already = pending(user.id)
    if already is not None:
        return already
    now = now or utcnow()
    request = AccountDeletion(user_id=user.id, requested_at=now, purge_after=now + cooling_off(),
                              erase_messages=bool(erase_messages))
    db.session.add(request)
    audit("account_deletion_requested", actor_id=user.id, subject_id=user.id, erase_messages=bool(erase_messages),
          purge_after=request.purge_after.isoformat())
    try:
        db.session.commit()
    except IntegrityError:  # sent from two tabs at once: the first one stands
        db.session.rollback()
        return pending(user.id)
    from community.journey import buddies

    buddies.release_all(user.id, now)  # nobody should wait at the door for someone who is leaving
    return request


def cancel(user: User) -> bool:
    """Keep the account. False when there was nothing scheduled (or it has already been erased)."""
    gone = db.session.execute(delete(AccountDeletion).where(AccountDeletion.user_id == user.id)).rowcount
    if gone:
        audit("account_deletion_cancelled", actor_id=user.id, subject_id=user.id)
    db.session.commit()
    return bool(gone)
