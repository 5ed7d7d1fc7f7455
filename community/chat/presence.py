"""Which live connections belong to whom, so a member who leaves a group (or is removed) stops
hearing its chat at once, on every server process, not just when they next reconnect.

With REDIS_URL the registry lives in Redis (processes share it and python-socketio's queue
carries leave_room to the process that holds the connection); otherwise in this process.
"""
import logging
import threading

import redis
from flask import current_app
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from community.chat.services import room
from community.extensions import socketio
from community.models import Membership

KEY = "common-ground:chat:sids:{}"
KEY_LIFETIME = 24 * 3600  # a crashed process's stale sids expire on their own
_local: dict[int, set[str]] = {}
_lock = threading.Lock()
_REVOKE = "chat_rooms_to_revoke"


def _redis():
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    client = current_app.extensions.get("chat_presence_redis")
    if client is None:
        client = current_app.extensions["chat_presence_redis"] = redis.Redis.from_url(url)
    return client


def connected(user_id: int, sid: str) -> None:
    client = _redis()
    if client is None:
        with _lock:
            _local.setdefault(user_id, set()).add(sid)
        return
    key = KEY.format(user_id)
    client.sadd(key, sid)
    client.expire(key, KEY_LIFETIME)


def disconnected(user_id: int, sid: str) -> None:
    client = _redis()
    if client is None:
        with _lock:
            _local.get(user_id, set()).discard(sid)
        return
    client.srem(KEY.format(user_id), sid)


def sids_of(user_id: int) -> list[str]:
    client = _redis()
    if client is None:
        with _lock:
            return sorted(_local.get(user_id, ()))
    return sorted(s.decode() for s in client.smembers(KEY.format(user_id)))


def revoke(user_id: int, group_id: int) -> None:
    """Take every connection of this person out of the group's room."""
    for sid in sids_of(user_id):
        socketio.server.leave_room(sid, room(group_id), namespace="/")


@event.listens_for(Session, "after_flush")
def _note_memberships_ended(session, flush_context):
    for obj in session.dirty:
        if isinstance(obj, Membership) and obj.left_at is not None:
            if inspect(obj).attrs.left_at.history.has_changes():
                session.info.setdefault(_REVOKE, set()).add((obj.user_id, obj.group_id))


@event.listens_for(Session, "after_commit")
def _revoke_after_commit(session):
    for user_id, group_id in sorted(session.info.pop(_REVOKE, ())):
        try:
            revoke(user_id, group_id)
        except Exception:  # the leave is committed; a failure here must not look like it wasn't
            logging.getLogger(__name__).exception("could not take user %s out of group %s's room", user_id, group_id)


@event.listens_for(Session, "after_rollback")
def _forget(session):
    session.info.pop(_REVOKE, None)
