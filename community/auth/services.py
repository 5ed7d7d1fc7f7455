"""Account actions shared by the web pages and the CLI."""
import secrets
import unicodedata
from functools import cache

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from community.auth.passwords import password_problem
from community.extensions import db
from community.models import ROLES, User
from community.models.base import utcnow


class AccountError(ValueError):
    """A request about an account that we refuse, with a message fit to show the person."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def normalise_email(email: str) -> str:
    return email.strip().lower()


def clean_display_name(name: str) -> str:
    """Trim, fold Unicode to its composed form and drop control characters; keep any script."""
    name = unicodedata.normalize("NFC", name)
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    return " ".join(name.split())


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(email: str, display_name: str, password: str, role: str = "member") -> User:
    """Create an account in one commit, or raise AccountError and leave nothing behind."""
    email = normalise_email(email)
    display_name = clean_display_name(display_name)
    if role not in ROLES:
        raise AccountError(f"Unknown role {role!r}; choose one of {', '.join(ROLES)}.", "role")
    if not display_name:
        raise AccountError("Please tell us what to call you.", "display_name")
    if len(display_name) > 60:
        raise AccountError("Please keep your name to 60 characters or fewer.", "display_name")
    problem = password_problem(password, user_inputs=(email, email.split("@")[0], display_name))
    if problem:
        raise AccountError(problem, "password")
    if find_user(email):
        raise AccountError(_EMAIL_TAKEN, "email")
    user = User(email=email, display_name=display_name, role=role)
    user.set_password(password)
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError as exc:  # two sign-ups with one email at the same moment
        db.session.rollback()
        raise AccountError(_EMAIL_TAKEN, "email") from exc
    return user


_EMAIL_TAKEN = "There's already an account with that email. You can log in instead."


def authenticate(email: str, password: str) -> User | None:
    user = find_user(email)
    if user is None:
        # Spend the same time hashing so response time doesn't reveal which emails exist.
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        return None
    if not user.check_password(password):
        return None
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def set_role(email: str, role: str) -> User:
    if role not in ROLES:
        raise AccountError(f"Unknown role {role!r}; choose one of {', '.join(ROLES)}.", "role")
    user = find_user(email)
    if user is None:
        raise AccountError(f"No account with email {normalise_email(email)}.", "email")
    if user.role != role:
        user.role = role
        db.session.commit()
        # A new role is a new trust level: every session starts again (and staff set up two-factor).
        from community.auth import sessions

        sessions.end_all(user.id)
    return user


@cache
def _dummy_hash(method: str) -> str:
    return generate_password_hash(secrets.token_hex(16), method=method)
