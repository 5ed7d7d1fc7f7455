"""The journey's periodic work: question rounds (turns that have waited too long pass on quietly,
weekly rounds a group agreed to start on time) and conversation starters for groups gone quiet.

Every server process runs a pass every JOURNEY_WATCH_SECONDS (default 300; 0: never) from its first
request, like the reminder loop; `flask journey-pass` runs one pass (for cron). Each piece claims its
work in the database, so passes in several processes at once never post anything twice.
"""
import logging
import threading
from datetime import datetime

from flask import Flask

from community.extensions import db, socketio
from community.models.base import utcnow

log = logging.getLogger(__name__)
_started: set[int] = set()
_started_lock = threading.Lock()


def run_once(now: datetime | None = None) -> dict:
    """One pass; commits as it goes, so call it with no pending changes of your own."""
    from community.journey import rounds, starters

    now = now or utcnow()
    done = {"rounds": rounds.run_due(now)}
    done["starters"] = starters.run_due(now)
    return done


def _loop(app: Flask, every: float) -> None:
    while True:
        socketio.sleep(every)
        with app.app_context():
            try:
                run_once()
            except Exception:  # noqa: BLE001 - keep going; the next pass does what this one missed
                log.exception("journey pass failed")
                db.session.rollback()
            finally:
                db.session.remove()


def start(app: Flask) -> None:
    """Start this process's journey loop once (on its first request); never in tests."""
    every = app.config.get("JOURNEY_WATCH_SECONDS", 300)
    if id(app) in _started or app.config.get("TESTING") or not every:
        return
    with _started_lock:
        if id(app) in _started:
            return
        _started.add(id(app))
    socketio.start_background_task(_loop, app, every)
