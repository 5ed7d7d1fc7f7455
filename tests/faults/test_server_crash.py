"""One of two server processes is killed (SIGKILL) mid-conversation, while a member on the other
keeps talking. Its members' connections drop; like the page, each connects again (to the other
process's address, as a load balancer would send it), joins with the last id it saw, and sends what
it couldn't send, with the same client_id. Every message anyone sent then reaches every member
exactly once, in id order, and the database holds each once."""
import threading

import pytest
import socketio

from tests.faults.services import kill, server_env, wait_until
from tests.integration.chat_support import (
    WAIT,
    ChatClient,
    Server,
    login,
    populate,
    running,
    stored_messages,
)

pytestmark = pytest.mark.postgres


class Chatter(threading.Thread):
    """A member who keeps talking, each message after the last one's ack, as the page does."""

    def __init__(self, client: ChatClient, group: int, pause: float = 0.05):
        super().__init__(daemon=True)
        self.client, self.group, self.pause = client, group, pause
        self.acks: list[dict] = []
        self.failures: list[str] = []
        self.finish = threading.Event()

    def run(self) -> None:
        n = 0
        while not self.finish.is_set():
            try:
                self.acks.append(self.client.send(self.group, f"{self.client.name} says {n}", f"{self.client.name}-{n}"))
            except Exception as exc:  # reported by stop(), not lost in the thread
                self.failures.append(repr(exc))
                return
            n += 1
            self.finish.wait(self.pause)

    def sent_at_least(self, count: int) -> None:
        wait_until(lambda: len(self.acks) >= count or self.failures, f"{self.client.name} to send {count} messages")
        assert self.failures == []

    def stop(self) -> list[dict]:
        self.finish.set()
        self.join(timeout=WAIT)
        assert not self.is_alive(), f"{self.client.name} is stuck waiting for an ack"
        assert self.failures == [] and all(ack["ok"] for ack in self.acks), (self.failures, self.acks)
        return self.acks


def members_only(messages: list[dict]) -> list[int]:
    return [m["id"] for m in messages if m["kind"] == "member"]


def send_or_keep(client: ChatClient, group: int, body: str, client_id: str) -> dict | None:
    """What the page does: send, or keep the text (None) when the connection is gone."""
    try:
        return client.send(group, body, client_id)
    except (socketio.exceptions.SocketIOError, OSError):
        return None


def test_members_of_a_killed_process_reconnect_to_the_other_and_miss_nothing(migrated_db, queue, tmp_path):
    url = migrated_db
    victim, survivor = servers = [
        Server(server_env(url, tmp_path / f"instance-{n}", REDIS_URL=queue.url), tmp_path / f"server-{n}.log")
        for n in (1, 2)]
    with running(*servers, meanwhile=lambda: populate(url, members=3)) as ids:
        group = ids["group"]
        ana, ben, cai = (ChatClient(name, login(victim.url, email))
                         for name, email in zip(("ana", "ben", "cai"), ids["members"], strict=True))
        try:
            for client, server in ((ana, victim), (ben, victim), (cai, survivor)):
                client.connect(server.url)
                assert client.join(group)["ok"] is True
            chatter = Chatter(cai, group)
            chatter.start()
            mine = []  # ana's and ben's acks
            for n in range(3):
                for client in (ana, ben):
                    mine.append(client.send(group, f"{client.name} says {n}", f"{client.name}-{n}"))
            chatter.sent_at_least(5)

            kill(victim)  # ana and ben wait for nothing at this moment; cai is mid-sentence
            ana.wait_disconnected()
            ben.wait_disconnected()
            before = len(chatter.acks)
            chatter.sent_at_least(before + 5)  # what ana and ben miss while they are away
            assert send_or_keep(ana, group, "are you all still there?", "ana-pending") is None

            # Back, on the other process: join from the last id seen, as static/js/chat does.
            catch_ups = {}
            for client in (ana, ben):
                last_seen = client.snapshot()[-1]["id"]
                client.close()
                client.connect(survivor.url)
                mark = len(client.snapshot())
                ack = client.join(group, after_id=last_seen)
                assert ack["ok"] is True and ack["has_more"] is False, ack
                catch_ups[client.name] = (mark, ack["messages"])
            retried = ana.send(group, "are you all still there?", "ana-pending")
            mine += [retried, ben.send(group, "ben is back", "ben-back")]
            chatter.sent_at_least(len(chatter.acks) + 3)
            acks = mine + chatter.stop()
            assert all(ack["ok"] for ack in acks), acks
            expected = sorted(ack["message"]["id"] for ack in acks)

            def seen_by(client: ChatClient) -> list[int]:
                """Live messages on the first connection, the catch-up, then live on the second."""
                received = client.snapshot()
                mark, caught_up = catch_ups.get(client.name, (len(received), []))
                return members_only(received[:mark]) + members_only(caught_up) + members_only(received[mark:])

            for client in (ana, ben, cai):
                wait_until(lambda c=client: set(seen_by(c)) >= set(expected),
                           f"{client.name} to have every message; has {seen_by(client)}, expected {expected}")
            cai.quiet_for(0.3)  # a duplicate would have arrived by now
            for client in (ana, ben, cai):
                assert seen_by(client) == expected, f"{client.name} lost, doubled or reordered a message"
            assert catch_ups["ana"][1] and catch_ups["ben"][1], "the kill missed the conversation; nothing to catch up"
        finally:
            for client in (ana, ben, cai):
                client.close()

    stored = stored_messages(url, group)
    assert [row["id"] for row in stored] == expected
    assert len({row["client_id"] for row in stored}) == len(stored)
    assert survivor.tracebacks() == [], survivor.log()
