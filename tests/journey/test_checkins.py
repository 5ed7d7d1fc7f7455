"""Monthly check-ins through the real pages and services: saving, updating the same month (still
one row), months counted in the community's time zone, answers encrypted at rest, the group the
connection question was about, incomplete answers turned back with nothing saved, and privacy:
nobody else (members, moderators or admins) sees or deletes someone's check-in, and nothing reaches
the moderators unless the member presses "I'd like to talk to someone", which says only that."""
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, text

from community.extensions import db
from community.groups import services as groups
from community.journey import checkins
from community.journey.scoring import CheckInAnswers
from community.models import (
    AuditLog,
    Escalation,
    MonthlyCheckIn,
    Notification,
    ReviewItem,
    SupportMessage,
    User,
)
from community.models.base import utcnow
from tests.conftest import submit
from tests.factories import member
from tests.support import login_client

NOTE = "walked to the library, tangerine-kite"
HEAVY = {"lack_company": "3", "left_out": "2", "isolated": "2", "mood": "1"}  # 7 and a low mood


@pytest.fixture
def people(app):
    """Riley walks with the Walkers and, since later, plays in the Board games circle with Pat; Sol is
    in no group; Mo is a moderator and Ada an admin."""
    with app.app_context():
        riley, pat, sol = member("riley@example.org", "Riley"), member("pat@example.org", "Pat"), member("sol@example.org", "Sol")
        mo = member("mo@example.org", "Mo", role="moderator")
        ada = member("ada@example.org", "Ada", role="admin")
        older = groups.create_group("Walkers", "online", [riley], None)
        group = groups.create_group("Board games circle", "online", [riley, pat], None)
        db.session.commit()
        return {"riley": riley.id, "pat": pat.id, "sol": sol.id, "mo": mo.id, "ada": ada.id, "group": group.id,
                "older": older.id}


def rows(app, user_id=None) -> list[MonthlyCheckIn]:
    with app.app_context():
        query = select(MonthlyCheckIn).order_by(MonthlyCheckIn.id)
        if user_id is not None:
            query = query.where(MonthlyCheckIn.user_id == user_id)
        found = list(db.session.scalars(query))
        for row in found:
            db.session.expunge(row)
        return found


def staff_rows(app) -> dict[str, int]:
    """Everything that would tell a moderator or anyone else about a member."""
    with app.app_context():
        return {model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
                for model in (Escalation, ReviewItem, Notification, SupportMessage, AuditLog)}


def check_in(client, **answers):
    return submit(client, "/journey/check-in", {"lack_company": "2", "left_out": "2", "isolated": "1",
                                                 "group_connection": "4", "mood": "3", "note": NOTE, **answers})


def test_saving_a_check_in_and_seeing_the_trend(app, people):
    client = login_client(app, "riley@example.org")
    page = client.get("/journey/check-in").get_data(as_text=True)
    assert "takes about a minute" in page and "Only you see your answers" in page
    assert page.count("<fieldset") == 5 and "<legend>How connected did you feel to your group this month?</legend>" in page
    response = check_in(client)
    assert response.status_code == 302 and response.headers["Location"] == "/journey/check-in/thanks"
    (row,) = rows(app, people["riley"])
    with app.app_context():
        assert row.month == checkins.month_of(utcnow())
    assert row.answers == {"lack_company": 2, "left_out": 2, "isolated": 1, "group_connection": 4, "mood": 3}
    assert row.note == NOTE
    assert row.group_id == people["group"]  # the group Riley joined most recently
    thanks = client.get("/journey/check-in/thanks").get_data(as_text=True)
    assert "Thank you for checking in" in thanks
    assert 'role="img"' in thanks and thanks.count('class="trend-point"') == 1
    assert "Your check-in for" in thanks and ": 5, on a scale from 3 to 9" in thanks
    assert "988" not in thanks.split("<footer")[0]  # not heavy: no resources card (the footer always has 988)


def test_checking_in_again_the_same_month_updates_it(app, people):
    client = login_client(app, "riley@example.org")
    check_in(client)
    again = client.get("/journey/check-in").get_data(as_text=True)
    assert "updates this month's answers" in again
    assert 'value="2" id="lack_company-2" checked' in again  # starts from the answers given
    assert NOTE in again
    response = check_in(client, lack_company="3", note="")
    assert response.status_code == 302
    (row,) = rows(app, people["riley"])
    assert row.answers["lack_company"] == 3 and row.note == ""
    assert "Updated this month&#39;s check-in" in client.get("/journey/check-in/thanks").get_data(as_text=True)


def test_the_month_is_the_community_time_zones(app, people):
    late_on_the_30th = datetime(2026, 12, 1, 4, 30, tzinfo=UTC)  # 23:30 on 30 November in New York
    with app.app_context():
        riley = db.session.get(User, people["riley"])
        assert checkins.month_of(late_on_the_30th) == "2026-11"
        assert checkins.due(riley, late_on_the_30th)
        checkins.save(riley, CheckInAnswers(2, 2, 2), now=late_on_the_30th)
        assert not checkins.due(riley, late_on_the_30th)
        next_morning = datetime(2026, 12, 1, 14, 0, tzinfo=UTC)  # 9 am on 1 December in New York
        assert checkins.due(riley, next_morning)
        saved = checkins.save(riley, CheckInAnswers(1, 2, 2), now=next_morning)
        assert not saved.replaced
        assert [(p.month, p.loneliness) for p in checkins.trend(riley.id)] == [("2026-11", 6), ("2026-12", 5)]


def test_answers_and_notes_are_encrypted_at_rest(app, people):
    client = login_client(app, "riley@example.org")
    check_in(client)
    with app.app_context():
        raw = db.session.execute(text("SELECT answers, note FROM monthly_checkins")).one()
    assert "lack_company" not in raw.answers and "tangerine" not in raw.note
    assert raw.answers.startswith("gAAAA") and raw.note.startswith("gAAAA")  # Fernet tokens


def test_without_a_group_the_group_question_is_not_asked_or_kept(app, people):
    client = login_client(app, "sol@example.org")
    page = client.get("/journey/check-in").get_data(as_text=True)
    assert "How connected did you feel" not in page
    check_in(client)  # a crafted post still sends one: it isn't kept
    (row,) = rows(app, people["sol"])
    assert row.group_id is None and row.answers["group_connection"] is None


@pytest.mark.parametrize("missing", ["lack_company", "left_out", "isolated"])
def test_a_missing_question_is_turned_back_kindly_and_nothing_is_saved(app, people, missing):
    client = login_client(app, "riley@example.org")
    response = check_in(client, **{missing: ""})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Please choose the answer closest to how it&#39;s been" in page
    assert f'href="#{missing}"' in page  # the summary links to the question
    assert NOTE in page  # what they wrote is still there
    assert rows(app) == []


@pytest.mark.parametrize("bad", [{"mood": "7"}, {"left_out": "often"}, {"group_connection": "0"},
                                 {"note": "x" * 1001}])
def test_bad_values_are_turned_back(app, people, bad):
    client = login_client(app, "riley@example.org")
    assert check_in(client, **bad).status_code == 400
    assert rows(app) == []


def test_heavy_answers_show_resources_gently_and_tell_nobody(app, people):
    client = login_client(app, "riley@example.org")
    before = staff_rows(app)
    check_in(client, **HEAVY)
    thanks = client.get("/journey/check-in/thanks").get_data(as_text=True)
    assert "It sounds like this month has been heavy" in thanks
    assert 'href="tel:988"' in thanks and "Nobody has been told about your answers" in thanks
    assert "I'd like to talk to someone</button>" in thanks
    client.get("/journey/check-ins")
    assert staff_rows(app) == before  # no escalation, review item, notification, message or audit row


def test_asking_to_talk_reaches_moderators_with_only_that(app, people):
    client = login_client(app, "riley@example.org")
    check_in(client, **HEAVY)
    response = submit(client, "/journey/check-in/thanks", {}, action="/journey/talk")
    assert response.status_code == 302 and response.headers["Location"] == "/support"
    assert "One of them will write to you privately" in client.get("/support").get_data(as_text=True)
    with app.app_context():
        (escalation,) = db.session.scalars(select(Escalation)).all()
        assert (escalation.level, escalation.categories, escalation.user_id, escalation.message_id,
                escalation.group_id, escalation.status) == ("concern", ["asked_to_talk"], people["riley"], None,
                                                            None, "open")  # any moderator may answer
        (trail,) = db.session.scalars(select(AuditLog)).all()
        assert (trail.action, trail.actor_id, trail.detail) == ("talk_requested", people["riley"], {})
        assert db.session.scalar(select(func.count()).select_from(Notification)) == 0
    # Asking again before anyone replied adds nothing.
    submit(client, "/journey/check-in/thanks", {}, action="/journey/talk")
    assert staff_rows(app)["escalations"] == 1
    assert "You've asked to talk" in client.get("/journey/check-in/thanks").get_data(as_text=True)
    # The moderator sees that Riley asked, never an answer or the note.
    mo = login_client(app, "mo@example.org")
    queue = mo.get("/moderation/").get_data(as_text=True)
    assert "Asked to talk after their monthly check-in" in queue
    page = mo.get(f"/moderation/escalations/{escalation.id}").get_data(as_text=True)
    assert "asked to talk to someone after their monthly check-in" in page
    assert "You said after your check-in that you&#39;d like to talk" in page  # the suggested first message
    for private in ("tangerine-kite", "Often", "Hardly ever", "mood"):
        assert private not in page


def test_history_and_deleting_ones_own(app, people):
    client = login_client(app, "riley@example.org")
    empty = client.get("/journey/check-ins").get_data(as_text=True)
    assert "Your chart starts with your first check-in" in empty and "<svg" not in empty
    check_in(client)
    (row,) = rows(app, people["riley"])
    page = client.get("/journey/check-ins").get_data(as_text=True)
    assert NOTE in page and "<caption>Your check-ins, month by month</caption>" in page
    assert f'action="/journey/check-ins/{row.id}/delete"' in page
    response = submit(client, "/journey/check-ins", {}, action=f"/journey/check-ins/{row.id}/delete")
    assert response.status_code == 302
    assert rows(app) == []


@pytest.mark.parametrize("who", ["pat@example.org", "mo@example.org", "ada@example.org"])
def test_nobody_else_sees_or_deletes_a_members_check_in(app, people, who):
    check_in(login_client(app, "riley@example.org"))
    (row,) = rows(app)
    other = login_client(app, who)
    for page in ("/journey/check-ins", "/journey/check-in", "/journey/check-in/thanks"):
        response = other.get(page, follow_redirects=True)
        assert response.status_code == 200
        assert "tangerine-kite" not in response.get_data(as_text=True)
    summary = submit(other, "/journey/summary", {"steps": "y", "activities": "y", "check_ins": "y", "notes": "y"})
    assert summary.status_code == 200 and "tangerine-kite" not in summary.get_data(as_text=True)
    assert "trend-point" not in summary.get_data(as_text=True)
    response = submit(other, "/journey/check-ins", {}, action=f"/journey/check-ins/{row.id}/delete")
    assert response.status_code == 404
    assert [r.id for r in rows(app)] == [row.id]


def test_anonymous_visitors_are_sent_to_log_in(client, people):
    for page in ("/journey/check-in", "/journey/check-ins", "/journey/check-in/thanks", "/journey/summary"):
        response = client.get(page)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_due_until_this_months_check_in(app, people):
    with app.app_context():
        riley = db.session.get(User, people["riley"])
        assert checkins.due(riley)
    check_in(login_client(app, "riley@example.org"))
    with app.app_context():
        assert not checkins.due(db.session.get(User, people["riley"]))
