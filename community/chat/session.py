"""The Flask session as seen by Socket.IO events.

Flask-SocketIO pushes the connection's request context again for every event, and Flask opens
(verifies and decodes) the session cookie on each push, only for Flask-SocketIO to swap in the
connection's own copy, kept in the environ as `saved_session`, straight afterwards. That
decoding was about a sixth of the cost of handling a chat message (bench/results/chat.md), so
once a connection has its copy, opening the session hands that copy back. Ordinary HTTP
requests get a fresh environ each time and never carry one, so they are unaffected.
"""
from flask.sessions import SecureCookieSessionInterface


class SocketAwareSessionInterface(SecureCookieSessionInterface):
    def open_session(self, app, request):
        saved = request.environ.get("saved_session")
        if saved is not None:
            return saved
        return super().open_session(app, request)
