"""Activities: organizers schedule shared-focus sessions for groups (one date or a weekly series),
members RSVP with a capacity and a waitlist, calendars (.ics and a private feed), reminders, and
"what to expect" pages that make coming easier."""
from flask import Blueprint

bp = Blueprint("activities", __name__)

from community.activities import calendar_routes, organize_routes, routes  # noqa: E402,F401
