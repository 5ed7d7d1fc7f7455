"""Activity reminders with a fixed clock: the 24-hour one inside its window (softly for "maybe"),
the 2-hour one for those going, the 24-hour one skipped once the 2-hour window has opened, none for
cancelled dates or "can't go", each exactly once even when several processes send at the same
moment (SQLite, and PostgreSQL when it is there), and `flask send-reminders --once`."""
import threading
from datetime import UTC, date, datetime, time, timedelta

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from community import background
from community.activities import reminders, rsvp, services
from community.activities.services import Plan
from community.extensions import db
from community.groups import services as groups
from community.models import Notification, User
from community.models.activity import Activity, ReminderSent
from tests.conftest import another_app, app_config, scratch_postgres
from tests.factories import member

NOW = datetime(2027, 3, 1, 15, 0, tzinfo=UTC)  # scheduling happens now; the activity is three days on
START = datetime(2027, 3, 5, 0, 0, tzinfo=UTC)  # Thursday March 4, 7 pm in New York (EST)


def make_world(answers=("going", "maybe", "not_going"), **plan) -> dict:
    """Olu organizes game night for a group of four; Ann, Bea and Cal answer; Dee never does."""
    olu = member("olu@example.org", "Olu Ade", role="organizer")
    people = [member(f"{n.lower()}@example.org", f"{n} Test") for n in ("Ann", "Bea", "Cal", "Dee")]
    group = groups.create_group("Board games circle", "online", people, None)
    values = dict(title="Board game night", focus="Board games", format="online", day=date(2027, 3, 4),
                  start=time(19, 0), end=time(21, 0), capacity=8, group_ids=[group.id],
                  join_url="https://meet.example.org/board-games")
    [activity] = services.schedule(Plan(**{**values, **plan}), olu, now=NOW)
    for person, answer in zip(people, answers, strict=False):
        rsvp.respond(person, activity, answer, now=NOW)
    return {"activity": activity.id, **{p.display_name.split()[0].lower(): p.id for p in people}}


@pytest.fixture
def world(app):
    with app.app_context():
        return make_world()


def sent(*, kind=None) -> list[tuple[int, str]]:
    query = select(ReminderSent.user_id, ReminderSent.kind).order_by(ReminderSent.user_id, ReminderSent.kind)
    return [tuple(r) for r in db.session.execute(query.where(ReminderSent.kind == kind) if kind else query)]


def notes(user_id=None) -> list[Notification]:
    query = select(Notification).where(Notification.kind == "activity_reminder").order_by(Notification.id)
    return list(db.session.scalars(query.where(Notification.recipient_id == user_id) if user_id else query))


def test_nothing_before_the_24_hour_window_or_after_the_start(app, world):
    with app.app_context():
        assert reminders.run_once(now=START - timedelta(hours=24, minutes=1)) == {"24h": 0, "2h": 0}
        assert reminders.run_once(now=START) == {"24h": 0, "2h": 0}
        assert sent() == [] and notes() == []


def test_the_24_hour_reminder_goes_once_to_going_and_softly_to_maybe(app, world):
    with app.app_context():
        at = START - timedelta(hours=23)
        assert reminders.run_once(now=at) == {"24h": 2, "2h": 0}
        assert reminders.run_once(now=at) == {"24h": 0, "2h": 0}  # a second pass sends nothing again
        assert reminders.run_once(now=at + timedelta(hours=1)) == {"24h": 0, "2h": 0}
        assert sent() == [(world["ann"], "24h"), (world["bea"], "24h")]
        [going], [maybe] = notes(world["ann"]), notes(world["bea"])
        assert going.link == maybe.link == f"/activities/{world['activity']}"
        assert "Board game night is on Thursday, March 4, 7:00 PM" in going.body
        assert "join link" in going.body and "bow out" in going.body and "activity's page" in going.body
        assert "You said maybe" in maybe.body and "no need to decide" in maybe.body
        assert notes(world["cal"]) == notes(world["dee"]) == []  # can't go, and no answer


def test_the_2_hour_reminder_follows_for_those_going_only(app, world):
    with app.app_context():
        reminders.run_once(now=START - timedelta(hours=20))
        assert reminders.run_once(now=START - timedelta(hours=2)) == {"24h": 0, "2h": 1}
        assert reminders.run_once(now=START - timedelta(minutes=30)) == {"24h": 0, "2h": 0}
        assert sent() == [(world["ann"], "24h"), (world["ann"], "2h"), (world["bea"], "24h")]
        _, soon = notes(world["ann"])
        assert "See you soon" in soon.body and "bow out" in soon.body and "no explanation needed" in soon.body


def test_a_24_hour_reminder_missed_until_the_2_hour_window_is_skipped(app, world):
    with app.app_context():  # the process was down all day: only the 2-hour one goes, once
        assert reminders.run_once(now=START - timedelta(hours=1)) == {"24h": 0, "2h": 1}
        assert reminders.run_once(now=START - timedelta(minutes=5)) == {"24h": 0, "2h": 0}
        assert sent() == [(world["ann"], "2h")] and len(notes()) == 1


def test_a_late_pass_still_sends_the_24_hour_reminder_while_it_is_due(app, world):
    with app.app_context():
        assert reminders.run_once(now=START - timedelta(hours=2, minutes=1)) == {"24h": 2, "2h": 0}
        assert reminders.run_once(now=START - timedelta(hours=2)) == {"24h": 0, "2h": 1}


def test_in_person_reminders_name_the_venue(app):
    with app.app_context():
        ids = make_world(format="in_person", join_url=None, venue="The Board Room", address="1 Main St")
        reminders.run_once(now=START - timedelta(hours=3))
        [note] = notes(ids["ann"])
        assert "at The Board Room." in note.body and "1 Main St" not in note.body


def test_no_reminders_for_a_cancelled_date_or_for_can_t_go(app, world):
    with app.app_context():
        ann = db.session.get(User, world["ann"])
        activity = db.session.get(Activity, world["activity"])
        rsvp.respond(ann, activity, "not_going", now=NOW)
        assert reminders.run_once(now=START - timedelta(hours=1)) == {"24h": 0, "2h": 0}  # Bea is only maybe
        services.cancel(activity, db.session.get(User, activity.created_by_id), now=NOW)
        assert reminders.run_once(now=START - timedelta(hours=23)) == {"24h": 0, "2h": 0}
        assert sent() == [] and notes() == []


@pytest.mark.parametrize("left,status,kind", [
    (timedelta(hours=24, seconds=1), "going", None), (timedelta(hours=24), "going", "24h"),
    (timedelta(hours=24), "maybe", "24h"), (timedelta(hours=2, seconds=1), "going", "24h"),
    (timedelta(hours=2), "going", "2h"), (timedelta(hours=2), "maybe", None), (timedelta(0), "going", None),
    (timedelta(hours=3), "waitlist", None), (timedelta(hours=3), "not_going", None)])
def test_which_reminder_is_due(left, status, kind):
    assert reminders.kind_due(START, status, START - left) == kind


def test_the_loop_never_starts_in_tests(app):
    reminders.start(app)
    assert not background.started(app, "reminders")


def test_send_reminders_once_prints_the_counts(app, world, runner, monkeypatch):
    monkeypatch.setattr(reminders, "utcnow", lambda: START - timedelta(hours=10))
    result = runner.invoke(args=["send-reminders", "--once"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "24-hour reminders 2, 2-hour reminders 0"
    monkeypatch.setattr(reminders, "utcnow", lambda: START - timedelta(hours=1))
    assert runner.invoke(args=["send-reminders"]).output.strip() == "24-hour reminders 0, 2-hour reminders 1"


# --- Several processes at the same moment ---
@pytest.fixture(params=["shared", pytest.param("postgresql", marks=pytest.mark.postgres)])
def two_apps(request, database_url):
    """Two app instances on one database, as two server processes would be: the run's database
    (SQLite, or PostgreSQL under TEST_DATABASE_URL), and a PostgreSQL database of its own."""
    if request.param == "shared":
        with another_app(app_config(database_url)) as other:
            yield request.getfixturevalue("app"), other
        return
    with scratch_postgres("cg_remind") as url, another_app(app_config(url)) as one, \
            another_app(app_config(url)) as two:
        with one.app_context():
            upgrade()
        yield one, two


def all_at_once(apps: list, now: datetime) -> list:
    """run_once in one thread per app, released together; each result, or the error it raised."""
    results: list = [None] * len(apps)
    gate = threading.Barrier(len(apps))

    def worker(i: int) -> None:
        with apps[i].app_context():
            try:
                gate.wait()
                results[i] = reminders.run_once(now=now)
            except Exception as exc:  # reported in the assertion, not lost in the thread
                results[i] = repr(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(apps))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_processes_sending_at_the_same_moment_send_each_reminder_once(two_apps):
    one, two = two_apps
    with one.app_context():
        world = make_world(answers=("going", "going", "maybe", "going"))
    for at, kind, expected in ((START - timedelta(hours=23), "24h", 4), (START - timedelta(hours=1), "2h", 3)):
        results = all_at_once([one, two, one, two], at)  # two threads in each "process"
        assert all(isinstance(r, dict) for r in results), results
        assert sum(r[kind] for r in results) == expected, results
        with one.app_context():
            assert len(sent(kind=kind)) == expected
            per_person = db.session.execute(select(Notification.recipient_id, func.count()).where(
                Notification.kind == "activity_reminder").group_by(Notification.recipient_id)).all()
            assert dict(per_person) == ({world[n]: 1 for n in ("ann", "bea", "cal", "dee")} if kind == "24h" else
                                        {world["ann"]: 2, world["bea"]: 2, world["cal"]: 1, world["dee"]: 2})


def test_moving_the_start_sends_the_reminders_again_for_the_new_time(app, world):
    """After the 24-hour reminder, the organizer moves the date a day later: it comes again, for the new time."""
    from community.activities import times

    with app.app_context():
        assert reminders.run_once(now=START - timedelta(hours=20))["24h"] == 2  # Ann (going), Bea (maybe)
        activity = db.session.get(Activity, world["activity"])
        organizer = db.session.scalar(select(User).where(User.role == "organizer"))
        services.update(activity, {}, organizer, day=times.local(START + timedelta(days=1)).date(),
                        now=START - timedelta(hours=19))
        assert reminders.run_once(now=START - timedelta(hours=18))["24h"] == 0  # 42 hours away now
        assert reminders.run_once(now=START + timedelta(hours=4))["24h"] == 2
