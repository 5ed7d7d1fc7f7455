"""Writing and reading notifications. `notify` only adds a row to the caller's transaction; the
push to the member's pages happens after that transaction commits (push.py)."""
from sqlalchemy import func, select, update

from community.extensions import db
from community.models import Notification, User
from community.models.base import utcnow

PAGE = 50


def notify(recipient_id: int, kind: str, body: str, link: str | None = None) -> Notification:
    note = Notification(recipient_id=recipient_id, kind=kind, body=body, link=link, created_at=utcnow())
    db.session.add(note)
    return note


def unread_count(user: User) -> int:
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.recipient_id == user.id, Notification.read_at.is_(None))) or 0


def latest(user: User) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.recipient_id == user.id)
                                   .order_by(Notification.id.desc()).limit(PAGE)))


def mark_read(user: User) -> None:
    db.session.execute(update(Notification).where(Notification.recipient_id == user.id,
                                                  Notification.read_at.is_(None)).values(read_at=utcnow()))
    db.session.commit()
