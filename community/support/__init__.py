"""Support for members: where to get help now (resources.py), private check-ins from moderators
and from Common Ground (/support), and "I'm worried about this person" (routes.py, services.py)."""
from flask import Blueprint

bp = Blueprint("support", __name__)

from community.support import routes  # noqa: E402,F401
