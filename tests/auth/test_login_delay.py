"""Password guessing is slowed per account (a growing delay, at most 100 failures an hour) without
ever locking the real person out: a browser that signed in before is counted on its own."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from community.auth import throttle
from community.extensions import db
from community.models import LoginAttempt
from community.models.base import utcnow
from tests.conftest import submit
from tests.support import PASSWORD

WRONG = "not my password at all"


def try_login(client, password, address="10.0.0.1", email="sam@example.org"):
    return submit(client, "/login", {"email": email, "password": password}, environ_base={"REMOTE_ADDR": address})


def age_attempts(app, seconds: float, email="sam@example.org") -> None:
    """Move every recorded attempt for the account back in time, as if we had waited."""
    with app.app_context():
        for attempt in db.session.scalars(select(LoginAttempt).where(
                LoginAttempt.account_key == throttle.account_key(email))):
            attempt.created_at -= timedelta(seconds=seconds)
        db.session.commit()


@pytest.mark.parametrize(("failures", "delay"), [(0, 0), (4, 0), (5, 2), (6, 4), (7, 8), (9, 32), (10, 60), (40, 60)])
def test_the_delay_grows_after_a_few_free_tries_and_is_capped(app, failures, delay):
    with app.app_context():
        assert throttle.delay_for(failures) == delay


def test_after_five_failures_the_account_asks_to_wait_even_from_new_addresses(app, client, make_user):
    make_user(email="sam@example.org")
    for n in range(5):
        assert try_login(app.test_client(), WRONG, f"10.0.0.{n}").status_code == 400
    # The right password, from yet another address, still waits: it's the account being guessed.
    waiting = try_login(app.test_client(), PASSWORD, "10.0.0.99")
    assert waiting.status_code == 429
    text = waiting.get_data(as_text=True)
    assert "please wait 2 seconds" in text and "take your time" in text
    age_attempts(app, 3)
    assert try_login(app.test_client(), PASSWORD, "10.0.0.99").status_code == 302


def test_a_waiting_try_is_not_counted_and_does_not_check_the_password(app, make_user):
    make_user(email="sam@example.org")
    for _ in range(6):
        try_login(app.test_client(), WRONG)
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(LoginAttempt))
    assert try_login(app.test_client(), WRONG).status_code == 429
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LoginAttempt)) == before


def test_no_more_than_the_hourly_cap_of_failures(app, make_user):
    make_user(email="sam@example.org")
    app.config["LOGIN_MAX_FAILURES_PER_HOUR"] = 8
    app.config["LOGIN_MAX_DELAY_SECONDS"] = 1
    for _ in range(8):
        age_attempts(app, 2)
        assert try_login(app.test_client(), WRONG).status_code == 400
    age_attempts(app, 2)
    # Eight failures inside the hour: the next waits until the oldest is an hour old.
    blocked = try_login(app.test_client(), PASSWORD)
    assert blocked.status_code == 429 and "please wait a minute" in blocked.get_data(as_text=True)
    age_attempts(app, 3600)
    assert try_login(app.test_client(), PASSWORD).status_code == 302


def test_an_attacker_cannot_lock_the_real_person_out(app, make_user):
    make_user(email="sam@example.org")
    own_browser = app.test_client()
    assert try_login(own_browser, PASSWORD).status_code == 302
    assert own_browser.get_cookie(throttle.DEVICE_COOKIE) is not None
    submit(own_browser, "/home", {}, action="/logout")
    # Someone else hammers the account from many addresses until it makes strangers wait.
    for n in range(8):
        age_attempts(app, 120)
        try_login(app.test_client(), WRONG, f"198.51.100.{n}")
    assert try_login(app.test_client(), PASSWORD, "198.51.100.50").status_code == 429
    # The person's own browser is counted apart and goes straight in.
    assert try_login(own_browser, PASSWORD).status_code == 302
    assert own_browser.get("/home").status_code == 200


def test_a_known_device_cookie_for_another_account_or_forged_gives_no_pass(app, make_user):
    make_user(email="sam@example.org")
    make_user(email="alex@example.org")
    attacker = app.test_client()
    assert try_login(attacker, PASSWORD, email="alex@example.org").status_code == 302
    submit(attacker, "/home", {}, action="/logout")
    for _ in range(6):
        try_login(app.test_client(), WRONG)
    # A device cookie for alex's account doesn't count as sam's device.
    assert try_login(attacker, PASSWORD).status_code == 429
    forged = app.test_client()
    forged.set_cookie(throttle.DEVICE_COOKIE, "forged.value")
    assert try_login(forged, PASSWORD).status_code == 429


def test_failed_logins_are_logged_without_the_email(app, make_user, caplog):
    make_user(email="sam@example.org")
    with caplog.at_level("WARNING", logger="community.security"):
        try_login(app.test_client(), WRONG, "203.0.113.7")
    line = next(r.getMessage() for r in caplog.records if "login failed" in r.getMessage())
    assert "ip=203.0.113.7" in line and "sam@example.org" not in line


def test_old_attempts_are_cleared_as_new_ones_come(app, make_user):
    make_user(email="sam@example.org")
    try_login(app.test_client(), WRONG)
    age_attempts(app, 3 * 3600)
    try_login(app.test_client(), WRONG)
    with app.app_context():
        times = db.session.scalars(select(LoginAttempt.created_at)).all()
    assert len(times) == 1 and utcnow() - times[0] < timedelta(minutes=1)
