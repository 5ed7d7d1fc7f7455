"""Arrive with a buddy, through the services with a fixed clock: who may opt in, who is paired with
whom (a shared current group, no block either way, whoever has waited longest), what each person is
told, and what happens when someone withdraws, stops going, or the activity is cancelled. Then the
same opt-ins from several threads at once: exactly one pair, on SQLite and PostgreSQL."""
import threading
from datetime import UTC, date, datetime, time, timedelta

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from community.activities import rsvp, services
from community.activities.services import Plan
from community.extensions import db
from community.groups import services as groups
from community.journey import buddies
from community.models import Block, Group, Notification, User
from community.models.activity import Activity
from community.models.journey import BuddyOptIn
from tests.conftest import another_app, app_config, scratch_postgres
from tests.factories import member

NOW = datetime(2027, 3, 1, 15, 0, tzinfo=UTC)
START = datetime(2027, 3, 5, 0, 0, tzinfo=UTC)  # Thursday March 4, 7 pm in New York (EST)
PEOPLE = ("Ann", "Bea", "Cal", "Dee", "Eve", "Fay")


def make_world(day: date = date(2027, 3, 4), now: datetime = NOW, **plan) -> dict:
    """Group "Walkers": Ann, Bea, Cal, Dee. Group "Readers": Eve, Fay and Dee. One in-person
    activity for both groups (nobody has answered yet); Olu organizes. Returns ids by first name."""
    olu = member("olu@example.org", "Olu Ade", role="organizer")
    people = {n: member(f"{n.lower()}@example.org", f"{n} Test", comfort=3) for n in PEOPLE}
    walkers = groups.create_group("Walkers", "in_person", [people[n] for n in ("Ann", "Bea", "Cal", "Dee")], None,
                                  neighbourhood="decatur")
    readers = groups.create_group("Readers", "in_person", [people[n] for n in ("Eve", "Fay", "Dee")], None,
                                  neighbourhood="decatur")
    values = dict(title="Board game night", focus="Board games", format="in_person", day=day,
                  start=time(19, 0), end=time(21, 0), capacity=10, group_ids=[walkers.id, readers.id],
                  venue="The Loft Café", address="123 Main St, Decatur", arrival="By the green door.")
    [activity] = services.schedule(Plan(**{**values, **plan}), olu, now=now)
    return {"activity": activity.id, "walkers": walkers.id, "olu": olu.id,
            **{n.lower(): p.id for n, p in people.items()}}


@pytest.fixture
def world(app):
    with app.app_context():
        return make_world()


def person(user_id: int) -> User:
    return db.session.get(User, user_id)


def activity_of(world) -> Activity:
    return db.session.get(Activity, world["activity"])


def going(world, *names, now=NOW) -> None:
    for name in names:
        rsvp.respond(person(world[name]), activity_of(world), "going", now=now)


def opt_in(world, name, minutes=0):
    """Opt in `minutes` after NOW (so who waited longest is clear); returns the buddy's first name."""
    buddy = buddies.opt_in(person(world[name]), activity_of(world), now=NOW + timedelta(minutes=minutes))
    return buddy.display_name.split()[0].lower() if buddy else None


def pairs(world) -> dict[str, str | None]:
    """Each opt-in's owner -> their buddy, by first name in lower case."""
    names = {v: k for k, v in world.items() if k in {n.lower() for n in PEOPLE}}
    rows = db.session.scalars(select(BuddyOptIn).where(BuddyOptIn.activity_id == world["activity"]))
    return {names[r.user_id]: names.get(r.buddy_id) for r in rows}


def buddy_notes(world, kind=None) -> list[tuple[str, str]]:
    """(recipient's first name, kind) of every buddy notification, in order."""
    names = {v: k for k, v in world.items() if k in {n.lower() for n in PEOPLE}}
    rows = db.session.execute(select(Notification.recipient_id, Notification.kind)
                              .where(Notification.kind.like("buddy_%")).order_by(Notification.id))
    return [(names[r], k) for r, k in rows if kind is None or k == kind]


def test_the_first_waits_and_the_next_from_the_group_pairs_with_them(app, world):
    with app.app_context():
        going(world, "ann", "bea", "cal")
        assert opt_in(world, "ann") is None
        assert pairs(world) == {"ann": None} and buddy_notes(world) == []
        assert opt_in(world, "bea", 5) == "ann"
        assert pairs(world) == {"ann": "bea", "bea": "ann"}
        assert buddy_notes(world) == [("bea", "buddy_paired"), ("ann", "buddy_paired")]
        to_ann = db.session.scalar(select(Notification).where(Notification.recipient_id == world["ann"],
                                                              Notification.kind == "buddy_paired"))
        assert to_ann.link == f"/activities/{world['activity']}"
        assert to_ann.body == ("You're meeting Bea to walk in together to Board game night: at The Loft Café "
                               "(By the green door.), Thursday, March 4, 6:50 PM, 10 minutes before it starts. "
                               "If you change your mind, that's fine; you can withdraw on the activity's page.")
        paired = db.session.get(BuddyOptIn, (world["activity"], world["bea"]))
        assert paired.paired_at == NOW + timedelta(minutes=5)
        # Cal opts in after: nobody is waiting, so Cal waits; Ann and Bea stay as they are.
        assert opt_in(world, "cal", 6) is None
        assert pairs(world) == {"ann": "bea", "bea": "ann", "cal": None}
        assert opt_in(world, "ann", 7) == "bea"  # pressing again changes nothing
        assert len(buddy_notes(world)) == 2


def test_only_someone_from_a_shared_current_group(app, world):
    with app.app_context():
        going(world, "ann", "eve", "fay", "bea")
        assert opt_in(world, "eve") is None  # Readers
        assert opt_in(world, "ann", 1) is None  # Walkers: Eve waited longer, but they share no group
        assert opt_in(world, "bea", 2) == "ann"
        assert pairs(world) == {"eve": None, "ann": "bea", "bea": "ann"}
        assert ("eve", "buddy_paired") not in buddy_notes(world)


def test_someone_who_left_the_group_is_not_paired_through_it(app, world):
    with app.app_context():
        going(world, "ann", "bea", "cal")
        assert opt_in(world, "ann") is None
        walkers = db.session.get(Group, world["walkers"])
        groups.leave_group(person(world["ann"]), walkers)  # no longer invited: her answer and opt-in go
        assert opt_in(world, "bea", 1) is None
        assert pairs(world) == {"bea": None}


@pytest.mark.parametrize("order,expected", [(("eve", "ann"), "eve"), (("ann", "eve"), "ann")])
def test_whoever_has_waited_longest_is_paired_first(app, world, order, expected):
    """Dee is in both groups: Ann (Walkers) and Eve (Readers) both wait for someone; Dee gets
    whoever asked first, whatever their ids."""
    with app.app_context():
        going(world, "ann", "bea", "eve", "fay", "dee")
        for minutes, name in enumerate(order):
            assert opt_in(world, name, minutes) is None
        assert opt_in(world, "dee", 10) == expected
        other = ({"ann", "eve"} - {expected}).pop()
        assert pairs(world)[other] is None


@pytest.mark.parametrize("blocker,blocked", [("ann", "bea"), ("bea", "ann")])
def test_a_block_either_way_keeps_two_people_apart(app, world, blocker, blocked):
    with app.app_context():
        going(world, "ann", "bea", "cal")
        db.session.add(Block(blocker_id=world[blocker], blocked_id=world[blocked]))
        db.session.commit()
        assert opt_in(world, "ann") is None
        assert opt_in(world, "bea", 1) is None
        assert opt_in(world, "cal", 2) == "ann"
        assert pairs(world) == {"ann": "cal", "cal": "ann", "bea": None}
        assert sorted(buddy_notes(world)) == [("ann", "buddy_paired"), ("cal", "buddy_paired")]


def _online(world):
    activity = activity_of(world)
    activity.format, activity.venue, activity.address = "online", None, None
    activity.join_url = "https://meet.example.org/x"
    db.session.commit()


def _cancelled(world):
    services.cancel(activity_of(world), person(world["olu"]), now=NOW)


def _maybe(world):
    rsvp.respond(person(world["ann"]), activity_of(world), "maybe", now=NOW)


def _not_going(world):
    rsvp.respond(person(world["ann"]), activity_of(world), "not_going", now=NOW)


def _waitlisted(world):
    activity = activity_of(world)
    activity.capacity = 2
    db.session.commit()
    going(world, "cal", "ann")  # Bea and Cal hold both seats: Ann waits for one


def _alone_from_her_groups(world):
    rsvp.respond(person(world["bea"]), activity_of(world), "not_going", now=NOW)
    going(world, "eve")  # someone is going, but not from Ann's group


@pytest.mark.parametrize("situation,now,words", [
    (_online, NOW, "in-person"),
    (_cancelled, NOW, "cancelled"),
    (None, START, "already started"),
    (_maybe, NOW, "for people who are going"),
    (_not_going, NOW, "for people who are going"),
    (_waitlisted, NOW, "for people who are going"),
    (_alone_from_her_groups, NOW, "Nobody from your groups"),
])
def test_not_offered_when_there_is_no_walk_in_to_share(app, world, situation, now, words):
    with app.app_context():
        going(world, "bea")
        if situation is not _waitlisted:
            going(world, "ann")
        if situation:
            situation(world)
        ann, activity = person(world["ann"]), activity_of(world)
        assert buddies.state_for(ann, activity, now=now) is None
        with pytest.raises(buddies.BuddyError, match=words):
            buddies.opt_in(ann, activity, now=now)
        assert db.session.scalar(select(func.count()).select_from(BuddyOptIn)) == 0
        assert buddy_notes(world) == []


def test_what_the_page_is_given_waiting_and_paired(app, world):
    with app.app_context():
        going(world, "ann", "bea", "cal")
        ann, bea, cal, activity = person(world["ann"]), person(world["bea"]), person(world["cal"]), activity_of(world)
        meeting = "at The Loft Café (By the green door.), Thursday, March 4, 6:50 PM"
        assert buddies.state_for(ann, activity, NOW) == buddies.BuddyState(False, None, meeting)
        opt_in(world, "ann")
        assert buddies.state_for(ann, activity, NOW) == buddies.BuddyState(True, None, meeting)
        opt_in(world, "bea", 1)
        assert buddies.state_for(ann, activity, NOW).buddy_name == "Bea"
        assert buddies.state_for(bea, activity, NOW).buddy_name == "Ann"
        assert buddies.state_for(cal, activity, NOW) == buddies.BuddyState(False, None, meeting)


def _withdraws(world):
    assert buddies.withdraw(person(world["bea"]), activity_of(world), now=NOW + timedelta(hours=1))


def _answers(status):
    def change(world):
        rsvp.respond(person(world["bea"]), activity_of(world), status, now=NOW + timedelta(hours=1))
    return change


@pytest.mark.parametrize("leaves", [_withdraws, _answers("not_going"), _answers("maybe")],
                         ids=["withdraws", "not going", "maybe"])
def test_when_a_buddy_drops_out_the_other_is_told_and_paired_again(app, world, leaves):
    with app.app_context():
        going(world, "ann", "bea", "cal", "dee")
        assert opt_in(world, "ann") is None
        assert opt_in(world, "bea", 1) == "ann"
        assert opt_in(world, "cal", 2) is None
        leaves(world)
        assert pairs(world) == {"ann": "cal", "cal": "ann"}
        told_after = buddy_notes(world)[2:]
        assert told_after[0] == ("ann", "buddy_unpaired")  # first the kind word, then who's next
        assert sorted(told_after[1:]) == [("ann", "buddy_paired"), ("cal", "buddy_paired")]
        told = db.session.scalar(select(Notification.body).where(Notification.kind == "buddy_unpaired"))
        assert told == ("Bea can't make the walk-in for Board game night this time; nothing you did. "
                        "We'll look for someone else from your group.")


def test_with_nobody_else_waiting_the_buddy_waits_again(app, world):
    with app.app_context():
        going(world, "ann", "bea", "cal")
        opt_in(world, "ann")
        opt_in(world, "bea", 1)
        rsvp.respond(person(world["ann"]), activity_of(world), "not_going", now=NOW)
        assert pairs(world) == {"bea": None}
        assert buddy_notes(world)[2:] == [("bea", "buddy_unpaired")]
        assert opt_in(world, "cal", 3) == "bea"  # and the next to ask is paired with her


def test_withdrawing_with_nothing_to_withdraw_changes_nothing(app, world):
    with app.app_context():
        going(world, "ann", "bea")
        opt_in(world, "ann")
        assert not buddies.withdraw(person(world["bea"]), activity_of(world), now=NOW)
        assert buddies.withdraw(person(world["ann"]), activity_of(world), now=NOW)
        assert pairs(world) == {} and buddy_notes(world) == []  # she was only waiting: nobody to tell


def _moved_online(world):
    services.update(activity_of(world), {"format": "online", "join_url": "https://meet.example.org/x"},
                    person(world["olu"]), now=NOW)


@pytest.mark.parametrize("change", [_cancelled, _moved_online], ids=["cancelled", "moved online"])
def test_with_no_walk_in_left_every_opt_in_goes_without_buddy_notes(app, world, change):
    """Everyone who answered hears of the change from the activity itself; no "can't make it" notes."""
    with app.app_context():
        going(world, "ann", "bea", "cal")
        opt_in(world, "ann")
        opt_in(world, "bea", 1)
        opt_in(world, "cal", 2)
        change(world)
        assert pairs(world) == {}
        assert [k for _, k in buddy_notes(world)] == ["buddy_paired", "buddy_paired"]  # from the pairing only


# --- Several at the same moment ---
@pytest.fixture(params=["suite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def racing_app(request, database_url):
    """The run's database (SQLite, or PostgreSQL under TEST_DATABASE_URL), and a PostgreSQL
    database of its own, so the race is run on both whatever the suite uses."""
    if request.param == "suite":
        yield request.getfixturevalue("app")
        return
    with scratch_postgres("cg_buddy") as url, another_app(app_config(url)) as app:
        with app.app_context():
            upgrade()
        yield app


def all_at_once(app, user_ids: list[int], activity_id: int) -> list[str]:
    """Each member opts in from a thread of their own (own session, own connection), released together."""
    outcomes = [""] * len(user_ids)
    gate = threading.Barrier(len(user_ids))

    def worker(i: int) -> None:
        with app.app_context():
            try:
                user, activity = db.session.get(User, user_ids[i]), db.session.get(Activity, activity_id)
                db.session.commit()  # end the read so the opt-in starts its own transaction, as a request does
                gate.wait()
                buddy = buddies.opt_in(user, activity, now=NOW)
                outcomes[i] = "paired" if buddy else "waiting"
            except Exception as exc:  # reported in the assertion, not lost in the thread
                outcomes[i] = f"unexpected: {exc!r}"
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(user_ids))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.parametrize("count", [2, 3])
def test_opting_in_at_the_same_moment_makes_exactly_one_pair(racing_app, count):
    with racing_app.app_context():
        world = make_world()
        going(world, "ann", "bea", "cal")
        ids = [world[n] for n in ("ann", "bea", "cal")[:count]]
    outcomes = all_at_once(racing_app, ids, world["activity"])
    assert sorted(outcomes) == (["paired", "waiting"] if count == 2 else ["paired", "waiting", "waiting"]), outcomes
    with racing_app.app_context():
        found = pairs(world)
        assert len(found) == count
        paired = {name: buddy for name, buddy in found.items() if buddy}
        assert len(paired) == 2 and all(paired[buddy] == name for name, buddy in paired.items()), found
        assert sorted(r for r, _ in buddy_notes(world, "buddy_paired")) == sorted(paired)
