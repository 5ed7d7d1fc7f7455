"""Two server processes on two ports, sharing a PostgreSQL database and Redis (Socket.IO's message
queue): members of one group connected to different processes hear each other, and someone outside
the group hears nothing, whichever process they are on. One login cookie works on both processes."""
import time

import pytest

from tests.conftest import scratch_postgres
from tests.integration.chat_support import (
    REDIS_URL,
    ChatClient,
    Server,
    base_env,
    flush_redis,
    login,
    migrate,
    populate,
    redis_available,
    running,
    stored_messages,
    talk_at_once,
)
from tests.support import require

pytestmark = pytest.mark.postgres


@pytest.fixture
def two_servers(tmp_path):
    """Two `python app.py` processes on one scratch PostgreSQL database and Redis db 14 (flushed
    before and after); afterwards neither may have logged a traceback."""
    require(redis_available(), f"Redis is not reachable at {REDIS_URL}")
    flush_redis()
    try:
        with scratch_postgres("cg_chat_scale") as url:
            migrate(url, tmp_path / "instance-1")
            servers = [Server(base_env(url, tmp_path / f"instance-{n}", REDIS_URL=REDIS_URL),
                              tmp_path / f"server-{n}.log") for n in (1, 2)]
            with running(*servers, meanwhile=lambda: populate(url, members=3)) as ids:
                yield servers, ids, url
            for server in servers:
                assert server.tracebacks() == [], server.log()
    finally:
        flush_redis()


def test_members_on_different_processes_hear_each_other_and_outsiders_hear_nothing(two_servers):
    (first, second), ids, url = two_servers
    group = ids["group"]
    # Everyone logs in on the first process; the same cookie then opens a connection on either.
    cookies = {email: login(first.url, email) for email in [*ids["members"], ids["outsider"]]}
    ana = ChatClient("ana@1", cookies[ids["members"][0]])
    ben = ChatClient("ben@2", cookies[ids["members"][1]])
    cai = ChatClient("cai@2", cookies[ids["members"][2]])
    outsider = ChatClient("outsider@2", cookies[ids["outsider"]])
    everyone = [ana, ben, cai, outsider]
    try:
        ana.connect(first.url)
        for client in (ben, cai, outsider):
            client.connect(second.url)
        for client in (ana, ben, cai):
            assert client.join(group)["ok"] is True
        assert outsider.join(group) == {"ok": False, "error": "not a member of this group"}

        # Turn by turn, each message crosses to the other process; order holds across processes.
        turns = [(ana, "hello from one"), (ben, "hello from two"), (ana, "how is everyone"), (cai, "fine here")]
        sent = []
        for n, (speaker, body) in enumerate(turns):
            ack = speaker.send(group, body, f"{speaker.name}-turn-{n}")
            assert ack["ok"] is True, ack
            sent.append(ack["message"])
            for client in (ana, ben, cai):
                client.wait_for(n + 1)
        for client in (ana, ben, cai):
            assert client.snapshot() == sent, f"{client.name} got something else"

        # All at once, from both processes: every message reaches every member exactly once.
        acks = talk_at_once([ana, ben, cai], group, per_member=4)
        burst = sorted((a["message"] for own in acks.values() for a in own), key=lambda m: m["id"])
        for client in (ana, ben, cai):
            client.wait_for(len(sent) + len(burst))
        time.sleep(0.3)  # a duplicate, or a stray delivery to the outsider, would have come by now
        for client in (ana, ben, cai):
            assert sorted(client.snapshot(), key=lambda m: m["id"]) == sent + burst, client.name
        assert outsider.snapshot() == []
    finally:
        for client in everyone:
            client.close()

    stored = stored_messages(url, group)
    assert [row["id"] for row in stored] == [m["id"] for m in sent + burst]
    assert len({(row["author_id"], row["client_id"]) for row in stored}) == len(stored)


def test_a_crisis_on_one_process_alerts_a_moderator_on_the_other(two_servers):
    """The writer is connected to the first process, the group's moderator to the second: the
    writer gets the support card, the moderator the alert, through Redis; the escalation is stored
    once."""
    from sqlalchemy import create_engine, text

    from community.extensions import db
    from community.models import GroupModerator
    from tests.conftest import another_app, app_config
    from tests.factories import member

    (first, second), ids, url = two_servers
    group = ids["group"]
    with another_app(app_config(url)) as app, app.app_context():
        moderator = member(f"mod-{group}@example.org", "Morgan", role="moderator")
        db.session.add(GroupModerator(group_id=group, user_id=moderator.id))
        db.session.commit()
        moderator_email = moderator.email
        db.session.remove()
    writer = ChatClient("writer@1", login(first.url, ids["members"][0]))
    peer = ChatClient("peer@2", login(first.url, ids["members"][1]))
    watcher = ChatClient("moderator@2", login(first.url, moderator_email))
    try:
        writer.connect(first.url)
        peer.connect(second.url)
        watcher.connect(second.url)
        for client in (writer, peer):
            assert client.join(group)["ok"] is True
        ack = writer.send(group, "i can't do this anymore, i'm going to kill myself tonight", "crisis-1")
        assert ack["ok"] is True and ack["support"]["resources"][0]["href"] == "tel:988"
        assert writer.wait_event("crisis_support")["title"] == ack["support"]["title"]
        alert = watcher.wait_event("escalation")
        assert alert["level"] == "crisis" and alert["group"]["id"] == group
        peer.wait_for(1)
        time.sleep(0.3)
        assert [name for name, _ in peer.events if name in ("escalation", "crisis_support")] == []
    finally:
        for client in (writer, peer, watcher):
            client.close()
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT level, alert_count, alerted_at IS NOT NULL FROM escalations "
                                 "WHERE group_id = :g"), {"g": group}).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [("crisis", 1, True)]
