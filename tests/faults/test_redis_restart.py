"""Redis, Socket.IO's message queue between two server processes, dies and comes back on the same
port with nothing in it. While it is down, sends are still stored and acknowledged, and an ack
never says "sent" for something that isn't stored; a crisis message still shows its writer where
help is, and its escalation waits, unalerted. Once Redis is back, without restarting anything,
messages cross between the processes again and the moderators get the alert."""
import time

import pytest

from tests.faults.services import server_env, sql, wait_until
from tests.integration.chat_support import ChatClient, Server, login, populate, running, stored_messages

pytestmark = pytest.mark.postgres

CRISIS = "i can't do this anymore, i'm going to kill myself tonight"
CHANNEL = "flask-socketio"  # Flask-SocketIO's pub/sub channel in Redis


def add_moderator(url: str, group: int) -> str:
    from community.extensions import db
    from community.models import GroupModerator
    from tests.conftest import another_app, app_config
    from tests.factories import member

    with another_app(app_config(url)) as app, app.app_context():
        moderator = member(f"mod-{group}@example.org", "Morgan", role="moderator")
        db.session.add(GroupModerator(group_id=group, user_id=moderator.id))
        db.session.commit()
        email = moderator.email
        db.session.remove()
    return email


def escalation_state(url: str, message_id: int) -> tuple:
    """Whether its first alert went out, how many went out, and in how many seconds the next is due."""
    with sql(url) as conn:
        return conn.execute("SELECT alerted_at IS NOT NULL, alert_count, "
                            "EXTRACT(EPOCH FROM next_alert_at - now()) FROM escalations WHERE message_id = %s",
                            (message_id,)).fetchone()


def escalation_id(url: str, message_id: int) -> int:
    with sql(url) as conn:
        return conn.execute("SELECT id FROM escalations WHERE message_id = %s", (message_id,)).fetchone()[0]


def test_while_redis_is_down_sends_are_stored_and_after_it_returns_everything_flows_again(
        migrated_db, queue, tmp_path):
    url = migrated_db
    # The safety watch runs every second in both processes: it is what sends the held-back alert.
    servers = [Server(server_env(url, tmp_path / f"instance-{n}", REDIS_URL=queue.url, SAFETY_WATCH_SECONDS="1"),
                      tmp_path / f"server-{n}.log") for n in (1, 2)]
    with running(*servers, meanwhile=lambda: populate(url, members=2)) as ids:
        first, second = servers
        group = ids["group"]
        ana = ChatClient("ana@1", login(first.url, ids["members"][0]))
        ben = ChatClient("ben@2", login(first.url, ids["members"][1]))
        watcher = ChatClient("moderator@2", login(first.url, add_moderator(url, group)))
        try:
            ana.connect(first.url)
            ben.connect(second.url)
            watcher.connect(second.url)
            for client in (ana, ben):
                assert client.join(group)["ok"] is True
            wait_until(lambda: queue.subscribers(CHANNEL) == 2, "both processes to listen on the queue")
            hello = ana.send(group, "hello before the outage", "ana-0")["message"]
            assert ben.wait_for(1)[0]["id"] == hello["id"]

            queue.stop()
            during = [ana.send(group, f"ana while Redis is down {n}", f"ana-down-{n}") for n in range(3)]
            during.append(ben.send(group, "ben while Redis is down", "ben-down-0"))
            crisis = ana.send(group, CRISIS, "ana-crisis")
            assert all(ack["ok"] for ack in during + [crisis]), during + [crisis]
            assert crisis["support"]["resources"][0]["href"] == "tel:988"  # the card rides on the ack
            # The ack never lies: everything acknowledged is stored, once.
            stored_ids = [row["id"] for row in stored_messages(url, group)]
            assert stored_ids == [hello["id"], *(ack["message"]["id"] for ack in during + [crisis])]
            time.sleep(1.5)  # a watch pass or two, on each process, with the queue still down
            assert escalation_state(url, crisis["message"]["id"])[:2] == (False, 0), "an alert counted as sent"
            assert [name for name, _ in watcher.events if name == "escalation"] == []

            queue.start()  # same port, empty
            wait_until(lambda: queue.subscribers(CHANNEL) == 2, "both processes to listen on the queue again",
                       timeout=20)
            alert = watcher.wait_event("escalation", timeout=20)
            assert alert["id"] == escalation_id(url, crisis["message"]["id"]) and alert["level"] == "crisis"
            alerted, count, repeat_in = escalation_state(url, crisis["message"]["id"])
            # Sent just after an outage, it is repeated soon unless acknowledged, in case a process
            # holding a moderator's connection wasn't listening again yet (or it was repeated already).
            assert alerted and (count >= 2 or repeat_in <= 10), (count, repeat_in)

            # Live across processes again, both ways.
            after = ana.send(group, "hello after the outage", "ana-after")["message"]
            wait_until(lambda: after["id"] in [m["id"] for m in ben.snapshot()], "ben to hear ana after the outage")
            back = ben.send(group, "good to have you back", "ben-after")["message"]
            wait_until(lambda: back["id"] in [m["id"] for m in ana.snapshot()], "ana to hear ben after the outage")

            # Whatever ben missed live while the queue was down, the page gets by joining from the
            # last id it saw before; then he has every message once, in order.
            everything = stored_ids + [after["id"], back["id"]]
            live = [m["id"] for m in ben.snapshot()]
            assert len(live) == len(set(live)) and live == sorted(live), f"ben got {live}"
            caught_up = ben.join(group, after_id=hello["id"])["messages"]
            assert sorted(set(live) | {m["id"] for m in caught_up if m["kind"] == "member"}) == everything
        finally:
            for client in (ana, ben, watcher):
                client.close()

