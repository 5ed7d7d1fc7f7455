"""Real-time alerts about escalations, and the retries that make sure one gets through.

An alert is claimed in the database before it is sent (a conditional UPDATE), so two server
processes never both send it, and released again if sending failed, so it is tried again.
python-socketio gives up on Redis quietly, so the queue is checked before an alert counts as sent.
"""
import json
import logging
import urllib.request
from datetime import datetime, timedelta

import redis
from flask import current_app
from sqlalchemy import func, update

from community.chat.services import user_room
from community.extensions import db, socketio
from community.models import Escalation
from community.models.base import utcnow
from community.moderation.escalations import audit, realert_after, responders

log = logging.getLogger(__name__)


def _queue_reachable() -> bool:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return True
    try:
        return bool(redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def payload(escalation: Escalation, kind: str) -> dict:
    """What a moderator's page needs to raise the alert; never the message text itself."""
    group = escalation.group
    return {
        "id": escalation.id, "level": escalation.level, "source": escalation.source, "kind": kind,
        "group": {"id": group.id, "name": group.name} if group else None,
        "created_at": escalation.created_at.isoformat().replace("+00:00", "Z"),
        "url": f"/moderation/escalations/{escalation.id}",
    }


def _emit(escalation: Escalation, kind: str, recipients: list[int]) -> bool:
    if not recipients or not _queue_reachable():
        return False
    data = payload(escalation, kind)
    try:
        for user_id in recipients:
            socketio.emit("escalation", data, to=user_room(user_id))
    except Exception:  # noqa: BLE001 - the watch tries again; the escalation itself is stored
        log.exception("alert for escalation %s not sent", escalation.id)
        return False
    return True


def alert_new(escalation_id: int) -> bool:
    """First alert, right after the commit that opened the escalation. False if it must wait
    for the watch to try again."""
    now = utcnow()
    claimed = db.session.execute(
        update(Escalation).where(Escalation.id == escalation_id, Escalation.alerted_at.is_(None))
        .values(alerted_at=now, alert_count=Escalation.alert_count + 1)
    ).rowcount
    db.session.commit()
    if not claimed:
        return True  # another process got there first
    escalation = db.session.get(Escalation, escalation_id)
    recipients = responders(escalation)
    if _emit(escalation, "new", recipients):
        audit("alert_sent", actor_id=None, escalation=escalation, recipients=len(recipients))
        db.session.commit()
        return True
    db.session.execute(update(Escalation).where(Escalation.id == escalation_id)
                       .values(alerted_at=None, alert_count=Escalation.alert_count - 1))
    db.session.commit()
    return False


def realert(escalation: Escalation, due: datetime, now: datetime) -> bool:
    """Nobody acknowledged in time: tell every moderator and admin, and the webhook. Claimed by
    moving next_alert_at on, so only one process does it."""
    claimed = db.session.execute(
        update(Escalation).where(Escalation.id == escalation.id, Escalation.status == "open",
                                 Escalation.next_alert_at == due)
        .values(next_alert_at=now + realert_after(), alert_count=Escalation.alert_count + 1,
                alerted_at=func.coalesce(Escalation.alerted_at, now))
    ).rowcount
    db.session.commit()
    if not claimed:
        return False
    db.session.refresh(escalation)
    recipients = responders(escalation, everyone=True)
    sent = _emit(escalation, "again", recipients)
    hooked = post_webhook(escalation)
    audit("alert_repeated", actor_id=None, escalation=escalation, recipients=len(recipients) if sent else 0,
          webhook=hooked)
    if not sent:  # try again soon rather than in another full interval
        escalation.next_alert_at = now + min(realert_after(), _retry_soon())
    db.session.commit()
    return sent


def follow_up(escalation: Escalation, now: datetime) -> bool:
    """A day after resolving: remind whoever resolved it (and the group's moderators) to check in."""
    claimed = db.session.execute(
        update(Escalation).where(Escalation.id == escalation.id, Escalation.follow_up_alerted_at.is_(None))
        .values(follow_up_alerted_at=now)
    ).rowcount
    db.session.commit()
    if not claimed:
        return False
    recipients = sorted(set(responders(escalation)) | ({escalation.resolved_by_id} if escalation.resolved_by_id else set()))
    sent = _emit(escalation, "follow_up", recipients)
    if not sent:
        escalation.follow_up_alerted_at = None
    else:
        audit("follow_up_reminded", actor_id=None, escalation=escalation, recipients=len(recipients))
    db.session.commit()
    return sent


def _retry_soon() -> timedelta:
    return timedelta(seconds=max(5, current_app.config["SAFETY_WATCH_SECONDS"]))


def post_webhook(escalation: Escalation) -> bool | None:
    """POST a short JSON note to SAFETY_WEBHOOK_URL (a team chat or paging tool). None when no
    webhook is configured. No message text and no name leave the app: only a link."""
    url = current_app.config.get("SAFETY_WEBHOOK_URL")
    if not url:
        return None
    base = current_app.config.get("PUBLIC_URL", "").rstrip("/")
    minutes = int((utcnow() - escalation.created_at).total_seconds() // 60)
    body = json.dumps({
        "text": f"Common Ground: a {escalation.level} escalation has waited {minutes} min without acknowledgement. "
                f"{base}/moderation/escalations/{escalation.id}",
        "escalation": payload(escalation, "again"),
    }).encode()
    # The scheme is checked at start-up (config.py): http(s) only.
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"},  # noqa: S310
                                     method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - the admin's own URL
            return 200 <= response.status < 300
    except (OSError, ValueError):
        log.exception("safety webhook for escalation %s failed", escalation.id)
        return False
