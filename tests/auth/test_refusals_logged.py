"""Authorization failures leave a line in the security log, so probing shows up."""
from community.extensions import db, socketio
from community.groups.services import create_group
from community.models import User
from tests.support import login_client


def test_a_refused_page_is_logged_with_who_and_what(app, make_user, caplog):
    sam = make_user(email="sam@example.org")
    client = login_client(app, "sam@example.org")
    with caplog.at_level("WARNING", logger="community.security"):
        assert client.get("/moderation/").status_code == 403
    line = next(r.getMessage() for r in caplog.records if r.getMessage().startswith("refused status=403"))
    assert "path=/moderation/" in line and f"user={sam} " in line


def test_a_refused_socket_event_is_logged(app, make_user, caplog):
    sam = make_user(email="sam@example.org", onboarded=True)
    alex = make_user(email="alex@example.org", onboarded=True)
    with app.app_context():
        group = create_group("Walkers", "online", [db.session.get(User, alex)], by=None)
        group_id = group.id
    sio = socketio.test_client(app, flask_test_client=login_client(app, "sam@example.org"))
    with caplog.at_level("WARNING", logger="community.security"):
        assert not sio.emit("join", {"group_id": group_id}, callback=True)["ok"]
    assert any(f"refused socket event=join user={sam} group={group_id}" in r.getMessage() for r in caplog.records)
