"""The scheduler is killed (SIGKILL) in the middle of a pass, then runs again: every activity
reminder, first crisis alert, repeated alert and follow-up reminder is sent exactly once in total,
none skipped, none doubled.

To kill it at a chosen moment rather than by luck, the test holds a database lock the pass is
about to need, waits until the pass is queued on it, kills it there, and only then lets go:
- reminders: a trigger makes the fourth notification's INSERT wait on an advisory lock, so three
  reminders are committed and a fourth is claimed, half-done, when the pass dies;
- safety alerts: the test locks the users table, which a pass reads (who to alert) after it has
  claimed its first escalation and before it sends anything.
"""
import json
import threading
from contextlib import contextmanager
from datetime import timedelta

import pytest
import redis

from tests.faults.services import PassRunner, private_redis, server_env, sql, wait_until

pytestmark = pytest.mark.postgres

# The fourth reminder's notification waits for advisory lock 4242, which the test holds.
HOLD_REMINDERS = "SELECT pg_advisory_xact_lock(4242)"
PAUSE_AFTER_THREE_REMINDERS = """
CREATE FUNCTION cg_faults_pause() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT count(*) FROM reminders_sent) > 3 THEN
        PERFORM pg_advisory_xact_lock(4242);
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER cg_faults_pause BEFORE INSERT ON notifications FOR EACH ROW EXECUTE FUNCTION cg_faults_pause();
"""
UNPAUSE = "DROP TRIGGER cg_faults_pause ON notifications; DROP FUNCTION cg_faults_pause();"


@pytest.fixture(scope="module")
def scheduler(migrated_db, tmp_path_factory):
    """The pass runner on this module's database, with a private Redis as Socket.IO's queue."""
    folder = tmp_path_factory.mktemp("scheduler")
    with private_redis(folder) as queue:
        runner = PassRunner(server_env(migrated_db, folder / "instance", REDIS_URL=queue.url), folder / "runner.log")
        try:
            yield runner, queue, migrated_db
        finally:
            runner.close()


def kill_mid_pass(runner: PassRunner, name: str, url: str, hold: str) -> None:
    """Start a pass while the test holds a lock (`hold`, in a transaction), kill the pass once it
    waits for that lock, let go, and wait until its orphaned database session has ended."""
    with sql(url) as holder, sql(url, autocommit=True) as probe:
        holder.execute(hold)
        pid = runner.start(name)
        wait_until(lambda: probe.execute("SELECT count(*) FROM pg_locks WHERE NOT granted").fetchone()[0],
                   f"the {name} pass to wait for the lock the test holds")
        runner.kill(pid)
        holder.rollback()
        # The orphaned session gets the lock, then finds its client gone and rolls back.
        ours = [holder.info.backend_pid, probe.info.backend_pid]
        wait_until(lambda: probe.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> ALL(%s) AND backend_type = 'client backend'", (ours,)).fetchone()[0] == 0,
            "the killed pass's database session to end")


# --- reminders -----------------------------------------------------------------------------------

def due_reminders(url: str, count: int) -> tuple[int, list[int]]:
    """An online activity ten hours from now, with `count` members going: 24-hour reminders due."""
    from community.extensions import db
    from community.models.activity import Activity, Rsvp
    from community.models.base import utcnow
    from tests.conftest import another_app, app_config
    from tests.factories import member

    with another_app(app_config(url)) as app, app.app_context():
        people = [member(f"going{n}@example.org", f"Going {n}").id for n in range(count)]
        starts = utcnow() + timedelta(hours=10)
        activity = Activity(title="Board game night", focus="Board games", format="online",
                            join_url="https://meet.example.org/games", starts_at=starts,
                            ends_at=starts + timedelta(hours=2), capacity=count)
        db.session.add(activity)
        db.session.flush()
        db.session.add_all(Rsvp(activity_id=activity.id, user_id=p, status="going") for p in people)
        db.session.commit()
        activity_id = activity.id
        db.session.remove()
    return activity_id, people


def test_reminders_killed_mid_pass_are_each_sent_once_in_total(scheduler):
    runner, _, url = scheduler
    activity, people = due_reminders(url, count=12)
    with sql(url, autocommit=True) as conn:
        conn.execute(PAUSE_AFTER_THREE_REMINDERS)
    try:
        kill_mid_pass(runner, "reminders", url, HOLD_REMINDERS)
    finally:
        with sql(url, autocommit=True) as conn:
            conn.execute(UNPAUSE)
    with sql(url) as conn:
        assert conn.execute("SELECT count(*) FROM reminders_sent").fetchone()[0] == 3
        assert conn.execute("SELECT count(*) FROM notifications").fetchone()[0] == 3  # the fourth vanished whole

    assert runner.run("reminders") == {"24h": len(people) - 3, "2h": 0}

    with sql(url) as conn:
        sent = conn.execute("SELECT user_id, kind FROM reminders_sent WHERE activity_id = %s ORDER BY user_id",
                            (activity,)).fetchall()
        notes = conn.execute("SELECT recipient_id, count(*) FROM notifications WHERE kind = 'activity_reminder' "
                             "AND link = %s GROUP BY recipient_id ORDER BY recipient_id",
                             (f"/activities/{activity}",)).fetchall()
    assert sent == [(p, "24h") for p in sorted(people)]
    assert notes == [(p, 1) for p in sorted(people)]


# --- safety alerts -------------------------------------------------------------------------------

@contextmanager
def published(queue, channel: str = "flask-socketio"):
    """Every `escalation` event published on Socket.IO's queue meanwhile, as (room, payload): what
    the server processes would pass on to whoever is connected in that room."""
    client = redis.Redis.from_url(queue.url)
    pubsub = client.pubsub(ignore_subscribe_messages=True)
    pubsub.subscribe(channel)
    events: list[tuple[str, dict]] = []
    stop = threading.Event()

    def listen() -> None:
        while not stop.is_set():
            message = pubsub.get_message(timeout=0.1)
            if message and message["type"] == "message":
                packet = json.loads(message["data"])
                if packet.get("method") == "emit" and packet.get("event") == "escalation":
                    data = packet["data"]  # the event's arguments: here, the one payload
                    events.append((packet["room"], data[0] if isinstance(data, list) else data))

    thread = threading.Thread(target=listen, daemon=True)
    thread.start()
    try:
        wait_until(lambda: queue.subscribers(channel) >= 1, "the test to listen on the queue")
        yield events
    finally:
        stop.set()
        thread.join(timeout=5)
        pubsub.close()
        client.close()


def due_alerts(url: str, kind: str, count: int) -> tuple[list[int], int]:
    """`count` crisis escalations with an alert of `kind` due now, and a moderator to tell."""
    from community.extensions import db
    from community.models import Escalation
    from community.models.base import utcnow
    from tests.conftest import another_app, app_config
    from tests.factories import member

    now = utcnow()
    with another_app(app_config(url)) as app, app.app_context():
        moderator = member(f"mod-{kind}@example.org", "Morgan", role="moderator")
        person = member(f"person-{kind}@example.org", "Pat")
        made = []
        for _ in range(count):
            if kind == "new":  # its first alert never went out
                state = {"status": "open", "next_alert_at": now + timedelta(minutes=5)}
            elif kind == "again":  # alerted, and nobody acknowledged in time
                state = {"status": "open", "alerted_at": now - timedelta(minutes=6), "alert_count": 1,
                         "next_alert_at": now - timedelta(minutes=1)}
            else:  # resolved yesterday: the check-in reminder is due
                state = {"status": "resolved", "alerted_at": now - timedelta(days=1), "alert_count": 1,
                         "acknowledged_at": now - timedelta(days=1), "acknowledged_by_id": moderator.id,
                         "resolved_at": now - timedelta(days=1), "resolved_by_id": moderator.id,
                         "outcome": "connected_to_help", "follow_up_at": now - timedelta(minutes=1)}
            escalation = Escalation(level="crisis", source="message", categories=[], user_id=person.id,
                                    created_at=now - timedelta(minutes=6), **state)
            db.session.add(escalation)
            db.session.flush()
            made.append(escalation.id)
        db.session.commit()
        moderator_id = moderator.id
        db.session.remove()
    return made, moderator_id


@pytest.mark.parametrize("kind", ["new", "again", "follow_up"])
def test_safety_alerts_killed_mid_pass_are_each_sent_once_in_total(scheduler, kind):
    from community.chat.services import user_room

    runner, queue, url = scheduler
    escalations, moderator = due_alerts(url, kind, count=3)
    counted = {"new": "first_alerts", "again": "repeated", "follow_up": "follow_ups"}[kind]
    with published(queue) as events:
        kill_mid_pass(runner, "watch", url, "LOCK TABLE users IN ACCESS EXCLUSIVE MODE")
        assert runner.run("watch")[counted] == len(escalations), "the pass after the kill skipped one"

        def told() -> list[int]:
            return sorted(data["id"] for room, data in events if room == user_room(moderator) and data["kind"] == kind)

        wait_until(lambda: told() == escalations, f"the moderator to be told about each escalation; told {told()}")
        assert runner.run("watch")[counted] == 0  # nothing left to do
    assert told() == escalations, "an alert went out twice"

    with sql(url) as conn:
        rows = conn.execute("SELECT alerted_at IS NOT NULL, alert_count, follow_up_alerted_at IS NOT NULL "
                            "FROM escalations WHERE id = ANY(%s)", (escalations,)).fetchall()
        audits = conn.execute("SELECT action, count(*) FROM audit_log WHERE escalation_id = ANY(%s) GROUP BY action",
                              (escalations,)).fetchall()
    expected_row = {"new": (True, 1, False), "again": (True, 2, False), "follow_up": (True, 1, True)}[kind]
    assert rows == [expected_row] * len(escalations)
    action = {"new": "alert_sent", "again": "alert_repeated", "follow_up": "follow_up_reminded"}[kind]
    assert audits == [(action, len(escalations))]
