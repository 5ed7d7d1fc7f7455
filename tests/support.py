"""Helpers the tests share that are not fixtures."""
import os
import time

import pytest

IN_CI = os.environ.get("CI") == "true"
PASSWORD = "quiet harbour lanterns"
# The authenticator secret of every moderator and admin the tests make: staff must sign in with a
# code, and the tests type the code an app would show, through the real second step.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
_last_step_used: dict[str, int] = {}


def require(condition: bool, reason: str) -> None:
    """Skip with a clear reason locally; in CI a missing service or browser is a failure."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI requires this: {reason}")
    pytest.skip(reason)


def create_account(email="member@example.org", name="Riley", role="member", password=PASSWORD,
                   onboarded=False, **profile_values):
    """An account made through the same service the web form uses; returns its id."""
    from community.auth.services import create_user
    from community.extensions import db
    from community.models.base import utcnow
    from community.profiles.services import STEPS, profile_for

    user = create_user(email, name, password, role)
    if user.is_staff:
        enable_test_two_factor(user)
    if onboarded:
        profile = profile_for(user)
        profile.interests = profile_values.get("interests", ["board-games"])
        profile.neighbourhood = profile_values.get("neighbourhood", "decatur")
        profile.availability = profile_values.get("availability", [11, 17])
        profile.format_preference = profile_values.get("format_preference", "either")
        profile.comfort_step = profile_values.get("comfort_step", 2)
        profile.barriers = profile_values.get("barriers", [])
        profile.steps_done = list(STEPS)
        profile.consented_at = profile.completed_at = utcnow()
        db.session.commit()
    return user.id


def enable_test_two_factor(user) -> None:
    """Two-factor on, as if the person had scanned TOTP_SECRET into their app (call in an app context)."""
    from community.extensions import db
    from community.models.base import utcnow

    user.totp_secret = TOTP_SECRET
    user.totp_enabled_at = utcnow()
    db.session.commit()


def sign_in_code(email: str, last_step: int | None = None) -> str:
    """The code an authenticator app shows now. The server accepts each 30-second code once and one
    step either side of now, so when this account has used those, wait for the next one, as a person would."""
    import pyotp

    used = max(last_step if last_step is not None else -1, _last_step_used.get(email, -1))
    now = int(time.time() // 30)
    if used >= now + 1:
        time.sleep((used * 30) - time.time() + 0.05)
        now = int(time.time() // 30)
    step = max(now, used + 1)
    _last_step_used[email] = step
    return pyotp.TOTP(TOTP_SECRET).at(step * 30)


def app_sign_in_code(app, email: str) -> str:
    from community.auth.services import find_user

    with app.app_context():
        user = find_user(email)
        last = user.totp_last_step if user is not None else None
    return sign_in_code(email, last)


def finish_browser_login(page, email: str) -> None:
    """After clicking "Log in" in Chromium: type the app's code when asked (staff), land on home."""
    import re

    page.wait_for_url(re.compile(r".*/(home|login/verify)$"))
    if page.url.endswith("/login/verify"):
        page.fill("#code", sign_in_code(email))
        page.click("main button[type=submit]")
    page.wait_for_url("**/home")


def forget_used_codes() -> None:
    """The database is emptied between tests, and with it each account's last used code."""
    _last_step_used.clear()


# --- Socket.IO test clients, logged in as a person ---
def login_client(app, email):
    from tests.conftest import submit

    http = app.test_client()
    response = submit(http, "/login", {"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return http


def connect(app, email):
    from community.extensions import socketio

    return socketio.test_client(app, flask_test_client=login_client(app, email))


def messages_received(sio, name="message"):
    # The test client hands over a lone argument either bare or in a list, depending on the path.
    found = []
    for event in sio.get_received():
        if event["name"] == name:
            args = event["args"]
            found.append(args[0] if isinstance(args, list) else args)
    return found
