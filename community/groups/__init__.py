"""Groups on the web: a member's group page, browsing and joining, leaving, 'not for me',
the organizers' matching page and the admins' group pages. The work lives in services."""
from flask import Blueprint

bp = Blueprint("groups", __name__)

from community.groups import admin_routes, organize_routes, routes  # noqa: E402,F401
