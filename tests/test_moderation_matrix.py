"""Who may use each moderation route and socket event: every role against every route, with ids
that belong to someone else. Allowed cells must work; every other cell is refused (log in,
403 or 404) and changes nothing."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from community.extensions import db
from community.groups import services as groups
from community.models import (
    Appeal,
    AuditLog,
    Block,
    Escalation,
    GroupModerator,
    Message,
    ModerationAction,
    Report,
    ReviewItem,
)
from community.models.base import utcnow
from tests.conftest import CSRF_RE
from tests.factories import member
from tests.support import connect, messages_received
from tests.support import login_client as login

ROLES = ("anonymous", "member_of_another_group", "member", "organizer", "moderator_of_another_group",
         "moderator", "admin")
EMAIL = {"member_of_another_group": "nell@example.org", "member": "pat@example.org",
         "organizer": "olu@example.org", "moderator_of_another_group": "kai@example.org",
         "moderator": "mo@example.org", "admin": "ada@example.org"}
STAFF = {"moderator", "admin"}
# Pages every moderator opens, whatever their groups; what they list is scoped to those groups.
ANY_MODERATOR = STAFF | {"moderator_of_another_group"}
EVERYONE_SIGNED_IN = set(ROLES) - {"anonymous"}
IN_GROUP = {"member", "organizer"}


@pytest.fixture
def world(app):
    """One group (Riley, Pat, Olu the organizer) moderated by Mo; Kai moderates Nell's group.
    Riley's message is reported and held; Pat has a hide on record with an appeal decided by nobody
    yet; an escalation is open for Riley."""
    with app.app_context():
        riley, pat = member("riley@example.org", "Riley"), member("pat@example.org", "Pat")
        olu = member("olu@example.org", "Olu", role="organizer")
        nell = member("nell@example.org", "Nell")
        mo = member("mo@example.org", "Mo", role="moderator")
        kai = member("kai@example.org", "Kai", role="moderator")
        member("ada@example.org", "Ada", role="admin")
        group = groups.create_group("Board games circle", "online", [riley, pat, olu], None)
        other = groups.create_group("Walkers", "online", [nell], None)
        db.session.add_all([GroupModerator(group_id=group.id, user_id=mo.id),
                            GroupModerator(group_id=other.id, user_id=kai.id)])
        now = utcnow()
        rude = Message(group_id=group.id, author_id=riley.id, body="rude words", created_at=now)
        pats = Message(group_id=group.id, author_id=pat.id, body="pat's message", created_at=now,
                       hidden_at=now, hidden_by_id=mo.id)
        db.session.add_all([rude, pats])
        db.session.flush()
        item = ReviewItem(kind="report", severity=2, message_id=rude.id, group_id=group.id, subject_id=riley.id,
                          detail="Harassment or bullying", created_at=now - timedelta(minutes=3))
        db.session.add(item)
        db.session.flush()
        db.session.add(Report(item_id=item.id, message_id=rude.id, reporter_id=pat.id, reason="harassment"))
        hide = ModerationAction(kind="hide", actor_id=mo.id, subject_id=pat.id, group_id=group.id,
                                message_id=pats.id, reason="Off topic.")
        db.session.add(hide)
        db.session.flush()
        appeal = Appeal(action_id=hide.id, member_id=pat.id, note="Please look again.")
        escalation = Escalation(level="concern", categories=["hopelessness"], user_id=riley.id, message_id=rude.id,
                                group_id=group.id, created_at=now)
        db.session.add_all([appeal, escalation])
        db.session.commit()
        return {"group": group.id, "other": other.id, "item": item.id, "message": rude.id, "action": hide.id,
                "appeal": appeal.id, "escalation": escalation.id, "riley": riley.id, "pat": pat.id, "mo": mo.id}


# (method, url template, roles allowed, form data for a POST). A GET is allowed when it answers
# 200; a POST when it answers with a redirect (302) after doing its work.
ROUTES = [
    ("GET", "/moderation/", ANY_MODERATOR, None),
    ("GET", "/moderation/dashboard", ANY_MODERATOR, None),
    ("GET", "/moderation/log", ANY_MODERATOR, None),
    ("GET", "/moderation/items/{item}", STAFF, None),
    ("POST", "/moderation/items/{item}/claim", STAFF, {}),
    ("POST", "/moderation/items/{item}/release", STAFF, {}),
    ("POST", "/moderation/items/{item}/act", STAFF, {"action": "dismiss", "reason": "Looked fine."}),
    ("GET", "/moderation/groups/{group}/chat", STAFF, None),
    ("POST", "/moderation/messages/{message}/review", STAFF, {}),
    ("POST", "/moderation/groups/{group}/filters/reset", {"admin"}, {}),
    ("POST", "/admin/groups/{group}/moderators", {"admin"}, {"moderator_email": "kai@example.org"}),
    ("POST", "/admin/groups/{group}/moderators/{mo}/remove", {"admin"}, {}),
    ("GET", "/moderation/escalations/{escalation}", STAFF, None),
    ("POST", "/moderation/escalations/{escalation}/acknowledge", STAFF, {}),
    ("GET", "/moderation/actions/{action}/restore", STAFF, None),
    ("POST", "/moderation/actions/{action}/restore", STAFF, {"reason": "On reflection, fine."}),
    ("GET", "/moderation/appeals/{appeal}", {"admin"}, None),  # Mo took the action: someone else decides
    ("POST", "/moderation/appeals/{appeal}", {"admin"}, {"decision": "uphold", "reason": "Stands."}),
    ("GET", "/moderation/groups/{group}/filters", {"admin"}, None),
    ("GET", "/moderation/report/{message}", IN_GROUP | STAFF, None),
    ("POST", "/moderation/report/{message}", IN_GROUP | STAFF, {"reason": "spam"}),
    ("GET", "/moderation/block/{riley}", IN_GROUP, None),
    ("POST", "/moderation/block/{riley}", IN_GROUP, {}),
    ("GET", "/moderation/record", EVERYONE_SIGNED_IN, None),
    ("GET", "/moderation/record/{action}/appeal", set(), None),  # already appealed: back to the record
    ("GET", "/notifications", EVERYONE_SIGNED_IN, None),
]


def _state() -> tuple:
    """Everything a moderation route could change, to prove a refused request changed nothing."""
    item = db.session.scalar(select(ReviewItem))
    action = db.session.scalar(select(ModerationAction).order_by(ModerationAction.id))
    return (item.status, item.claimed_by_id, db.session.scalar(select(func.count(ModerationAction.id))),
            action.restored_at, db.session.scalar(select(Appeal.status)), db.session.scalar(select(Escalation.status)),
            db.session.scalar(select(func.count(Report.id))), db.session.scalar(select(func.count(Block.blocker_id))),
            sorted(db.session.execute(select(GroupModerator.group_id, GroupModerator.user_id)).all()))


def _client(app, role):
    return app.test_client() if role == "anonymous" else login(app, EMAIL[role])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method,template,allowed,data", ROUTES, ids=[f"{m} {t}" for m, t, _, _ in ROUTES])
def test_route_access(app, world, role, method, template, allowed, data):
    url = template.format(**world)
    http = _client(app, role)
    with app.app_context():
        before = _state()
    if method == "GET":
        response = http.get(url)
    else:
        # A real token from a page this person can open, so a refusal is authorization, not CSRF.
        token = CSRF_RE.search(http.get("/login" if role == "anonymous" else "/moderation/record")
                               .get_data(as_text=True)).group(1)
        response = http.post(url, data={**data, "csrf_token": token})
    if role in allowed:
        assert response.status_code == (200 if method == "GET" else 302), response.get_data(as_text=True)[:400]
        return
    expected = {302} if role == "anonymous" else {403, 404}
    if template == "/moderation/record/{action}/appeal" and role == "member":
        expected = {302}  # Pat's own action, appealed already: sent back to the record, nothing new
    assert response.status_code in expected
    if role == "anonymous":
        assert "/login" in response.headers["Location"]
    with app.app_context():
        assert _state() == before


def test_a_moderator_of_another_group_sees_none_of_this_group_in_their_lists(app, world):
    kai = login(app, "kai@example.org")
    for url in ("/moderation/", "/moderation/log"):
        page = kai.get(url).get_data(as_text=True)
        assert "Board games circle" not in page and "Off topic." not in page, url
    assert "Board games circle" in login(app, "mo@example.org").get("/moderation/").get_data(as_text=True)


def test_guessing_ids_reaches_nothing(app, world):
    mo = login(app, "mo@example.org")
    for url in ("/moderation/items/999999", "/moderation/actions/999999/restore", "/moderation/appeals/999999",
                "/moderation/groups/999999/chat", "/moderation/report/999999", "/moderation/block/999999",
                "/moderation/record/999999/appeal"):
        assert mo.get(url).status_code == 404, url


@pytest.mark.parametrize("role", ROLES)
def test_socket_events(app, world, role):
    """Joining a group's room (to read it live) and hearing the queue count both follow the matrix."""
    if role == "anonymous":
        from community.extensions import socketio

        client = socketio.test_client(app, flask_test_client=app.test_client())
        assert not client.is_connected()
        return
    listeners = {r: connect(app, EMAIL[r]) for r in EMAIL}
    for client in listeners.values():
        client.get_received()
    ack = listeners[role].emit("join", {"group_id": world["group"]}, callback=True)
    assert ack["ok"] is (role in IN_GROUP | STAFF)
    # A report from Olu: only the group's moderators and admins hear the new count.
    http = login(app, "olu@example.org")
    with app.app_context():
        db.session.execute(db.update(Message).where(Message.id == world["message"] + 1).values(hidden_at=None))
        db.session.commit()
    page = f"/moderation/report/{world['message'] + 1}"
    token = CSRF_RE.search(http.get(page).get_data(as_text=True)).group(1)
    assert http.post(page, data={"reason": "other", "csrf_token": token}).status_code == 302
    heard = {r for r, client in listeners.items() if messages_received(client, "review_count")}
    assert heard == STAFF
    with app.app_context():
        assert db.session.scalar(select(func.count(AuditLog.id)).where(AuditLog.action == "message_reported")) == 1
