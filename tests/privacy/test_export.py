"""Download my data: every kind of thing we hold about the member, as a JSON download and a
readable page, and nothing of anyone else's private data."""
import html as htmllib
import json

import pytest

from tests.privacy import world
from tests.support import login_client as login


@pytest.fixture
def ids(app):
    with app.app_context():
        return world.build()


def test_visitors_are_sent_to_log_in(client):
    for url in ("/privacy/my-data", "/privacy/my-data.json"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_json_download_holds_every_kind_of_data_about_the_member(app, ids):
    response = login(app, "sam@example.org").get("/privacy/my-data.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="common-ground-my-data-')
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.get_data(as_text=True))

    assert data["account"]["email"] == "sam@example.org" and data["account"]["display_name"] == "Sam"
    assert data["sign_in_sessions"], "the session this download came through"
    profile = data["profile"]
    assert profile["barriers"] == ["I know what to do but anxiety freezes me"]  # private answers included
    assert profile["communication_note"] == "SAM-COMMUNICATION-NOTE" and profile["comfort_step"] == 2
    assert [g["group"] for g in data["groups"]] == ["Board games circle"]
    assert data["not_for_me"][0]["reasons"] == ["The times don't work for me"]
    assert data["not_for_me"][0]["note"] == "SAM-NOT-FOR-ME" and len(data["not_for_me"]) == 1
    assert data["waiting_list"]["reason"] == "SAM-WAITING-REASON"

    messages = {m["text"]: m["status"] for m in data["chat_messages"]}
    assert messages == {"SAM-MESSAGE hi Pat": "Shown to the group", "SAM-HELD words": "Held back from the group",
                        "SAM-HIDDEN words": "Hidden by a moderator", "SAM-LATER see you Thursday": "Shown to the group"}
    activities = {a["activity"]: a for a in data["activities"]}
    assert activities["GAME-NIGHT"]["answer"] == "Going" and activities["PAST-WALK"]["attended"] == "Yes"
    assert [r["activity"] for r in data["reminders"]] == ["PAST-WALK"]
    assert data["calendar_feed"]["created"]

    check_ins = [c["text"] for c in data["check_ins"]]
    assert any(t.startswith("SAM-CHECK-IN") for t in check_ins) and any("thinking of you" in t for t in check_ins)
    assert {c["from"] for c in data["check_ins"]} == {"A Common Ground moderator", "Common Ground"}
    assert sorted(s["why"] for s in data["safety_check_ins"]) == [
        "Another member asked us to check on you", "Something you wrote in a group chat"]
    assert [(r["reason"], r["note"]) for r in data["reports_you_made"]] == [("Spam", "SAM-REPORT-NOTE")]
    assert [(w["about"], w["note"]) for w in data["worries_you_shared"]] == [("Pat", "SAM-WORRY-NOTE")]
    assert [b["person"] for b in data["people_you_blocked"]] == ["Pat"]
    assert len(data["notifications"]) >= 2  # the warning and the pause
    record = {r["reason_given"]: r for r in data["moderation_record"]}
    assert set(record) == {"SAM-WARN-REASON", "SAM-MUTE-REASON"}
    assert record["SAM-MUTE-REASON"]["your_appeal"]["note"] == "SAM-APPEAL-NOTE"
    assert data["account_deletion"] is None and data["staff_work"] is None

    # The journey: answers in words with their total, the step move, the buddy, the own turn only.
    [check_in] = data["monthly_check_ins"]
    assert check_in["month"] == "2026-10" and check_in["loneliness_total_3_to_9"] == 7
    assert check_in["your_note"] == "SAM-CHECKIN-NOTE" and check_in["group"] == "Board games circle"
    assert list(check_in["answers"].values()) == ["Some of the time", "Some of the time", "Often"]
    assert check_in["How connected did you feel to your group this month?"] == "Quite connected"
    assert [(m["from"], m["to"]) for m in data["comfort_step_moves"]] == [
        ("Online, text first", "Structured online activities")]
    assert [(b["activity"], b["walking_in_with"]) for b in data["buddies"]] == [("GAME-NIGHT", "Lee")]
    assert [(r["question"], r["your_turn"]) for r in data["question_rounds"]] == [
        ("ROUND-QUESTION what are you reading?", "You answered")]
    assert [(s["group"], s["when"], s["you_proposed_it"]) for s in data["round_schedules_agreed"]] == [
        ("Board games circle", "Wednesdays at 7 p.m.", False)]
    assert data["profile"]["conversation_tips"] == "As your answers suggest"


def test_nothing_of_other_peoples_private_data_or_any_secret_is_in_it(app, ids):
    http = login(app, "sam@example.org")
    for url in ("/privacy/my-data.json", "/privacy/my-data"):
        body = htmllib.unescape(http.get(url).get_data(as_text=True))
        for private in world.NOT_SAMS:
            assert private not in body, f"{private!r} leaked into {url}"
        assert ids["feed_token"] not in body  # a credential, like the password
        assert "scrypt" not in body and "pbkdf2" not in body
        assert "Pat" in body  # only as the person Sam blocked and worried about


def test_the_readable_page_shows_the_same_things(app, ids):
    response = login(app, "sam@example.org").get("/privacy/my-data")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    page = htmllib.unescape(response.get_data(as_text=True))
    for shown in ("sam@example.org", "I know what to do but anxiety freezes me", "SAM-HIDDEN words", "GAME-NIGHT",
                  "SAM-CHECK-IN", "SAM-REPORT-NOTE", "SAM-WORRY-NOTE", "SAM-MUTE-REASON", "SAM-APPEAL-NOTE",
                  "Your moderation record", "/privacy/my-data.json"):
        assert shown in page, shown
    assert 'style="' not in page and "<script>" not in page


def test_a_staff_member_gets_counts_of_their_work_not_its_contents(app, ids):
    data = json.loads(login(app, "mo@example.org").get("/privacy/my-data.json").get_data(as_text=True))
    assert data["staff_work"]["moderation_actions_taken"] == 3
    assert data["staff_work"]["escalation_notes_written"] == 1
    assert [g["group"] for g in data["groups_you_moderate"]] == ["Board games circle"]
    body = json.dumps(data)
    assert "SAM-WARN-REASON" not in body and "MO-SECRET-NOTE" not in body and "sam@example.org" not in body
