"""Work each server process repeats in the background from its first request: the safety watch,
activity reminders, and the journey's pass. Each loop's work is claimed in the database, so several
processes running the same loop never do anything twice; this module only keeps one loop per app
and name in this process, and keeps it going when a pass fails."""
import logging
import threading
from collections.abc import Callable

from flask import Flask

from community.extensions import db, socketio

_started: set[tuple[int, str]] = set()
_started_lock = threading.Lock()


def start_every(app: Flask, name: str, seconds_key: str, default: float, run: Callable[[], object],
                log: logging.Logger) -> None:
    """Run `run` every app.config[seconds_key] seconds in this process, once per app and name;
    never in tests, and never when the setting is 0 (then a CLI command run from cron does it)."""
    key = (id(app), name)
    every = app.config.get(seconds_key, default)
    if key in _started or app.config.get("TESTING") or not every:
        return
    with _started_lock:
        if key in _started:
            return
        _started.add(key)
    socketio.start_background_task(_loop, app, name, every, run, log)


def started(app: Flask, name: str) -> bool:
    return (id(app), name) in _started


def _loop(app: Flask, name: str, every: float, run: Callable[[], object], log: logging.Logger) -> None:
    while True:
        socketio.sleep(every)
        with app.app_context():
            try:
                run()
            except Exception:  # noqa: BLE001 - keep going; the next pass does what this one missed
                log.exception("%s pass failed", name)
                db.session.rollback()
            finally:
                db.session.remove()
