"""Notes from Common Ground (a welcome with a conversation starter, a newcomer on the way) also
appear in the group's chat, as system messages written in the same transaction as the note,
and are pushed to anyone connected once that transaction has committed."""
import logging

from sqlalchemy import event
from sqlalchemy.orm import Session

from community.chat.services import as_event, room
from community.extensions import socketio
from community.models import GroupAnnouncement, Message

_PENDING = "chat_notices_to_emit"


@event.listens_for(Session, "before_flush")
def _post_notes_to_chat(session, flush_context, instances):
    for obj in list(session.new):
        if isinstance(obj, GroupAnnouncement):
            message = Message(kind="system", body=obj.body, author_id=None)
            if obj.group is not None:
                message.group = obj.group
            else:
                message.group_id = obj.group_id
            session.add(message)


@event.listens_for(Session, "after_flush")
def _remember_new_notes(session, flush_context):
    for obj in session.new:
        if isinstance(obj, Message) and obj.kind == "system":
            session.info.setdefault(_PENDING, []).append(as_event(obj))


@event.listens_for(Session, "after_commit")
def _push_notes(session):
    for payload in session.info.pop(_PENDING, []):
        try:
            socketio.emit("message", payload, to=room(payload["group_id"]))
        except Exception:  # stored already; members see it when they next join
            logging.getLogger(__name__).exception("note %s stored but not broadcast", payload["id"])


@event.listens_for(Session, "after_rollback")
def _forget_notes(session):
    session.info.pop(_PENDING, None)
