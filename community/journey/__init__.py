"""The connection journey: the comfort-step ladder with one suggested next step (routes.py,
suggestions.py), monthly check-ins and their trend (checkin_routes.py, scoring.py, chart.py), a
printable summary to bring to a therapist (summary_routes.py), facilitated question rounds in the
group chat (rounds.py, round_routes.py), "arrive with a buddy" (buddies.py), conversation starters
for new and quiet groups, and the aggregates organizers see, never below five people (outcomes.py)."""
from flask import Blueprint

bp = Blueprint("journey", __name__)

from community.journey import (  # noqa: E402,F401
    buddy_routes,
    checkin_routes,
    outcome_routes,
    round_routes,
    routes,
    steps,  # its session listener records every comfort-step move, whichever page makes it
    summary_routes,
)
