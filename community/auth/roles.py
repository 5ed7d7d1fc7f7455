"""Guards for views: who may see what."""
from functools import wraps

from flask import abort
from flask_login import current_user

from community.extensions import login_manager


def role_required(*roles: str):
    """Allow the given roles (admins always); send visitors to log in, refuse others with 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
