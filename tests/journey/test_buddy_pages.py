"""Arrive with a buddy on the activity page, through the real routes: the offer shows only to those
going who have someone from their group going too; opting in and withdrawing from the page; only
the two paired people ever see who they are meeting; foreign and unknown ids are 404; a request
without a valid CSRF token, or where there is no walk-in to share, changes nothing."""
import html as htmllib
import re
from datetime import time, timedelta

import pytest
from sqlalchemy import func, select

from community.activities import rsvp, services
from community.extensions import db
from community.models import Notification, User
from community.models.activity import Activity
from community.models.base import utcnow
from community.models.journey import BuddyOptIn
from tests.conftest import submit
from tests.factories import member
from tests.journey.test_buddies import make_world
from tests.support import login_client

OFFER = "I'd like to walk in with someone"


@pytest.fixture
def world(app):
    """make_world's people and groups, for an activity ten days from now; Ann, Bea and Cal going."""
    with app.app_context():
        now = utcnow()
        world = make_world(day=(now + timedelta(days=10)).date(), now=now)
        activity = db.session.get(Activity, world["activity"])
        for name in ("ann", "bea", "cal"):
            rsvp.respond(db.session.get(User, world[name]), activity, "going")
        return world


def login(app, name):
    return login_client(app, f"{name}@example.org")


def page_of(world) -> str:
    return f"/activities/{world['activity']}"


def buddy_section(html: str) -> str:
    """The "Arrive with a buddy" card, or "" when the page doesn't show one."""
    if 'id="buddy-title"' not in html:
        return ""
    return html.split('id="buddy-title"', 1)[1].split("</section>", 1)[0]


def words(html: str) -> str:
    """What a person reads: tags gone, entities decoded, spaces collapsed."""
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def shown(client, world) -> str:
    """The words of the buddy card on the activity page, or "" when there is none."""
    return words(buddy_section(client.get(page_of(world)).get_data(as_text=True)))


def post(client, world, action="buddy"):
    return submit(client, page_of(world), {}, action=f"{page_of(world)}/{action}")


def flashed(client, response) -> str:
    assert response.status_code == 302
    return htmllib.unescape(client.get(response.headers["Location"]).get_data(as_text=True))


def opt_ins(app) -> dict[int, int | None]:
    with app.app_context():
        return dict(db.session.execute(select(BuddyOptIn.user_id, BuddyOptIn.buddy_id)).all())


def test_the_offer_shows_only_to_those_going_with_someone_from_their_group(app, world):
    for name in ("ann", "bea", "cal"):
        client = login(app, name)
        section = shown(client, world)
        assert "Arrive with a buddy" in section and OFFER in section and "entirely optional" in section
        assert f'action="{page_of(world)}/buddy"' in buddy_section(client.get(page_of(world)).get_data(as_text=True))
        assert "6:50 PM" in section and "The Loft Café" in section  # ten minutes before, at the venue
    assert shown(login(app, "dee"), world) == ""  # in the group, but hasn't said going
    assert shown(login(app, "olu"), world) == ""  # the organizer sees the page, isn't going
    with app.app_context():
        rsvp.respond(db.session.get(User, world["eve"]), db.session.get(Activity, world["activity"]), "going")
    assert shown(login(app, "eve"), world) == ""  # going, but nobody from the Readers is


def test_two_members_pair_from_the_page_and_only_they_see_it(app, world):
    ann, bea, cal = login(app, "ann"), login(app, "bea"), login(app, "cal")
    assert "Thanks. We'll let you know if someone from your group" in flashed(ann, post(ann, world))
    assert "We'll let you know if someone from your group would like to walk in together too." in shown(ann, world)
    assert 'buddy/withdraw"' in buddy_section(ann.get(page_of(world)).get_data(as_text=True))
    followed = flashed(bea, post(bea, world))
    assert "You're meeting Ann at The Loft Café" in followed
    assert "You're meeting Bea" in shown(ann, world)
    assert "You're meeting Ann" in shown(bea, world)
    # Cal, going and in the same group, is offered a walk-in of their own but never learns who is paired.
    cal_section = shown(cal, world)
    assert OFFER in cal_section
    assert "Ann" not in cal_section and "Bea" not in cal_section
    assert "You're meeting" not in words(cal.get(page_of(world)).get_data(as_text=True))
    with app.app_context():
        recipients = sorted(db.session.scalars(select(Notification.recipient_id)
                                               .where(Notification.kind == "buddy_paired")))
    assert recipients == sorted([world["ann"], world["bea"]])


def test_withdrawing_from_the_page_tells_the_buddy_and_pairs_them_again(app, world):
    ann, bea, cal = login(app, "ann"), login(app, "bea"), login(app, "cal")
    for client in (ann, bea, cal):
        post(client, world)
    assert opt_ins(app) == {world["ann"]: world["bea"], world["bea"]: world["ann"], world["cal"]: None}
    followed = flashed(bea, post(bea, world, "buddy/withdraw"))
    assert "You'll find your own way in; that's completely fine." in followed
    assert OFFER in shown(bea, world)  # she can opt in again
    assert "You're meeting Cal" in shown(ann, world)
    assert opt_ins(app) == {world["ann"]: world["cal"], world["cal"]: world["ann"]}
    notes = htmllib.unescape(ann.get("/notifications").get_data(as_text=True))
    assert "Bea can't make the walk-in for Board game night this time; nothing you did." in notes
    again = flashed(bea, post(bea, world, "buddy/withdraw"))
    assert "nothing to change" in again


def test_saying_cant_go_on_the_page_lets_the_walk_in_go(app, world):
    ann, bea = login(app, "ann"), login(app, "bea")
    post(ann, world)
    post(bea, world)
    submit(bea, page_of(world), {}, action=f"{page_of(world)}/drop-out")
    assert opt_ins(app) == {world["ann"]: None}
    assert "We'll let you know" in shown(ann, world)
    assert shown(bea, world) == ""


def test_where_there_is_no_walk_in_the_post_explains_and_changes_nothing(app, world):
    dee = login(app, "dee")  # in the group, not going
    followed = flashed(dee, post(dee, world))
    assert "Walking in together is for people who are going." in followed
    with app.app_context():
        olu = db.session.get(User, world["olu"])
        [online] = services.schedule(services.Plan(
            title="Online quiz", focus="Trivia", format="online", day=(utcnow() + timedelta(days=5)).date(),
            start=time(19), end=time(20), capacity=5, group_ids=[world["walkers"]],
            join_url="https://meet.example.org/quiz"), olu)
        for name in ("ann", "bea"):
            rsvp.respond(db.session.get(User, world[name]), online, "going")
        online_id = online.id
    ann = login(app, "ann")
    assert buddy_section(ann.get(f"/activities/{online_id}").get_data(as_text=True)) == ""
    response = submit(ann, f"/activities/{online_id}", {}, action=f"/activities/{online_id}/buddy")
    assert "for in-person activities" in flashed(ann, response)
    assert opt_ins(app) == {}


def test_foreign_and_unknown_activities_are_404_and_change_nothing(app, world):
    with app.app_context():
        member("nell@example.org", "Nell Outside", comfort=1)  # in no group
    nell, ann = login(app, "nell"), login(app, "ann")
    post(ann, world)
    for action in ("buddy", "buddy/withdraw"):
        # Nell isn't invited: the activity's page is a 404 for her, so her token comes from another page.
        assert submit(nell, "/activities", {}, action=f"{page_of(world)}/{action}").status_code == 404
        assert submit(ann, page_of(world), {}, action=f"/activities/999999/{action}").status_code == 404
        assert submit(ann, page_of(world), {}, action=f"/activities/0/{action}").status_code == 404
        assert app.test_client().post(f"{page_of(world)}/{action}").headers["Location"].startswith("/login")
    assert opt_ins(app) == {world["ann"]: None}  # still waiting, as before


def test_without_a_valid_csrf_token_nothing_changes(app, world):
    ann = login(app, "ann")
    for token in (None, "not-a-token"):
        data = {} if token is None else {"csrf_token": token}
        response = ann.post(f"{page_of(world)}/buddy", data=data)
        assert "open a while, so nothing was changed" in flashed(ann, response)
    assert opt_ins(app) == {}
    post(ann, world)
    response = ann.post(f"{page_of(world)}/buddy/withdraw", data={})
    assert "nothing was changed" in flashed(ann, response)
    assert opt_ins(app) == {world["ann"]: None}
    with app.app_context():
        assert db.session.scalar(select(func.count(Notification.id)).where(Notification.kind.like("buddy_%"))) == 0
