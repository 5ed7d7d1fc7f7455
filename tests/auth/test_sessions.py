"""Sign-in sessions live on the server: a new id at every login and role change, idle timeouts
(short for staff), an absolute lifetime, and signing out one device or every device."""
from datetime import timedelta

from sqlalchemy import func, select

from community.auth.services import set_role
from community.extensions import db
from community.models import SignInSession
from tests.conftest import submit
from tests.support import PASSWORD, enable_test_two_factor, login_client


def rows(app) -> list[SignInSession]:
    with app.app_context():
        return list(db.session.scalars(select(SignInSession).order_by(SignInSession.id)))


def shift(app, **deltas) -> None:
    """Move every session's times back, as if that long had passed."""
    with app.app_context():
        for row in db.session.scalars(select(SignInSession)):
            for column, delta in deltas.items():
                setattr(row, column, getattr(row, column) - delta)
        db.session.commit()


def test_each_login_starts_a_new_session_and_drops_what_the_browser_held(app, make_user):
    make_user(email="sam@example.org")
    client = app.test_client()
    client.get("/login")
    with client.session_transaction() as browser_session:
        browser_session["planted"] = "by someone else"  # as a fixed session would carry
    submit(client, "/login", {"email": "sam@example.org", "password": PASSWORD})
    with client.session_transaction() as browser_session:
        assert "planted" not in browser_session
        first_token = browser_session["_user_id"]
    submit(client, "/home", {}, action="/logout")
    submit(client, "/login", {"email": "sam@example.org", "password": PASSWORD})
    with client.session_transaction() as browser_session:
        assert browser_session["_user_id"] != first_token
    assert len(rows(app)) == 1
    assert client.get("/home").status_code == 200


def test_the_database_holds_a_hash_not_the_cookies_token(app, make_user):
    make_user(email="sam@example.org")
    client = login_client(app, "sam@example.org")
    with client.session_transaction() as browser_session:
        token = browser_session["_user_id"]
    assert token not in {r.token_hash for r in rows(app)}
    assert len(token) >= 40


def test_logging_out_ends_the_session_on_the_server(app, make_user):
    make_user(email="sam@example.org")
    client = login_client(app, "sam@example.org")
    with client.session_transaction() as browser_session:
        stolen = dict(browser_session)
    submit(client, "/home", {}, action="/logout")
    assert rows(app) == []
    # A copy of the old cookie taken before logout no longer works.
    thief = app.test_client()
    with thief.session_transaction() as browser_session:
        browser_session.update(stolen)
    assert thief.get("/home").status_code == 302


def test_members_stay_signed_in_for_days_but_not_past_the_idle_limit(app, make_user):
    make_user(email="sam@example.org")
    client = login_client(app, "sam@example.org")
    shift(app, last_seen_at=timedelta(days=6))
    assert client.get("/home").status_code == 200
    shift(app, last_seen_at=timedelta(days=8))
    assert client.get("/home").status_code == 302
    assert rows(app) == []


def test_staff_are_signed_out_after_thirty_idle_minutes(app, make_user):
    make_user(email="mod@example.org", role="moderator")
    client = login_client(app, "mod@example.org")
    shift(app, last_seen_at=timedelta(minutes=25))
    assert client.get("/moderation/").status_code == 200  # and that counts as activity
    shift(app, last_seen_at=timedelta(minutes=25))
    assert client.get("/moderation/").status_code == 200
    shift(app, last_seen_at=timedelta(minutes=31))
    assert client.get("/moderation/").status_code == 302


def test_member_idle_limit_is_configurable(app, make_user):
    app.config["MEMBER_IDLE_MINUTES"] = 10
    make_user(email="sam@example.org")
    client = login_client(app, "sam@example.org")
    shift(app, last_seen_at=timedelta(minutes=11))
    assert client.get("/home").status_code == 302


def test_no_session_outlives_its_absolute_lifetime_even_when_active(app, make_user):
    make_user(email="mod@example.org", role="moderator")
    client = login_client(app, "mod@example.org")
    shift(app, created_at=timedelta(hours=12, minutes=1))
    assert client.get("/moderation/").status_code == 302
    make_user(email="sam@example.org")
    member = login_client(app, "sam@example.org")
    shift(app, created_at=timedelta(days=29))
    assert member.get("/home").status_code == 200
    shift(app, created_at=timedelta(days=2))
    assert member.get("/home").status_code == 302


def test_remember_me_cannot_outlive_the_session_it_belongs_to(app, make_user):
    make_user(email="sam@example.org")
    client = app.test_client()
    submit(client, "/login", {"email": "sam@example.org", "password": PASSWORD, "remember": "y"})
    remember = client.get_cookie("remember_token")
    assert remember is not None and remember.expires is not None
    # A new browser session with only the remember cookie still works...
    client.delete_cookie("session")
    assert client.get("/home").status_code == 200
    # ...until the session is ended from elsewhere.
    with app.app_context():
        db.session.execute(SignInSession.__table__.delete())
        db.session.commit()
    client.delete_cookie("session")
    assert client.get("/home").status_code == 302


def test_a_role_change_signs_the_person_out_everywhere(app, make_user):
    make_user(email="sam@example.org")
    phone, laptop = login_client(app, "sam@example.org"), login_client(app, "sam@example.org")
    with app.app_context():
        set_role("sam@example.org", "organizer")
    assert phone.get("/home").status_code == 302 and laptop.get("/home").status_code == 302
    organizer = login_client(app, "sam@example.org")
    assert organizer.get("/organize/matching").status_code == 200


def test_sign_out_one_device_or_every_device(app, make_user):
    make_user(email="sam@example.org")
    phone, laptop, tablet = (login_client(app, "sam@example.org") for _ in range(3))
    page = laptop.get("/account/security").get_data(as_text=True)
    assert page.count("Sign out</button>") == 2 and "this browser" in page
    phone_row = rows(app)[0]
    submit(laptop, "/account/security", {}, action=f"/account/sessions/{phone_row.id}/end")
    assert phone.get("/home").status_code == 302
    assert laptop.get("/home").status_code == 200 and tablet.get("/home").status_code == 200
    submit(laptop, "/account/security", {}, action="/account/sessions/end-all")
    assert laptop.get("/home").status_code == 302 and tablet.get("/home").status_code == 302
    assert rows(app) == []


def test_nobody_can_end_someone_elses_session(app, make_user):
    make_user(email="sam@example.org")
    make_user(email="alex@example.org")
    sam = login_client(app, "sam@example.org")
    alex = login_client(app, "alex@example.org")
    sams_row = rows(app)[0]  # sam signed in first
    response = submit(alex, "/account/security", {}, action=f"/account/sessions/{sams_row.id}/end")
    assert response.status_code == 404
    assert sam.get("/home").status_code == 200


def test_ending_sessions_needs_the_form_token(app, make_user):
    make_user(email="sam@example.org")
    client = login_client(app, "sam@example.org")
    client.post("/account/sessions/end-all", data={"csrf_token": "forged"})
    assert client.get("/home").status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SignInSession)) == 1


def test_a_chat_connection_stops_sending_once_its_session_is_ended(app, make_user):
    app.config["SOCKET_SESSION_CHECK_SECONDS"] = 0  # checked at most once a minute by default
    from community.extensions import socketio
    from community.groups.services import create_group
    from community.models import User

    sam = make_user(email="sam@example.org", onboarded=True)
    with app.app_context():
        group = create_group("Walkers", "online", [db.session.get(User, sam)], by=None)
        group_id = group.id
    http = login_client(app, "sam@example.org")
    sio = socketio.test_client(app, flask_test_client=http)
    assert sio.emit("join", {"group_id": group_id}, callback=True)["ok"]
    assert sio.emit("send", {"group_id": group_id, "body": "hello", "client_id": "a1"}, callback=True)["ok"]
    submit(http, "/account/security", {}, action="/account/sessions/end-all")
    ack = sio.emit("send", {"group_id": group_id, "body": "still here?", "client_id": "a2"}, callback=True)
    assert not ack["ok"] and "log in again" in ack["error"]


def test_staff_must_set_up_two_factor_before_anything_else(app, make_user):
    from community.auth.services import create_user

    with app.app_context():
        create_user("newmod@example.org", "New Mod", PASSWORD, role="moderator")
    client = app.test_client()
    response = submit(client, "/login", {"email": "newmod@example.org", "password": PASSWORD})
    assert response.headers["Location"] == "/account/two-factor/setup"
    for page in ("/moderation/", "/home", "/profile"):
        assert client.get(page).headers.get("Location") == "/account/two-factor/setup"
    assert client.get("/resources").status_code == 200  # the crisis line is never behind it
    with app.app_context():
        from community.auth.services import find_user
        enable_test_two_factor(find_user("newmod@example.org"))
    assert client.get("/moderation/").status_code == 200


def test_every_page_open_before_two_factor_setup_exists(app):
    from community.auth.guards import SETUP_ALLOWED

    assert SETUP_ALLOWED <= set(app.view_functions), "a typo here would quietly lock staff out of that page"
