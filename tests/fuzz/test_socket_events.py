"""Every Socket.IO event the server handles, sent payloads of any type (None, numbers huge and
negative, strings oversized and hostile, lists, dicts with the right keys holding the wrong types,
nesting) by a member of group A and by its moderator: the handler answers with an error ack or
nothing, never raises, never drops the connection, and an answer that isn't ok changed nothing.

Events are read from the server's own handler table, so a new one is fuzzed the day it appears."""
import pytest
from hypothesis import given, settings

from community import create_app
from community.extensions import socketio
from tests.conftest import app_config
from tests.fuzz import payloads
from tests.fuzz.conftest import FUZZ_SETTINGS

SOCKET_ROLES = ("member", "moderator")


def _handled_events() -> list[str]:
    create_app(app_config("sqlite://"))  # registers the handlers on the shared Socket.IO server
    # `disconnect` takes no payload from the client; it is exercised by every client closing below.
    return sorted(event for handlers in socketio.server.handlers.values() for event in handlers
                  if event != "disconnect")


EVENTS = _handled_events()


@pytest.fixture(scope="module")
def sockets(fuzz_app, visitors, guard):
    found = {role: socketio.test_client(fuzz_app, flask_test_client=visitors[role].browser()[0])
             for role in SOCKET_ROLES}
    assert all(sio.is_connected() for sio in found.values()), "a member or moderator couldn't open the chat"
    guard.before = None  # connecting notes who is online
    yield found
    for sio in found.values():
        sio.disconnect()
        assert not sio.is_connected()


def _is_answer(ack) -> bool:
    """No answer, or {ok: true, ...}, or {ok: false, error: "words"}."""
    if ack is None or ack == []:
        return True
    return isinstance(ack, dict) and (ack.get("ok") is True
                                      or (ack.get("ok") is False and isinstance(ack.get("error"), str)))


def _connect_with(app, visitor, payload):
    """`connect` takes its payload as the handshake's auth data."""
    sio = socketio.test_client(app, flask_test_client=visitor.browser()[0], auth=payload)
    connected = sio.is_connected()
    if connected:
        sio.disconnect()
    return {"ok": connected} if connected else {"ok": False, "error": "refused"}


@pytest.mark.parametrize("role", SOCKET_ROLES)
@pytest.mark.parametrize("event", EVENTS)
def test_event(event, role, fuzz_app, world, visitors, sockets, guard, fuzz_report):
    sio = sockets[role]
    group_id = world.ids["group"]

    @settings(FUZZ_SETTINGS)
    @given(payloads.handshake_payloads(group_id) if event == "connect" else payloads.event_payloads(group_id))
    def send(payload):
        guard.start()
        problem, ack = None, None
        try:
            if event == "connect":
                ack = _connect_with(fuzz_app, visitors[role], payload)
            else:
                ack = sio.emit(event, payload, callback=True)
        except Exception as exc:
            problem = f"raised {type(exc).__name__}: {exc}"
        sio.get_received()  # what the room heard: not this test's business
        changed, unexpected = guard.finish()  # the world is back as it was before any assertion below
        ok = isinstance(ack, dict) and ack.get("ok") is True
        outcome = "error" if problem else "ok" if ok else "refused" if isinstance(ack, dict) else "no answer"
        fuzz_report.count(f"event {event} as {role}", outcome)
        assert problem is None, f"{event} as {role}: {problem}"
        assert sio.is_connected(), f"{event} as {role} dropped the connection"
        assert _is_answer(ack), f"{event} as {role} answered {ack!r}"
        assert ok or not unexpected, f"{event} as {role} answered {ack!r} yet changed {unexpected}"

    send()
    # Whatever was thrown at it, the connection still does its job.
    assert sio.emit("join", {"group_id": group_id}, callback=True)["ok"]
