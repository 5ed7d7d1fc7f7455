"""Socket.IO handlers for group chat. Thin: authorize, call services, reply.

`login_required` doesn't work on socket handlers, so every handler checks the session itself,
and every group action checks membership again: a connection outlives a membership.
"""
import logging
import time

from flask import request
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, emit, join_room, leave_room
from sqlalchemy.exc import SQLAlchemyError

from community.chat import limits, presence, services, signed_in
from community.chat.ordering import Busy, in_order
from community.chat.services import NOT_A_MEMBER, ChatError
from community.extensions import db, socketio
from community.moderation import safety_events
from community.safety import assess
from community.support import resources

security_log = logging.getLogger("community.security")
TYPING_EVERY_SECONDS = 3.0
DRAFT_CHECK_EVERY_SECONDS = 1.0
_last_draft_check: dict[str, float] = {}  # per connection
_last_typing: dict[tuple[int, int], float] = {}  # per process; typing is a hint, never stored
# Who each connection belongs to, fixed at connect: loading the user again for every message
# would be a query per event. Suspensions, mutes and membership are still read fresh per send.
_senders: dict[str, services.Sender] = {}


def _error(text: str) -> dict:
    return {"ok": False, "error": text}


def _signed_in() -> bool:
    return bool(current_user and current_user.is_authenticated)


@socketio.on("connect")
def on_connect(auth=None):
    if not _signed_in():
        raise ConnectionRefusedError("Please log in to use the group chat.")
    if current_user.needs_two_factor_setup:
        raise ConnectionRefusedError("Please set up two-factor sign-in first.")
    signed_in.connected()
    _senders[request.sid] = services.Sender(current_user.id, current_user.display_name, current_user.role,
                                            current_user.created_at)
    presence.connected(current_user.id, request.sid)
    # Private events (the support card, a moderator's check-in, escalation alerts) reach every
    # tab of this person through their own room, on whichever process holds the connection.
    join_room(services.user_room(current_user.id))


@socketio.on("disconnect")
def on_disconnect(reason=None):
    _last_draft_check.pop(request.sid, None)
    limits.forget(request.sid)
    signed_in.forget(request.sid)
    sender = _senders.pop(request.sid, None)
    if sender is not None:
        presence.disconnected(sender.id, request.sid)


def _readable_group(data, id_key: str) -> tuple[int, int | None]:
    """The group (and message id) an event names, if this person may read that group."""
    if not _signed_in():
        raise ChatError("Please log in again to use the group chat.")
    group_id = services.group_id_from(data)
    message_id = services.optional_id(data, id_key)
    if not services.can_read(current_user, group_id):
        security_log.warning("refused socket event=%s user=%s group=%s", request.event["message"],
                             current_user.id, group_id)
        raise ChatError(NOT_A_MEMBER)
    return group_id, message_id


@socketio.on("join")
@limits.limited()
def on_join(data=None):
    try:
        group_id, after_id = _readable_group(data, "after_id")
        # Under the group's send lock no message is between its commit and its broadcast, so
        # each one is either in this history or arrives live afterwards: never lost, never both.
        with in_order(group_id):
            join_room(services.room(group_id))
            messages, has_more = services.recent(group_id, after_id, viewer_id=current_user.id)
    except ChatError as exc:
        return _error(str(exc))
    except Busy:
        return _error("The chat is very busy just now; please try again in a moment.")
    except SQLAlchemyError:  # the database is unreachable: say so now rather than leave the client waiting
        return _unavailable("chat not loaded")
    return {"ok": True, "messages": [services.as_event(m) for m in messages], "has_more": has_more}


def _unavailable(what: str) -> dict:
    db.session.rollback()
    socketio.server.logger.exception(what)
    return _error("We couldn't load the conversation just now. Please try again in a moment.")


@socketio.on("history")
@limits.limited()
def on_history(data=None):
    try:
        group_id, before_id = _readable_group(data, "before_id")
        if before_id is None:
            raise ChatError("before_id is needed to load earlier messages.")
        messages, has_more = services.earlier(group_id, before_id, viewer_id=current_user.id)
    except ChatError as exc:
        return _error(str(exc))
    except SQLAlchemyError:
        return _unavailable("earlier messages not loaded")
    return {"ok": True, "messages": [services.as_event(m) for m in messages], "has_more": has_more}


@socketio.on("send")
@limits.limited()
def on_send(data=None):
    sender = _senders.get(request.sid)
    if sender is None or not signed_in.still_valid():
        return _error("Please log in again to send messages; your text is still here.")
    try:
        group_id = services.group_id_from(data)
        # Insert, commit and broadcast one at a time per group, so ids arrive in order.
        with in_order(group_id):
            sent = services.send(sender, group_id, data.get("body"), data.get("client_id"))
            payload = sent.message
            if sent.created and not sent.held:  # committed above; only now may anyone be told
                _broadcast(payload)
    except ChatError as exc:
        db.session.rollback()
        return _with_support_if_crisis(_error(str(exc)), data)
    except Exception:  # the database (or the lock) failed: nothing may look sent that isn't stored
        db.session.rollback()
        socketio.server.logger.exception("chat message not stored")
        return _with_support_if_crisis(
            _error("We couldn't save that message just now. Your text is still here; please try again."), data)
    ack = {"ok": True, "message": payload}
    if sent.held:
        ack["held"] = sent.held_note or resources.HELD_NOTES[sent.held]
    if sent.level == "crisis":
        # In the ack as well as the event: the ack reaches the writer even if Redis is down.
        ack["support"] = resources.card()
        safety_events.after_crisis(sender.id, sent)
    return ack


def _with_support_if_crisis(ack: dict, data) -> dict:
    """A message that couldn't be sent (too long, say) still shows its writer where help is."""
    body = data.get("body") if isinstance(data, dict) else None
    if isinstance(body, str) and assess(body[: 4 * services.MAX_BODY]).level == "crisis":
        ack["support"] = resources.card()
    return ack


def _broadcast(payload: dict) -> None:
    """The message is stored whatever happens here; if the broadcast fails, members still get it
    when they next join (catch-up), so the sender's ack stays ok."""
    try:
        emit("message", payload, to=services.room(payload["group_id"]))
    except Exception:
        socketio.server.logger.exception("chat message %s stored but not broadcast", payload["id"])


@socketio.on("leave")
@limits.limited()
def on_leave(data=None):
    try:
        group_id = services.group_id_from(data)
    except ChatError as exc:
        return _error(str(exc))
    leave_room(services.room(group_id))
    return {"ok": True}


@socketio.on("typing")
@limits.limited(quiet=True)
def on_typing(data=None):
    sender = _senders.get(request.sid)
    if sender is None:
        return None
    try:
        group_id = services.group_id_from(data)
    except ChatError:
        return None
    key = (sender.id, group_id)
    now = time.monotonic()
    if now - _last_typing.get(key, 0.0) < TYPING_EVERY_SECONDS or not services.can_read(current_user, group_id):
        return None
    _last_typing[key] = now
    emit("typing", {"group_id": group_id, "user": {"id": sender.id, "name": sender.name}},
         to=services.room(group_id), include_self=False)
    return None


@socketio.on("check_draft")
@limits.limited()
def on_check_draft(data=None):
    """A draft, checked while it's typed so the support card can show before it's sent. The text
    is neither stored nor logged; the answer is only whether to show the card."""
    if _senders.get(request.sid) is None:
        return _error("Please log in again to use the group chat.")
    body = data.get("body") if isinstance(data, dict) else None
    if not isinstance(body, str) or not body.strip():
        return {"ok": True, "support": None}
    now = time.monotonic()
    if now - _last_draft_check.get(request.sid, 0.0) < DRAFT_CHECK_EVERY_SECONDS:
        return {"ok": True, "support": None}
    _last_draft_check[request.sid] = now
    crisis = assess(body[: services.MAX_BODY]).level == "crisis"
    return {"ok": True, "support": resources.card() if crisis else None}
