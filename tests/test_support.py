"""A member's side of safety: "I'm worried about this person" and the private support page."""
import pytest
from sqlalchemy import func, select

from community.extensions import db
from community.groups import services as groups
from community.models import AuditLog, Escalation, SupportMessage, WorryReport
from tests.conftest import csrf_token, submit
from tests.factories import circle, member
from tests.support import connect, login_client, messages_received


@pytest.fixture
def friends(app):
    with app.app_context():
        people = circle("lee", 3)
        group = groups.create_group("Book club", "online", people, by=None)
        outsider = member("far@example.org", "Far Away")
        return {"group": group.id, "people": [p.id for p in people], "outsider": outsider.id}


def count(app, model, **where):
    with app.app_context():
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return db.session.scalar(query)


def test_a_worry_reaches_the_person_as_a_kind_check_in_and_the_moderators_as_a_concern(app, friends):
    reporter = login_client(app, "lee0@example.org")
    subject_id = friends["people"][1]
    listening = connect(app, "lee1@example.org")
    page = f"/people/{subject_id}/worried"
    assert "Worried about Lee 1?" in reporter.get(page).get_data(as_text=True)

    response = submit(reporter, page, {"note": "They said they haven't slept in days."})

    assert response.status_code == 302 and response.headers["Location"].endswith(f"/groups/{friends['group']}")
    with app.app_context():
        escalation = db.session.scalar(select(Escalation))
        assert (escalation.level, escalation.source, escalation.user_id) == ("concern", "worry", subject_id)
        assert escalation.group_id == friends["group"] and escalation.message_id is None
        check_in = db.session.scalar(select(SupportMessage))
        assert check_in.recipient_id == subject_id and check_in.sender_id is None
        assert "Lee 0" not in check_in.body and "988" in check_in.body
        audit = db.session.scalar(select(AuditLog).where(AuditLog.action == "worry_reported"))
        assert audit.actor_id == friends["people"][0] and audit.subject_id == subject_id
    [notice] = messages_received(listening, "support_message")
    assert notice["from"] == "Common Ground" and notice["url"] == "/support"
    # The person reads it on their support page, which never names who asked.
    subject = login_client(app, "lee1@example.org")
    assert '<span class="badge">1<span class="visually-hidden"> new</span>' in subject.get("/home").get_data(as_text=True)
    inbox = subject.get("/support").get_data(as_text=True)
    assert "Someone here at Common Ground has been thinking of you" in inbox and "Lee 0" not in inbox
    assert 'href="tel:988"' in inbox and 'href="sms:988"' in inbox
    with app.app_context():
        assert db.session.scalar(select(SupportMessage.read_at)) is not None


def test_one_worry_per_person_per_day(app, friends):
    reporter = login_client(app, "lee0@example.org")
    page = f"/people/{friends['people'][1]}/worried"
    assert submit(reporter, page, {"note": ""}).status_code == 302
    again = reporter.get(page).get_data(as_text=True)
    assert "already let us know today" in again
    # Posting anyway (an old tab) changes nothing and says so kindly.
    response = reporter.post(page, data={"note": "", "csrf_token": csrf_token(reporter, f"/people/{friends['people'][2]}/worried")},
                             follow_redirects=True)
    assert "already told us about them today" in response.get_data(as_text=True)
    assert count(app, WorryReport) == 1 and count(app, Escalation) == 1 and count(app, SupportMessage) == 1


def test_worries_are_only_about_people_in_your_groups(app, friends):
    outsider = login_client(app, "far@example.org")
    assert outsider.get(f"/people/{friends['people'][0]}/worried").status_code == 404
    member_client = login_client(app, "lee0@example.org")
    assert member_client.get(f"/people/{friends['outsider']}/worried").status_code == 404
    assert member_client.get("/people/999999/worried").status_code == 404
    assert count(app, Escalation) == 0


def test_the_worried_link_is_on_the_group_page_for_everyone_but_yourself(app, friends):
    page = login_client(app, "lee0@example.org").get(f"/groups/{friends['group']}").get_data(as_text=True)
    assert f'/people/{friends["people"][1]}/worried' in page
    assert f'/people/{friends["people"][0]}/worried' not in page


def test_a_worry_about_a_message_links_it_for_the_moderators_and_the_transcript_offers_it(app, friends):
    from community.chat import services as chat
    from community.chat.services import Sender

    with app.app_context():
        sent = chat.send(Sender(friends["people"][1], "Lee 1", "member"), friends["group"], "rough week, honestly", "m1")
    reporter = login_client(app, "lee0@example.org")
    transcript = reporter.get(f"/groups/{friends['group']}/chat/transcript").get_data(as_text=True)
    page = f"/people/{friends['people'][1]}/worried?message={sent.message['id']}"
    assert f'href="{page}"' in transcript
    assert "rough week, honestly" in reporter.get(page).get_data(as_text=True)
    assert submit(reporter, page, {"note": ""}).status_code == 302
    with app.app_context():
        report = db.session.scalar(select(WorryReport))
        assert report.message_id == sent.message["id"]
    # Someone else's message id in the link says nothing about this person: it isn't attached.
    other = login_client(app, "lee2@example.org")
    assert submit(other, f"/people/{friends['people'][0]}/worried?message={sent.message['id']}", {"note": ""}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(WorryReport).where(WorryReport.reporter_id == friends["people"][2])).message_id is None
