"""The safety watch: every few seconds, in every server process, look in the database for
escalations whose alert didn't go out, that nobody acknowledged in time, or whose day-after
check-in is due. Everything it needs is in the database, so a restart loses nothing; the
claims in alerts.py keep two processes from doing the same thing twice.

`flask safety-watch --once` runs one pass (for cron, or to see what it would do).
"""
import logging
import threading

from flask import Flask
from sqlalchemy import select

from community.extensions import db, socketio
from community.models import Escalation
from community.models.base import utcnow
from community.moderation import alerts

log = logging.getLogger(__name__)
_started: set[int] = set()
_started_lock = threading.Lock()


def run_once() -> dict:
    """One pass; returns how many of each thing it did."""
    now = utcnow()
    done = {"first_alerts": 0, "repeated": 0, "follow_ups": 0}
    unsent = db.session.scalars(select(Escalation.id).where(
        Escalation.level == "crisis", Escalation.status == "open", Escalation.alerted_at.is_(None)))
    for escalation_id in list(unsent):
        done["first_alerts"] += alerts.alert_new(escalation_id)
    overdue = db.session.scalars(select(Escalation).where(
        Escalation.status == "open", Escalation.next_alert_at.is_not(None), Escalation.next_alert_at <= now))
    for escalation in list(overdue):
        done["repeated"] += alerts.realert(escalation, escalation.next_alert_at, now)
    follow_ups = db.session.scalars(select(Escalation).where(
        Escalation.status == "resolved", Escalation.follow_up_at.is_not(None), Escalation.follow_up_at <= now,
        Escalation.follow_up_alerted_at.is_(None), Escalation.followed_up_at.is_(None)))
    for escalation in list(follow_ups):
        done["follow_ups"] += alerts.follow_up(escalation, now)
    return done


def _loop(app: Flask) -> None:
    every = app.config["SAFETY_WATCH_SECONDS"]
    while True:
        socketio.sleep(every)
        with app.app_context():
            try:
                run_once()
            except Exception:  # noqa: BLE001 - keep watching; the next pass tries again
                log.exception("safety watch pass failed")
                db.session.rollback()
            finally:
                db.session.remove()


def start(app: Flask) -> None:
    """Start this process's watch once (on its first request); not in tests or CLI commands."""
    if id(app) in _started or app.config.get("TESTING") or not app.config["SAFETY_WATCH_SECONDS"]:
        return
    with _started_lock:
        if id(app) in _started:
            return
        _started.add(id(app))
    socketio.start_background_task(_loop, app)
