"""The organizers' outcomes page and the one-click starter, through the real routes: who may see
and use them, that no one's own answers or notes appear, that small groups are hidden in words,
and that a nudge posts exactly one starter a day, audited."""
import html as htmllib
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from community.activities import times
from community.extensions import db
from community.groups import services as groups
from community.models import AuditLog, GroupAnnouncement, Message
from community.models.base import utcnow
from community.models.journey import MonthlyCheckIn
from tests.conftest import csrf_token
from tests.factories import member
from tests.support import login_client

NOTE_WORD = "marigold-lantern"


def text(response) -> str:
    return htmllib.unescape(response.get_data(as_text=True))


def words(html: str) -> str:
    """The page as read aloud: tags dropped, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def world(app):
    with app.app_context():
        member("olu@example.org", "Olu", role="organizer")
        member("ada@example.org", "Ada", role="admin")
        member("mo@example.org", "Mo", role="moderator")
        five = [member(f"five{n}@example.org", f"Five {n}") for n in range(5)]
        three = [member(f"three{n}@example.org", f"Three {n}") for n in range(3)]
        big = groups.create_group("Board games circle", "online", five, None)
        small = groups.create_group("Walkers", "online", three, None)
        month = times.local(utcnow()).strftime("%Y-%m")  # this month, in the community's time zone
        for user, total in zip(five, ((1, 1, 1), (1, 1, 2), (1, 2, 2), (2, 2, 2), (2, 2, 3)), strict=True):
            db.session.add(MonthlyCheckIn(user_id=user.id, month=month, group_id=big.id, note=f"my words {NOTE_WORD}",
                                          answers=dict(zip(("lack_company", "left_out", "isolated"), total,
                                                           strict=True))))
        db.session.add(MonthlyCheckIn(user_id=three[0].id, month=month, group_id=small.id, note=NOTE_WORD,
                                      answers={"lack_company": 3, "left_out": 3, "isolated": 3}))
        quiet_at = utcnow() - timedelta(days=12)
        small.created_at = big.created_at = quiet_at
        db.session.add(Message(group_id=big.id, author_id=five[0].id, body="hello all", created_at=utcnow()))
        db.session.commit()
        return {"big": big.id, "small": small.id, "month": month}


@pytest.mark.parametrize("email", ["olu@example.org", "ada@example.org"])
def test_organizers_and_admins_see_aggregates_only(app, world, email):
    page = login_client(app, email).get("/organize/outcomes")
    assert page.status_code == 200
    body = text(page)
    assert "How the community is doing" in body and "Fewer than five people — hidden to protect privacy" in body
    assert "at least 5 people" in body
    assert NOTE_WORD not in body  # nobody's own words
    assert "(1 people)" not in words(body) and "(3 people)" not in words(body)  # no small count
    assert "Five 0" not in body and "Three 0" not in body  # nobody's name
    # Five check-ins in the big group (3, 4, 5, 6, 7) could show 5.0, but the small group's one
    # check-in would then be overall minus the big group: both are hidden, the overall shows.
    assert "5.0 (5 people)" not in body
    assert "5.7 (6 people)" in words(body)  # 34 / 6 overall, this month
    assert "<caption>" in body and 'scope="col"' in body
    assert "Walkers" in body and "12 days" in body  # gone quiet, with how long
    assert f'action="/organize/groups/{world["small"]}/nudge"' in page.get_data(as_text=True)
    assert f'action="/organize/groups/{world["big"]}/nudge"' not in page.get_data(as_text=True)


def test_the_navigation_links_organizers_to_the_page(app, world):
    assert 'href="/organize/outcomes"' in login_client(app, "olu@example.org").get("/home").get_data(as_text=True)
    assert 'href="/organize/outcomes"' not in login_client(app, "five1@example.org").get("/home").get_data(as_text=True)


@pytest.mark.parametrize("email", ["five1@example.org", "mo@example.org"])
def test_members_and_moderators_are_refused(app, world, email):
    client = login_client(app, email)
    assert client.get("/organize/outcomes").status_code == 403
    token = csrf_token(client, "/home")
    assert client.post(f"/organize/groups/{world['small']}/nudge", data={"csrf_token": token}).status_code == 403
    with app.app_context():
        assert _starters(world["small"]) == 0


def test_visitors_are_asked_to_log_in(client, world):
    response = client.get("/organize/outcomes")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def _starters(group_id: int) -> int:
    return db.session.scalar(select(func.count(GroupAnnouncement.id)).where(
        GroupAnnouncement.group_id == group_id, GroupAnnouncement.kind == "starter"))


def test_a_nudge_posts_one_starter_and_a_second_today_posts_nothing(app, world):
    olu = login_client(app, "olu@example.org")
    token = csrf_token(olu, "/organize/outcomes")
    url = f"/organize/groups/{world['small']}/nudge"
    first = olu.post(url, data={"csrf_token": token})
    assert first.status_code == 302 and first.headers["Location"].startswith("/organize/outcomes")
    assert "A conversation starter is on its way to Walkers's chat." in text(olu.get(first.headers["Location"]))
    with app.app_context():
        assert _starters(world["small"]) == 1
        [note] = db.session.scalars(select(GroupAnnouncement).where(GroupAnnouncement.kind == "starter"))
        chat = db.session.scalars(select(Message).where(Message.group_id == world["small"], Message.kind == "system",
                                                        Message.body == note.body)).all()
        assert len(chat) == 1
        [audit] = db.session.scalars(select(AuditLog).where(AuditLog.action == "conversation_starter_sent"))
        assert audit.detail == {"group_id": world["small"], "announcement_id": note.id}
        assert audit.actor.email == "olu@example.org"
    second = olu.post(url, data={"csrf_token": token})
    assert second.status_code == 302
    assert "less than a day ago" in text(olu.get(second.headers["Location"]))
    with app.app_context():
        assert _starters(world["small"]) == 1
        assert db.session.scalar(select(func.count(AuditLog.id)).where(
            AuditLog.action == "conversation_starter_sent")) == 1
    # The page now says one went out, instead of offering the button.
    page = olu.get("/organize/outcomes").get_data(as_text=True)
    assert url not in page and "Sent one within the last day" in page


def test_a_nudge_without_a_valid_token_or_for_no_group_is_turned_back(app, world):
    olu = login_client(app, "olu@example.org")
    assert olu.post(f"/organize/groups/{world['small']}/nudge", data={}).status_code == 400
    token = csrf_token(olu, "/organize/outcomes")
    assert olu.post("/organize/groups/999999999/nudge", data={"csrf_token": token}).status_code == 404
    with app.app_context():
        assert _starters(world["small"]) == 0
