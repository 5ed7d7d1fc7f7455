"""Registering, logging in and out, and what happens with bad input."""
import pytest
from sqlalchemy import func, select

from community.extensions import db
from community.models import User
from tests.conftest import submit
from tests.support import PASSWORD


def user_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


def test_register_logs_in_and_starts_onboarding(client, auth, app):
    response = auth.register(email="New.Person@Example.org", name="Ada")
    assert response.status_code == 302
    assert response.headers["Location"] == "/welcome"
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.email == "new.person@example.org"
        assert user.role == "member"
        # Hashed with the configured method (scrypt unless configured: tests/test_config.py).
        assert user.password_hash.split("$")[0] == app.config["PASSWORD_HASH_METHOD"]
        assert user.check_password("quiet harbour lanterns")
        assert not user.is_onboarded
    assert client.get("/home").status_code == 200


def test_email_is_unique_whatever_its_case(client, auth, app):
    auth.register(email="sam@example.org")
    auth.logout()
    response = auth.register(email="SAM@Example.ORG", name="Another Sam")
    assert response.status_code == 400
    assert "already an account with that email" in response.get_data(as_text=True)
    assert user_count(app) == 1


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1", "at least 10 characters"),
        ("password123", "lists attackers try first"),
        ("qwertyuiop", "lists attackers try first"),
        ("aaaaaaaaaaaa", "easy to guess"),
        ("x" * 129, "128 characters or fewer"),
    ],
)
def test_weak_passwords_are_refused_kindly(auth, app, password, message):
    response = auth.register(password=password)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert user_count(app) == 0


def test_password_containing_own_email_is_too_guessable(auth, app):
    response = auth.register(email="riverstone@example.org", password="riverstone1")
    assert response.status_code == 400
    assert user_count(app) == 0


@pytest.mark.parametrize("name", ["Zoë", "José Álvarez", "李小龙", "Nguyễn Thảo", "Søren"])
def test_non_ascii_names_are_welcome(auth, app, name):
    assert auth.register(name=name).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(User.display_name)) == name


def test_control_characters_are_removed_from_names(auth, app):
    assert auth.register(name="Sam\u0000\u200b\u202e  Lee").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(User.display_name)) == "Sam Lee"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("display_name", "", "Please tell us what to call you."),
        ("display_name", "   ", "Please tell us what to call you."),
        ("display_name", "n" * 61, "60 characters"),
        ("email", "not-an-email", "doesn&#39;t look like an email"),
        ("email", "a" * 250 + "@example.org", "254 characters"),
    ],
)
def test_bad_registration_fields_rerender_with_a_message(client, app, field, value, message):
    data = {"display_name": "Sam", "email": "sam@example.org", "password": PASSWORD, "confirm": PASSWORD}
    data[field] = value
    response = submit(client, "/register", data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert user_count(app) == 0


def test_mismatched_confirmation(client, app):
    response = submit(client, "/register", {
        "display_name": "Sam", "email": "sam@example.org", "password": PASSWORD, "confirm": PASSWORD + "x",
    })
    assert "don&#39;t match yet" in response.get_data(as_text=True)
    assert user_count(app) == 0


def test_forged_role_field_is_ignored(client, app):
    response = submit(client, "/register", {
        "display_name": "Mallory", "email": "m@example.org", "password": PASSWORD, "confirm": PASSWORD,
        "role": "admin",
    })
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(User.role)) == "member"


def test_stale_csrf_token_rerenders_the_form_and_keeps_what_was_typed(client, app):
    response = client.post("/register", data={
        "display_name": "Sam", "email": "sam@example.org", "password": PASSWORD, "confirm": PASSWORD,
        "csrf_token": "stale-token-from-an-old-tab",
    })
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "nothing was saved yet" in page
    assert 'value="sam@example.org"' in page
    assert user_count(app) == 0


def test_login_and_logout(client, auth, make_user):
    make_user(email="sam@example.org")
    response = auth.login(email="  SAM@example.org ")
    assert response.status_code == 302
    assert response.headers["Location"] == "/home"
    assert client.get("/home").status_code == 200
    assert auth.logout().status_code == 302
    assert client.get("/home").status_code == 302


def test_logout_needs_a_post_with_a_token(client, auth, make_user):
    make_user(email="sam@example.org")
    auth.login()
    assert client.get("/logout").status_code == 405
    response = client.post("/logout", data={"csrf_token": "forged"})
    assert response.status_code == 302
    assert client.get("/home").status_code == 200  # still logged in


def test_wrong_password_is_a_clear_message(auth, make_user):
    make_user(email="sam@example.org")
    response = auth.login(password="not the right one at all")
    assert response.status_code == 400
    assert "don&#39;t match an account" in response.get_data(as_text=True)


def test_unknown_email_gets_the_same_message(auth):
    response = auth.login(email="nobody@example.org")
    assert "don&#39;t match an account" in response.get_data(as_text=True)


def test_remember_me_sets_a_lasting_cookie(client, auth, make_user):
    make_user(email="sam@example.org")
    auth.login(remember="y")
    cookie = client.get_cookie("remember_token")
    assert cookie is not None and cookie.http_only and cookie.expires is not None


def test_session_cookie_flags(client, auth, make_user):
    make_user(email="sam@example.org")
    auth.login()
    cookie = client.get_cookie("session")
    assert cookie.http_only
    assert cookie.same_site == "Lax"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/profile"])
def test_next_only_follows_our_own_pages(client, make_user, target):
    make_user(email="sam@example.org")
    page = f"/login?next={target}"
    response = submit(client, page, {"email": "sam@example.org", "password": PASSWORD})
    expected = "/profile" if target == "/profile" else "/home"
    assert response.headers["Location"] == expected


def test_failed_logins_per_address_are_limited(app, client, make_user):
    app.config["LOGIN_LIMIT_PER_IP"] = "3 per 15 minutes"
    for n in range(3):
        submit(client, "/login", {"email": f"guess{n}@example.org", "password": "wrong guess number"})
    response = submit(client, "/login", {"email": "guess9@example.org", "password": "wrong guess number"})
    assert response.status_code == 429


def test_two_sign_ups_with_one_email_at_the_same_moment(app, monkeypatch):
    """The database's unique constraint is the final word; the loser gets the same kind message."""
    from community.auth import services

    with app.app_context():
        services.create_user("race@example.org", "First", PASSWORD)
        monkeypatch.setattr(services, "find_user", lambda email: None)  # both passed the check
        with pytest.raises(services.AccountError, match="already an account"):
            services.create_user("RACE@example.org", "Second", PASSWORD)
        assert db.session.scalar(select(func.count()).select_from(User)) == 1


@pytest.mark.parametrize(("proxies", "blocked"), [(0, True), (1, False)])
def test_behind_a_trusted_proxy_limits_apply_per_visitor(database_url, proxies, blocked):
    """Without TRUSTED_PROXIES every visitor looks like the proxy and shares one limit."""
    from tests.conftest import another_app, app_config

    config = app_config(database_url, TRUSTED_PROXIES=proxies, LOGIN_LIMIT_PER_IP="2 per 15 minutes")
    with another_app(config) as app:
        client = app.test_client()
        proxy = {"REMOTE_ADDR": "10.1.1.1"}
        for visitor in ("203.0.113.1", "203.0.113.2"):
            submit(client, "/login", {"email": "x@example.org", "password": "wrong guess number"},
                   environ_base=proxy, headers={"X-Forwarded-For": visitor})
        third = submit(client, "/login", {"email": "y@example.org", "password": "wrong guess number"},
                       environ_base=proxy, headers={"X-Forwarded-For": "203.0.113.3"})
    assert (third.status_code == 429) is blocked
