"""Helpers the tests share that are not fixtures."""
import os

import pytest

IN_CI = os.environ.get("CI") == "true"
PASSWORD = "quiet harbour lanterns"


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
