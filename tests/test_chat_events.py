"""Chat over Socket.IO, through Flask-SocketIO's test client sharing the HTTP login."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from community.extensions import db, socketio
from community.groups import services as groups
from community.models import GroupModerator, Membership, Message, User
from community.models.base import utcnow
from tests.factories import circle, member
from tests.support import connect, messages_received


@pytest.fixture
def chat(app):
    """Four members in one group and a stranger; returns a way to connect as any of them."""
    with app.app_context():
        people = circle("pat", 4)
        stranger = member("stranger@example.org", "Stranger")
        group = groups.create_group("Board games circle", "online", people, by=None)
        ids = {"group": group.id, "people": [p.id for p in people], "stranger": stranger.id}
    return ids


def test_connection_without_login_is_refused(app):
    sio = socketio.test_client(app, flask_test_client=app.test_client())
    assert not sio.is_connected()


def test_members_join_and_get_the_welcome_from_common_ground(app, chat):
    sio = connect(app, "pat0@example.org")
    ack = sio.emit("join", {"group_id": chat["group"]}, callback=True)
    assert ack["ok"] is True and ack["has_more"] is False
    [welcome] = ack["messages"]
    assert welcome["kind"] == "system" and welcome["author"] is None
    assert welcome["body"]  # a welcome with a conversation starter


def test_someone_outside_the_group_is_refused_and_hears_nothing(app, chat):
    outsider = connect(app, "stranger@example.org")
    ack = outsider.emit("join", {"group_id": chat["group"]}, callback=True)
    assert ack == {"ok": False, "error": "not a member of this group"}
    ack = outsider.emit("send", {"group_id": chat["group"], "body": "hi", "client_id": "x1"}, callback=True)
    assert ack == {"ok": False, "error": "not a member of this group"}
    member_client = connect(app, "pat0@example.org")
    member_client.emit("join", {"group_id": chat["group"]}, callback=True)
    member_client.emit("send", {"group_id": chat["group"], "body": "members only", "client_id": "m1"}, callback=True)
    assert messages_received(outsider) == []


def test_a_sent_message_is_stored_acked_and_delivered_to_the_room(app, chat):
    alice, bob = connect(app, "pat0@example.org"), connect(app, "pat1@example.org")
    for sio in (alice, bob):
        sio.emit("join", {"group_id": chat["group"]}, callback=True)
        sio.get_received()
    ack = alice.emit("send", {"group_id": chat["group"], "body": "  Hello <b>there</b>\u202e  ",
                              "client_id": "c-1"}, callback=True)
    assert ack["ok"] is True
    message = ack["message"]
    assert message["body"] == "Hello <b>there</b>"  # trimmed, override removed, stored as text
    assert message["author"] == {"id": chat["people"][0], "name": "Pat 0"}
    assert message["created_at"].endswith("Z") and message["client_id"] == "c-1"
    assert messages_received(bob) == [message]
    with app.app_context():
        stored = db.session.get(Message, message["id"])
        assert stored.body == "Hello <b>there</b>" and stored.group_id == chat["group"]


def test_a_retry_with_the_same_client_id_stores_nothing_new(app, chat):
    alice, bob = connect(app, "pat0@example.org"), connect(app, "pat1@example.org")
    for sio in (alice, bob):
        sio.emit("join", {"group_id": chat["group"]}, callback=True)
        sio.get_received()
    payload = {"group_id": chat["group"], "body": "only once", "client_id": "retry-1"}
    first = alice.emit("send", payload, callback=True)
    second = alice.emit("send", payload, callback=True)
    assert first == second and first["ok"]
    assert len(messages_received(bob)) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(Message.body == "only once")) == 1


def test_catch_up_after_id_returns_exactly_what_was_missed(app, chat):
    alice = connect(app, "pat0@example.org")
    first = alice.emit("join", {"group_id": chat["group"]}, callback=True)
    seen = first["messages"][-1]["id"]
    sent = [alice.emit("send", {"group_id": chat["group"], "body": f"m{n}", "client_id": f"k{n}"},
                       callback=True)["message"] for n in range(3)]
    bob = connect(app, "pat1@example.org")
    ack = bob.emit("join", {"group_id": chat["group"], "after_id": seen}, callback=True)
    assert [m["id"] for m in ack["messages"]] == [m["id"] for m in sent]
    ack = bob.emit("join", {"group_id": chat["group"], "after_id": sent[-1]["id"]}, callback=True)
    assert ack["messages"] == []


def test_history_pages_backwards(app, chat):
    alice = connect(app, "pat0@example.org")
    alice.emit("join", {"group_id": chat["group"]}, callback=True)
    ids = [alice.emit("send", {"group_id": chat["group"], "body": f"n{n}", "client_id": f"h{n}"},
                      callback=True)["message"]["id"] for n in range(5)]
    ack = alice.emit("history", {"group_id": chat["group"], "before_id": ids[3]}, callback=True)
    assert [m["body"] for m in ack["messages"]][-3:] == ["n0", "n1", "n2"]
    assert ack["has_more"] is False


GROUP = object()  # stands for the test group's id in the table below


@pytest.mark.parametrize("payload, error", [
    ({"body": "hi", "client_id": "a"}, "group_id is missing"),
    ({"group_id": "x", "body": "hi", "client_id": "a"}, "group_id is missing or not a number"),
    ({"group_id": True, "body": "hi", "client_id": "a"}, "group_id is missing or not a number"),
    ({"group_id": GROUP, "body": "   \n\t ", "client_id": "a"}, "needs some text"),
    ({"group_id": GROUP, "body": "\x00\x07", "client_id": "a"}, "needs some text"),
    ({"group_id": GROUP, "body": "x" * 2001, "client_id": "a"}, "the most is 2,000"),
    ({"group_id": GROUP, "body": 42, "client_id": "a"}, "needs some text"),
    ({"group_id": GROUP, "body": "hi"}, "client_id"),
    ({"group_id": GROUP, "body": "hi", "client_id": "z" * 65}, "client_id"),
    ({"group_id": 999_999, "body": "hi", "client_id": "a"}, "not a member of this group"),
])
def test_bad_sends_get_a_clear_error_and_store_nothing(app, chat, payload, error):
    alice = connect(app, "pat0@example.org")
    payload = {k: chat["group"] if v is GROUP else v for k, v in payload.items()}
    ack = alice.emit("send", payload, callback=True)
    assert ack["ok"] is False and error in ack["error"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Message).where(Message.kind == "member")) == 0


def test_non_object_payloads_get_an_error_not_a_crash(app, chat):
    alice = connect(app, "pat0@example.org")
    for event in ("join", "send", "history", "leave"):
        for payload in (None, "text", [1, 2], 7):
            ack = alice.emit(event, payload, callback=True)
            assert ack["ok"] is False and ack["error"]


def test_sending_too_fast_is_refused_kindly(app, chat):
    alice = connect(app, "pat0@example.org")
    acks = [alice.emit("send", {"group_id": chat["group"], "body": f"quick {n}", "client_id": f"q{n}"},
                       callback=True) for n in range(11)]
    assert all(a["ok"] for a in acks[:10])
    assert acks[10]["ok"] is False and "sending quickly" in acks[10]["error"]


def test_muted_and_suspended_members_are_told_why(app, chat):
    with app.app_context():
        membership = db.session.scalar(select(Membership).where(Membership.user_id == chat["people"][0]))
        membership.muted_until = utcnow() + timedelta(hours=1)
        membership.muted_reason = "Let's cool off for a bit."
        db.session.get(User, chat["people"][1]).suspended_until = utcnow() + timedelta(days=2)
        db.session.commit()
    muted, suspended = connect(app, "pat0@example.org"), connect(app, "pat1@example.org")
    ack = muted.emit("send", {"group_id": chat["group"], "body": "hi", "client_id": "m"}, callback=True)
    assert ack["ok"] is False and "paused your messages" in ack["error"] and "cool off" in ack["error"]
    ack = suspended.emit("send", {"group_id": chat["group"], "body": "hi", "client_id": "s"}, callback=True)
    assert ack["ok"] is False and "paused from chatting" in ack["error"]
    assert suspended.emit("join", {"group_id": chat["group"]}, callback=True)["ok"]  # can still read


def test_slow_mode_spaces_messages_out(app, chat):
    with app.app_context():
        group = db.session.get(groups.Group, chat["group"])
        group.slow_mode_seconds = 60
        db.session.commit()
    alice = connect(app, "pat0@example.org")
    assert alice.emit("send", {"group_id": chat["group"], "body": "one", "client_id": "s1"}, callback=True)["ok"]
    ack = alice.emit("send", {"group_id": chat["group"], "body": "two", "client_id": "s2"}, callback=True)
    assert ack["ok"] is False and "slow mode" in ack["error"]


def test_a_member_who_left_can_no_longer_read_or_send(app, chat):
    with app.app_context():
        groups.leave_group(db.session.get(User, chat["people"][2]), db.session.get(groups.Group, chat["group"]))
    gone = connect(app, "pat2@example.org")
    assert gone.emit("join", {"group_id": chat["group"]}, callback=True)["ok"] is False
    ack = gone.emit("send", {"group_id": chat["group"], "body": "hi", "client_id": "g"}, callback=True)
    assert ack == {"ok": False, "error": "not a member of this group"}


def test_assigned_moderators_may_join_others_may_not(app, chat):
    with app.app_context():
        assigned = member("mod1@example.org", "Mod One", role="moderator")
        member("mod2@example.org", "Mod Two", role="moderator")
        db.session.add(GroupModerator(group_id=chat["group"], user_id=assigned.id))
        db.session.commit()
    assert connect(app, "mod1@example.org").emit("join", {"group_id": chat["group"]}, callback=True)["ok"]
    ack = connect(app, "mod2@example.org").emit("join", {"group_id": chat["group"]}, callback=True)
    assert ack == {"ok": False, "error": "not a member of this group"}


class _CommitFails:
    """A pooled database connection whose commit fails, as on a full disk."""

    def __init__(self, connection):
        self._connection = connection

    def __getattr__(self, name):
        return getattr(self._connection, name)

    def commit(self):
        raise RuntimeError("disk full")


@pytest.mark.parametrize("path", ["everyday", "checked"])
def test_a_failed_commit_is_not_reported_as_sent(app, chat, monkeypatch, path):
    """Both ways a message is stored: the one-statement everyday path (on the driver) and the
    checked path (through the session), taken here because the group is in slow mode."""
    if path == "checked":
        with app.app_context():
            db.session.get(groups.Group, chat["group"]).slow_mode_seconds = 30
            db.session.commit()
    alice, bob = connect(app, "pat0@example.org"), connect(app, "pat1@example.org")
    bob.emit("join", {"group_id": chat["group"]}, callback=True)
    bob.get_received()

    with app.app_context():
        engine = db.engine
    real_raw_connection = engine.raw_connection  # both paths (and the Session) draw from here
    monkeypatch.setattr(engine, "raw_connection", lambda: _CommitFails(real_raw_connection()))
    ack = alice.emit("send", {"group_id": chat["group"], "body": "hello?", "client_id": "f1"}, callback=True)
    monkeypatch.undo()
    assert ack["ok"] is False and "couldn't save" in ack["error"]
    assert messages_received(bob) == []
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(Message.body == "hello?")) == 0
    # The text was kept by the page; sending it again now works and is stored once.
    ack = alice.emit("send", {"group_id": chat["group"], "body": "hello?", "client_id": "f1"}, callback=True)
    assert ack["ok"] is True
    assert [m["body"] for m in messages_received(bob)] == ["hello?"]


def test_typing_is_relayed_to_others_and_never_stored(app, chat):
    alice, bob = connect(app, "pat0@example.org"), connect(app, "pat1@example.org")
    for sio in (alice, bob):
        sio.emit("join", {"group_id": chat["group"]}, callback=True)
        sio.get_received()
    alice.emit("typing", {"group_id": chat["group"]})
    alice.emit("typing", {"group_id": chat["group"]})  # throttled
    assert messages_received(bob, "typing") == [{"group_id": chat["group"], "user": {"id": chat["people"][0], "name": "Pat 0"}}]
    assert messages_received(alice, "typing") == []


def test_leaving_the_group_stops_its_chat_at_once(app, chat):
    alice, carol = connect(app, "pat0@example.org"), connect(app, "pat2@example.org")
    for sio in (alice, carol):
        sio.emit("join", {"group_id": chat["group"]}, callback=True)
        sio.get_received()
    with app.app_context():
        groups.leave_group(db.session.get(User, chat["people"][2]), db.session.get(groups.Group, chat["group"]))
    alice.emit("send", {"group_id": chat["group"], "body": "after carol left", "client_id": "after"}, callback=True)
    assert messages_received(carol) == []


def test_a_hidden_message_is_withdrawn_from_everyone_and_from_history(app, chat):
    from community.chat.services import ChatError, hide_message

    alice, bob = connect(app, "pat0@example.org"), connect(app, "pat1@example.org")
    for sio in (alice, bob):
        sio.emit("join", {"group_id": chat["group"]}, callback=True)
    sent = alice.emit("send", {"group_id": chat["group"], "body": "oops", "client_id": "h"}, callback=True)["message"]
    bob.get_received()
    with app.app_context():
        moderator = member("mod@example.org", "Mod", role="moderator")
        db.session.add(GroupModerator(group_id=chat["group"], user_id=moderator.id))
        db.session.commit()
        with pytest.raises(ChatError):
            hide_message(db.session.get(Message, sent["id"]), db.session.get(User, chat["people"][1]))
        hide_message(db.session.get(Message, sent["id"]), moderator)
    assert messages_received(bob, "message_hidden") == [{"id": sent["id"], "group_id": chat["group"]}]
    history = bob.emit("join", {"group_id": chat["group"]}, callback=True)["messages"]
    assert sent["id"] not in [m["id"] for m in history]


def test_leaving_still_works_when_the_live_side_is_down(app, chat, monkeypatch):
    """The leave is committed; failing to tell live connections must not turn it into an error."""
    def down(*args, **kwargs):
        raise ConnectionError("message queue unreachable")

    alice = connect(app, "pat0@example.org")
    alice.emit("join", {"group_id": chat["group"]}, callback=True)
    monkeypatch.setattr(socketio.server, "leave_room", down)
    with app.app_context():
        groups.leave_group(db.session.get(User, chat["people"][0]), db.session.get(groups.Group, chat["group"]))
        membership = db.session.scalar(select(Membership).where(Membership.user_id == chat["people"][0]))
        assert membership.left_at is not None
