"""Serve Common Ground: `python app.py` (HOST and PORT from the environment)."""
import os

from werkzeug.serving import WSGIRequestHandler

from community import create_app
from community.extensions import socketio

app = create_app()


class NoDelayRequestHandler(WSGIRequestHandler):
    """Send small chat frames (acks, messages) at once instead of waiting on Nagle's algorithm,
    which held acks back by up to 40 ms (bench/results/chat.md)."""

    disable_nagle_algorithm = True


if __name__ == "__main__":
    socketio.run(
        app,
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", "5000")),
        # The built-in server is what the embedded default uses; production runs gunicorn.
        allow_unsafe_werkzeug=True,
        request_handler=NoDelayRequestHandler,
    )
