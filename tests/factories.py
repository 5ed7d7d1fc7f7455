"""Onboarded members, made straight in the database (no password hashing per person), for tests
that need a population to match. Call inside an app context."""
from functools import cache

from werkzeug.security import generate_password_hash

from community.extensions import db
from community.models import Profile, User
from community.models.base import utcnow
from community.profiles.services import STEPS
from tests.support import PASSWORD, enable_test_two_factor


@cache
def _password_hash() -> str:
    """A cheap hash for the many people tests make: each login through the real form verifies it,
    and scrypt's 150 ms per login added minutes to every run. Accounts made through the app
    (tests.support.create_account, the sign-up form) use the tests' PASSWORD_HASH_METHOD."""
    return generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


def member(email: str, name: str | None = None, *, interests=("board-games",), custom=(),
           neighbourhood: str | None = "decatur", online_only: bool = False,
           availability=(11, 17, 20), fmt: str = "either", comfort: int = 2, role: str = "member",
           onboarded: bool = True) -> User:
    """A member who finished onboarding (unless `onboarded=False`), committed, with PASSWORD."""
    now = utcnow()
    user = User(email=email.lower(), display_name=name or email.split("@")[0].title(),
                password_hash=_password_hash(), role=role)
    user.profile = Profile(
        interests=list(interests), custom_interests=list(custom),
        neighbourhood=None if online_only else neighbourhood, online_only=online_only,
        availability=sorted(availability), format_preference="online" if online_only else fmt,
        comfort_step=comfort, barriers=[], communication_prefs=[], communication_note="",
        steps_done=list(STEPS) if onboarded else [], consented_at=now if onboarded else None,
        completed_at=now if onboarded else None,
    )
    db.session.add(user)
    db.session.commit()
    if user.is_staff:
        enable_test_two_factor(user)
    return user


def circle(prefix: str, count: int, **profile) -> list[User]:
    """`count` members who clearly belong together (same focus, times, area and pace)."""
    return [member(f"{prefix}{n}@example.org", f"{prefix.title()} {n}", **profile) for n in range(count)]
