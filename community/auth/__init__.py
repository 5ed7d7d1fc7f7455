"""Accounts: register, log in and out, sessions, two-factor sign-in, and the role guards."""
from flask import Blueprint

from community.extensions import login_manager
from community.models import User

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(token: str) -> User | None:
    # The "id" Flask-Login keeps is our sign-in session token (community.auth.sessions).
    from community.auth import sessions

    return sessions.load(token)


from community.auth import guards, routes, security_routes  # noqa: E402,F401
