"""Group chat against a real server process (`python app.py`), on a SQLite file and on PostgreSQL:
members log in over HTTP, connect `python-socketio` clients over websocket with that cookie, and
the tests check what arrives and what the database holds. The server is stopped and started again
mid-conversation to prove catch-up after a reconnect: nothing lost, nothing twice."""
import time

import pytest
import socketio

from tests.integration.chat_support import (
    ChatClient,
    Server,
    base_env,
    clients,
    database,
    login,
    migrate,
    populate,
    running,
    stored_messages,
    talk_at_once,
)

PER_MEMBER = 5


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def served(request, tmp_path_factory):
    """A migrated database and a server on it, shared by this module's tests (each has its own group)."""
    tmp_path = tmp_path_factory.mktemp(f"chat-{request.param}")
    with database(request.param, tmp_path) as url:
        instance = tmp_path / "instance"
        migrate(url, instance)
        server = Server(base_env(url, instance), tmp_path / "server.log")
        with running(server):
            yield server, url


@pytest.fixture
def chat_server(served):
    """The server (started again if a test left it stopped), a new group of three, and the database URL;
    afterwards, the server must not have logged a traceback during the test."""
    server, url = served
    if server.process is None:
        server.start()
    ids = populate(url, members=3)
    mark = server.log_size()
    yield server, ids, url
    assert server.tracebacks(since=mark) == [], server.log()


def test_every_member_gets_every_message_exactly_once_and_it_is_stored(chat_server):
    server, ids, url = chat_server
    group = ids["group"]
    people = [(f"member{n}", email, server.url) for n, email in enumerate(ids["members"])]
    with clients(people) as connected:
        for client in connected:
            ack = client.join(group)
            assert ack["ok"] is True, ack
            assert [m["kind"] for m in ack["messages"]] == ["system"]  # the welcome, nothing else yet
        acks = talk_at_once(connected, group, PER_MEMBER)
        sent = sorted((ack["message"] for own in acks.values() for ack in own), key=lambda m: m["id"])
        assert len(sent) == PER_MEMBER * len(connected)
        for client in connected:
            client.wait_for(len(sent))
        time.sleep(0.3)  # anything extra (a duplicate) would have come by now
        for client in connected:
            received = client.snapshot()
            # Each message once, exactly as its sender was acknowledged (the sender gets its own too).
            assert sorted(received, key=lambda m: m["id"]) == sent, f"{client.name} lost or duplicated some"

    # Each member's own messages keep their order, and the database holds exactly what was acked.
    for name, own in acks.items():
        assert [a["message"]["body"] for a in own] == [f"{name} says {n}" for n in range(PER_MEMBER)]
        assert [a["message"]["id"] for a in own] == sorted(a["message"]["id"] for a in own)
    stored = stored_messages(url, group)
    assert [(row["id"], row["body"], row["client_id"]) for row in stored] == [
        (m["id"], m["body"], m["client_id"]) for m in sent
    ]
    author_of = {f"member{n}": user_id for n, user_id in enumerate(ids["member_ids"])}
    assert all(row["author_id"] == author_of[row["client_id"].split("-")[0]] for row in stored)


def test_messages_arrive_in_id_order_when_members_talk_at_once(chat_server):
    """A client that catches up with `after_id` = the last id it received loses a message for good
    if a higher id can arrive before it and the connection drops in between."""
    server, ids, _ = chat_server
    group = ids["group"]
    people = [(f"member{n}", email, server.url) for n, email in enumerate(ids["members"])]
    with clients(people) as connected:
        for client in connected:
            client.join(group)
        acks = talk_at_once(connected, group, PER_MEMBER)
        expected = sorted(ack["message"]["id"] for own in acks.values() for ack in own)
        for client in connected:
            got = [m["id"] for m in client.wait_for(len(expected))]
            assert got == expected, f"{client.name} received messages out of id order: {got}"


def send_or_fail(client: ChatClient, group: int, body: str, client_id: str) -> dict | None:
    """What the page does: send; a refusal or a dead connection leaves the text for a retry (None)."""
    try:
        ack = client.send(group, body, client_id)
    except (socketio.exceptions.SocketIOError, OSError):
        return None
    return ack if ack.get("ok") else None


def test_after_a_restart_a_reconnecting_member_catches_up_exactly(chat_server):
    server, ids, url = chat_server
    group = ids["group"]
    alice = ChatClient("alice", login(server.url, ids["members"][0]))
    bob = ChatClient("bob", login(server.url, ids["members"][1]))
    try:
        alice.connect(server.url)
        bob.connect(server.url)
        welcome = bob.join(group)["messages"][-1]
        alice.join(group)

        # Before the outage: Alice talks, Bob sees it live.
        before = [alice.send(group, f"before {n}", f"a-before-{n}")["message"] for n in range(3)]
        assert [m["id"] for m in bob.wait_for(3)] == [m["id"] for m in before]
        last_seen = bob.received[-1]["id"]

        server.stop()
        alice.wait_disconnected()
        bob.wait_disconnected()

        # While it is down, Alice's sends fail; the page keeps them, with their client_ids.
        pending = [(f"during {n}", f"a-during-{n}") for n in range(3)]
        assert all(send_or_fail(alice, group, body, cid) is None for body, cid in pending)

        server.start()
        # The cookie from before the restart still works (same SECRET_KEY, session in the cookie).
        alice.connect(server.url)
        assert alice.join(group, after_id=before[-1]["id"])["messages"] == []
        # Alice retries what failed, with the same client_ids, and once more the last message from
        # before the outage, as if its ack had been lost: the server must answer with the original.
        retried = [alice.send(group, body, cid) for body, cid in pending]
        assert all(ack["ok"] for ack in retried), retried
        again = alice.send(group, "before 2", "a-before-2")
        assert again == {"ok": True, "message": before[-1]}

        # Bob comes back and asks for what came after the last message he saw.
        bob.connect(server.url)
        catch_up = bob.join(group, after_id=last_seen)
        assert catch_up["ok"] and catch_up["has_more"] is False
        assert catch_up["messages"] == [ack["message"] for ack in retried]

        # The conversation goes on live; nothing Bob already has comes again.
        after = alice.send(group, "after", "a-after")["message"]
        live = bob.wait_for(len(before) + 1)
        assert bob.quiet_for(0.3) == live
        assert [m["id"] for m in live] == [m["id"] for m in before] + [after["id"]]

        seen_by_bob = [welcome] + live[:len(before)] + catch_up["messages"] + live[len(before):]
        ids_seen = [m["id"] for m in seen_by_bob]
        assert ids_seen == sorted(set(ids_seen)), "Bob saw something twice or out of order"
    finally:
        alice.close()
        bob.close()

    # Stored exactly once each, in the order they were accepted.
    stored = stored_messages(url, group)
    assert [row["client_id"] for row in stored] == (
        [f"a-before-{n}" for n in range(3)] + [cid for _, cid in pending] + ["a-after"]
    )
    assert [row["id"] for row in stored] == [m["id"] for m in seen_by_bob[1:]]
