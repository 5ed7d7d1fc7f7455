"""Crisis safety on the chat: every flagged message is stored with exactly one escalation in the
same transaction; the writer gets the support card at once; moderators of the group (and admins)
are alerted in real time, and again if nobody acknowledges; peers never learn anything."""
import http.server
import json
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from community.extensions import db, socketio
from community.groups import services as groups
from community.models import AuditLog, Escalation, GroupModerator, Membership, Message
from community.models.base import utcnow
from community.moderation import watch
from tests.factories import circle, member
from tests.support import connect, messages_received

CRISIS = "honestly I'm going to kill myself tonight"
MEANS = "I've saved up my pills and I'm going to take them all tonight"
CONCERN = "I feel like such a burden to everyone around me"
HARASSMENT = "nobody wants you here, go kill yourself"
IDIOM = "this commute is killing me, see you all at 7"


@pytest.fixture
def circle_with_moderators(app):
    with app.app_context():
        people = circle("sam", 4)
        group = groups.create_group("Trail walkers", "online", people, by=None)
        mod = member("mod@example.org", "Morgan", role="moderator")
        other_mod = member("othermod@example.org", "Olu", role="moderator")
        admin = member("admin@example.org", "Ada", role="admin")
        db.session.add(GroupModerator(group_id=group.id, user_id=mod.id))
        db.session.commit()
        return {"group": group.id, "people": [p.id for p in people], "mod": mod.id,
                "other_mod": other_mod.id, "admin": admin.id}


def joined(app, email, group_id):
    sio = connect(app, email)
    ack = sio.emit("join", {"group_id": group_id}, callback=True)
    assert ack["ok"], ack
    sio.get_received()
    return sio


def send(sio, group_id, body, client_id):
    return sio.emit("send", {"group_id": group_id, "body": body, "client_id": client_id}, callback=True)


def escalations(app):
    with app.app_context():
        return list(db.session.scalars(select(Escalation).order_by(Escalation.id)))


def test_a_crisis_message_brings_the_card_one_escalation_and_a_real_time_alert(app, circle_with_moderators):
    ids = circle_with_moderators
    writer = joined(app, "sam0@example.org", ids["group"])
    peer = joined(app, "sam1@example.org", ids["group"])
    mod, other_mod, admin = (connect(app, e) for e in ("mod@example.org", "othermod@example.org", "admin@example.org"))

    ack = send(writer, ids["group"], CRISIS, "c1")

    assert ack["ok"] is True and "held" not in ack
    hrefs = [r["href"] for r in ack["support"]["resources"]]
    assert {"tel:988", "sms:988", "tel:+18007154225", "tel:911"} <= set(hrefs)
    assert [c["title"] for c in messages_received(writer, "crisis_support")] == [ack["support"]["title"]]
    # Peers see the message as any other, and nothing else.
    peer_events = peer.get_received()
    assert [e["name"] for e in peer_events] == ["message"]
    # Exactly one escalation, stored with the message, and audited.
    [escalation] = escalations(app)
    assert (escalation.level, escalation.source, escalation.status) == ("crisis", "message", "open")
    assert escalation.user_id == ids["people"][0] and escalation.group_id == ids["group"]
    assert escalation.alerted_at is not None and escalation.alert_count == 1
    assert escalation.next_alert_at - escalation.created_at == timedelta(minutes=5)
    with app.app_context():
        assert db.session.get(Message, escalation.message_id).body == CRISIS
        actions = list(db.session.scalars(select(AuditLog.action).where(AuditLog.escalation_id == escalation.id)))
        assert actions == ["escalation_opened", "alert_sent"]
    # The group's moderator and the admin are alerted; a moderator of other groups isn't (yet).
    [alert] = messages_received(mod, "escalation")
    assert alert["id"] == escalation.id and alert["level"] == "crisis" and alert["kind"] == "new"
    assert alert["group"] == {"id": ids["group"], "name": "Trail walkers"}
    assert CRISIS not in str(alert)  # the text stays in the app
    assert [a["id"] for a in messages_received(admin, "escalation")] == [escalation.id]
    assert messages_received(other_mod, "escalation") == []


def test_a_retried_crisis_message_keeps_its_one_escalation_and_still_shows_the_card(app, circle_with_moderators):
    ids = circle_with_moderators
    writer = joined(app, "sam0@example.org", ids["group"])
    first = send(writer, ids["group"], CRISIS, "same")
    again = send(writer, ids["group"], CRISIS, "same")
    assert again["ok"] and again["message"]["id"] == first["message"]["id"]
    assert again["support"]["title"] == first["support"]["title"]
    assert len(escalations(app)) == 1


def test_a_message_about_a_method_is_held_back_from_the_group_but_kept_for_the_writer(app, circle_with_moderators):
    ids = circle_with_moderators
    writer = joined(app, "sam0@example.org", ids["group"])
    peer = joined(app, "sam1@example.org", ids["group"])

    ack = send(writer, ids["group"], MEANS, "m1")

    assert ack["ok"] and ack["message"]["held"] == "means" and "moderators" in ack["held"]
    assert ack["support"]
    assert messages_received(peer) == []
    [escalation] = escalations(app)
    assert escalation.level == "crisis"
    # History: the writer still has it; a peer who joins later never sees it.
    again = connect(app, "sam0@example.org").emit("join", {"group_id": ids["group"]}, callback=True)
    assert [m["body"] for m in again["messages"] if m.get("held")] == [MEANS]
    later = connect(app, "sam2@example.org").emit("join", {"group_id": ids["group"]}, callback=True)
    assert MEANS not in [m["body"] for m in later["messages"]]


def test_harassment_is_held_for_review_and_queued_without_an_alarm(app, circle_with_moderators):
    ids = circle_with_moderators
    writer = joined(app, "sam0@example.org", ids["group"])
    peer = joined(app, "sam1@example.org", ids["group"])
    mod = connect(app, "mod@example.org")

    ack = send(writer, ids["group"], HARASSMENT, "h1")

    assert ack["ok"] and ack["message"]["held"] == "harassment" and "moderator" in ack["held"]
    assert "support" not in ack
    assert messages_received(peer) == []
    [escalation] = escalations(app)
    assert escalation.level == "concern" and "harassment" in escalation.categories
    assert escalation.next_alert_at is None  # normal priority: the queue, not an alarm
    assert messages_received(mod, "escalation") == []


def test_concern_is_delivered_and_queued_quietly(app, circle_with_moderators):
    ids = circle_with_moderators
    writer = joined(app, "sam0@example.org", ids["group"])
    peer = joined(app, "sam1@example.org", ids["group"])

    ack = send(writer, ids["group"], CONCERN, "k1")

    assert ack["ok"] and "support" not in ack and "held" not in ack
    assert [m["body"] for m in messages_received(peer)] == [CONCERN]
    [escalation] = escalations(app)
    assert escalation.level == "concern" and escalation.next_alert_at is None


def test_ordinary_hyperbole_opens_nothing(app, circle_with_moderators):
    writer = joined(app, "sam0@example.org", circle_with_moderators["group"])
    ack = send(writer, circle_with_moderators["group"], IDIOM, "i1")
    assert ack["ok"] and "support" not in ack
    assert escalations(app) == []


def test_with_the_alert_channel_down_the_escalation_is_kept_and_the_watch_delivers_it(app, circle_with_moderators,
                                                                                    monkeypatch):
    ids = circle_with_moderators
    writer = joined(app, "sam0@example.org", ids["group"])
    mod = connect(app, "mod@example.org")
    real_emit = socketio.emit

    def emit_failing_alerts(event, *args, **kwargs):
        if event in ("escalation", "crisis_support"):
            raise ConnectionError("message queue unreachable")
        return real_emit(event, *args, **kwargs)

    monkeypatch.setattr(socketio, "emit", emit_failing_alerts)
    ack = send(writer, ids["group"], CRISIS, "d1")
    assert ack["ok"] and ack["support"]  # the ack doesn't travel through the queue
    [escalation] = escalations(app)
    assert escalation.alerted_at is None and escalation.alert_count == 0
    assert messages_received(mod, "escalation") == []

    monkeypatch.undo()
    with app.app_context():
        assert watch.run_once()["first_alerts"] == 1
        assert watch.run_once()["first_alerts"] == 0  # once only
    assert [a["id"] for a in messages_received(mod, "escalation")] == [escalation.id]
    assert escalations(app)[0].alerted_at is not None


def test_unacknowledged_crisis_alerts_every_moderator_again_and_stops_once_acknowledged(app, circle_with_moderators):
    ids = circle_with_moderators
    writer = joined(app, "sam0@example.org", ids["group"])
    send(writer, ids["group"], CRISIS, "r1")
    other_mod = connect(app, "othermod@example.org")
    with app.app_context():
        escalation = db.session.scalar(select(Escalation))
        escalation.next_alert_at = utcnow() - timedelta(seconds=1)  # five minutes have passed
        db.session.commit()
        assert watch.run_once()["repeated"] == 1
        assert watch.run_once()["repeated"] == 0  # not due again for another interval
        escalation = db.session.scalar(select(Escalation))
        assert escalation.alert_count == 2 and escalation.next_alert_at > utcnow() + timedelta(minutes=4)
    [alert] = messages_received(other_mod, "escalation")
    assert alert["kind"] == "again"
    with app.app_context():
        escalation = db.session.scalar(select(Escalation))
        escalation.status, escalation.next_alert_at = "acknowledged", None
        db.session.commit()
        assert watch.run_once() == {"first_alerts": 0, "repeated": 0, "follow_ups": 0}


def test_the_draft_check_shows_the_card_and_stores_nothing(app, circle_with_moderators):
    ids = circle_with_moderators
    writer = joined(app, "sam0@example.org", ids["group"])
    ack = writer.emit("check_draft", {"group_id": ids["group"], "body": CRISIS}, callback=True)
    assert ack["ok"] and ack["support"]["resources"][0]["href"] == "tel:988"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Message).where(Message.author_id.is_not(None))) == 0
    assert escalations(app) == []
    stranger = connect(app, "mod@example.org")
    calm = stranger.emit("check_draft", {"group_id": ids["group"], "body": IDIOM}, callback=True)
    assert calm == {"ok": True, "support": None}


@pytest.fixture
def webhook():
    """A local HTTP endpoint that records what is POSTed to it."""
    received = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the name http.server calls
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook", received
    server.shutdown()
    server.server_close()


def test_a_repeated_alert_also_goes_to_the_webhook_without_the_message(app, circle_with_moderators, webhook):
    url, received = webhook
    app.config["SAFETY_WEBHOOK_URL"] = url
    writer = joined(app, "sam0@example.org", circle_with_moderators["group"])
    send(writer, circle_with_moderators["group"], CRISIS, "w1")
    assert received == []  # the first alert is in the app only
    with app.app_context():
        escalation = db.session.scalar(select(Escalation))
        escalation.next_alert_at = utcnow() - timedelta(seconds=1)
        escalation_id = escalation.id
        db.session.commit()
        watch.run_once()
        audit = db.session.scalar(select(AuditLog).where(AuditLog.action == "alert_repeated"))
        assert audit.detail["webhook"] is True
    [posted] = received
    assert posted["escalation"]["id"] == escalation_id and posted["escalation"]["level"] == "crisis"
    assert f"/moderation/escalations/{escalation_id}" in posted["text"]
    assert CRISIS not in json.dumps(posted) and "Sam 0" not in json.dumps(posted)


def test_a_day_after_resolving_the_moderator_is_reminded_to_check_in_once(app, circle_with_moderators):
    ids = circle_with_moderators
    writer = joined(app, "sam0@example.org", ids["group"])
    send(writer, ids["group"], CRISIS, "f1")
    mod = connect(app, "mod@example.org")
    mod.get_received()
    with app.app_context():
        escalation = db.session.scalar(select(Escalation))
        escalation.status, escalation.next_alert_at = "resolved", None
        escalation.resolved_by_id, escalation.resolved_at = ids["mod"], utcnow() - timedelta(days=1)
        escalation.follow_up_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
        assert watch.run_once()["follow_ups"] == 1
        assert watch.run_once()["follow_ups"] == 0
    assert [a["kind"] for a in messages_received(mod, "escalation")] == ["follow_up"]


def test_a_paused_member_in_crisis_is_still_heard_by_the_moderators_only(app, circle_with_moderators):
    ids = circle_with_moderators
    with app.app_context():
        membership = db.session.scalar(select(Membership).where(Membership.user_id == ids["people"][0]))
        membership.muted_until = utcnow() + timedelta(hours=1)
        db.session.commit()
    writer = joined(app, "sam0@example.org", ids["group"])
    peer = joined(app, "sam1@example.org", ids["group"])
    mod = connect(app, "mod@example.org")

    ordinary = send(writer, ids["group"], "anyone up for cards on friday?", "p0")
    assert ordinary["ok"] is False and "paused your messages" in ordinary["error"]
    ack = send(writer, ids["group"], CRISIS, "p1")

    assert ack["ok"] is True and ack["message"]["held"] == "paused" and ack["support"]
    assert "moderators will" in ack["held"]
    assert messages_received(peer) == []
    [escalation] = escalations(app)
    assert escalation.level == "crisis" and escalation.message_id == ack["message"]["id"]
    assert [a["id"] for a in messages_received(mod, "escalation")] == [escalation.id]


def test_a_crisis_is_never_turned_away_by_the_rate_limit(app, circle_with_moderators):
    app.config["CHAT_RATE_LIMIT"] = "2 per minute"
    ids = circle_with_moderators
    writer = joined(app, "sam0@example.org", ids["group"])
    assert send(writer, ids["group"], "one", "q1")["ok"] and send(writer, ids["group"], "two", "q2")["ok"]
    assert send(writer, ids["group"], "three", "q3")["ok"] is False
    ack = send(writer, ids["group"], CRISIS, "q4")
    assert ack["ok"] is True and ack["support"]
    assert len(escalations(app)) == 1


def test_with_redis_down_a_crisis_message_is_stored_with_its_escalation_and_alerted_later(app, circle_with_moderators):
    """Redis unreachable (the order lock and the alert queue live there when REDIS_URL is set):
    the message and its escalation are still stored, the writer still gets the card in the ack,
    and the watch sends the alert once Redis is back."""
    ids = circle_with_moderators
    writer = joined(app, "sam0@example.org", ids["group"])
    mod = connect(app, "mod@example.org")
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    ack = send(writer, ids["group"], CRISIS, "x1")
    assert ack["ok"] is True and ack["support"]
    [escalation] = escalations(app)
    assert escalation.alerted_at is None
    assert messages_received(mod, "escalation") == []
    app.config["REDIS_URL"] = None  # back (this test app has no Socket.IO queue of its own)
    with app.app_context():
        assert watch.run_once()["first_alerts"] == 1
    assert [a["id"] for a in messages_received(mod, "escalation")] == [escalation.id]


def test_a_crisis_message_that_cant_be_sent_still_shows_where_help_is(app, circle_with_moderators):
    writer = joined(app, "sam0@example.org", circle_with_moderators["group"])
    too_long = CRISIS + " " + "so tired " * 300
    ack = send(writer, circle_with_moderators["group"], too_long, "t1")
    assert ack["ok"] is False and "the most is 2,000" in ack["error"]
    assert ack["support"]["resources"][0]["href"] == "tel:988"
    ordinary = send(writer, circle_with_moderators["group"], "so tired " * 300, "t2")
    assert ordinary["ok"] is False and "support" not in ordinary
