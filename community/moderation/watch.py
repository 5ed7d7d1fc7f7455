"""The safety watch: every few seconds, in every server process, look in the database for
escalations whose alert didn't go out, that nobody acknowledged in time, or whose day-after
check-in is due. Everything it needs is in the database, so a restart loses nothing; the
claims in alerts.py keep two processes from doing the same thing twice.

`flask safety-watch --once` runs one pass (for cron, or to see what it would do).
"""
import logging

from flask import Flask
from sqlalchemy import select

from community import background
from community.extensions import db
from community.models import Escalation
from community.models.base import utcnow
from community.moderation import alerts

log = logging.getLogger(__name__)


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


def start(app: Flask) -> None:
    """Start this process's watch once (on its first request); not in tests or CLI commands."""
    background.start_every(app, "safety watch", "SAFETY_WATCH_SECONDS", 15, run_once, log)
