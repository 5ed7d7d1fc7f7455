"""The group's automatic filters on the real chat: masking, holding for review (and approving),
blocking with a reason, new members' links, repeats, the allow-list, and admins editing the
rules. Every automatic action is recorded; a flagged safety message is never turned away."""
import html as htmllib
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from community.extensions import db
from community.groups import services as groups
from community.models import Escalation, FilterEvent, GroupModerator, Message, ReviewItem, User
from community.models.base import utcnow
from community.moderation import filtering
from tests.conftest import submit
from tests.factories import member
from tests.support import connect, messages_received
from tests.support import login_client as login


@pytest.fixture
def room(app):
    """Pat (a member for a month), Sky (a member for a month) and Neo (joined today), moderated by Mo."""
    with app.app_context():
        pat, sky, neo = (member(f"{n.lower()}@example.org", n) for n in ("Pat", "Sky", "Neo"))
        for old in (pat, sky):
            old.created_at = utcnow() - timedelta(days=30)
        mo = member("mo@example.org", "Mo", role="moderator")
        member("ada@example.org", "Ada", role="admin")
        group = groups.create_group("Board games circle", "online", [pat, sky, neo], None)
        db.session.add(GroupModerator(group_id=group.id, user_id=mo.id))
        db.session.commit()
        return {"group": group.id, "pat": pat.id, "neo": neo.id, "mo": mo.id}


def joined(app, email, group_id):
    sio = connect(app, email)
    assert sio.emit("join", {"group_id": group_id}, callback=True)["ok"]
    sio.get_received()
    return sio


def send(sio, group_id, body, client_id):
    return sio.emit("send", {"group_id": group_id, "body": body, "client_id": client_id}, callback=True)


def events(app):
    with app.app_context():
        return [(e.action, e.rules, e.message_id is not None)
                for e in db.session.scalars(select(FilterEvent).order_by(FilterEvent.id))]


def test_ordinary_words_that_contain_rude_ones_go_through_untouched(app, room):
    pat, sky = joined(app, "pat@example.org", room["group"]), joined(app, "sky@example.org", room["group"])
    body = "Class tonight in Scunthorpe: we'll assess the cocktail menu, then Dickens and bass practice."
    ack = send(pat, room["group"], body, "c1")
    assert ack["ok"] and ack["message"]["body"] == body and "held" not in ack
    assert [m["body"] for m in messages_received(sky)] == [body]
    assert events(app) == []


def test_profanity_is_masked_for_everyone_and_recorded(app, room):
    pat, sky = joined(app, "pat@example.org", room["group"]), joined(app, "sky@example.org", room["group"])
    ack = send(pat, room["group"], "what the f u c k, the dice hate me", "c1")
    assert ack["ok"] and "f u c k" not in ack["message"]["body"] and "the dice hate me" in ack["message"]["body"]
    [seen] = messages_received(sky)
    assert seen["body"] == ack["message"]["body"]
    with app.app_context():
        assert db.session.get(Message, ack["message"]["id"]).body == ack["message"]["body"]
    assert events(app) == [("mask", ["fuck*"], True)]


def test_an_insult_is_held_for_review_then_approved_and_delivered(app, room):
    pat, sky = joined(app, "pat@example.org", room["group"]), joined(app, "sky@example.org", room["group"])
    mo_socket = connect(app, "mo@example.org")
    mo_socket.get_received()
    ack = send(pat, room["group"], "honestly you're an idiot sky", "c1")
    assert ack["ok"] and ack["message"]["held"] == "filter"
    assert "moderator will take a look" in ack["held"]
    assert messages_received(sky) == []  # peers see nothing until it's approved
    assert messages_received(mo_socket, "review_count") == [{"count": 1}]
    with app.app_context():
        item = db.session.scalar(select(ReviewItem))
        assert (item.kind, item.status, item.subject_id) == ("hold", "open", room["pat"])
        assert "you're an idiot" in item.detail
        item_id, message_id = item.id, item.message_id
    assert "you're an idiot" not in htmllib.unescape(
        login(app, "sky@example.org").get(f"/groups/{room['group']}/chat/transcript").get_data(as_text=True))
    mo = login(app, "mo@example.org")
    assert "Held by the filter rule" in htmllib.unescape(mo.get("/moderation/").get_data(as_text=True))
    page = f"/moderation/items/{item_id}"
    response = submit(mo, page, {"action": "dismiss", "reason": "fine"}, action=f"{page}/act")
    assert response.status_code == 409 and "approve it or hide it" in response.get_data(as_text=True)
    response = submit(mo, page, {"action": "approve", "reason": "Friendly teasing between these two."},
                      action=f"{page}/act")
    assert response.status_code == 302
    [delivered] = messages_received(sky)
    assert delivered["id"] == message_id and "held" not in delivered
    with app.app_context():
        assert db.session.get(Message, message_id).held_at is None
        assert db.session.get(ReviewItem, item_id).outcome == "approved"


def test_spam_is_blocked_with_a_reason_and_not_stored(app, room):
    pat, sky = joined(app, "pat@example.org", room["group"]), joined(app, "sky@example.org", room["group"])
    ack = send(pat, room["group"], "want to BUY FOLLOWERS cheap?", "c1")
    assert ack["ok"] is False and ack["error"]
    assert messages_received(sky) == []
    with app.app_context():
        assert db.session.scalar(select(func.count(Message.id)).where(Message.author_id == room["pat"])) == 0
    assert events(app) == [("block", ["buy followers"], False)]


def test_a_new_members_link_waits_for_review_and_an_established_members_does_not(app, room):
    neo, pat = joined(app, "neo@example.org", room["group"]), joined(app, "pat@example.org", room["group"])
    ack = send(neo, room["group"], "the rules are at example.com/rules", "n1")
    assert ack["ok"] and ack["message"]["held"] == "filter" and "Links open up" in ack["held"]
    ack = send(pat, room["group"], "the rules are at https://example.com/rules", "p1")
    assert ack["ok"] and "held" not in ack


def test_a_repeat_is_refused_but_a_retry_of_the_same_message_is_not(app, room):
    pat = joined(app, "pat@example.org", room["group"])
    first = send(pat, room["group"], "Is anyone up for chess on Sunday?", "c1")
    assert first["ok"]
    retry = send(pat, room["group"], "Is anyone up for chess on Sunday?", "c1")
    assert retry["ok"] and retry["message"]["id"] == first["message"]["id"]
    repeat = send(pat, room["group"], "is anyone up for chess on sunday?", "c2")
    assert repeat["ok"] is False and "same as a message you just sent" in repeat["error"]
    assert send(pat, room["group"], "ok", "c3")["ok"] and send(pat, room["group"], "ok", "c4")["ok"]


def test_a_crisis_message_is_never_blocked_by_a_filter(app, room):
    with app.app_context():
        filtering.save(room["group"], db.session.get(User, room["mo"]),
                       {"words": [{"pattern": "tonight", "action": "block", "reason": "No plans here."}]})
    pat = joined(app, "pat@example.org", room["group"])
    ack = send(pat, room["group"], "I'm going to kill myself tonight", "c1")
    assert ack["ok"] and ack["message"]["held"] == "filter" and "support" in ack
    with app.app_context():
        assert db.session.scalar(select(Escalation.level)) == "crisis"


def test_admins_edit_a_groups_rules_and_they_apply(app, room):
    ada = login(app, "ada@example.org")
    page = f"/moderation/groups/{room['group']}/filters"
    form = htmllib.unescape(ada.get(page).get_data(as_text=True))
    assert "fuck*" in form and "scunthorpe" in form  # the standard rules, ready to edit
    fields = {"mask_words": "darn", "hold_words": "", "block_words": "pineapple | Let's not start that again.",
              "allow": "assess", "new_member_days": "3", "link_action": "hold", "flood_count": "5",
              "flood_seconds": "10", "duplicate_window": "3", "slow_mode_seconds": "0"}
    bad = submit(ada, page, {**fields, "block_words": "| a reason with no word"})
    assert bad.status_code == 400 and "can't be used yet" in htmllib.unescape(bad.get_data(as_text=True))
    assert submit(ada, page, {**fields, "flood_count": "-1"}).status_code == 400
    assert submit(ada, page, fields).status_code == 302
    pat = joined(app, "pat@example.org", room["group"])
    ack = send(pat, room["group"], "pineapple on pizza is great", "c1")
    assert ack == {"ok": False, "error": "Let's not start that again."}
    assert send(pat, room["group"], "oh darn it", "c2")["message"]["body"] == "oh •••• it"
    assert send(pat, room["group"], "what the fuck", "c3")["message"]["body"] == "what the fuck"  # no longer a rule
    assert submit(ada, page, {**fields, "slow_mode_seconds": "30"}).status_code == 302
    slowed = send(pat, room["group"], "one more thing", "c4")
    assert slowed["ok"] is False and "slow mode" in slowed["error"]
    assert login(app, "mo@example.org").get(page).status_code == 403
    assert submit(ada, page, {}, action=f"{page}/reset").status_code == 302
    with app.app_context():
        assert not filtering.is_custom(room["group"])
        assert filtering.rules_for(room["group"]) == filtering.default_rules()
