"""The moderators' escalation pages through real routes: who may see what, the queue's order,
the flagged message in context, each action (with CSRF) and its audit row, the private message
reaching the person live, and the dashboard's numbers from known data."""
import html as htmllib
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from community.extensions import db
from community.groups import services as groups
from community.models import (
    AuditLog,
    Escalation,
    EscalationNote,
    GroupModerator,
    Message,
    SupportMessage,
    User,
)
from community.models.base import utcnow
from community.moderation import actions, watch
from tests.conftest import csrf_token, submit
from tests.factories import member
from tests.support import connect, messages_received
from tests.support import login_client as login


def text(response) -> str:
    return htmllib.unescape(response.get_data(as_text=True))


def escalation(ago_minutes=10, level="crisis", **values) -> int:
    now = utcnow()
    values.setdefault("categories", ["ideation"])
    row = Escalation(level=level, created_at=now - timedelta(minutes=ago_minutes),
                     next_alert_at=now + timedelta(minutes=5) if level == "crisis" else None, **values)
    db.session.add(row)
    db.session.commit()
    return row.id


def get(model, id_):
    db.session.expire_all()
    return db.session.get(model, id_)


def audit_actions(escalation_id=None, actor_id=None) -> list[str]:
    query = select(AuditLog.action).order_by(AuditLog.id)
    if escalation_id is not None:
        query = query.where(AuditLog.escalation_id == escalation_id)
    if actor_id is not None:
        query = query.where(AuditLog.actor_id == actor_id)
    return list(db.session.scalars(query))


@pytest.fixture
def world(app):
    """Riley wrote a worrying message in a group Mo moderates; Kai moderates no group."""
    with app.app_context():
        riley = member("riley@example.org", "Riley")
        pat, sky = member("pat@example.org", "Pat"), member("sky@example.org", "Sky")
        mo = member("mo@example.org", "Mo", role="moderator")
        kai = member("kai@example.org", "Kai", role="moderator")
        group = groups.create_group("Board games circle", "online", [riley, pat, sky], None)
        other = groups.create_group("Walkers", "online", [pat], None)
        db.session.add(GroupModerator(group_id=group.id, user_id=mo.id))
        start = utcnow() - timedelta(hours=1)
        bodies = [f"before {n}" for n in range(6, 0, -1)] + ["flagged words"] + [f"after {n}" for n in range(1, 7)]
        rows = []
        for n, body in enumerate(bodies):
            author = (riley if body == "flagged words" else pat if n % 2 else sky)
            rows.append(Message(group_id=group.id, author_id=author.id, body=body,
                                created_at=start + timedelta(minutes=n)))
        rows[4].held_at, rows[4].held_reason = start, "harassment"  # "before 2"
        rows[8].hidden_at = start  # "after 2"
        db.session.add_all(rows)
        db.session.commit()
        flagged = rows[6]
        ids = {"riley": riley.id, "pat": pat.id, "mo": mo.id, "kai": kai.id, "group": group.id,
               "other_group": other.id, "message": flagged.id}
        ids["esc"] = escalation(12, user_id=riley.id, group_id=group.id, message_id=flagged.id,
                                categories=["ideation", "goodbye"])
    return ids


def test_members_get_403_and_visitors_are_sent_to_log_in(app, client, world):
    assert client.get("/moderation/").status_code == 302
    http = login(app, "pat@example.org")
    for url in ("/moderation/", f"/moderation/escalations/{world['esc']}", "/moderation/dashboard"):
        assert http.get(url).status_code == 403
    token = csrf_token(http, "/home")
    response = http.post(f"/moderation/escalations/{world['esc']}/acknowledge", data={"csrf_token": token})
    assert response.status_code == 403
    with app.app_context():
        assert get(Escalation, world["esc"]).status == "open"


def test_a_moderator_of_another_group_gets_404_but_sees_what_belongs_to_no_group(app, world):
    with app.app_context():
        loose = escalation(3, user_id=world["pat"], group_id=None, source="worry", categories=[])
    http = login(app, "kai@example.org")
    assert http.get(f"/moderation/escalations/{world['esc']}").status_code == 404
    token = csrf_token(http, f"/moderation/escalations/{loose}")
    for action in ("acknowledge", "follow-up"):
        response = http.post(f"/moderation/escalations/{world['esc']}/{action}", data={"csrf_token": token})
        assert response.status_code == 404
    queue = text(http.get("/moderation/"))
    assert f"/moderation/escalations/{loose}" in queue and f"/moderation/escalations/{world['esc']}" not in queue
    with app.app_context():
        assert get(Escalation, world["esc"]).status == "open"
        assert audit_actions(world["esc"], world["kai"]) == []


def test_the_services_refuse_someone_who_may_not_handle_it(app, world):
    with app.app_context():
        esc, kai = db.session.get(Escalation, world["esc"]), db.session.get(User, world["kai"])
        for act in (lambda: actions.acknowledge(esc, kai), lambda: actions.add_note(esc, kai, "hi"),
                    lambda: actions.message_member(esc, kai, "hi"), lambda: actions.view(esc, kai)):
            with pytest.raises(actions.ActionError):
                act()
        db.session.rollback()
        assert get(Escalation, world["esc"]).status == "open" and audit_actions(world["esc"], world["kai"]) == []


def _active_ids(page: str) -> list[int]:
    active = page.split('id="active-title"')[1].split('id="follow-title"')[0]
    return [int(n) for n in re.findall(r'href="/moderation/escalations/(\d+)"', active)]


def test_the_queue_puts_crisis_first_then_the_longest_waiting(app, world):
    with app.app_context():
        old_concern = escalation(50, level="concern", user_id=world["pat"], group_id=world["group"],
                                 categories=["hopelessness"])
        older_crisis = escalation(30, user_id=world["pat"], group_id=world["group"], categories=["self_harm"])
        taken = escalation(2, user_id=world["pat"], group_id=world["group"], status="acknowledged",
                           acknowledged_by_id=world["mo"], acknowledged_at=utcnow())
        elsewhere = escalation(60, user_id=world["pat"], group_id=world["other_group"])
        resolved = escalation(600, user_id=world["pat"], group_id=world["group"], status="resolved",
                              resolved_at=utcnow() - timedelta(days=1), outcome="checked_in_safe",
                              follow_up_at=utcnow() - timedelta(hours=1))
        long_ago = escalation(60 * 24 * 20, user_id=world["pat"], group_id=world["group"], status="resolved",
                              resolved_at=utcnow() - timedelta(days=19), outcome="not_a_risk")
    page = text(login(app, "mo@example.org").get("/moderation/"))
    assert _active_ids(page) == [older_crisis, world["esc"], taken, old_concern]
    assert elsewhere not in _active_ids(page)
    row = page.split(f'/moderation/escalations/{world["esc"]}"')[1].split("</tr>")[0]
    assert "Thoughts of suicide, a goodbye" in row and "Board games circle" in row and "Riley" in row
    assert "12 min" in row and "Waiting" in row and "Nobody yet" in row
    assert "Self-harm" in page and "Hopelessness" in page
    taken_row = page.split(f'/moderation/escalations/{taken}"')[1].split("</tr>")[0]
    assert "Someone is on it" in taken_row and "Mo" in taken_row
    follow_ups = page.split('id="follow-title"')[1].split('id="resolved-title"')[0]
    recent = page.split('id="resolved-title"')[1]
    assert f"/moderation/escalations/{resolved}" in follow_ups and "Checked in; safe for now" in follow_ups
    assert f"/moderation/escalations/{resolved}" in recent and f"/moderation/escalations/{long_ago}" not in recent


def test_the_escalation_page_shows_the_message_in_context(app, world):
    with app.app_context():
        earlier = escalation(60 * 24 * 30, level="concern", user_id=world["riley"], group_id=world["group"],
                             categories=["hopelessness"], status="resolved", outcome="checked_in_safe")
        too_old = escalation(60 * 24 * 100, user_id=world["riley"], group_id=world["group"])
    page = text(login(app, "mo@example.org").get(f"/moderation/escalations/{world['esc']}"))
    context = page.split('id="context-title"')[1].split('id="act-title"')[0]
    shown = re.findall(r'<p class="chat-body">(?:<mark>)?([^<]+)', context)
    assert shown == [f"before {n}" for n in range(5, 0, -1)] + ["flagged words"] + [f"after {n}" for n in range(1, 6)]
    flagged = re.search(r'<li[^>]*aria-current="true"[^>]*>(.*?)</li>', context, re.S).group(1)
    assert "Flagged message" in flagged and "<mark>flagged words</mark>" in flagged and "Riley" in flagged
    before_2 = context.split("before 2")[0].rsplit("<li", 1)[1]
    assert "held back from the group (waiting for review)" in before_2
    assert "hidden by a moderator" in context.split("after 2")[0].rsplit("<li", 1)[1]
    history = page.split('id="history-title"')[1].split('id="trail-title"')[0]
    assert f"/moderation/escalations/{earlier}" in history and f"/moderation/escalations/{too_old}" not in history
    textarea = re.search(r'<textarea[^>]*name="message"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert textarea.strip().startswith("Hi Riley, it's Mo from Common Ground.")
    assert "Are you thinking about suicide?" in textarea and "988" in textarea
    assert 'for="message"' in page and 'for="note"' in page and 'for="outcome"' in page
    assert "committed suicide" not in page


def test_a_worried_member_is_never_named(app, world):
    with app.app_context():
        worry = escalation(5, source="worry", categories=[], user_id=world["riley"], group_id=world["group"])
    page = text(login(app, "mo@example.org").get(f"/moderation/escalations/{worry}"))
    assert "A member was worried about this person" in page
    assert "Pat" not in page and "Sky" not in page and "chat-msg" not in page
    assert "I wanted to check in and see how you're doing" in page


def test_acknowledging_stops_the_repeat_alerts_and_is_audited(app, world):
    with app.app_context():  # both overdue for a repeat alert; only the other one should get it
        get(Escalation, world["esc"]).next_alert_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
        other = escalation(20, user_id=world["pat"], group_id=world["group"])
        get(Escalation, other).next_alert_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    http = login(app, "mo@example.org")
    page = f"/moderation/escalations/{world['esc']}"
    response = submit(http, page, {}, action=f"{page}/acknowledge")
    assert response.status_code == 302 and response.headers["Location"].endswith(page)
    assert "Acknowledged. The other moderators know you're on it." in text(http.get(page))
    with app.app_context():
        row = get(Escalation, world["esc"])
        assert (row.status, row.acknowledged_by_id, row.next_alert_at) == ("acknowledged", world["mo"], None)
        first_ack = row.acknowledged_at
        assert audit_actions(world["esc"], world["mo"]).count("escalation_acknowledged") == 1
        assert watch.run_once()["repeated"] == 1
        assert get(Escalation, world["esc"]).next_alert_at is None
        assert get(Escalation, other).alert_count == 2  # the first alert, then the repeat
    again = submit(http, page, {}, action=f"{page}/acknowledge")
    assert again.status_code == 302
    assert "You had already acknowledged this" in text(http.get(page))
    kai_http = login(app, "kai@example.org")  # no group of his, but a repeat alert reached him
    with app.app_context():
        get(Escalation, world["esc"]).alert_count = 2
        db.session.commit()
    assert submit(kai_http, page, {}, action=f"{page}/acknowledge").status_code == 302
    assert "Mo had already acknowledged this, so nothing changed." in text(kai_http.get(page))
    with app.app_context():
        assert get(Escalation, world["esc"]).acknowledged_at == first_ack
        assert audit_actions(world["esc"], world["mo"]).count("escalation_acknowledged") == 1
        assert audit_actions(world["esc"], world["kai"]) == ["escalation_viewed", "escalation_viewed"]


def test_an_action_without_its_csrf_token_changes_nothing(app, world):
    http = login(app, "mo@example.org")
    response = http.post(f"/moderation/escalations/{world['esc']}/resolve", data={"outcome": "not_a_risk"})
    assert response.status_code == 400
    with app.app_context():
        assert get(Escalation, world["esc"]).status == "open"


def test_a_private_message_is_stored_and_reaches_the_person_live(app, world):
    riley, pat = connect(app, "riley@example.org"), connect(app, "pat@example.org")
    assert riley.is_connected() and pat.is_connected()
    riley.get_received(), pat.get_received()
    http = login(app, "mo@example.org")
    page = f"/moderation/escalations/{world['esc']}"
    response = submit(http, page, {"message": "  Hi Riley, I'm here to listen.  "}, action=f"{page}/message")
    assert response.status_code == 302
    with app.app_context():
        [sent] = db.session.scalars(select(SupportMessage)).all()
        assert (sent.recipient_id, sent.sender_id, sent.escalation_id) == (world["riley"], world["mo"], world["esc"])
        assert sent.body == "Hi Riley, I'm here to listen."
        sent_id = sent.id
        row = get(Escalation, world["esc"])
        assert (row.status, row.acknowledged_by_id, row.next_alert_at) == ("acknowledged", world["mo"], None)
        assert audit_actions(world["esc"], world["mo"])[-2:] == ["escalation_acknowledged", "support_message_sent"]
    [event] = messages_received(riley, "support_message")
    assert event["id"] == sent_id and event["body"] == "Hi Riley, I'm here to listen."
    assert event["from"] == "A Common Ground moderator" and event["created_at"].endswith("Z")
    assert "Mo" not in str(event)
    assert messages_received(pat, "support_message") == []
    assert "Hi Riley, I'm here to listen." in text(http.get(page))


@pytest.mark.parametrize("body", ["   ", "x" * 2001])
def test_an_empty_or_overlong_message_is_not_sent(app, world, body):
    http = login(app, "mo@example.org")
    page = f"/moderation/escalations/{world['esc']}"
    response = submit(http, page, {"message": body}, action=f"{page}/message")
    assert response.status_code == 400 and "error-summary" in text(response)
    with app.app_context():
        assert db.session.scalars(select(SupportMessage)).all() == []
        assert get(Escalation, world["esc"]).status == "open"


def test_a_note_is_kept_shown_and_audited(app, world):
    http = login(app, "mo@example.org")
    page = f"/moderation/escalations/{world['esc']}"
    assert submit(http, page, {"note": "Reached out; waiting to hear back."}, action=f"{page}/note").status_code == 302
    with app.app_context():
        [note] = db.session.scalars(select(EscalationNote)).all()
        assert (note.escalation_id, note.author_id, note.body) == (world["esc"], world["mo"], "Reached out; waiting to hear back.")
        assert audit_actions(world["esc"], world["mo"])[-1] == "note_added"
    notes = text(http.get(page)).split('id="notes-title"')[1].split('id="history-title"')[0]
    assert "Notes (1)" in notes and "Reached out; waiting to hear back." in notes


def test_resolving_sets_the_outcome_and_a_check_in_a_day_later(app, world):
    http = login(app, "mo@example.org")
    page = f"/moderation/escalations/{world['esc']}"
    assert submit(http, page, {"outcome": "made_up"}, action=f"{page}/resolve").status_code == 400
    before = utcnow()
    response = submit(http, page, {"outcome": "crisis_line", "resolve_note": "Called 988 together."},
                      action=f"{page}/resolve")
    after = utcnow()
    assert response.status_code == 302
    with app.app_context():
        row = get(Escalation, world["esc"])
        assert (row.status, row.outcome, row.resolved_by_id, row.acknowledged_by_id) == (
            "resolved", "crisis_line", world["mo"], world["mo"])
        assert row.next_alert_at is None and before <= row.resolved_at <= after
        assert before + timedelta(hours=24) <= row.follow_up_at <= after + timedelta(hours=24)
        assert [n.body for n in row.notes] == ["Called 988 together."]
        assert audit_actions(world["esc"], world["mo"])[-2:] == ["escalation_acknowledged", "escalation_resolved"]
    shown = text(http.get(page))
    assert "Connected with 988 or another crisis line" in shown and "Mark follow-up done" in shown


def test_marking_the_follow_up_done(app, world):
    with app.app_context():
        due = escalation(60 * 30, user_id=world["riley"], group_id=world["group"], status="resolved",
                         acknowledged_by_id=world["mo"], resolved_by_id=world["mo"], outcome="checked_in_safe",
                         resolved_at=utcnow() - timedelta(hours=25), follow_up_at=utcnow() - timedelta(hours=1))
    http = login(app, "mo@example.org")
    queue = text(http.get("/moderation/"))
    assert f"/moderation/escalations/{due}" in queue.split('id="follow-title"')[1].split('id="resolved-title"')[0]
    page = f"/moderation/escalations/{due}"
    assert submit(http, page, {}, action=f"{page}/follow-up").status_code == 302
    with app.app_context():
        assert get(Escalation, due).followed_up_at is not None
        assert audit_actions(due, world["mo"])[-1] == "follow_up_done"
    queue = text(http.get("/moderation/"))
    assert f"/moderation/escalations/{due}" not in queue.split('id="follow-title"')[1].split('id="resolved-title"')[0]


def test_the_dashboard_counts_from_known_data(app, world):
    with app.app_context():
        day_ago = utcnow() - timedelta(days=1)

        def acked(level, minutes, by, created=day_ago, status="acknowledged", **values):
            db.session.add(Escalation(level=level, categories=["ideation"], user_id=world["riley"],
                                      group_id=world["group"], created_at=created, status=status,
                                      acknowledged_at=created + timedelta(minutes=minutes),
                                      acknowledged_by_id=by, **values))

        acked("crisis", 2, world["mo"])
        acked("crisis", 4, world["mo"])
        acked("crisis", 10, world["kai"], status="resolved", resolved_by_id=world["kai"], resolved_at=day_ago)
        acked("concern", 60, world["kai"])
        acked("crisis", 500, world["kai"], created=utcnow() - timedelta(days=40))  # too old to count
        db.session.commit()
        esc = db.session.get(Escalation, world["esc"])  # open crisis, nobody on it yet
        actions.add_note(esc, db.session.get(User, world["mo"]), "Keeping an eye on this.")
        numbers = actions.dashboard()
        assert numbers.open_by_level == {"crisis": {"open": 1, "acknowledged": 3}, "concern": {"open": 0, "acknowledged": 1}}
        assert numbers.ack_seconds["crisis"] == {"p50": 240, "p90": 600, "count": 3, "waiting": 1}
        assert numbers.ack_seconds["all"] == {"p50": 240, "p90": 3600, "count": 4, "waiting": 1}
        load = {row.user.display_name: row for row in numbers.load}
        assert (load["Mo"].acknowledged, load["Mo"].resolved, load["Mo"].notes, load["Mo"].in_hand) == (2, 0, 1, 2)
        assert (load["Kai"].acknowledged, load["Kai"].resolved, load["Kai"].in_hand) == (2, 1, 2)
    page = text(login(app, "kai@example.org").get("/moderation/dashboard"))
    crisis_row = page.split('id="ack-crisis"')[1].split("</tr>")[0]
    assert "<td>4 min</td><td>10 min</td><td>3</td><td>1</td>" in crisis_row
    mo_row = page.split(f'id="load-{world["mo"]}"')[1].split("</tr>")[0]
    assert "<th scope=\"row\">Mo</th><td>2</td><td>0</td><td>1</td><td>0</td><td>2</td>" in mo_row


def test_percentiles_use_the_nearest_rank():
    assert actions.percentile([], 0.5) is None
    assert actions.percentile([600, 120, 240], 0.5) == 240
    assert actions.percentile([600, 120, 240], 0.9) == 600
    assert actions.percentile(list(range(1, 11)), 0.9) == 9


def test_every_page_view_and_action_is_audited(app, world):
    http = login(app, "mo@example.org")
    page = f"/moderation/escalations/{world['esc']}"
    http.get("/moderation/")
    submit(http, page, {}, action=f"{page}/acknowledge")
    submit(http, page, {"message": "Checking in."}, action=f"{page}/message")
    submit(http, page, {"note": "Replied."}, action=f"{page}/note")
    submit(http, page, {"outcome": "checked_in_safe"}, action=f"{page}/resolve")
    submit(http, page, {}, action=f"{page}/follow-up")
    http.get("/moderation/dashboard")
    with app.app_context():
        assert audit_actions(actor_id=world["mo"]) == [
            "queue_viewed",
            "escalation_viewed", "escalation_acknowledged",
            "escalation_viewed", "support_message_sent",
            "escalation_viewed", "note_added",
            "escalation_viewed", "escalation_resolved",
            "escalation_viewed", "follow_up_done",
            "dashboard_viewed",
        ]
    trail = text(http.get(page)).split('id="trail-title"')[1]
    for words in ("Viewed", "Acknowledged", "Private message sent", "Note added",
                  "Resolved: Checked in; safe for now", "Follow-up done"):
        assert words in trail
