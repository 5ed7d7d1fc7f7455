"""Limits on chat connections: which sites may open one (Origin), how many events one may send
(a token bucket per connection), and how large a packet may be.

The origin and size checks are engine.io's, so they are tested where engine.io runs them: through
the app's WSGI stack (Flask's test client speaks engine.io's handshake) and against a real server
process with real python-socketio clients."""
import time

import pytest
import socketio
import websocket
from sqlalchemy import func, select

from community import create_app
from community.chat import events, limits
from community.chat.services import MAX_BODY
from community.config import ConfigError, load_config
from community.extensions import db
from community.groups import services as groups
from community.models import Message
from tests.conftest import app_config
from tests.factories import circle
from tests.integration.chat_support import (
    ChatClient,
    Server,
    base_env,
    database,
    login,
    migrate,
    populate,
    running,
)
from tests.support import connect, messages_received

HANDSHAKE = "/socket.io/?EIO=4&transport=polling"
PARTNER = "https://partner.example.org"
FOREIGN = "https://elsewhere.example.com"


# --- the token bucket ----------------------------------------------------------------------------

def test_a_bucket_allows_a_burst_then_one_event_per_refill():
    bucket = limits.TokenBucket(3, 0.5, now=0.0)
    assert [bucket.take(0.0) for _ in range(4)] == [True, True, True, False]
    assert bucket.take(1.0) is False  # half a token earned so far
    assert bucket.take(2.0) is True  # a whole one now
    assert bucket.take(2.0) is False
    # A long quiet spell refills to the burst size, never beyond it.
    assert [bucket.take(1000.0) for _ in range(4)] == [True, True, True, False]


def test_the_configured_rate_becomes_burst_and_refill():
    bucket = limits.bucket_for_config("60 per 10 seconds", now=0.0)
    assert bucket.capacity == 60 and bucket.per_second == pytest.approx(6.0)


def test_a_rate_that_is_not_a_rate_stops_the_app_at_start(monkeypatch, tmp_path):
    monkeypatch.setenv("SOCKET_EVENT_RATE", "lots")
    with pytest.raises(ConfigError, match="SOCKET_EVENT_RATE"):
        load_config(str(tmp_path))


@pytest.mark.parametrize("value", ["*", "partner.example.org"])
def test_every_extra_origin_must_be_named_in_full(monkeypatch, tmp_path, value):
    monkeypatch.setenv("SOCKETIO_CORS_ORIGINS", f"{PARTNER} {value}")
    with pytest.raises(ConfigError, match="SOCKETIO_CORS_ORIGINS"):
        load_config(str(tmp_path))


# --- events per connection, through the Socket.IO test client ----------------------------------

@pytest.fixture
def group(app):
    """Two members of one group; each connection gets at most 5 events per 10 seconds."""
    app.config["SOCKET_EVENT_RATE"] = "5 per 10 seconds"
    with app.app_context():
        people = circle("lim", 2)
        return groups.create_group("Board games circle", "online", people, by=None).id


def test_an_event_over_the_limit_gets_a_kind_answer_and_the_connection_stays(app, group):
    eager, calm = connect(app, "lim0@example.org"), connect(app, "lim1@example.org")
    assert calm.emit("join", {"group_id": group}, callback=True)["ok"]
    assert eager.emit("join", {"group_id": group}, callback=True)["ok"]
    for n in range(4):  # five events in all: the burst
        assert eager.emit("send", {"group_id": group, "body": f"hello {n}", "client_id": f"e{n}"},
                          callback=True)["ok"]
    refused = eager.emit("send", {"group_id": group, "body": "one too many", "client_id": "e4"}, callback=True)
    assert refused == {"ok": False, "error": limits.SLOW_DOWN}
    assert eager.emit("history", {"group_id": group, "before_id": 10**9}, callback=True) == refused
    assert eager.is_connected()  # slowed down, never thrown out
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Message).where(Message.client_id == "e4")) == 0
    # Each connection has its own bucket: the calm member is not held back by the eager one.
    messages_received(calm)
    assert calm.emit("send", {"group_id": group, "body": "hi all", "client_id": "c0"}, callback=True)["ok"]
    assert [m["body"] for m in messages_received(eager)][-1] == "hi all"  # and both still hear the room


def test_typing_over_the_limit_is_dropped_without_a_word(app, group, monkeypatch):
    monkeypatch.setattr(events, "TYPING_EVERY_SECONDS", 0.0)  # only the connection's limit applies here
    typist, reader = connect(app, "lim0@example.org"), connect(app, "lim1@example.org")
    for sio in (typist, reader):
        sio.emit("join", {"group_id": group}, callback=True)
    reader.get_received()
    typist.emit("typing", {"group_id": group})
    assert len(messages_received(reader, "typing")) == 1  # within the limit: relayed
    for n in range(3):
        typist.emit("check_draft", {"group_id": group, "body": f"draft {n}"}, callback=True)
    typist.emit("typing", {"group_id": group})  # the sixth event
    assert messages_received(reader, "typing") == []
    assert typist.is_connected()


def test_the_bucket_refills_with_time(app, group, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(limits.time, "monotonic", lambda: clock[0])
    sio = connect(app, "lim0@example.org")
    for _ in range(5):
        assert sio.emit("leave", {"group_id": group}, callback=True) == {"ok": True}
    assert sio.emit("leave", {"group_id": group}, callback=True)["error"] == limits.SLOW_DOWN
    clock[0] += 2.0  # 5 per 10 seconds: one event earned every 2 seconds
    assert sio.emit("leave", {"group_id": group}, callback=True) == {"ok": True}
    assert sio.emit("leave", {"group_id": group}, callback=True)["error"] == limits.SLOW_DOWN


def test_a_closed_connection_leaves_no_bucket_behind(app, group):
    before = set(limits._buckets)
    sio = connect(app, "lim0@example.org")
    sio.emit("join", {"group_id": group}, callback=True)
    [made] = set(limits._buckets) - before
    sio.disconnect()
    assert made not in limits._buckets


def test_the_limit_check_costs_microseconds():
    """The check runs on every event; it must stay a dict lookup and some arithmetic."""
    sid = "timing-check"
    limits._buckets[sid] = limits.TokenBucket(10**9, 10**9, time.monotonic())
    try:
        runs = 20_000
        started = time.perf_counter()
        for _ in range(runs):
            limits._buckets[sid].take(time.monotonic())
        per_event = (time.perf_counter() - started) / runs
    finally:
        limits.forget(sid)
    assert per_event < 20e-6, f"{per_event * 1e6:.1f} µs per event"


# --- which sites may connect: engine.io's own check, through the WSGI stack ---------------------

@pytest.fixture
def app_for(database_url):
    """Build an app with extra config (each gets its own engine.io server and origin check)."""
    made = []

    def build(**extra):
        app = create_app(app_config(database_url, PUBLIC_URL="https://cg.example.org",
                                    SOCKETIO_CORS_ORIGINS=[PARTNER], **extra))
        made.append(app)
        return app

    yield build
    for app in made:
        with app.app_context():
            db.engine.dispose()


def handshake(app, origin: str, host: str = "localhost"):
    return app.test_client().get(HANDSHAKE, headers={"Origin": origin, "Host": host})


def test_production_accepts_only_its_public_origin_and_the_listed_ones(app_for):
    app = app_for(COMMON_GROUND_ENV="production")
    assert handshake(app, "https://cg.example.org", host="cg.example.org").status_code == 200
    assert handshake(app, PARTNER, host="cg.example.org").status_code == 200
    refused = handshake(app, FOREIGN, host="cg.example.org")
    assert refused.status_code == 400 and b"Not an accepted origin" in refused.data
    # Whatever Host the request names: only the configured list counts in production.
    assert handshake(app, "http://internal:8000", host="internal:8000").status_code == 400


def test_development_also_accepts_the_address_it_was_reached_on(app_for):
    app = app_for()
    assert handshake(app, "http://localhost:5123", host="localhost:5123").status_code == 200
    assert handshake(app, "https://cg.example.org").status_code == 200
    assert handshake(app, FOREIGN, host="localhost:5123").status_code == 400
    assert handshake(app, "http://localhost:9999", host="localhost:5123").status_code == 400


def test_a_client_that_sends_no_origin_is_not_a_browser_and_is_let_through_to_log_in(app_for):
    # Browsers always send Origin on websocket and cross-site requests; connecting still needs the
    # login cookie (tests/test_chat_events.py refuses a connection without one).
    app = app_for(COMMON_GROUND_ENV="production")
    assert app.test_client().get(HANDSHAKE).status_code == 200


def test_the_handshake_tells_clients_the_largest_packet(app_for):
    app = app_for(SOCKETIO_MAX_PAYLOAD_BYTES=4096)
    response = handshake(app, "https://cg.example.org")
    assert '"maxPayload":4096' in response.get_data(as_text=True)


def test_a_chat_message_at_its_longest_fits_well_inside_a_packet():
    # The page sends at most MAX_BODY characters; in the worst case each is escaped in JSON as
    # \\uXXXX (6 bytes). With the event name, group and client id that must stay under the limit.
    worst = MAX_BODY * 6 + 200
    assert worst < 16384


# --- a real server and real clients -------------------------------------------------------------

@pytest.fixture(scope="module")
def served(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("socket-limits")
    with database("sqlite", tmp_path) as url:
        instance = tmp_path / "instance"
        migrate(url, instance)
        server = Server(base_env(url, instance, SOCKETIO_CORS_ORIGINS=PARTNER), tmp_path / "server.log")
        with running(server):
            yield server, url


@pytest.fixture
def live(served):
    server, url = served
    ids = populate(url, members=2)
    mark = server.log_size()
    yield server, ids, url
    assert server.tracebacks(since=mark) == [], server.log()


def connect_from(server: Server, cookie: str, origin: str | None) -> socketio.Client:
    sio = socketio.Client(reconnection=False, websocket_extra_options={"origin": origin} if origin else {})
    sio.connect(server.url, headers={"Cookie": cookie}, transports=["websocket"], wait_timeout=10)
    return sio


def test_a_real_client_from_another_site_is_refused(live):
    server, ids, _ = live
    cookie = login(server.url, ids["members"][0])
    with pytest.raises(socketio.exceptions.ConnectionError):
        connect_from(server, cookie, FOREIGN)
    assert "is not an accepted origin" in server.log()
    for origin in (PARTNER, None):  # a listed partner, and the server's own address
        sio = connect_from(server, cookie, origin)
        try:
            assert sio.call("join", {"group_id": ids["group"]}, timeout=10)["ok"] is True
        finally:
            sio.shutdown()


def test_an_oversized_packet_closes_only_its_own_connection(live):
    server, ids, url = live
    group = ids["group"]
    sender = ChatClient("sender", login(server.url, ids["members"][0])).connect(server.url)
    other = ChatClient("other", login(server.url, ids["members"][1])).connect(server.url)
    try:
        for client in (sender, other):
            assert client.join(group)["ok"]
        # Over MAX_BODY but inside the packet limit: a kind answer, and the connection stays.
        long = sender.send(group, "x" * (MAX_BODY * 4), "long-1")
        assert long["ok"] is False and "split it in two" in long["error"]
        assert sender.connected

        raw = sender.sio.eio.ws
        sender.sio.emit("send", {"group_id": group, "body": "y" * 20_000, "client_id": "huge-1"})
        sender.wait_disconnected()
        raw.shutdown()  # the client library leaves the socket open when the server closes it
        assert other.connected
        ack = other.send(group, "still here?", "other-1")
        assert ack["ok"] is True
        assert [m["body"] for m in other.wait_for(1)] == ["still here?"]
        assert not any(m["body"].startswith("y") for m in other.quiet_for(0.3))

        again = ChatClient("sender again", sender.cookie).connect(server.url)  # nothing lasting
        try:
            assert again.join(group)["ok"] and again.send(group, "back", "back-1")["ok"]
        finally:
            again.close()
    finally:
        sender.close()
        other.close()


def test_an_oversized_frame_is_cut_off_before_it_has_all_arrived(live):
    """Nobody needs to log in to send a frame, so the server must not hold a huge one in memory:
    it closes the connection (1009, message too big) once the limit is passed, without waiting
    for the rest of the frame."""
    server, _, _ = live
    ws = websocket.create_connection(server.url.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket",
                                     timeout=5)
    try:
        opening = ws.recv()
        assert opening.startswith("0") and '"maxPayload":16384' in opening
        frame = websocket.ABNF.create_frame("4" + "z" * 1_000_000, websocket.ABNF.OPCODE_TEXT).format()
        ws.sock.sendall(frame[:17_000])  # the first 17 kB of a 1 MB frame, and then nothing
        opcode, closing = ws.recv_data_frame(True)
        assert opcode == websocket.ABNF.OPCODE_CLOSE
        assert int.from_bytes(closing.data[:2], "big") == 1009
    finally:
        ws.shutdown()
