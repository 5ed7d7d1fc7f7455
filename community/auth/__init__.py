"""Accounts: register, log in, log out, and the role guard other blueprints use."""
from flask import Blueprint

from community.extensions import db, login_manager
from community.models import User

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


from community.auth import routes  # noqa: E402,F401
