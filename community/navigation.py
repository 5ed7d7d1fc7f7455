"""What every page tells the signed-in member in its navigation and banner: unread notifications,
unread support messages, and whether their account is scheduled for deletion.

One query for all three, made by whichever template context processor asks first and kept for the
rest of the request: three separate queries were a fifth of a simple page's work under load
(bench/results/load.md). Asked when the page is rendered, so it sees what the view just changed
(opening the notifications page marks them read first)."""
from dataclasses import dataclass

from flask import g
from flask_login import current_user
from sqlalchemy import exists, func, select

from community.extensions import db


@dataclass(frozen=True)
class Badges:
    notifications_unread: int = 0
    support_unread: int = 0
    deletion_pending: bool = False


def badges() -> Badges:
    if not current_user.is_authenticated:
        return Badges()
    cached = g.get("navigation_badges")
    if cached is not None and cached[0] == current_user.id:
        return cached[1]
    from community.models import Notification, SupportMessage
    from community.models.privacy import AccountDeletion

    user_id = current_user.id
    row = db.session.execute(select(
        select(func.count(Notification.id))
        .where(Notification.recipient_id == user_id, Notification.read_at.is_(None)).scalar_subquery(),
        select(func.count(SupportMessage.id))
        .where(SupportMessage.recipient_id == user_id, SupportMessage.read_at.is_(None)).scalar_subquery(),
        exists().where(AccountDeletion.user_id == user_id),
    )).one()
    found = Badges(row[0] or 0, row[1] or 0, bool(row[2]))
    g.navigation_badges = (user_id, found)
    return found
