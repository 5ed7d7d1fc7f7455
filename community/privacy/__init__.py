"""Privacy in members' hands: what we keep (the /privacy page), "Download my data", "Delete my
account" with a cooling-off period and the purge that follows (purge.py, cli.py), and the admins'
log of staff reads of private data (access.py, access_routes.py)."""
from flask import Blueprint

bp = Blueprint("privacy", __name__)

# Imported for what they register: the pages.
from community.privacy import access_routes, routes  # noqa: E402,F401
