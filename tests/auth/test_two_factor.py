"""Two-factor sign-in: required for moderators and admins, optional for members; codes work once;
recovery codes work once each; wrong codes slow down like wrong passwords."""
import re
import time

import pyotp
import pytest
from sqlalchemy import func, select

from community.auth import two_factor
from community.auth.services import find_user
from community.extensions import db
from community.models import RecoveryCode
from tests.conftest import csrf_token, submit
from tests.support import PASSWORD, TOTP_SECRET, app_sign_in_code, login_client

SECRET_RE = re.compile(r'<code class="setup-key">([A-Z2-7]{32})</code>')
CODES_RE = re.compile(r"<li><code>([0-9a-f]{5}-[0-9a-f]{5})</code></li>")


def password_step(client, email):
    return submit(client, "/login", {"email": email, "password": PASSWORD}, second_step=False)


def enter_code(client, code):
    return client.post("/login/verify", data={"code": code, "csrf_token": csrf_token(client, "/login/verify")})


def set_up_in_browser(client) -> tuple[str, list[str]]:
    """Do what a person does: read the setup key, type the app's code, get recovery codes."""
    page = client.get("/account/two-factor/setup").get_data(as_text=True)
    assert "<svg" in page and "QR code" in page
    secret = SECRET_RE.search(page).group(1)
    done = submit(client, "/account/two-factor/setup", {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200
    codes = CODES_RE.findall(done.get_data(as_text=True))
    assert len(codes) == 10 and len(set(codes)) == 10
    return secret, codes


def test_a_moderator_needs_the_code_as_well_as_the_password(app, make_user):
    make_user(email="mod@example.org", role="moderator")
    client = app.test_client()
    response = password_step(client, "mod@example.org")
    assert response.headers["Location"] == "/login/verify"
    assert client.get("/moderation/").status_code == 302  # not signed in yet
    wrong = enter_code(client, "000000")
    assert wrong.status_code == 400 and "didn&#39;t match" in wrong.get_data(as_text=True)
    right = enter_code(client, app_sign_in_code(app, "mod@example.org"))
    assert right.headers["Location"] == "/home"
    assert client.get("/moderation/").status_code == 200


def test_a_code_works_once(app, make_user):
    make_user(email="mod@example.org", role="moderator")
    code = pyotp.TOTP(TOTP_SECRET).now()
    first = app.test_client()
    password_step(first, "mod@example.org")
    assert enter_code(first, code).status_code == 302
    second = app.test_client()
    password_step(second, "mod@example.org")
    assert enter_code(second, code).status_code == 400


def test_codes_from_far_outside_now_are_refused(app):
    now = time.time()
    totp = pyotp.TOTP(TOTP_SECRET)
    assert two_factor.code_is_valid(TOTP_SECRET, totp.at(now - 30), now)
    assert two_factor.code_is_valid(TOTP_SECRET, totp.at(now + 30), now)
    assert not two_factor.code_is_valid(TOTP_SECRET, totp.at(now - 90), now)
    assert not two_factor.code_is_valid(TOTP_SECRET, "12345", now)
    assert not two_factor.code_is_valid(TOTP_SECRET, "abcdef", now)


def test_the_second_step_expires_and_cannot_be_reached_without_the_password(app, make_user, monkeypatch):
    make_user(email="mod@example.org", role="moderator")
    client = app.test_client()
    assert client.get("/login/verify").headers["Location"] == "/login"
    password_step(client, "mod@example.org")
    from community.auth import second_step

    later = time.time() + second_step.PENDING_SECONDS + 1
    monkeypatch.setattr(second_step.time, "time", lambda: later)
    assert client.get("/login/verify").headers["Location"] == "/login"


def test_five_wrong_codes_send_you_back_to_the_password(app, make_user):
    make_user(email="mod@example.org", role="moderator")
    client = app.test_client()
    password_step(client, "mod@example.org")
    for _ in range(4):
        assert enter_code(client, "000000").status_code == 400
    fifth = enter_code(client, "000000")
    assert fifth.headers["Location"] == "/login"
    assert client.get("/login/verify").headers["Location"] == "/login"


def test_recovery_codes_work_once_each(app, make_user):
    make_user(email="sam@example.org")
    client = login_client(app, "sam@example.org")
    _, codes = set_up_in_browser(client)
    submit(client, "/home", {}, action="/logout")
    password_step(client, "sam@example.org")
    assert enter_code(client, codes[0].upper()).status_code == 302
    page = client.get("/home").get_data(as_text=True)
    assert "9 left" in page
    submit(client, "/home", {}, action="/logout")
    password_step(client, "sam@example.org")
    assert enter_code(client, codes[0]).status_code == 400


def test_members_can_turn_it_on_and_off_with_a_current_code(app, make_user):
    make_user(email="sam@example.org")
    client = login_client(app, "sam@example.org")
    assert "Off. It's optional" in client.get("/account/security").get_data(as_text=True)
    secret, _ = set_up_in_browser(client)
    with app.app_context():
        assert find_user("sam@example.org").totp_enabled_at is not None
    # A wrong code changes nothing.
    submit(client, "/account/security", {"code": "000000"}, action="/account/two-factor/off")
    with app.app_context():
        assert find_user("sam@example.org").totp_enabled_at is not None
    code = pyotp.TOTP(secret).at(time.time() + 30)  # the setup used the current one
    submit(client, "/account/security", {"code": code}, action="/account/two-factor/off")
    with app.app_context():
        user = find_user("sam@example.org")
        assert user.totp_enabled_at is None and user.totp_secret is None
        assert db.session.scalar(select(func.count()).select_from(RecoveryCode)) == 0


def test_staff_cannot_turn_it_off(app, make_user):
    make_user(email="mod@example.org", role="moderator")
    client = login_client(app, "mod@example.org")
    assert "Turn two-factor off" not in client.get("/account/security").get_data(as_text=True)
    code = app_sign_in_code(app, "mod@example.org")
    response = submit(client, "/account/security", {"code": code}, action="/account/two-factor/off")
    assert response.status_code == 302
    with app.app_context():
        assert find_user("mod@example.org").totp_enabled_at is not None


def test_new_recovery_codes_replace_the_old_ones(app, make_user):
    make_user(email="sam@example.org")
    client = login_client(app, "sam@example.org")
    secret, old_codes = set_up_in_browser(client)
    code = pyotp.TOTP(secret).at(time.time() + 30)
    page = submit(client, "/account/security", {"code": code}, action="/account/two-factor/recovery-codes")
    new_codes = CODES_RE.findall(page.get_data(as_text=True))
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    submit(client, "/home", {}, action="/logout")
    password_step(client, "sam@example.org")
    assert enter_code(client, old_codes[1]).status_code == 400
    assert enter_code(client, new_codes[1]).status_code == 302


def test_a_wrong_setup_code_turns_nothing_on(app, make_user):
    make_user(email="sam@example.org")
    client = login_client(app, "sam@example.org")
    client.get("/account/two-factor/setup")
    response = submit(client, "/account/two-factor/setup", {"code": "000000"})
    assert response.status_code == 400
    with app.app_context():
        user = find_user("sam@example.org")
        assert user.totp_enabled_at is None and user.totp_secret is None


@pytest.mark.parametrize("code", ["", "x" * 21, "12 34 56 78", "\u200b123456"])
def test_odd_codes_get_a_clear_message_not_an_error(app, make_user, code):
    make_user(email="mod@example.org", role="moderator")
    client = app.test_client()
    password_step(client, "mod@example.org")
    response = enter_code(client, code)
    assert response.status_code == 400


def test_wrong_codes_count_toward_the_accounts_delay(app, make_user):
    make_user(email="mod@example.org", role="moderator")
    for _ in range(5):
        client = app.test_client()
        password_step(client, "mod@example.org")
        enter_code(client, "000000")
    # Five wrong codes (the password was right each time) make the next password try wait.
    waiting = submit(app.test_client(), "/login", {"email": "mod@example.org", "password": PASSWORD},
                     second_step=False)
    assert waiting.status_code == 429


def test_the_authenticator_secret_is_encrypted_at_rest(app, make_user):
    import sqlalchemy as sa

    make_user(email="mod@example.org", role="moderator")
    with app.app_context():
        stored = db.session.execute(sa.text("SELECT totp_secret FROM users")).scalar_one()
        assert stored != TOTP_SECRET and TOTP_SECRET not in stored
        assert find_user("mod@example.org").totp_secret == TOTP_SECRET
