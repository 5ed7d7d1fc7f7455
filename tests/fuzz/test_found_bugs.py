"""What the fuzzers found, each kept as a plain test so it stays fixed:

- a number field sent 309 digits (beyond a float) crashed WTForms' NumberRange (OverflowError, a 500);
- an id too big for a 64-bit integer, in a chat event, a URL or a query string, crashed SQLite's
  driver (OverflowError), and "²" passed str.isdigit() only to crash int();
- half an emoji (a lone surrogate, as a JavaScript string cut in two arrives) could never be
  stored, so its writer was asked to "try again" for ever;
- on PostgreSQL, a NUL character in a form field, a query string or a URL segment crashed psycopg
  (DataError), whether the text was to be stored or only looked up (CI runs this file there too).
"""
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from community.extensions import db
from community.groups import services as groups
from community.models import Activity, FilterRules, GroupModerator, Message, User
from tests.conftest import submit
from tests.factories import member
from tests.support import connect, login_client

HUGE = "9" * 309  # more than a float can hold
TOO_BIG_ID = 10**30


@pytest.fixture
def group_id(app):
    with app.app_context():
        alex, bo = member("alex@example.org", "Alex"), member("bo@example.org", "Bo")
        member("olu@example.org", "Olu", role="organizer")
        ada = member("ada@example.org", "Ada", role="admin")
        group = groups.create_group("Board games circle", "online", [alex, bo], None)
        db.session.add(GroupModerator(group_id=group.id, user_id=ada.id))
        db.session.commit()
        return group.id


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("field", ["capacity", "occurrences"])
def test_a_number_too_big_for_a_float_is_turned_back_kindly(app, group_id, field):
    olu = login_client(app, "olu@example.org")
    activity = {"title": "Game night", "focus": "board-games", "format": "online",
                "join_url": "https://example.org/room", "day": (date.today() + timedelta(days=9)).isoformat(),
                "start": "18:00", "end": "20:00", "capacity": "8", "comfort_step": "2", "groups": str(group_id),
                "repeat": "weekly", "occurrences": "3", field: HUGE}
    response = submit(olu, "/organize/activities/new", activity)
    assert response.status_code == 400
    assert "Please enter a smaller whole number." in response.get_data(as_text=True)
    assert _count(app, Activity) == 0


def test_filter_numbers_too_big_for_a_float_are_turned_back(app, group_id):
    ada = login_client(app, "ada@example.org")
    response = submit(ada, f"/moderation/groups/{group_id}/filters",
                      {"new_member_days": HUGE, "link_action": "hold", "flood_count": "0", "flood_seconds": "10",
                       "duplicate_window": "3", "slow_mode_seconds": "0"})
    assert response.status_code == 400
    assert "Please enter a smaller whole number." in response.get_data(as_text=True)
    assert _count(app, FilterRules) == 0


@pytest.mark.parametrize("payload, error", [
    ({"group_id": TOO_BIG_ID}, "Which group?"),
    ({"group_id": str(TOO_BIG_ID)}, "Which group?"),
    ({"group_id": "²"}, "Which group?"),
    ({"group_id": "GROUP", "after_id": TOO_BIG_ID}, "after_id must be a message id."),
])
def test_ids_no_row_can_have_get_an_error_ack_in_chat(app, group_id, payload, error):
    sio = connect(app, "ada@example.org")  # an admin may read every group, so the id is looked up
    payload = {**payload, "group_id": group_id} if payload["group_id"] == "GROUP" else payload
    ack = sio.emit("join", payload, callback=True)
    assert ack["ok"] is False and ack["error"].startswith(error)
    assert sio.emit("history", {"group_id": group_id, "before_id": TOO_BIG_ID}, callback=True)["ok"] is False
    assert sio.emit("typing", payload) is None
    assert sio.is_connected()


def test_ids_no_row_can_have_in_a_url_or_query_are_not_found(app, group_id):
    ada = login_client(app, "ada@example.org")
    assert ada.get(f"/groups/{TOO_BIG_ID}").status_code == 404
    assert ada.get(f"/moderation/items/{TOO_BIG_ID}").status_code == 404
    assert ada.get(f"/groups/{group_id}/chat/transcript?before={TOO_BIG_ID}").status_code == 404
    assert ada.get(f"/moderation/log?group={TOO_BIG_ID}").status_code == 200  # every group, as for none
    assert ada.get(f"/organize/activities/new?group={TOO_BIG_ID}&idea=0").status_code == 200
    alex = login_client(app, "alex@example.org")
    with app.app_context():
        bo_id = db.session.scalar(select(User.id).where(User.email == "bo@example.org"))
    assert alex.get(f"/people/{bo_id}/worried?message={TOO_BIG_ID}").status_code == 200  # no message quoted
    assert alex.get(f"/groups/{group_id}/chat/transcript?before=²").status_code == 404


def test_half_an_emoji_is_stored_as_a_replacement_character_not_refused_for_ever(app, group_id):
    sio = connect(app, "alex@example.org")
    ack = sio.emit("send", {"group_id": group_id, "body": "see you \ud83d there", "client_id": "half"}, callback=True)
    assert ack["ok"] is True and ack["message"]["body"] == "see you \ufffd there"
    with app.app_context():
        assert db.session.scalar(select(Message.body).where(Message.client_id == "half")) == "see you \ufffd there"
    refused = sio.emit("send", {"group_id": group_id, "body": "hi", "client_id": "\udfff"}, callback=True)
    assert refused["ok"] is False and "client_id" in refused["error"]


def test_nul_characters_are_dropped_from_forms_and_queries_and_refused_in_urls(app, group_id):
    olu = login_client(app, "olu@example.org")
    activity = {"title": "Game\x00 night", "focus": "board-games", "format": "online",
                "join_url": "https://example.org/room", "day": (date.today() + timedelta(days=9)).isoformat(),
                "start": "18:00", "end": "20:00", "capacity": "8", "comfort_step": "2", "groups": str(group_id)}
    assert submit(olu, "/organize/activities/new", activity).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Activity.title)) == "Game night"
    ada = login_client(app, "ada@example.org")
    assert ada.get("/moderation/log?q=rude%00words").status_code == 200
    assert ada.get("/admin/access-log?email=riley%00@example.org").status_code < 500
    visitor = app.test_client()
    assert visitor.get("/calendar/feed%00token.ics").status_code == 404
    assert submit(visitor, "/login", {"email": "a\x00@example.org", "password": "x\x00"}).status_code == 400
