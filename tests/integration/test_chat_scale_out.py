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
