"""When a service the app leans on is away, people get a clear answer, never a 500 or silence."""
from sqlalchemy.exc import OperationalError

from community.chat import services
from community.extensions import db, socketio
from community.groups.services import create_group
from community.models import User
from tests.support import login_client


def test_joining_or_loading_history_with_the_database_down_says_so(app, make_user, monkeypatch):
    sam = make_user(email="sam@example.org", onboarded=True)
    with app.app_context():
        group_id = create_group("Walkers", "online", [db.session.get(User, sam)], by=None).id
    sio = socketio.test_client(app, flask_test_client=login_client(app, "sam@example.org"))

    def database_gone(*args, **kwargs):
        raise OperationalError("SELECT", {}, Exception("server closed the connection unexpectedly"))

    monkeypatch.setattr(services, "recent", database_gone)
    monkeypatch.setattr(services, "earlier", database_gone)
    for event, data in (("join", {"group_id": group_id}), ("history", {"group_id": group_id, "before_id": 5})):
        ack = sio.emit(event, data, callback=True)
        assert ack == {"ok": False, "error": "We couldn't load the conversation just now. Please try again in a moment."}
