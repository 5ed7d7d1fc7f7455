"""Activity pages through the real routes: organizers schedule, edit, cancel and mark attendance;
members see what's coming, "what to expect", answer and drop out; the address shows only to
those going; nobody sees or changes what isn't theirs."""
import html as htmllib
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from community.activities import rsvp
from community.extensions import db
from community.groups import services as groups
from community.models import Notification
from community.models.activity import Activity, Rsvp
from community.models.base import utcnow
from tests.conftest import submit
from tests.factories import member
from tests.support import login_client as login

DAY = (utcnow() + timedelta(days=10)).date().isoformat()


def text(response) -> str:
    return htmllib.unescape(response.get_data(as_text=True))


@pytest.fixture
def world(app):
    with app.app_context():
        member("olu@example.org", "Olu Ade", role="organizer")
        ann, bea, cal = (member(f"{n.lower()}@example.org", f"{n} Test", comfort=3) for n in ("Ann", "Bea", "Cal"))
        eve = member("eve@example.org", "Eve Elsewhere", comfort=1)
        group = groups.create_group("Board games circle", "in_person", [ann, bea, cal], None, neighbourhood="decatur")
        return {"group": group.id, "ann": ann.id, "bea": bea.id, "cal": cal.id, "eve": eve.id}


def form_data(world, **changes):
    data = {"title": "Game night at the café", "focus": "Board games", "description": "Easy games, snacks.",
            "format": "in_person", "venue": "The Loft Café", "neighbourhood": "Decatur",
            "address": "123 Main St, Decatur", "day": DAY, "start": "19:00", "end": "21:00", "capacity": "2",
            "comfort_step": "3", "groups": str(world["group"]), "agenda": "Hello, one game, goodbye.",
            "noise": "Quiet corner", "seating": "Chairs with backs", "step_free": "yes",
            "getting_there": "Parking behind; MARTA Decatur station 5 min", "arrival": "Look for the green box.",
            "repeat": "weekly", "occurrences": "3"}
    return {**data, **changes}


def schedule(app, world, **changes):
    olu = login(app, "olu@example.org")
    response = submit(olu, "/organize/activities/new", form_data(world, **changes))
    assert response.status_code == 302, text(response)[:500]
    with app.app_context():
        return [a.id for a in db.session.scalars(select(Activity).order_by(Activity.starts_at))]


def test_an_organizer_schedules_a_weekly_activity_and_members_see_it(app, world):
    ids = schedule(app, world)
    assert len(ids) == 3
    ann = login(app, "ann@example.org")
    listing = text(ann.get("/activities"))
    assert listing.count("Game night at the café") == 3 and "7:00 PM" in listing
    page = text(ann.get(f"/activities/{ids[0]}"))
    for words in ("What to expect", "Hello, one game, goodbye.", "Quiet corner", "Step-free access: yes",
                  "Look for the green box.", "leave early", "The Loft Café"):
        assert words in page
    assert "123 Main St" not in page  # not until she's going
    assert "Game night at the café" in text(ann.get(f"/groups/{world['group']}"))  # the group's next activity
    with app.app_context():
        assert db.session.scalar(select(func.count(Notification.id)).where(
            Notification.recipient_id == world["ann"], Notification.kind == "activity_new")) == 1


def test_going_waitlist_drop_out_and_promotion_through_the_pages(app, world):
    [first, *_] = schedule(app, world)
    page = f"/activities/{first}"
    ann, bea, cal = (login(app, f"{n}@example.org") for n in ("ann", "bea", "cal"))
    for client in (ann, bea):
        assert submit(client, page, {"answer": "going"}, action=f"{page}/rsvp").status_code == 302
    assert "123 Main St, Decatur" in text(ann.get(page))
    assert "Game night at the café" in text(ann.get("/activities")).split('id="my-answers"')[1].split("</ul>")[0]
    assert "Ann, Bea" in text(cal.get(page))  # first names of those going
    response = submit(cal, page, {"answer": "going"}, action=f"{page}/rsvp")
    assert "number 1 on the waitlist" in text(cal.get(response.headers["Location"]))
    assert "123 Main St" not in text(cal.get(page))
    response = submit(ann, page, {}, action=f"{page}/drop-out")
    follow = text(ann.get(response.headers["Location"]))
    assert "always fine" in follow and "The next one is" in follow
    assert "123 Main St, Decatur" in text(cal.get(page))  # Cal has Ann's seat now
    with app.app_context():
        assert db.session.scalar(select(Notification.kind).where(Notification.recipient_id == world["cal"])
                                 .order_by(Notification.id.desc()).limit(1)) == "seat_freed"
    organizer_page = text(login(app, "olu@example.org").get(f"/organize/activities/{first}"))
    assert "Bea Test: going" in organizer_page and "Cal Test: going" in organizer_page


def test_members_outside_the_invitation_and_members_on_organizer_pages_are_refused(app, world):
    [first, *_] = schedule(app, world)
    eve = login(app, "eve@example.org")
    assert eve.get(f"/activities/{first}").status_code == 404
    assert "Game night" not in text(eve.get("/activities"))
    assert submit(eve, "/activities", {"answer": "going"}, action=f"/activities/{first}/rsvp").status_code == 404
    ann = login(app, "ann@example.org")
    for url in ("/organize/activities", "/organize/activities/new", f"/organize/activities/{first}",
                f"/organize/activities/{first}/edit"):
        assert ann.get(url).status_code == 403
    assert app.test_client().get(f"/activities/{first}").status_code == 302  # to log in
    with app.app_context():
        assert db.session.scalar(select(func.count(Rsvp.id))) == 0


def test_an_open_activity_reaches_members_at_its_step_or_above(app, world):
    olu = login(app, "olu@example.org")
    data = form_data(world, open_to_all="y", repeat="", occurrences="", comfort_step="2")
    del data["groups"]  # a browser sends nothing for a list with nothing chosen
    assert submit(olu, "/organize/activities/new", data).status_code == 302
    with app.app_context():
        activity_id = db.session.scalar(select(Activity.id))
    assert login(app, "ann@example.org").get(f"/activities/{activity_id}").status_code == 200  # step 3
    assert login(app, "eve@example.org").get(f"/activities/{activity_id}").status_code == 404  # step 1


@pytest.mark.parametrize("changes,words", [
    ({"end": "18:00"}, "end time must be after"),
    ({"capacity": "0"}, "From 1 to 200"),
    ({"occurrences": ""}, "needs an end"),
    ({"groups": "999999"}, "not a valid choice"),
    ({"address": ""}, "venue and its address"),
    ({"day": "2020-01-01", "repeat": ""}, "in the past"),
])
def test_bad_schedules_explain_themselves_and_save_nothing(app, world, changes, words):
    olu = login(app, "olu@example.org")
    response = submit(olu, "/organize/activities/new", form_data(world, **changes))
    assert response.status_code == 400 and words in text(response)
    with app.app_context():
        assert db.session.scalar(select(func.count(Activity.id))) == 0


def test_editing_and_cancelling_one_date_tells_those_who_answered(app, world):
    [first, second, third] = schedule(app, world, capacity="3")
    page = f"/activities/{second}"
    ann = login(app, "ann@example.org")
    submit(ann, page, {"answer": "going"}, action=f"{page}/rsvp")
    olu = login(app, "olu@example.org")
    edit = f"/organize/activities/{second}/edit"
    assert "Game night at the café" in text(olu.get(edit))
    too_small = submit(olu, edit, form_data(world, capacity="0", repeat="", occurrences=""))
    assert too_small.status_code == 400
    assert submit(olu, edit, form_data(world, venue="The Big Table", capacity="3")).status_code == 302
    response = submit(olu, f"/organize/activities/{second}", {"reason": "The café is closed that week."},
                      action=f"/organize/activities/{second}/cancel")
    assert response.status_code == 302
    with app.app_context():
        kinds = list(db.session.scalars(select(Notification.kind).where(Notification.recipient_id == world["ann"])
                                        .order_by(Notification.id)))
        assert kinds == ["activity_new", "activity_changed", "activity_cancelled"]
        statuses = [db.session.get(Activity, i).status for i in (first, second, third)]
        assert statuses == ["scheduled", "cancelled", "scheduled"]
    cancelled = text(ann.get(page))
    assert "This date is cancelled: The café is closed that week." in cancelled
    assert "Are you coming?" not in cancelled


def test_attendance_after_the_activity(app, world):
    [first, *_] = schedule(app, world, capacity="3")
    page = f"/activities/{first}"
    for email in ("ann@example.org", "bea@example.org"):
        submit(login(app, email), page, {"answer": "going"}, action=f"{page}/rsvp")
    with app.app_context():
        activity = db.session.get(Activity, first)
        shift = activity.ends_at - utcnow() + timedelta(hours=1)
        activity.starts_at -= shift
        activity.ends_at -= shift
        db.session.commit()
    olu = login(app, "olu@example.org")
    organizer_page = f"/organize/activities/{first}"
    assert "Tick everyone who came" in text(olu.get(organizer_page))
    submit(olu, organizer_page, {"came": str(world["ann"])}, action=f"{organizer_page}/attendance")
    with app.app_context():
        assert dict(db.session.execute(select(Rsvp.user_id, Rsvp.attended)).all()) == {
            world["ann"]: True, world["bea"]: False}
        assert rsvp.going_count(first) == 2


def test_a_groups_ideas_become_a_filled_in_form_in_one_click(app, world):
    olu = login(app, "olu@example.org")
    ideas = text(olu.get(f"/organize/groups/{world['group']}/suggestions"))
    assert "Use this idea" in ideas and "Ideas for Board games circle" in ideas
    form = text(olu.get(f"/organize/activities/new?group={world['group']}&idea=0"))
    assert f'<option selected value="{world["group"]}">' in form or f'value="{world["group"]}" selected' in form
    title = re.search(r'name="title"[^>]*value="([^"]+)"', form).group(1)
    assert f"<h2>{title}</h2>" in ideas  # the first idea's title, ready to edit
    assert login(app, "ann@example.org").get(f"/organize/groups/{world['group']}/suggestions").status_code == 403
    assert olu.get("/organize/groups/999999/suggestions").status_code == 404


def test_a_cancel_with_an_expired_form_token_is_turned_back_calmly_and_cancels_nothing(app, world):
    """The CSRF handler shows the view again; a view that refuses with abort(400) must give the
    calm 400 page, not an error raised from inside the error handler."""
    [first, *_] = schedule(app, world)
    olu = login(app, "olu@example.org")
    response = olu.post(f"/organize/activities/{first}/cancel", data={"reason": "rain", "csrf_token": "stale"})
    assert response.status_code == 400
    assert "didn't look right" in text(response)
    with app.app_context():
        assert db.session.get(Activity, first).status == "scheduled"
