"""Moderation: the escalation queue and what moderators do with it (routes.py), the services
behind it (escalations.py), real-time alerts and their retries (alerts.py, watch.py)."""
from flask import Blueprint

bp = Blueprint("moderation", __name__, url_prefix="/moderation")

# Imported for what it registers: the moderators' pages.
from community.moderation import filter_routes, member_routes, review_routes, routes  # noqa: E402,F401
