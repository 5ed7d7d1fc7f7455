"""PostgreSQL restarts under a running server (a private cluster, same port). While it is down a
send gets a clear error ack, and the writer of a crisis message still gets the support card;
nothing is half-written. Once it is back, sends succeed at the first try, without restarting the
server: the connections the pool held from before the restart are dead, and must not be handed
out."""
from contextlib import contextmanager

import pytest

from tests.faults.services import server_env, sql
from tests.integration.chat_support import ChatClient, Server, login, populate, running, stored_messages

pytestmark = pytest.mark.postgres

CRISIS = "i can't do this anymore, i'm going to kill myself tonight"
NOT_SAVED = "We couldn't save that message just now. Your text is still here; please try again."


@contextmanager
def database_down(cluster):
    cluster.stop("fast")  # every session is cut off, as in a restart
    try:
        yield
    finally:
        cluster.start()  # same port, same data


def test_while_postgres_restarts_sends_fail_clearly_and_afterwards_work_at_once(cluster, migrated_db, tmp_path):
    url = migrated_db
    server = Server(server_env(url, tmp_path / "instance"), tmp_path / "server.log")
    with running(server, meanwhile=lambda: populate(url, members=2)) as ids:
        group = ids["group"]
        ana = ChatClient("ana", login(server.url, ids["members"][0]))
        ben = ChatClient("ben", login(server.url, ids["members"][1]))
        try:
            for client in (ana, ben):
                client.connect(server.url)
                assert client.join(group)["ok"] is True
            # Several sends, so the pool holds connections that the restart will kill.
            before = [ana.send(group, f"before {n}", f"ana-before-{n}")["message"] for n in range(3)]
            ben.wait_for(3)

            # A quick restart while nobody writes: the pool still holds connections from before.
            with database_down(cluster):
                pass
            after = ana.send(group, "the database is back", "ana-after")
            assert after["ok"] is True, "the first send after a restart failed"

            # Down for a while, and people write: each is told clearly, and nothing is half-stored;
            # someone writing in crisis still sees where help is.
            with database_down(cluster):
                assert ana.send(group, "while the database is down", "ana-down") == {"ok": False, "error": NOT_SAVED}
                crisis = ana.send(group, CRISIS, "ana-crisis")
                assert crisis["ok"] is False and crisis["error"] == NOT_SAVED
                assert crisis["support"]["resources"][0]["href"] == "tel:988"
            # Back: the page's retries, with the same client_ids, are stored once.
            retried = ana.send(group, "while the database is down", "ana-down")
            assert retried["ok"] is True, retried
            crisis_retried = ana.send(group, CRISIS, "ana-crisis")
            assert crisis_retried["ok"] is True and crisis_retried["support"], crisis_retried
            assert ana.send(group, "while the database is down", "ana-down") == retried  # as if its ack was lost

            expected = [m["id"] for m in before] + [after["message"]["id"], retried["message"]["id"],
                                                    crisis_retried["message"]["id"]]
            assert [m["id"] for m in ben.wait_for(len(expected))] == expected
            assert ben.quiet_for(0.3) == ben.snapshot()[:len(expected)], "ben got something twice"
        finally:
            ana.close()
            ben.close()

    # Nothing half-written: each message once, and one escalation for the one crisis message.
    assert [row["client_id"] for row in stored_messages(url, group)] == (
        [f"ana-before-{n}" for n in range(3)] + ["ana-after", "ana-down", "ana-crisis"])
    with sql(url) as conn:
        assert conn.execute("SELECT message_id FROM escalations WHERE group_id = %s", (group,)).fetchall() == [
            (crisis_retried["message"]["id"],)]
    # What the server logged is the failed sends, while the database was down.
    assert "chat message not stored" in server.log(tail=100_000)
