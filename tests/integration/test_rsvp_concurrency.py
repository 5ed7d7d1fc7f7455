"""Many members taking an activity's last seat at the same moment: exactly one gets it, the rest
join the waitlist in order. Real threads, each with its own session and connection, against a
migrated SQLite file and a real PostgreSQL database; and over HTTP, through the RSVP form."""
from datetime import date, time

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from community.activities import rsvp, services
from community.extensions import db
from community.groups import services as groups
from community.models import User
from community.models.activity import Activity, Rsvp
from tests.conftest import another_app, app_config, csrf_token, scratch_postgres
from tests.factories import circle, member
from tests.integration.test_join_concurrency import all_at_once
from tests.support import login_client

RUSHERS = 6


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def app(request, tmp_path):
    """A migrated app on its own database (overrides the shared `app` fixture for this module)."""
    if request.param == "sqlite":
        with another_app(app_config(f"sqlite:///{tmp_path / 'rsvp.db'}")) as app:
            with app.app_context():
                upgrade()
            yield app
    else:
        with scratch_postgres("cg_rsvp") as url, another_app(app_config(url)) as app:
            with app.app_context():
                upgrade()
            yield app


@pytest.fixture
def last_seat(app):
    """An activity for two groups of four with 3 seats, 2 already taken."""
    with app.app_context():
        organizer = member("olu@example.org", "Olu", role="organizer")
        people = circle("rusher", RUSHERS + 2)
        tabletop = groups.create_group("Tabletop", "online", people[:4], None)
        meeples = groups.create_group("Meeples", "online", people[4:], None)
        [activity] = services.schedule(services.Plan(
            title="Game night", focus="Board games", format="online", day=date(2027, 6, 3), start=time(19),
            end=time(21), capacity=3, group_ids=[tabletop.id, meeples.id], join_url="https://meet.example.org/x"),
            organizer)
        for person in people[:2]:
            rsvp.respond(person, activity, "going")
        return activity.id, [p.id for p in people[2:]]


def test_only_one_of_many_simultaneous_rsvps_gets_the_last_seat(app, last_seat):
    activity_id, rushers = last_seat

    def going(i):
        user, activity = db.session.get(User, rushers[i]), db.session.get(Activity, activity_id)
        return lambda: rsvp.respond(user, activity, "going")

    outcomes = all_at_once(app, RUSHERS, going)
    assert outcomes == ["ok"] * RUSHERS, outcomes
    with app.app_context():
        statuses = dict(db.session.execute(select(Rsvp.user_id, Rsvp.status).where(Rsvp.activity_id == activity_id)
                                           .where(Rsvp.user_id.in_(rushers))).all())
        assert sorted(statuses.values()).count("going") == 1, statuses
        assert rsvp.going_count(activity_id) == 3
        assert len(rsvp.waitlist(activity_id)) == RUSHERS - 1


def test_the_same_race_over_http(app, last_seat):
    activity_id, rushers = last_seat
    with app.app_context():
        emails = [db.session.get(User, i).email for i in rushers]
    page = f"/activities/{activity_id}"
    clients = [login_client(app, email) for email in emails]
    tokens = [csrf_token(c, page) for c in clients]

    def going(i):
        return lambda: clients[i].post(f"{page}/rsvp", data={"answer": "going", "csrf_token": tokens[i]})

    outcomes = all_at_once(app, RUSHERS, going)
    assert outcomes == ["ok"] * RUSHERS, outcomes
    with app.app_context():
        assert rsvp.going_count(activity_id) == 3
        assert db.session.scalar(select(func.count(Rsvp.id)).where(Rsvp.activity_id == activity_id,
                                                                   Rsvp.status == "waitlist")) == RUSHERS - 1
