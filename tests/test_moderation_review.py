"""Reports, the review queue, claims and moderators' actions through the real routes: a member
reports a message, moderators of the group (and nobody else) see it in the queue with its
context, claim it, and act with a reason; each action writes the log and the audit row, tells
the right people, and changes what the group sees, live."""
import html as htmllib
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from community.extensions import db
from community.groups import services as groups
from community.models import (
    AuditLog,
    Escalation,
    GroupModerator,
    Membership,
    Message,
    ModerationAction,
    Notification,
    Report,
    ReviewItem,
    SupportMessage,
)
from community.models.base import utcnow
from community.moderation import review, sanctions
from tests.conftest import submit
from tests.factories import member
from tests.support import connect, messages_received
from tests.support import login_client as login


def text(response) -> str:
    return htmllib.unescape(response.get_data(as_text=True))


def fresh(model, id_):
    db.session.expire_all()
    return db.session.get(model, id_)


@pytest.fixture
def world(app):
    """Riley wrote an unkind message in a group Mo moderates, between 12 ordinary ones either side.
    Kai moderates another group; Ada is an admin; Nell is in another group."""
    with app.app_context():
        riley, pat, sky = (member(f"{n.lower()}@example.org", n) for n in ("Riley", "Pat", "Sky"))
        nell = member("nell@example.org", "Nell")
        mo = member("mo@example.org", "Mo", role="moderator")
        kai = member("kai@example.org", "Kai", role="moderator")
        ada = member("ada@example.org", "Ada", role="admin")
        group = groups.create_group("Board games circle", "online", [riley, pat, sky], None)
        other = groups.create_group("Walkers", "online", [nell], None)
        db.session.add_all([GroupModerator(group_id=group.id, user_id=mo.id),
                            GroupModerator(group_id=other.id, user_id=kai.id)])
        start = utcnow() - timedelta(hours=1)
        bodies = [f"before {n}" for n in range(12, 0, -1)] + ["you are such an idiot, riley style"] + \
                 [f"after {n}" for n in range(1, 13)]
        rows = [Message(group_id=group.id, author_id=(riley if "idiot" in b else pat if n % 2 else sky).id,
                        body=b, created_at=start + timedelta(minutes=n)) for n, b in enumerate(bodies)]
        walk = Message(group_id=other.id, author_id=nell.id, body="see you at the trail", created_at=start)
        db.session.add_all([*rows, walk])
        db.session.commit()
        return {"riley": riley.id, "pat": pat.id, "sky": sky.id, "nell": nell.id, "mo": mo.id, "kai": kai.id,
                "ada": ada.id, "group": group.id, "other": other.id, "message": rows[12].id, "walk": walk.id}


def report(app, email, message_id, reason="harassment", note=""):
    http = login(app, email)
    page = f"/moderation/report/{message_id}"
    return http, submit(http, page, {"reason": reason, "note": note})


def item_of(message_id) -> ReviewItem:
    db.session.expire_all()
    return db.session.scalar(select(ReviewItem).where(ReviewItem.message_id == message_id))


def act(app_or_http, item_id, action, reason="Please keep it kind.", **extra):
    page = f"/moderation/items/{item_id}"
    return submit(app_or_http, page, {"action": action, "reason": reason, **extra}, action=f"{page}/act")


# --- members' reports ---------------------------------------------------------------------------

def test_a_report_opens_one_item_that_only_the_groups_moderators_and_admins_see(app, world):
    http, response = report(app, "pat@example.org", world["message"], note="this keeps happening")
    assert response.status_code == 302
    assert "reached the moderators" in text(http.get(response.headers["Location"]))
    with app.app_context():
        item = item_of(world["message"])
        assert (item.kind, item.status, item.subject_id, item.severity) == ("report", "open", world["riley"], 2)
        assert [(r.reporter_id, r.reason, r.note) for r in item.reports] == [
            (world["pat"], "harassment", "this keeps happening")]
        assert db.session.scalar(select(AuditLog.action).where(AuditLog.actor_id == world["pat"])) == "message_reported"
        # The writer hears nothing about it.
        assert db.session.scalar(select(func.count(Notification.id)).where(
            Notification.recipient_id == world["riley"])) == 0
        item_id = item.id
    for email in ("mo@example.org", "ada@example.org"):
        moderator = login(app, email)
        assert "you are such an idiot" not in text(moderator.get("/moderation/"))  # the queue never quotes it
        assert "Harassment or bullying" in text(moderator.get("/moderation/"))
        assert moderator.get(f"/moderation/items/{item_id}").status_code == 200
    kai = login(app, "kai@example.org")
    assert "Harassment or bullying" not in text(kai.get("/moderation/"))
    assert kai.get(f"/moderation/items/{item_id}").status_code == 404
    assert login(app, "sky@example.org").get(f"/moderation/items/{item_id}").status_code == 403


def test_the_item_shows_ten_messages_either_side_every_reporter_and_the_authors_history(app, world):
    report(app, "pat@example.org", world["message"], "harassment")
    report(app, "sky@example.org", world["message"], "hate", note="not ok")
    with app.app_context():
        item = item_of(world["message"])
        assert item.severity == 2 and len(item.reports) == 2
        earlier = Message(group_id=world["group"], author_id=world["riley"], body="old rude one")
        db.session.add(earlier)
        db.session.flush()
        db.session.add(Report(message_id=earlier.id, reporter_id=world["sky"], reason="spam", note=""))
        db.session.add(ModerationAction(kind="warn", actor_id=world["mo"], subject_id=world["riley"],
                                        group_id=world["group"], reason="Mind the language, please."))
        db.session.commit()
        item_id = item.id
    page = text(login(app, "mo@example.org").get(f"/moderation/items/{item_id}"))
    context = page.split('id="context-title"')[1].split("</section>")[0]
    assert "before 10" in context and "after 10" in context
    assert "before 11" not in context and "after 11" not in context
    assert "Pat: Harassment or bullying" in page and "Sky: Hate" in page and "not ok" in page
    assert "Reports of their other messages in the last 90 days: 1." in page
    assert "Mind the language, please." in page
    assert "The ladder's next step for them: A 24-hour pause" in page


@pytest.mark.parametrize("case", ["own", "twice", "no_reason", "other_group", "hidden", "missing"])
def test_reports_that_cannot_be_taken_are_refused_clearly(app, world, case):
    email, message_id, data = "pat@example.org", world["message"], {"reason": "spam"}
    if case == "own":
        email = "riley@example.org"
    if case == "twice":
        report(app, "pat@example.org", message_id)
    if case == "no_reason":
        data = {"reason": ""}
    if case == "other_group":
        message_id = world["walk"]
    if case == "missing":
        message_id = 999_999
    if case == "hidden":
        with app.app_context():
            fresh(Message, message_id).hidden_at = utcnow()
            db.session.commit()
    http = login(app, email)
    page = f"/moderation/report/{message_id}"
    if case in ("other_group", "hidden", "missing"):
        assert http.get(page).status_code == 404
        return
    response = submit(http, page, data)
    if case == "no_reason":
        assert response.status_code == 400 and "Please choose a reason." in text(response)
    else:
        assert response.status_code == 302
        follow = text(http.get(response.headers["Location"]))
        assert ("That's your own message" if case == "own" else "already reported") in follow
    with app.app_context():
        assert db.session.scalar(select(func.count(Report.id))) == (1 if case == "twice" else 0)


def test_i_am_worried_about_this_person_goes_to_the_safety_flow(app, world):
    report(app, "pat@example.org", world["message"], "worried")
    with app.app_context():
        escalation = db.session.scalar(select(Escalation))
        assert (escalation.level, escalation.source, escalation.user_id) == ("concern", "worry", world["riley"])
        assert db.session.scalar(select(SupportMessage.recipient_id)) == world["riley"]
        assert item_of(world["message"]) is None


# --- claims -----------------------------------------------------------------------------------

def test_a_claim_keeps_a_second_moderator_off_until_it_goes_stale(app, world):
    report(app, "pat@example.org", world["message"])
    with app.app_context():
        db.session.add(GroupModerator(group_id=world["group"], user_id=world["kai"]))
        db.session.commit()
        item_id = item_of(world["message"]).id
    mo, kai = login(app, "mo@example.org"), login(app, "kai@example.org")
    page = f"/moderation/items/{item_id}"
    submit(mo, page, {}, action=f"{page}/claim")
    response = submit(kai, page, {}, action=f"{page}/claim")
    assert "Mo is already looking at this one." in text(kai.get(response.headers["Location"]))
    with app.app_context():
        assert fresh(ReviewItem, item_id).claimed_by_id == world["mo"]
        item = fresh(ReviewItem, item_id)
        item.claimed_at = utcnow() - timedelta(minutes=review.CLAIM_MINUTES + 1)
        db.session.commit()
    submit(kai, page, {}, action=f"{page}/claim")
    with app.app_context():
        assert fresh(ReviewItem, item_id).claimed_by_id == world["kai"]
    assert "Kai is looking at this" in text(login(app, "mo@example.org").get(page))


# --- actions --------------------------------------------------------------------------------

def test_hiding_needs_a_reason_then_tells_the_author_the_reporters_and_the_room(app, world):
    report(app, "pat@example.org", world["message"])
    with app.app_context():
        item_id = item_of(world["message"]).id
    sky = connect(app, "sky@example.org")
    riley = connect(app, "riley@example.org")
    mo_socket = connect(app, "mo@example.org")
    assert sky.emit("join", {"group_id": world["group"]}, callback=True)["ok"]
    for client in (sky, riley, mo_socket):
        client.get_received()
    mo = login(app, "mo@example.org")
    response = act(mo, item_id, "hide", reason="")
    assert response.status_code == 400 and "Please give a reason." in text(response)
    with app.app_context():
        assert fresh(Message, world["message"]).hidden_at is None
    response = act(mo, item_id, "hide", reason="Name-calling isn't okay here.")
    assert response.status_code == 302
    with app.app_context():
        message = fresh(Message, world["message"])
        assert message.hidden_at is not None and message.hidden_by_id == world["mo"]
        action = db.session.scalar(select(ModerationAction))
        assert (action.kind, action.actor_id, action.subject_id, action.message_id, action.reason) == (
            "hide", world["mo"], world["riley"], world["message"], "Name-calling isn't okay here.")
        assert db.session.scalar(select(AuditLog.detail).where(AuditLog.action == "moderation_hide"))["action_id"] == action.id
        item = fresh(ReviewItem, item_id)
        assert (item.status, item.outcome, item.closed_by_id) == ("closed", "hidden", world["mo"])
        told = {n.recipient_id: n.body for n in db.session.scalars(select(Notification))}
        assert "Name-calling isn't okay here." in told[world["riley"]]
        assert told[world["pat"]] == "Thank you for your report. A moderator has reviewed the message you reported."
        assert "Name-calling" not in told[world["pat"]]  # never the outcome for the other person
        assert db.session.scalar(select(Report.reviewed_at)) is not None
    assert messages_received(sky, "message_hidden") == [{"id": world["message"], "group_id": world["group"]}]
    assert [n["kind"] for n in messages_received(riley, "notification")] == ["message_hidden"]
    assert messages_received(mo_socket, "review_count")[-1] == {"count": 0}
    # Gone from the group's transcript and history.
    assert "such an idiot" not in text(login(app, "sky@example.org").get(f"/groups/{world['group']}/chat/transcript"))


def test_the_queue_count_goes_live_to_the_groups_moderators_only(app, world):
    mo_socket, kai_socket = connect(app, "mo@example.org"), connect(app, "kai@example.org")
    for client in (mo_socket, kai_socket):
        client.get_received()
    report(app, "pat@example.org", world["message"])
    assert messages_received(mo_socket, "review_count") == [{"count": 1}]
    assert messages_received(kai_socket, "review_count") == []
    assert 'id="review-count" data-count="1"' in text(login(app, "mo@example.org").get("/home"))


def test_the_ladder_takes_each_step_in_turn_and_undone_steps_do_not_count(app, world):
    with app.app_context():
        from community.models import User

        riley, mo = db.session.get(User, world["riley"]), db.session.get(User, world["mo"])
        assert sanctions.next_step(riley.id)[0].label == "A private warning"
        sanctions.warn(riley, world["group"], mo, "First note.")
        assert sanctions.next_step(riley.id)[0] == sanctions.Step("mute", 24, "A 24-hour pause in the group's chat")
        muted = sanctions.mute(riley, world["group"], mo, "Second time.", hours=24)
        membership = db.session.scalar(select(Membership).where(Membership.user_id == riley.id,
                                                                Membership.group_id == world["group"]))
        assert abs((membership.muted_until - utcnow()) - timedelta(hours=24)) < timedelta(minutes=1)
        assert sanctions.next_step(riley.id)[0].hours == 7 * 24
        sanctions.restore(muted, mo, "That was too hasty.")
        db.session.refresh(membership)
        assert membership.muted_until is None
        assert sanctions.next_step(riley.id)[0].hours == 24
        with pytest.raises(review.ReviewError):
            sanctions.restore(muted, mo, "again")
        with pytest.raises(review.ReviewError, match="1 hour to 7 days"):
            sanctions.mute(riley, world["group"], mo, "Too long.", hours=8 * 24)
        sanctions.mute(riley, world["group"], mo, "Second time.", hours=24)
        sanctions.mute(riley, world["group"], mo, "Third time.", hours=7 * 24)
        assert sanctions.next_step(riley.id)[0].kind == "remove"
        old = db.session.scalar(select(ModerationAction).where(ModerationAction.reason == "First note."))
        old.created_at = utcnow() - timedelta(days=sanctions.LADDER_DAYS + 1)
        db.session.commit()
        assert sanctions.next_step(riley.id)[0].hours == 7 * 24


def test_a_muted_member_is_told_why_and_cannot_send(app, world):
    report(app, "pat@example.org", world["message"])
    with app.app_context():
        item_id = item_of(world["message"]).id
    act(login(app, "mo@example.org"), item_id, "mute", reason="Cooling off for a day.", hours="24")
    riley = connect(app, "riley@example.org")
    riley.emit("join", {"group_id": world["group"]}, callback=True)
    ack = riley.emit("send", {"group_id": world["group"], "body": "hello?", "client_id": "c-1"}, callback=True)
    assert ack["ok"] is False and "Cooling off for a day." in ack["error"]
    record = text(login(app, "riley@example.org").get("/moderation/record"))
    assert "Messages paused in a group" in record and "Cooling off for a day." in record
    assert "Ask for a different moderator to look again" in record


def test_removal_and_suspension_follow_roles(app, world):
    report(app, "pat@example.org", world["message"])
    with app.app_context():
        item_id = item_of(world["message"]).id
    mo = login(app, "mo@example.org")
    assert 'value="suspend"' not in text(mo.get(f"/moderation/items/{item_id}"))
    response = act(mo, item_id, "suspend", days="3")
    assert response.status_code == 409 and "Only an admin can suspend" in text(response)
    response = act(login(app, "ada@example.org"), item_id, "suspend", reason="Repeated abuse.", days="3")
    assert response.status_code == 302
    with app.app_context():
        from community.models import User

        riley = fresh(User, world["riley"])
        assert riley.suspended_until > utcnow() + timedelta(days=2, hours=23)
        assert riley.suspension_reason == "Repeated abuse."


def test_removing_takes_the_member_out_and_restoring_puts_them_back(app, world):
    report(app, "pat@example.org", world["message"])
    with app.app_context():
        item_id = item_of(world["message"]).id
    act(login(app, "mo@example.org"), item_id, "remove", reason="After several warnings.")
    with app.app_context():
        membership = db.session.scalar(select(Membership).where(Membership.user_id == world["riley"],
                                                                Membership.group_id == world["group"]))
        assert (membership.left_reason, membership.left_at is not None) == ("removed", True)
        action_id = db.session.scalar(select(ModerationAction.id).where(ModerationAction.kind == "remove"))
    assert login(app, "riley@example.org").get(f"/groups/{world['group']}/chat/transcript").status_code in (403, 404)
    with app.app_context():
        from community.models import Group, User

        with pytest.raises(groups.GroupError, match="took you out of this group"):
            groups.join_group(db.session.get(User, world["riley"]), db.session.get(Group, world["group"]))
    mo = login(app, "mo@example.org")
    page = f"/moderation/actions/{action_id}/restore"
    assert submit(mo, page, {"reason": ""}).status_code == 400
    assert submit(mo, page, {"reason": "Spoke with them; fresh start."}).status_code == 302
    assert login(app, "riley@example.org").get(f"/groups/{world['group']}/chat/transcript").status_code == 200
    assert login(app, "kai@example.org").get(page).status_code == 404


# --- appeals and the record -------------------------------------------------------------------

def test_an_appeal_is_taken_once_and_decided_by_a_different_moderator(app, world):
    report(app, "pat@example.org", world["message"])
    with app.app_context():
        item_id = item_of(world["message"]).id
        db.session.add(GroupModerator(group_id=world["group"], user_id=world["kai"]))
        db.session.commit()
    act(login(app, "mo@example.org"), item_id, "hide", reason="Name-calling.")
    with app.app_context():
        action_id = db.session.scalar(select(ModerationAction.id))
    riley = login(app, "riley@example.org")
    page = f"/moderation/record/{action_id}/appeal"
    assert submit(riley, page, {"note": ""}).status_code == 400
    assert submit(riley, page, {"note": "It was a joke between friends."}).status_code == 302
    again = riley.get(page)
    assert again.status_code == 302 and "can't be appealed" in text(riley.get(again.headers["Location"]))
    assert login(app, "pat@example.org").get(page).status_code == 404
    with app.app_context():
        from community.models import Appeal

        appeal_id = db.session.scalar(select(Appeal.id))
    decide = f"/moderation/appeals/{appeal_id}"
    assert login(app, "mo@example.org").get(decide).status_code == 404  # the one who acted
    kai = login(app, "kai@example.org")
    assert "Riley: appeal of a hide" in text(kai.get("/moderation/"))
    assert "Riley: appeal of a hide" not in text(login(app, "mo@example.org").get("/moderation/"))
    assert "It was a joke between friends." in text(kai.get(decide))
    response = submit(kai, decide, {"decision": "overturn", "reason": "Context shows it was friendly."})
    assert response.status_code == 302
    with app.app_context():
        assert fresh(Message, world["message"]).hidden_at is None
        appeal = fresh(Appeal, appeal_id)
        assert (appeal.status, appeal.decided_by_id) == ("overturned", world["kai"])
        assert db.session.scalar(select(ModerationAction.restored_at).where(ModerationAction.id == action_id))
    record = text(riley.get("/moderation/record"))
    assert "the action was undone" in record and "Context shows it was friendly." in record


def test_the_log_is_searchable_and_scoped_to_a_moderators_groups(app, world):
    with app.app_context():
        from community.models import User

        mo, kai = db.session.get(User, world["mo"]), db.session.get(User, world["kai"])
        sanctions.warn(db.session.get(User, world["riley"]), world["group"], mo, "Please mind the language.")
        sanctions.warn(db.session.get(User, world["nell"]), world["other"], kai, "No selling here.")
    mo_log = text(login(app, "mo@example.org").get("/moderation/log"))
    assert "Please mind the language." in mo_log and "No selling here." not in mo_log
    ada = login(app, "ada@example.org")
    assert "No selling here." in text(ada.get("/moderation/log"))
    found = text(ada.get("/moderation/log?q=selling"))
    assert "No selling here." in found and "Please mind the language." not in found
    assert "Please mind the language." in text(ada.get("/moderation/log?q=riley"))
    assert "No selling here." not in text(ada.get("/moderation/log?kind=hide"))
    assert login(app, "pat@example.org").get("/moderation/log").status_code == 403


def test_moderators_see_hidden_and_held_messages_in_their_groups_chat_clearly_marked(app, world):
    with app.app_context():
        message = fresh(Message, world["message"])
        message.hidden_at = utcnow()
        db.session.commit()
    page = text(login(app, "mo@example.org").get(f"/moderation/groups/{world['group']}/chat"))
    assert "you are such an idiot" in page and "Hidden by a moderator" in page
    assert login(app, "kai@example.org").get(f"/moderation/groups/{world['group']}/chat").status_code == 404
    assert login(app, "pat@example.org").get(f"/moderation/groups/{world['group']}/chat").status_code == 403


# --- blocking -----------------------------------------------------------------------------------

def test_blocking_folds_their_messages_away_and_they_are_not_told(app, world):
    pat = login(app, "pat@example.org")
    assert submit(pat, f"/moderation/block/{world['riley']}", {}).status_code == 302
    transcript = text(pat.get(f"/groups/{world['group']}/chat/transcript"))
    assert '<details class="chat-blocked"><summary>A message from someone you blocked' in transcript
    assert f'data-blocked="[{world["riley"]}]"' in text(pat.get(f"/groups/{world['group']}"))
    with app.app_context():
        assert db.session.scalar(select(func.count(Notification.id))) == 0
    assert "chat-blocked" not in text(login(app, "sky@example.org").get(f"/groups/{world['group']}/chat/transcript"))
    assert pat.get(f"/moderation/block/{world['nell']}").status_code == 404  # not in any of pat's groups
    submit(pat, f"/moderation/block/{world['riley']}", {})  # unblock
    assert "chat-blocked" not in text(pat.get(f"/groups/{world['group']}/chat/transcript"))


def test_the_guidelines_show_the_ladder_to_everyone(client):
    page = text(client.get("/guidelines"))
    for step in sanctions.LADDER:
        assert step.label in page


def test_a_message_the_safety_check_held_as_unkind_can_be_approved_from_its_escalation(app, world):
    riley, sky = connect(app, "riley@example.org"), connect(app, "sky@example.org")
    for client in (riley, sky):
        assert client.emit("join", {"group_id": world["group"]}, callback=True)["ok"]
        client.get_received()
    ack = riley.emit("send", {"group_id": world["group"], "body": "pat you should go kill yourself lol",
                              "client_id": "h1"}, callback=True)
    assert ack["ok"] and ack["message"]["held"] == "harassment"
    assert messages_received(sky) == []
    with app.app_context():
        escalation_id = db.session.scalar(select(Escalation.id))
    mo = login(app, "mo@example.org")
    page = f"/moderation/escalations/{escalation_id}"
    assert "Approve, hide or act on the message" in text(mo.get(page))
    response = submit(mo, page, {}, action=f"/moderation/messages/{ack['message']['id']}/review")
    assert response.status_code == 302 and "/moderation/items/" in response.headers["Location"]
    item_page = response.headers["Location"]
    assert 'value="approve"' in text(mo.get(item_page))
    kai = login(app, "kai@example.org")
    assert submit(kai, "/moderation/record", {},
                  action=f"/moderation/messages/{ack['message']['id']}/review").status_code == 404
    response = submit(mo, item_page, {"action": "approve", "reason": "A running joke between them; checked with Pat."},
                      action=f"{item_page}/act")
    assert response.status_code == 302
    assert [m["id"] for m in messages_received(sky)] == [ack["message"]["id"]]


def test_admins_assign_and_unassign_a_groups_moderators(app, world):
    ada = login(app, "ada@example.org")
    page = f"/admin/groups/{world['group']}"
    action = f"{page}/moderators"
    refused = submit(ada, page, {"moderator_email": "pat@example.org"}, action=action)
    assert refused.status_code == 409 and "isn't a moderator" in text(refused)
    assert submit(ada, page, {"moderator_email": "nobody@example.org"}, action=action).status_code == 409
    assert submit(ada, page, {"moderator_email": "kai@example.org"}, action=action).status_code == 302
    assert "kai@example.org" in text(ada.get(page))
    report(app, "pat@example.org", world["message"])
    with app.app_context():
        item_id = item_of(world["message"]).id
        assert db.session.scalar(select(AuditLog.action).where(AuditLog.action == "moderator_assigned"))
    kai = login(app, "kai@example.org")
    assert kai.get(f"/moderation/items/{item_id}").status_code == 200
    assert submit(ada, page, {}, action=f"{page}/moderators/{world['kai']}/remove").status_code == 302
    assert kai.get(f"/moderation/items/{item_id}").status_code == 404
    assert submit(login(app, "mo@example.org"), "/moderation/record", {"moderator_email": "kai@example.org"},
                  action=action).status_code == 403


def test_the_navigation_count_agrees_with_who_may_handle_each_escalation(app, world):
    """The count is one query; it must match may_handle: own group, no group, or re-alerted to all."""
    from community.models import User
    from community.moderation.escalations import may_handle

    with app.app_context():
        for group_id, alerts in ((world["group"], 1), (world["other"], 1), (None, 1), (world["other"], 2)):
            db.session.add(Escalation(level="concern", categories=["hopelessness"], user_id=world["riley"],
                                      group_id=group_id, alert_count=alerts, status="open"))
        db.session.add(Escalation(level="crisis", categories=["ideation"], user_id=world["riley"],
                                  group_id=world["group"], status="acknowledged"))
        db.session.commit()
        escalations = db.session.scalars(select(Escalation).where(Escalation.status == "open")).all()
        for email, expected in (("mo@example.org", 3), ("kai@example.org", 3), ("ada@example.org", 4)):
            person = db.session.scalar(select(User).where(User.email == email))
            assert review.waiting_count(person) == sum(may_handle(person, e) for e in escalations) == expected
