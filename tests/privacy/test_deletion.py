"""Delete my account: the page and its checks, the cooling-off period and changing one's mind, and
the purge afterwards with either choice about chat messages. Time moves by setting timestamps in
the database. Runs on PostgreSQL too with TEST_DATABASE_URL."""
import html as htmllib
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from community.chat.services import as_event
from community.extensions import db
from community.models import (
    AccountDeletion,
    Appeal,
    AuditLog,
    Block,
    CalendarFeed,
    Escalation,
    EscalationNote,
    GroupFeedback,
    MatchRun,
    Membership,
    Message,
    MinimisedEscalation,
    ModerationAction,
    Notification,
    Profile,
    ReminderSent,
    Report,
    Rsvp,
    SignInSession,
    SupportMessage,
    WaitlistEntry,
    WorryReport,
)
from community.models.base import utcnow
from community.privacy import purge
from tests.conftest import submit
from tests.privacy import world
from tests.support import PASSWORD
from tests.support import login_client as login


def text(response) -> str:
    return htmllib.unescape(response.get_data(as_text=True))


@pytest.fixture
def ids(app):
    with app.app_context():
        return world.build()


def ask_to_delete(http, messages="erase", password=PASSWORD):
    return submit(http, "/privacy/delete-account", {"messages": messages, "password": password})


def time_passes(app, user_id, hours=73):
    """The cooling-off period ends: the request is moved back in time."""
    with app.app_context():
        request = db.session.get(AccountDeletion, user_id)
        request.purge_after -= timedelta(hours=hours)
        request.requested_at -= timedelta(hours=hours)
        db.session.commit()


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_the_page_explains_and_asks_for_a_choice_and_the_password(app, ids):
    http = login(app, "sam@example.org")
    page = text(http.get("/privacy/delete-account"))
    assert "72 hours" in page and "Keep my account" in page and "365 days" in page
    assert 'name="messages" value="erase"' in page and 'name="messages" value="keep"' in page
    assert 'autocomplete="current-password"' in page
    no_choice = submit(http, "/privacy/delete-account", {"password": PASSWORD})
    assert no_choice.status_code == 400 and "Please choose what happens to your chat messages." in text(no_choice)
    wrong = ask_to_delete(http, password="not my password at all")
    assert wrong.status_code == 400 and "doesn't match your account" in text(wrong)
    stale = http.post("/privacy/delete-account", data={"messages": "erase", "password": PASSWORD})
    assert stale.status_code == 400  # no CSRF token
    with app.app_context():
        assert db.session.get(AccountDeletion, ids["sam"]) is None
    assert http.get("/home").status_code == 200  # still signed in


def test_asking_signs_out_everywhere_and_logging_in_offers_to_keep_the_account(app, ids):
    other_browser = login(app, "sam@example.org")
    http = login(app, "sam@example.org")
    response = ask_to_delete(http)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Take good care of yourself" in text(http.get("/"))
    for browser in (http, other_browser):
        assert browser.get("/home").status_code == 302  # signed out
    with app.app_context():
        request = db.session.get(AccountDeletion, ids["sam"])
        assert request.erase_messages is True
        assert timedelta(hours=71.9) < request.purge_after - request.requested_at <= timedelta(hours=72)
        assert count(SignInSession, SignInSession.user_id == ids["sam"]) == 0
        assert world.user(ids["sam"]) is not None  # nothing erased yet

    back = login(app, "sam@example.org")
    home = text(back.get("/home"))
    assert "Your account is set to be deleted" in home and "Keep my account" in home
    assert "Delete my account after" not in text(back.get("/privacy/delete-account"))  # no second request
    kept = submit(back, "/home", {}, action="/privacy/delete-account/keep")
    assert kept.status_code == 302
    assert "Your account is staying" in text(back.get("/home"))
    assert "Your account is set to be deleted" not in text(back.get("/home"))
    with app.app_context():
        assert db.session.get(AccountDeletion, ids["sam"]) is None
        actions = list(db.session.scalars(select(AuditLog.action).where(AuditLog.subject_id == ids["sam"],
                                                                       AuditLog.action.like("account_%"))))
        assert actions == ["account_deletion_requested", "account_deletion_cancelled"]
    time_passes_nothing = app.test_cli_runner().invoke(args=["purge-deleted-accounts"])
    assert time_passes_nothing.exit_code == 0 and "Erased 0 account(s)" in time_passes_nothing.output
    with app.app_context():
        assert world.user(ids["sam"]) is not None


def test_keeping_the_account_needs_the_csrf_token(app, ids):
    http = login(app, "sam@example.org")
    with app.app_context():
        db.session.add(AccountDeletion(user_id=ids["sam"], purge_after=utcnow() + timedelta(hours=1),
                                       erase_messages=False))
        db.session.commit()
    assert http.post("/privacy/delete-account/keep").status_code == 302
    with app.app_context():
        assert db.session.get(AccountDeletion, ids["sam"]) is not None


def test_nothing_is_erased_before_the_cooling_off_period_ends(app, ids):
    ask_to_delete(login(app, "sam@example.org"))
    result = app.test_cli_runner().invoke(args=["purge-deleted-accounts"])
    assert result.exit_code == 0 and "Erased 0 account(s)" in result.output
    with app.app_context():
        assert world.user(ids["sam"]) is not None


def test_after_it_removing_messages_erases_the_account_and_every_personal_row(app, ids):
    ask_to_delete(login(app, "sam@example.org"), messages="erase")
    time_passes(app, ids["sam"])
    result = app.test_cli_runner().invoke(args=["purge-deleted-accounts"])
    assert result.exit_code == 0, result.output
    assert "Erased 1 account(s)" in result.output
    sam = ids["sam"]
    with app.app_context():
        assert world.user(sam) is None
        for model, column in ((Profile, Profile.user_id), (Membership, Membership.user_id), (Rsvp, Rsvp.user_id),
                              (SupportMessage, SupportMessage.recipient_id), (Message, Message.author_id),
                              (Report, Report.reporter_id), (WorryReport, WorryReport.reporter_id),
                              (WorryReport, WorryReport.subject_id), (Appeal, Appeal.member_id),
                              (AccountDeletion, AccountDeletion.user_id), (AuditLog, AuditLog.subject_id),
                              (AuditLog, AuditLog.actor_id), (Block, Block.blocker_id), (Block, Block.blocked_id),
                              (Notification, Notification.recipient_id), (CalendarFeed, CalendarFeed.user_id),
                              (ReminderSent, ReminderSent.user_id), (GroupFeedback, GroupFeedback.user_id),
                              (WaitlistEntry, WaitlistEntry.user_id), (SignInSession, SignInSession.user_id),
                              (ModerationAction, ModerationAction.subject_id)):
            assert count(model, column == sam) == 0, model.__tablename__
        bodies = set(db.session.scalars(select(Message.body).where(Message.group_id == ids["group"])))
        assert not any(body.startswith("SAM-") for body in bodies)
        assert {"PAT-MESSAGE hello all", "LEE-MESSAGE welcome", "WELCOME-NOTE"} <= bodies
        # Pat's report of Sam's message went with the message; Sam's report of Pat's with Sam.
        assert count(Report) == 0
        # The moderation log keeps what moderators did, without Sam or what was written about them.
        reasons = set(db.session.scalars(select(ModerationAction.reason)))
        assert "SAM-WARN-REASON" not in reasons and "SAM-MUTE-REASON" not in reasons
        assert purge.REMOVED_REASON in reasons and "PAT-WARN-REASON" in reasons
        # Sam's seat at the upcoming activity went to Pat, who was waiting.
        assert db.session.scalar(select(Rsvp.status).where(Rsvp.user_id == ids["pat"],
                                                           Rsvp.activity_id == ids["upcoming"])) == "going"
        # A matching proposal no longer names Sam's id (an id SQLite may hand to someone new).
        proposal = db.session.scalar(select(MatchRun.proposal))
        assert proposal["groups"][0]["member_ids"] == [None, ids["pat"]]
        assert proposal["groups"][0]["new_member_ids"] == [None] and proposal["unmatched"][0]["user_id"] is None
    # The sign-in form no longer knows the email.
    assert login_fails(app, "sam@example.org")


def login_fails(app, email) -> bool:
    http = app.test_client()
    response = submit(http, "/login", {"email": email, "password": PASSWORD})
    return response.status_code != 302


def test_escalations_about_them_are_minimised_and_their_worry_about_someone_else_goes(app, ids):
    ask_to_delete(login(app, "sam@example.org"), messages="keep")
    time_passes(app, ids["sam"])
    assert app.test_cli_runner().invoke(args=["purge-deleted-accounts"]).exit_code == 0
    with app.app_context():
        for escalation_id in (ids["escalation"], ids["worry_escalation"]):
            escalation = db.session.get(Escalation, escalation_id)
            assert (escalation.user_id, escalation.message_id, escalation.group_id) == (None, None, None)
            assert escalation.level in ("crisis", "concern") and escalation.created_at is not None
            assert escalation.status == "resolved" and escalation.next_alert_at is None
            assert db.session.get(MinimisedEscalation, escalation_id).reason == "account_deleted"
            assert count(EscalationNote, EscalationNote.escalation_id == escalation_id) == 0
            assert count(WorryReport, WorryReport.escalation_id == escalation_id) == 0
            details = db.session.scalars(select(AuditLog.detail).where(AuditLog.escalation_id == escalation_id))
            assert all(set(d) <= set(purge.KEPT_AUDIT_DETAIL) for d in details)
        assert db.session.get(Escalation, ids["escalation"]).categories == ["ideation"]
        assert db.session.get(Escalation, ids["escalation"]).outcome == purge.ACCOUNT_DELETED
        # Sam's own worry about Pat is Sam's row and goes; the escalation about Pat stays whole.
        assert count(WorryReport) == 0
        about_pat = db.session.scalar(select(Escalation).where(Escalation.user_id == ids["pat"]))
        assert about_pat is not None and about_pat.group_id == ids["group"]


def test_keeping_messages_shows_them_as_former_member_everywhere(app, ids):
    ask_to_delete(login(app, "sam@example.org"), messages="keep")
    time_passes(app, ids["sam"])
    assert app.test_cli_runner().invoke(args=["purge-deleted-accounts"]).exit_code == 0
    kept = ids["messages"]["SAM-MESSAGE"]
    with app.app_context():
        rows = {m.body: m for m in db.session.scalars(select(Message).where(Message.group_id == ids["group"]))}
        assert rows["SAM-MESSAGE hi Pat"].author_id is None and rows["SAM-MESSAGE hi Pat"].client_id is None
        assert rows["SAM-LATER see you Thursday"].author_id is None
        assert "SAM-HELD words" not in rows and "SAM-HIDDEN words" not in rows  # never the group's to see
        assert rows["PAT-HELD words"].author_id == ids["pat"]
        event = as_event(db.session.get(Message, kept))
        assert event["author"] == {"id": None, "name": "Former member"} and event["kind"] == "member"
        assert as_event(rows["WELCOME-NOTE"])["author"] is None

    transcript = text(login(app, "pat@example.org").get(f"/groups/{ids['group']}/chat/transcript"))
    assert "Former member" in transcript and "SAM-MESSAGE hi Pat" in transcript and "PAT-MESSAGE" in transcript
    assert "From Common Ground" in transcript  # the welcome note is still Common Ground's
    assert "worried about Former member" not in transcript and "/people/None" not in transcript
    assert f"/moderation/report/{kept}" in transcript  # a kept message can still be reported

    for email, url in (("mo@example.org", f"/moderation/groups/{ids['group']}/chat"),
                       ("ada@example.org", f"/moderation/escalations/{ids['escalation']}")):
        page = text(login(app, email).get(url))
        assert "Sam" not in page.replace("Same", ""), url
    moderator_chat = text(login(app, "mo@example.org").get(f"/moderation/groups/{ids['group']}/chat"))
    assert "Former member" in moderator_chat and "A deleted account" not in moderator_chat


def test_a_cancel_after_the_period_but_before_the_purge_still_keeps_the_account(app, ids):
    ask_to_delete(login(app, "sam@example.org"))
    time_passes(app, ids["sam"])
    back = login(app, "sam@example.org")
    assert "Your account is set to be deleted" in text(back.get("/home"))
    submit(back, "/home", {}, action="/privacy/delete-account/keep")
    result = app.test_cli_runner().invoke(args=["purge-deleted-accounts"])
    assert "Erased 0 account(s)" in result.output
    with app.app_context():
        assert world.user(ids["sam"]) is not None
        assert count(Message, Message.author_id == ids["sam"]) == 4


def test_the_purge_claims_each_account_once(app, ids):
    ask_to_delete(login(app, "sam@example.org"))
    time_passes(app, ids["sam"])
    with app.app_context():
        now = utcnow()
        assert purge.erase_account(ids["sam"], now) is True
        assert purge.erase_account(ids["sam"], now) is False  # a second run (or machine) finds nothing


def test_one_account_that_cannot_be_erased_does_not_stop_the_others(app, ids, monkeypatch):
    ask_to_delete(login(app, "sam@example.org"))
    ask_to_delete(login(app, "lee@example.org"), messages="keep")
    time_passes(app, ids["sam"])
    time_passes(app, ids["lee"])
    real = purge._messages

    def broken_for_sam(user_id, erase):
        if user_id == ids["sam"]:
            raise RuntimeError("disk full")
        return real(user_id, erase)

    monkeypatch.setattr(purge, "_messages", broken_for_sam)
    result = app.test_cli_runner().invoke(args=["purge-deleted-accounts"])
    assert result.exit_code == 1 and "1 account(s) could not be erased" in result.output
    assert "Erased 1 account(s)" in result.output
    with app.app_context():
        assert world.user(ids["lee"]) is None
        assert world.user(ids["sam"]) is not None and db.session.get(AccountDeletion, ids["sam"]) is not None
    monkeypatch.setattr(purge, "_messages", real)
    assert "Erased 1 account(s)" in app.test_cli_runner().invoke(args=["purge-deleted-accounts"]).output
