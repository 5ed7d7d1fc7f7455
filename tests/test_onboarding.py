"""Onboarding: short steps, saved one at a time, resumable, and editable from the profile."""
import pytest

from community.extensions import db
from community.models import User
from tests.conftest import submit

STEP_DATA = {
    "interests": {"interests": ["board-games", "hiking"], "own_interests": "Catan, sourdough, Studio Ghibli films"},
    "where": {"neighbourhood": "decatur"},
    "when": {"slots": ["11", "17", "19"]},
    "pace": {"format_preference": "either", "comfort_step": "2"},
    "private": {"barriers": ["anxiety_freezes", "misread"]},
    "sharing": {"communication_prefs": ["prefer_text"], "communication_note": "New to Atlanta."},
    "consent": {"understood": "y"},
}


@pytest.fixture
def member(client, auth):
    auth.register(email="new@example.org", name="Jordan")
    return client


def profile_of(app, email="new@example.org"):
    with app.app_context():
        user = db.session.query(User).filter_by(email=email).one()
        return user.profile, user.is_onboarded


def test_whole_onboarding_in_order(member, app):
    location = "/welcome"
    assert member.get(location).headers["Location"] == "/welcome/interests"
    for step, data in STEP_DATA.items():
        response = submit(member, f"/welcome/{step}", data)
        assert response.status_code == 302, (step, response.get_data(as_text=True)[:500])
        location = response.headers["Location"]
    assert location == "/home"
    profile, onboarded = profile_of(app)
    assert onboarded
    # 'Catan' is a known synonym of board games: folded in; the others are kept in her words.
    assert profile.interests[:2] == ["board-games", "hiking"]
    assert "Studio Ghibli films" in profile.custom_interests
    assert "Catan" not in profile.custom_interests
    assert profile.neighbourhood == "decatur" and not profile.online_only
    assert profile.availability == [11, 17, 19]
    assert (profile.format_preference, profile.comfort_step) == ("either", 2)
    assert profile.barriers == ["anxiety_freezes", "misread"]
    assert profile.communication_note == "New to Atlanta."
    assert member.get("/welcome").headers["Location"] == "/home"


def test_leave_and_resume(member, app):
    submit(member, "/welcome/interests", STEP_DATA["interests"])
    response = submit(member, "/welcome/where", {**STEP_DATA["where"], "action": "later"})
    assert response.headers["Location"] == "/home"
    home = member.get("/home").get_data(as_text=True)
    assert "2 of 7" in home and "Continue setting up" in home
    assert member.get("/welcome").headers["Location"] == "/welcome/when"
    assert not profile_of(app)[1]


def test_each_step_can_be_edited_from_the_profile(member, app):
    for step, data in STEP_DATA.items():
        submit(member, f"/welcome/{step}", data)
    page = member.get("/welcome/where?from=profile").get_data(as_text=True)
    assert '<option value="decatur" selected>' in page
    response = submit(member, "/welcome/where?from=profile", {"neighbourhood": "online"})
    assert response.headers["Location"] == "/profile#where"
    profile, onboarded = profile_of(app)
    assert profile.online_only and profile.neighbourhood is None
    # An online-only member can't stay 'either': matching must not place them in person.
    assert profile.format_preference == "online"
    assert onboarded
    assert "Online only" in member.get("/profile").get_data(as_text=True)


@pytest.mark.parametrize(
    ("step", "data", "message"),
    [
        ("interests", {"interests": []}, "Please pick at least one thing"),
        ("interests", {"interests": ["board-games", "no-such-interest"]}, "isn&#39;t on our list"),
        ("interests", {"own_interests": ", ".join(f"thing {n}" for n in range(11))}, "up to 10"),
        ("interests", {"own_interests": "x" * 41}, "40 characters"),
        ("where", {"neighbourhood": "narnia"}, "We don&#39;t know that neighbourhood"),
        ("where", {"neighbourhood": ""}, "Please choose a neighbourhood"),
        ("when", {}, "Please pick at least one time"),
        ("when", {"slots": ["21"]}, "isn&#39;t on our list"),
        ("when", {"slots": ["evening"]}, "isn&#39;t on our list"),
        ("pace", {"format_preference": "teleport", "comfort_step": "2"}, "Not a valid choice"),
        ("pace", {"format_preference": "online", "comfort_step": "9"}, "Not a valid choice"),
        ("pace", {"format_preference": "online"}, "Please choose a starting step"),
        ("private", {"barriers": ["lazy"]}, "isn&#39;t on our list"),
        ("sharing", {"communication_note": "y" * 281}, "280 characters"),
        ("consent", {}, "Please tick the box"),
    ],
)
def test_bad_answers_get_a_clear_message_and_nothing_is_saved(member, app, step, data, message):
    response = submit(member, f"/welcome/{step}", data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    profile, _ = profile_of(app)
    assert profile is None


def test_online_only_cannot_choose_in_person(member, app):
    submit(member, "/welcome/where", {"neighbourhood": "online"})
    response = submit(member, "/welcome/pace", {"format_preference": "in_person", "comfort_step": "3"})
    assert response.status_code == 400
    assert "in-person meetups won&#39;t fit yet" in response.get_data(as_text=True)
    assert profile_of(app)[0].format_preference is None


def test_unknown_step_is_404(member):
    assert member.get("/welcome/shoe-size").status_code == 404


def test_private_answers_are_framed_without_blame_and_marked_private(member):
    page = member.get("/welcome/private").get_data(as_text=True)
    assert "None of them means you're hard to like" in page
    assert "Only you can see this." in page
    for label in ("I never really learned the unwritten rules", "I know what to do but anxiety freezes me",
                  "My way of communicating gets misread", "I tend to keep people at a distance"):
        assert label in page


def test_every_input_has_a_label(member):
    import re

    for step in STEP_DATA:
        page = member.get(f"/welcome/{step}").get_data(as_text=True)
        ids = re.findall(r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', page)
        assert ids, step
        for input_id in ids:
            assert f'for="{input_id}"' in page, (step, input_id)


def test_availability_grid_has_21_named_slots(member):
    page = member.get("/welcome/when").get_data(as_text=True)
    assert page.count('name="slots"') == 21
    assert "Monday morning" in page and "Sunday evening" in page


def test_interest_choices_cover_the_taxonomy(member):
    from community.reference import taxonomy

    page = member.get("/welcome/interests").get_data(as_text=True)
    assert page.count('name="interests"') == len(taxonomy().interests)


def test_onboarding_needs_login(client):
    response = client.get("/welcome/interests")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
