"""Push new notifications to the member's open pages, only after the commit that stored them:
a notification for something that was rolled back must never arrive."""
import logging

from sqlalchemy import event
from sqlalchemy.orm import Session

from community.models import Notification

_PENDING = "notifications_to_push"
log = logging.getLogger(__name__)


@event.listens_for(Session, "after_flush")
def _remember(session, flush_context):
    for obj in session.new:
        if isinstance(obj, Notification):
            session.info.setdefault(_PENDING, []).append(
                (obj.recipient_id, {"id": obj.id, "kind": obj.kind, "body": obj.body, "link": obj.link}))


@event.listens_for(Session, "after_commit")
def _push(session):
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    from community.chat.services import user_room
    from community.extensions import socketio

    for recipient_id, data in pending:
        try:
            socketio.emit("notification", data, to=user_room(recipient_id))
        except Exception:  # stored already; the page shows it on the next visit
            log.exception("notification %s not pushed", data["id"])


@event.listens_for(Session, "after_rollback")
def _forget(session):
    session.info.pop(_PENDING, None)
