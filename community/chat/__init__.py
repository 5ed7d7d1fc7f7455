"""Group chat: Socket.IO events (events.py), the actions behind them (services.py), the
no-JavaScript transcript (transcript.py), notes from Common Ground posted into the chat
(notices.py), and who is connected, so leaving a group ends its chat at once (presence.py)."""
from flask import Blueprint

bp = Blueprint("chat", __name__)

# Imported for what they register: socket handlers, session hooks, the transcript route.
from community.chat import events, notices, presence, transcript  # noqa: E402,F401
