"""Scheduling and RSVPs through the services, with a fixed clock: local times across daylight
saving, series with single dates changed or cancelled, bad input refused with nothing saved,
capacity and the waitlist, and everyone who answered told about changes."""
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from community.activities import rsvp, services
from community.activities.services import ActivityError, Plan
from community.extensions import db
from community.groups import services as groups
from community.models import Notification
from community.models.activity import Activity, ActivitySeries, Rsvp
from tests.factories import member

NOW = datetime(2027, 3, 1, 15, 0, tzinfo=UTC)  # a Monday, before the spring clock change (March 14)


@pytest.fixture
def people(app):
    with app.app_context():
        olu = member("olu@example.org", "Olu Ade", role="organizer")
        ann, bea, cal, dee = (member(f"{n.lower()}@example.org", f"{n} Test") for n in ("Ann", "Bea", "Cal", "Dee"))
        eve = member("eve@example.org", "Eve Outside")
        group = groups.create_group("Board games circle", "online", [ann, bea, cal, dee], None)
        return {"olu": olu.id, "ann": ann.id, "bea": bea.id, "cal": cal.id, "dee": dee.id, "eve": eve.id,
                "group": group.id}


def user(id_):
    from community.models import User

    return db.session.get(User, id_)


def plan(people, **changes) -> Plan:
    values = dict(title="Board game night", focus="Board games", format="online", day=date(2027, 3, 4),
                  start=time(19, 0), end=time(21, 0), capacity=2, group_ids=[people["group"]],
                  join_url="https://meet.example.org/board-games", agenda="Hello, one game, goodbye.")
    return Plan(**{**values, **changes})


def test_a_weekly_series_keeps_local_time_across_the_clock_change(app, people):
    with app.app_context():
        made = services.schedule(plan(people, repeat="weekly", until=date(2027, 3, 25)), user(people["olu"]), now=NOW)
        assert [a.starts_at.astimezone(UTC).hour for a in made] == [0, 0, 23, 23]  # 7 pm EST, then 7 pm EDT
        assert [services.times.local(a.starts_at).strftime("%H:%M") for a in made] == ["19:00"] * 4
        assert len({a.series_id for a in made}) == 1
        counted = services.schedule(plan(people, repeat="biweekly", occurrences=3), user(people["olu"]), now=NOW)
        assert [services.times.local(a.starts_at).date() for a in counted] == [
            date(2027, 3, 4), date(2027, 3, 18), date(2027, 4, 1)]
        # Every invited member has a note (one per scheduling, not one per date).
        assert db.session.scalar(select(func.count(Notification.id)).where(
            Notification.recipient_id == people["ann"])) == 2
        assert db.session.scalar(select(func.count(Notification.id)).where(
            Notification.recipient_id == people["eve"])) == 0


@pytest.mark.parametrize("changes,words", [
    ({"end": time(18, 0)}, "end time must be after"),
    ({"day": date(2027, 2, 1)}, "in the past"),
    ({"capacity": 0}, "at least 1"),
    ({"repeat": "weekly"}, "needs an end"),
    ({"group_ids": [999_999]}, "doesn't exist"),
    ({"group_ids": []}, "choose at least one group"),
    ({"join_url": "javascript:alert(1)"}, "join link"),
    ({"format": "in_person", "venue": "The Loft"}, "venue and its address"),
    ({"title": "  "}, "title"),
    ({"repeat": "weekly", "until": date(2027, 3, 1)}, "before its first"),
])
def test_bad_input_is_refused_clearly_and_nothing_is_saved(app, people, changes, words):
    with app.app_context():
        with pytest.raises(ActivityError, match=words):
            services.schedule(plan(people, **changes), user(people["olu"]), now=NOW)
        db.session.rollback()
        assert db.session.scalar(select(func.count(Activity.id))) == 0
        assert db.session.scalar(select(func.count(ActivitySeries.id))) == 0


def test_the_last_seat_then_the_waitlist_then_promotion_in_order(app, people):
    with app.app_context():
        [activity] = services.schedule(plan(people), user(people["olu"]), now=NOW)
        assert rsvp.respond(user(people["ann"]), activity, "going", now=NOW).status == "going"
        assert rsvp.respond(user(people["bea"]), activity, "going", now=NOW).status == "going"
        third = rsvp.respond(user(people["cal"]), activity, "going", now=NOW)
        assert third.status == "waitlist" and "number 1 on the waitlist" in third.message
        assert rsvp.respond(user(people["dee"]), activity, "going", now=NOW + timedelta(seconds=1)).status == "waitlist"
        assert rsvp.respond(user(people["cal"]), activity, "going", now=NOW).message.startswith("You're already on")
        dropped = rsvp.respond(user(people["ann"]), activity, "not_going", now=NOW)
        assert dropped.promoted.id == people["cal"]  # first in line, not Dee
        assert "always fine" in dropped.message
        assert rsvp.going_count(activity.id) == 2
        [note] = db.session.scalars(select(Notification).where(Notification.recipient_id == people["cal"],
                                                                Notification.kind == "seat_freed")).all()
        assert "it's yours" in note.body
        assert [r.user_id for r in rsvp.waitlist(activity.id)] == [people["dee"]]


@pytest.mark.parametrize("case", ["uninvited", "cancelled", "started", "bad_answer"])
def test_answers_that_cannot_be_taken(app, people, case):
    with app.app_context():
        [activity] = services.schedule(plan(people), user(people["olu"]), now=NOW)
        who, answer, when = people["ann"], "going", NOW
        if case == "uninvited":
            who = people["eve"]
        if case == "cancelled":
            services.cancel(activity, user(people["olu"]), "Host is ill", now=NOW)
        if case == "started":
            when = activity.starts_at + timedelta(minutes=1)
        if case == "bad_answer":
            answer = "definitely"
        with pytest.raises(rsvp.RsvpError):
            rsvp.respond(user(who), activity, answer, now=when)
        db.session.rollback()
        assert db.session.scalar(select(func.count(Rsvp.id))) == 0


def test_one_date_of_a_series_changes_or_is_cancelled_and_the_others_stay(app, people):
    with app.app_context():
        made = services.schedule(plan(people, repeat="weekly", occurrences=3, capacity=4), user(people["olu"]), now=NOW)
        first, second, third = made
        rsvp.respond(user(people["ann"]), second, "going", now=NOW)
        rsvp.respond(user(people["bea"]), second, "maybe", now=NOW)
        rsvp.respond(user(people["cal"]), second, "not_going", now=NOW)
        sequence = second.sequence
        changed = services.update(second, {"venue": None}, user(people["olu"]), start=time(18, 30), now=NOW)
        assert "starts_at" in changed and second.sequence == sequence + 1
        assert services.times.local(second.starts_at).strftime("%H:%M") == "18:30"
        assert services.times.local(third.starts_at).strftime("%H:%M") == "19:00"
        told = set(db.session.scalars(select(Notification.recipient_id).where(Notification.kind == "activity_changed")))
        assert told == {people["ann"], people["bea"]}  # not Cal, who can't go
        services.cancel(second, user(people["olu"]), "The host is away", now=NOW)
        assert (first.status, second.status, third.status) == ("scheduled", "cancelled", "scheduled")
        cancelled = set(db.session.scalars(select(Notification.recipient_id)
                                           .where(Notification.kind == "activity_cancelled")))
        assert cancelled == {people["ann"], people["bea"]}
        # Dropping out of the first date points kindly to the next one still on.
        rsvp.respond(user(people["dee"]), first, "going", now=NOW)
        answer = rsvp.respond(user(people["dee"]), first, "not_going", now=NOW)
        assert "The next one is" in answer.message and "March 18" in answer.message


def test_capacity_cannot_drop_below_those_going_and_growing_it_seats_the_waitlist(app, people):
    with app.app_context():
        [activity] = services.schedule(plan(people, capacity=2), user(people["olu"]), now=NOW)
        for name in ("ann", "bea", "cal", "dee"):
            rsvp.respond(user(people[name]), activity, "going", now=NOW)
        with pytest.raises(ActivityError, match="2 people are already going"):
            services.update(activity, {"capacity": 1}, user(people["olu"]), now=NOW)
        db.session.rollback()
        services.update(activity, {"capacity": 3}, user(people["olu"]), now=NOW)
        assert rsvp.going_count(activity.id) == 3
        assert [r.user_id for r in rsvp.waitlist(activity.id)] == [people["dee"]]


def test_attendance_is_marked_after_the_start_only(app, people):
    with app.app_context():
        [activity] = services.schedule(plan(people, capacity=4), user(people["olu"]), now=NOW)
        for name in ("ann", "bea"):
            rsvp.respond(user(people[name]), activity, "going", now=NOW)
        with pytest.raises(rsvp.RsvpError):
            rsvp.mark_attendance(activity, {people["ann"]}, user(people["olu"]), now=NOW)
        after = activity.ends_at + timedelta(hours=1)
        assert rsvp.mark_attendance(activity, {people["ann"]}, user(people["olu"]), now=after) == 2
        marks = dict(db.session.execute(select(Rsvp.user_id, Rsvp.attended)).all())
        assert marks == {people["ann"]: True, people["bea"]: False}


def test_leaving_the_group_lets_go_of_its_seats_and_the_waitlist_moves_on(app, people):
    from community.models import Group

    with app.app_context():
        [activity] = services.schedule(plan(people, day=date(2027, 12, 2)), user(people["olu"]))
        for name in ("ann", "bea", "cal"):
            rsvp.respond(user(people[name]), activity, "going")
        assert [r.user_id for r in rsvp.waitlist(activity.id)] == [people["cal"]]
        groups.leave_group(user(people["ann"]), db.session.get(Group, people["group"]))
        statuses = dict(db.session.execute(select(Rsvp.user_id, Rsvp.status)).all())
        assert statuses == {people["ann"]: "not_going", people["bea"]: "going", people["cal"]: "going"}
        assert db.session.scalar(select(Notification.kind).where(Notification.recipient_id == people["cal"])
                                 .order_by(Notification.id.desc()).limit(1)) == "seat_freed"
