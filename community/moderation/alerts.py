"""Real-time alerts about escalations, and the retries that make sure one gets through.

An alert is claimed (a conditional UPDATE), sent and recorded in one transaction. The claim's row
lock keeps a second process waiting until the commit, after which its UPDATE finds nothing to
claim, so two processes never both send it. If sending fails, or the process dies before the
commit, the claim vanishes with the transaction and the watch sends the alert on its next pass:
a process that dies between sending and committing may cause one repeat, never a missed alert.
python-socketio gives up on Redis quietly, so the queue is checked before an alert counts as sent.
"""
import json
import logging
import time
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
# python-socketio's listener in each process waits up to a minute between tries to subscribe again
# after Redis comes back. For that long after this process last found the queue down (or nobody
# listening), a first alert it sends is repeated soon if nobody acknowledges it, in case the process
# holding a moderator's connection wasn't listening yet.
LISTENERS_BACK_SECONDS = 60
_queue_down_at: float | None = None  # time.monotonic() of that moment


def _queue_reachable(listened: bool = False) -> bool:
    """Redis answers (and, with `listened`, some process listens on Socket.IO's channel: an alert
    published before any listener has subscribed again after a Redis restart is simply lost)."""
    global _queue_down_at
    url = current_app.config.get("REDIS_URL")
    if not url:
        return True
    client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
    try:
        if listened:
            channel = getattr(socketio.server.manager, "channel", "flask-socketio")
            ok = dict(client.pubsub_numsub(channel)).get(channel.encode(), 0) > 0
        else:
            ok = bool(client.ping())
    except redis.RedisError:
        ok = False
    finally:
        client.close()
    if not ok:
        _queue_down_at = time.monotonic()
    return ok


def _queue_recovering() -> bool:
    return _queue_down_at is not None and time.monotonic() - _queue_down_at < LISTENERS_BACK_SECONDS


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
    """Callers check the queue first (before taking a row lock: the check may wait a second)."""
    if not recipients:
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
    if not _queue_reachable(listened=True):
        return False
    now = utcnow()
    claimed = db.session.execute(
        update(Escalation).where(Escalation.id == escalation_id, Escalation.alerted_at.is_(None))
        .values(alerted_at=now, alert_count=Escalation.alert_count + 1)
    ).rowcount
    if not claimed:
        db.session.rollback()
        return True  # another process sent it
    escalation = db.session.get(Escalation, escalation_id)
    recipients = responders(escalation)
    if not _emit(escalation, "new", recipients):
        db.session.rollback()  # releases the claim: the watch tries again
        return False
    if _queue_recovering() and escalation.next_alert_at is not None:
        escalation.next_alert_at = min(escalation.next_alert_at, now + _retry_soon())
    audit("alert_sent", actor_id=None, escalation=escalation, recipients=len(recipients))
    db.session.commit()
    return True


def realert(escalation: Escalation, due: datetime, now: datetime) -> bool:
    """Nobody acknowledged in time: tell every moderator and admin, and the webhook. Claimed by
    moving next_alert_at on, so only one process does it; the webhook is posted after the commit,
    so no lock is held while it answers."""
    reachable = _queue_reachable()
    claimed = db.session.execute(
        update(Escalation).where(Escalation.id == escalation.id, Escalation.status == "open",
                                 # `due` as read by this pass, and still due: the caller's copy may
                                 # have been reloaded after another process moved it on.
                                 Escalation.next_alert_at == due, Escalation.next_alert_at <= now)
        .values(next_alert_at=now + realert_after(), alert_count=Escalation.alert_count + 1,
                alerted_at=func.coalesce(Escalation.alerted_at, now))
    ).rowcount
    if not claimed:
        db.session.rollback()
        return False
    db.session.refresh(escalation)
    recipients = responders(escalation, everyone=True)
    sent = reachable and _emit(escalation, "again", recipients)
    record = audit("alert_repeated", actor_id=None, escalation=escalation,
                   recipients=len(recipients) if sent else 0, webhook=None)
    if not sent:  # try again soon rather than in another full interval
        escalation.next_alert_at = now + min(realert_after(), _retry_soon())
    db.session.commit()
    hooked = post_webhook(escalation)
    if hooked is not None:
        record.detail = {**record.detail, "webhook": hooked}
        db.session.commit()
    return sent


def follow_up(escalation: Escalation, now: datetime) -> bool:
    """A day after resolving: remind whoever resolved it (and the group's moderators) to check in."""
    if not _queue_reachable(listened=True):
        return False
    claimed = db.session.execute(
        update(Escalation).where(Escalation.id == escalation.id, Escalation.follow_up_alerted_at.is_(None))
        .values(follow_up_alerted_at=now)
    ).rowcount
    if not claimed:
        db.session.rollback()
        return False
    recipients = sorted(set(responders(escalation)) | ({escalation.resolved_by_id} if escalation.resolved_by_id else set()))
    if not _emit(escalation, "follow_up", recipients):
        db.session.rollback()  # releases the claim: the watch tries again
        return False
    audit("follow_up_reminded", actor_id=None, escalation=escalation, recipients=len(recipients))
    db.session.commit()
    return True


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
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310  # nosec B310  # config.py allows http(s) only
            return 200 <= response.status < 300
    except (OSError, ValueError):
        log.exception("safety webhook for escalation %s failed", escalation.id)
        return False
