"""Reciprocity tips: who sees them (their own choice, else those who said they never learned the
unwritten rules), one a week that stays the same all week, turning them on and off on the journey
page, and the tip on the group page with its way to turn tips off."""
import html as htmllib
from datetime import date, timedelta

import pytest

from community.activities import times
from community.extensions import db
from community.groups import services as groups
from community.journey.tips import TIPS, tip_for_week, wants_tips
from community.models import Profile
from community.models.base import utcnow
from tests.conftest import submit
from tests.factories import member
from tests.support import login_client as login


def text(response) -> str:
    return htmllib.unescape(response.get_data(as_text=True))


# --- pure ---

@pytest.mark.parametrize(("choice", "barriers", "shown"), [
    (None, [], False),
    (None, ["anxiety_freezes", "misread"], False),
    (None, ["unwritten_rules"], True),
    (None, ["keep_distance", "unwritten_rules"], True),
    (True, [], True),
    (False, ["unwritten_rules"], False),  # their own "no" wins
])
def test_who_asked_for_practice(choice, barriers, shown):
    assert wants_tips(choice, barriers) is shown


def test_one_tip_all_week_and_a_different_one_the_next_week():
    monday = date(2027, 3, 1)
    week = {tip_for_week(monday + timedelta(days=n)) for n in range(7)}
    assert len(week) == 1
    following = [tip_for_week(monday + timedelta(weeks=n)) for n in range(len(TIPS))]
    assert all(a != b for a, b in zip(following, following[1:], strict=False))
    assert set(following) == set(TIPS)  # every tip comes round in turn
    assert tip_for_week(date(2027, 12, 27)) != tip_for_week(date(2028, 1, 3))  # across the new year too


def test_the_tips_are_short_and_never_shaming():
    for tip in TIPS:
        assert len(tip) <= 240
        for word in ("should", "failure", "wrong with you", "score", "streak"):
            assert word not in tip.lower()


# --- through the pages ---

@pytest.fixture
def world(app):
    """Una said she never learned the unwritten rules; Ned said nothing; both are in "Walkers"."""
    with app.app_context():
        una = member("una@example.org", "Una Test")
        ned = member("ned@example.org", "Ned Test")
        una.profile.barriers = ["unwritten_rules"]
        db.session.commit()
        group = groups.create_group("Walkers", "online", [una, ned], None)
        return {"group": group.id, "una": una.id, "ned": ned.id,
                "tip": tip_for_week(times.local(utcnow()).date())}


def tip_card(page: str) -> str | None:
    return page.split('id="tip-title"')[1].split("</aside>")[0] if 'id="tip-title"' in page else None


def test_the_group_page_shows_the_weeks_tip_to_those_who_asked_for_practice(app, world):
    una, ned = login(app, "una@example.org"), login(app, "ned@example.org")
    card = tip_card(text(una.get(f"/groups/{world['group']}")))
    assert card is not None and world["tip"] in card
    assert 'href="/journey#tips">Turn off tips</a>' in card
    assert tip_card(text(ned.get(f"/groups/{world['group']}"))) is None
    assert "This week:" in text(una.get("/journey")) and world["tip"] in text(una.get("/journey"))
    assert world["tip"] not in text(ned.get("/journey"))


def test_turning_tips_off_and_on_from_the_journey_page(app, world):
    una = login(app, "una@example.org")
    response = submit(una, "/journey", {"tips": "off"}, action="/journey/tips")
    assert response.status_code == 302 and response.headers["Location"] == "/journey#tips"
    page = text(una.get("/journey"))
    assert "Tips are off. You can turn them back on here any time." in page and 'value="on"' in page
    assert tip_card(text(una.get(f"/groups/{world['group']}"))) is None
    with app.app_context():
        assert db.session.get(Profile, world["una"]).practice_tips is False

    ned = login(app, "ned@example.org")
    submit(ned, "/journey", {"tips": "on"}, action="/journey/tips")
    assert "Tips are on." in text(ned.get("/journey"))
    assert world["tip"] in tip_card(text(ned.get(f"/groups/{world['group']}")))


@pytest.mark.parametrize("data", [{}, {"tips": "maybe"}, {"tips": "ON "}])
def test_a_forged_tips_value_is_a_400_and_nothing_changes(app, world, data):
    response = submit(login(app, "una@example.org"), "/journey", data, action="/journey/tips")
    assert response.status_code == 400 and "Please use the button to turn tips on or off." in text(response)
    with app.app_context():
        assert db.session.get(Profile, world["una"]).practice_tips is None


def test_organizers_looking_at_a_group_see_no_tip(app, world):
    with app.app_context():
        olu = member("olu@example.org", "Olu Ade", role="organizer")
        olu.profile.practice_tips = True
        db.session.commit()
    assert tip_card(text(login(app, "olu@example.org").get(f"/groups/{world['group']}"))) is None
