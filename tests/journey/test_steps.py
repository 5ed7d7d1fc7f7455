"""Moving one's comfort step, and the StepChange row every move leaves, whichever page makes it:
the journey page (buttons and the radio group), the profile's edit page and onboarding. The first
step chosen during onboarding is not a move. Bad values are a 400 and change nothing."""
import html as htmllib

import pytest
from sqlalchemy import select

from community.extensions import db
from community.models import Profile, StepChange, User
from tests.conftest import submit
from tests.factories import member
from tests.support import login_client as login

SAVED = "Saved. You can change this whenever you like."


def text(response) -> str:
    return htmllib.unescape(response.get_data(as_text=True))


@pytest.fixture
def ann(app):
    with app.app_context():
        return member("ann@example.org", "Ann Test", comfort=2).id


def moves(app, user_id: int) -> list[tuple[int, int]]:
    with app.app_context():
        return [(c.from_step, c.to_step) for c in db.session.scalars(
            select(StepChange).where(StepChange.user_id == user_id).order_by(StepChange.id))]


def step_of(app, user_id: int) -> int:
    with app.app_context():
        return db.session.get(Profile, user_id).comfort_step


def marked_step(page: str) -> int:
    marked = page.split('aria-current="step"')[1].split("</li>")[0]
    assert "You are here" in marked
    return int(marked.split("Step ")[1].split(":")[0])


def test_one_step_up_then_one_step_down_each_leave_a_row(app, ann):
    client = login(app, "ann@example.org")
    response = submit(client, "/journey", {"move": "up"}, action="/journey/step")
    assert response.status_code == 302 and response.headers["Location"] == "/journey#ladder"
    page = text(client.get("/journey"))
    assert SAVED in page and marked_step(page) == 3
    assert step_of(app, ann) == 3 and moves(app, ann) == [(2, 3)]

    submit(client, "/journey", {"move": "down"}, action="/journey/step")
    assert step_of(app, ann) == 2 and moves(app, ann) == [(2, 3), (3, 2)]
    submit(client, "/journey", {"move": "down"}, action="/journey/step")
    assert moves(app, ann) == [(2, 3), (3, 2), (2, 1)]
    assert marked_step(text(client.get("/journey"))) == 1


def test_choosing_a_step_directly_and_choosing_the_same_one_again(app, ann):
    client = login(app, "ann@example.org")
    assert submit(client, "/journey", {"step": "4"}, action="/journey/step").status_code == 302
    assert step_of(app, ann) == 4 and moves(app, ann) == [(2, 4)]
    response = submit(client, "/journey", {"step": "4"}, action="/journey/step")
    assert response.status_code == 302 and SAVED in text(client.get("/journey"))
    assert moves(app, ann) == [(2, 4)]  # staying put is not a move


def test_the_buttons_offer_only_moves_that_exist(app):
    with app.app_context():
        member("top@example.org", "Top Step", comfort=4)
        member("low@example.org", "Low Step", comfort=1)
    top, low = text(login(app, "top@example.org").get("/journey")), text(login(app, "low@example.org").get("/journey"))
    assert 'value="up"' not in top and 'value="down"' in top
    assert 'value="up"' in low and 'value="down"' not in low


@pytest.mark.parametrize(("data", "message"), [
    ({"step": "7"}, "Please choose a step from 1 to 4."),
    ({"step": "0"}, "Please choose a step from 1 to 4."),
    ({"step": "two"}, "Please choose a step from 1 to 4."),
    ({"step": "2.5"}, "Please choose a step from 1 to 4."),
    ({"move": "sideways"}, "Please use the 'one step up' or 'one step down' button."),
    ({}, "Please choose a step, or use the 'one step up' or 'one step down' button."),
])
def test_a_bad_value_is_a_400_with_a_kind_message_and_nothing_changes(app, ann, data, message):
    client = login(app, "ann@example.org")
    response = submit(client, "/journey", data, action="/journey/step")
    assert response.status_code == 400
    assert message in text(response) and "Let's fix this together" in text(response)
    assert step_of(app, ann) == 2 and moves(app, ann) == []


def test_past_the_top_or_bottom_of_the_ladder_is_a_400_and_nothing_changes(app):
    with app.app_context():
        top = member("top@example.org", "Top Step", comfort=4).id
        low = member("low@example.org", "Low Step", comfort=1).id
    response = submit(login(app, "top@example.org"), "/journey", {"move": "up"}, action="/journey/step")
    assert response.status_code == 400 and "You're on the top step already" in text(response)
    response = submit(login(app, "low@example.org"), "/journey", {"move": "down"}, action="/journey/step")
    assert response.status_code == 400 and "You're on the first step already" in text(response)
    assert (step_of(app, top), step_of(app, low)) == (4, 1) and moves(app, top) == moves(app, low) == []


def test_a_change_on_the_profile_edit_page_is_recorded_too(app, ann):
    client = login(app, "ann@example.org")
    page = "/welcome/pace?from=profile"
    response = submit(client, page, {"format_preference": "either", "comfort_step": "3"})
    assert response.status_code == 302
    assert step_of(app, ann) == 3 and moves(app, ann) == [(2, 3)]
    submit(client, page, {"format_preference": "online", "comfort_step": "3"})  # only the format changed
    assert moves(app, ann) == [(2, 3)]


def test_the_first_step_chosen_during_onboarding_is_not_a_move_but_a_later_change_is(app, auth):
    auth.register(email="new@example.org", name="New Person")
    client = auth.client
    assert submit(client, "/welcome/pace", {"format_preference": "online", "comfort_step": "1"}).status_code == 302
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == "new@example.org"))
    assert step_of(app, user_id) == 1 and moves(app, user_id) == []
    submit(client, "/welcome/pace", {"format_preference": "online", "comfort_step": "2"})
    assert moves(app, user_id) == [(1, 2)]


def test_several_sets_before_one_flush_record_the_net_move_even_when_the_old_value_had_expired(app, ann):
    with app.app_context():
        profile = db.session.get(Profile, ann)
        db.session.expire(profile)  # as after any commit: the old value must still be found
        profile.comfort_step = 3
        profile.comfort_step = 4
        db.session.commit()
        profile.comfort_step = 1
        profile.comfort_step = 4  # back where it was: no move
        db.session.commit()
    assert moves(app, ann) == [(2, 4)]
