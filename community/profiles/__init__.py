"""Member profiles: the onboarding steps and the profile page that edits them later."""
from flask import Blueprint

bp = Blueprint("profiles", __name__)

from community.profiles import routes  # noqa: E402,F401
