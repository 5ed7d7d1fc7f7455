"""Question rounds over Socket.IO (the test client sharing the HTTP login): an answer sent on your
turn, `round_pass` by the current member and by anyone else, and the `round` event in the room."""
import pytest
from sqlalchemy import select

from community.extensions import db
from community.journey import rounds
from community.models import RoundTurn
from tests.factories import member
from tests.journey.test_rounds import begin, current_of, make_group
from tests.support import connect, messages_received


@pytest.fixture
def table(app):
    with app.app_context():
        ids = make_group(3)
        member("outsider.rounds@example.org", "Outsider")
        begin(ids["group"], "What's a small joy lately?")
    return ids  # join order: Cal (r2), Ben (r1), Ana (r0)


def payloads(events, name):
    return [e["args"][0] if isinstance(e["args"], list) else e["args"] for e in events if e["name"] == name]


def joined(app, email, group_id):
    sio = connect(app, email)
    assert sio.emit("join", {"group_id": group_id}, callback=True)["ok"]
    sio.get_received()
    return sio


def test_a_message_on_your_turn_is_recorded_as_the_answer_and_the_room_hears_who_is_next(app, table):
    cal, ben, ana = table["people"]
    speaker, listener = joined(app, "r2@example.org", table["group"]), joined(app, "r0@example.org", table["group"])
    ack = speaker.emit("send", {"group_id": table["group"], "body": "Fresh bread.", "client_id": "cal-1"},
                       callback=True)
    assert ack["ok"] is True
    with app.app_context():
        turn = db.session.get(RoundTurn, (rounds.state(table["group"]).round_id, cal))
        assert (turn.status, turn.message_id) == ("answered", ack["message"]["id"])
        assert current_of(table["group"]) == ben
    # The invitation is pushed as its transaction commits, a moment before the answer's broadcast;
    # the chat shows messages in id order, so the answer comes first on screen.
    events = listener.get_received()
    heard = sorted(payloads(events, "message"), key=lambda m: m["id"])
    assert [m["body"] for m in heard] == ["Fresh bread.", rounds.over_to("Ben")]
    [state] = payloads(events, "round")
    assert state == {"group_id": table["group"], "open": True, "round_id": state["round_id"],
                     "question": "What's a small joy lately?", "current": {"id": ben, "name": "Ben"}}


def test_the_current_member_passes_and_the_room_hears_only_whose_turn_it_is(app, table):
    cal, ben, ana = table["people"]
    speaker, listener = joined(app, "r2@example.org", table["group"]), joined(app, "r0@example.org", table["group"])
    assert speaker.emit("round_pass", {"group_id": table["group"]}, callback=True) == {"ok": True}
    with app.app_context():
        assert current_of(table["group"]) == ben
    heard = listener.get_received()
    assert sorted(e["name"] for e in heard) == ["message", "round"]  # whose turn it is now, and nothing else
    [invite] = payloads(heard, "message")
    assert invite["body"] == rounds.over_to("Ben") and "Cal" not in invite["body"]


def test_someone_whose_turn_it_isnt_gets_a_clear_error_and_nothing_changes(app, table):
    cal, *_ = table["people"]
    ana = joined(app, "r0@example.org", table["group"])
    ack = ana.emit("round_pass", {"group_id": table["group"]}, callback=True)
    assert ack == {"ok": False, "error": rounds.NOT_YOUR_TURN}
    assert ana.emit("round_pass", {"group_id": "soon"}, callback=True)["ok"] is False
    with app.app_context():
        assert current_of(table["group"]) == cal


def test_a_non_member_is_refused_and_hears_nothing(app, table):
    cal, *_ = table["people"]
    outsider = connect(app, "outsider.rounds@example.org")
    outsider.get_received()
    ack = outsider.emit("round_pass", {"group_id": table["group"]}, callback=True)
    assert ack == {"ok": False, "error": "not a member of this group"}
    joined(app, "r2@example.org", table["group"]).emit("round_pass", {"group_id": table["group"]}, callback=True)
    assert outsider.get_received() == []
    with app.app_context():
        assert db.session.scalar(select(RoundTurn.status).where(RoundTurn.user_id == cal)) == "passed"


def test_the_round_ending_reaches_the_room(app, table):
    cal, ben, ana = table["people"]
    listener = joined(app, "r1@example.org", table["group"])
    for email in ("r2@example.org", "r1@example.org", "r0@example.org"):
        assert joined(app, email, table["group"]).emit("round_pass", {"group_id": table["group"]},
                                                       callback=True) == {"ok": True}
    states = messages_received(listener, "round")
    assert [s["current"]["name"] if s.get("current") else None for s in states] == ["Ben", "Ana", None]
    assert states[-1] == {"group_id": table["group"], "open": False}
    with app.app_context():
        assert rounds.state(table["group"]) is None
