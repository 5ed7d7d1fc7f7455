"""The journey's periodic work: question rounds (turns that have waited too long pass on quietly,
weekly rounds a group agreed to start on time) and conversation starters for groups gone quiet.

Every server process runs a pass every JOURNEY_WATCH_SECONDS (default 300; 0: never) from its first
request, like the reminder loop; `flask journey-pass` runs one pass (for cron). Each piece claims its
work in the database, so passes in several processes at once never post anything twice.
"""
import logging
from datetime import datetime

from flask import Flask

from community import background
from community.models.base import utcnow

log = logging.getLogger(__name__)


def run_once(now: datetime | None = None) -> dict:
    """One pass; commits as it goes, so call it with no pending changes of your own."""
    from community.journey import rounds, starters

    now = now or utcnow()
    done = {"rounds": rounds.run_due(now)}
    done["starters"] = starters.run_due(now)
    return done


def start(app: Flask) -> None:
    """Start this process's journey loop once (on its first request); never in tests."""
    background.start_every(app, "journey", "JOURNEY_WATCH_SECONDS", 300, run_once, log)
