"""What happens after a flagged message is committed: the writer's support card on all their
tabs, and the first alert to moderators. Failures here never undo the message or its
escalation; the watch (watch.py) sends any alert that didn't go out."""
import logging

from community.chat.services import Sent, user_room
from community.extensions import db, socketio
from community.moderation import alerts
from community.support import resources

log = logging.getLogger(__name__)


def after_crisis(writer_id: int, sent: Sent) -> None:
    try:
        socketio.emit("crisis_support", {**resources.card(), "message_id": sent.message["id"]},
                      to=user_room(writer_id))
    except Exception:  # noqa: BLE001 - the ack carried the card already
        log.exception("crisis_support for message %s not sent", sent.message["id"])
    if sent.created and sent.escalation_id is not None:
        try:
            alerts.alert_new(sent.escalation_id)
        except Exception:  # noqa: BLE001 - stored and open; the watch alerts again
            db.session.rollback()
            log.exception("first alert for escalation %s failed; the watch will retry", sent.escalation_id)
