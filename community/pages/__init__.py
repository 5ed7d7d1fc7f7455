"""The public pages and the member home page."""
from flask import Blueprint

bp = Blueprint("pages", __name__)

from community.pages import routes  # noqa: E402,F401
