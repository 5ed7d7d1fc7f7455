"""Socket.IO: `round_pass`, the member whose turn it is passing from the chat.

Authorized like the chat's own events (signed in, the session still valid, a member of the group,
rate-limited per connection), and then only the current member may pass: anyone else gets a kind
error ack and nothing changes. The new state reaches the room as a `round` event after the commit
(rounds.py); a pass itself is never announced.
"""
import logging

from flask_login import current_user

from community.chat import limits, services, signed_in
from community.chat.services import NOT_A_MEMBER, ChatError
from community.extensions import db, socketio
from community.journey import rounds

security_log = logging.getLogger("community.security")


@socketio.on("round_pass")
@limits.limited()
def on_round_pass(data=None):
    if not (current_user and current_user.is_authenticated) or not signed_in.still_valid():
        return {"ok": False, "error": "Please log in again to use the group chat."}
    try:
        group_id = services.group_id_from(data)
    except ChatError as exc:
        return {"ok": False, "error": str(exc)}
    if not services.is_member(current_user, group_id):
        security_log.warning("refused socket event=round_pass user=%s group=%s", current_user.id, group_id)
        return {"ok": False, "error": NOT_A_MEMBER}
    try:
        rounds.pass_turn(group_id, current_user.id)
        db.session.commit()
    except rounds.RoundError as exc:
        db.session.rollback()
        return {"ok": False, "error": str(exc)}
    except Exception:  # the database failed: nothing may look done that isn't stored
        db.session.rollback()
        socketio.server.logger.exception("round pass not stored")
        return {"ok": False, "error": "We couldn't do that just now. Please try again in a moment."}
    return {"ok": True}
