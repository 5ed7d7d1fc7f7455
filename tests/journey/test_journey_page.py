"""The journey page through the real routes: what a seeded member sees (the ladder with their
step marked in words, what they've done from the database, one suggestion with its link, the
encouraging words), who may see it, and that it never talks about streaks or scores."""
import html as htmllib
import re
from datetime import timedelta

import pytest

from community.activities import times
from community.extensions import db
from community.groups import services as groups
from community.models import Message
from community.models.activity import Activity, Rsvp
from community.models.base import utcnow
from tests.conftest import submit
from tests.factories import member
from tests.support import login_client as login


def text(response) -> str:
    return htmllib.unescape(response.get_data(as_text=True))


def activity(group, title: str, starts, step: int, **extra) -> Activity:
    found = Activity(title=title, focus="board-games", format="online", join_url="https://example.org/room",
                     starts_at=starts, ends_at=starts + timedelta(hours=2), capacity=8, comfort_step=step,
                     audience="groups", groups=[group], **extra)
    db.session.add(found)
    db.session.flush()
    return found


def words(html: str) -> str:
    """The text a person reads: tags dropped, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace(" .", ".").replace(" ,", ",")


def day(moment) -> str:
    at = times.local(moment)
    return f"{at:%B} {at.day}"


@pytest.fixture
def seeded(app):
    """Ann (step 2, no barriers) in "Board games circle" with Bea and Cal: she said hello in the
    chat, went to two step-1 chats and one step-2 game night, missed one (not marked), and a
    step-2 and a step-3 activity are coming up."""
    with app.app_context():
        now = utcnow()
        ann, bea, cal = (member(f"{n.lower()}@example.org", f"{n} Test", comfort=2) for n in ("Ann", "Bea", "Cal"))
        group = groups.create_group("Board games circle", "online", [ann, bea, cal], None)
        hello = now - timedelta(days=20)
        db.session.add(Message(group_id=group.id, author_id=ann.id, body="Hi all, I'm Ann", created_at=hello))
        db.session.add(Message(group_id=group.id, author_id=ann.id, body="Later one", created_at=now))
        past = [activity(group, "Coffee chat (text)", now - timedelta(days=14), 1),
                activity(group, "Puzzle hour", now - timedelta(days=10), 1),
                activity(group, "Online game night", now - timedelta(days=7), 2),
                activity(group, "Quiz night she skipped", now - timedelta(days=3), 2)]
        for found, came in zip(past, (True, True, True, False), strict=True):
            db.session.add(Rsvp(activity_id=found.id, user_id=ann.id, status="going", attended=came))
        step2 = activity(group, "Watch party", now + timedelta(days=3), 2)
        step3 = activity(group, "Walk in the park", now + timedelta(days=2), 3)
        db.session.commit()
        return {"group": group.id, "ann": ann.id, "hello_day": day(hello),
                "joined_day": day(group.memberships[0].joined_at), "step2": step2.id, "step3": step3.id,
                "past": [a.id for a in past], "played_day": day(past[2].starts_at)}


def test_a_member_sees_the_ladder_with_their_step_marked_in_words(app, seeded):
    page = text(login(app, "ann@example.org").get("/journey"))
    ladder = page.split('<ol class="journey-ladder">')[1].split("</ol>")[0]
    items = re.findall(r"<li(.*?)</li>", ladder, re.S)
    assert len(items) == 4
    assert [("aria-current=\"step\"" in item, "You are here" in item) for item in items] == [
        (False, False), (True, True), (False, False), (False, False)]
    assert "Step 2: Structured online activities" in items[1]


def test_what_they_have_done_comes_from_the_database_in_plain_words(app, seeded):
    page = text(login(app, "ann@example.org").get("/journey"))
    done = words(page.split('id="done-title"')[1].split("</section>")[0])
    assert f"You joined Board games circle on {seeded['joined_day']}." in done
    assert f"You sent your first message in a group chat on {seeded['hello_day']}." in done
    assert "Step 1: Online, text first" in done and "Step 2: Structured online activities" in done
    step1, step2 = done.split("Step 1: Online, text first")[1].split("Step 2: Structured online activities")
    assert "You went to 2 activities at this step" in step1 and "Coffee chat (text)" in step1 and "Puzzle hour" in step1
    assert "You went to one activity at this step" in step2
    assert f"Online game night, {seeded['played_day']}" in step2
    assert "Quiz night she skipped" not in page  # only what she did; nothing about what she didn't
    for word in ("streak", "score", "failure", "missed"):
        assert word not in page.lower()


def test_one_suggestion_fits_their_step_and_links_to_it(app, seeded):
    page = text(login(app, "ann@example.org").get("/journey"))
    card = page.split('id="next-step-title"')[1].split("</section>")[0]
    assert 'data-kind="activity"' in card
    assert f'href="/activities/{seeded["step2"]}"' in card and "See Watch party" in card
    assert "Walk in the park" not in card  # step 3 is above hers, even though it is sooner
    assert card.count("<a ") == 1


def test_a_member_who_never_posted_is_asked_for_a_tiny_hello(app, seeded):
    page = text(login(app, "bea@example.org").get("/journey"))
    card = page.split('id="next-step-title"')[1].split("</section>")[0]
    assert 'data-kind="first_hello"' in card and f'href="/groups/{seeded["group"]}#group-chat"' in card
    assert "Your journey starts whenever you're ready" not in page  # she is in a group: that's done
    assert "You joined Board games circle" in words(page)


def test_the_page_has_the_encouraging_words(app, seeded):
    page = text(login(app, "ann@example.org").get("/journey"))
    assert "awkward early on is normal" in page
    assert "Friendship grows from repeated contact" in page and "many hours together" in page
    assert "Moving at your own pace is the point" in page


def test_barriers_change_the_suggestion_on_the_page(app, seeded):
    with app.app_context():
        from community.models import Profile

        db.session.get(Profile, seeded["ann"]).barriers = ["anxiety_freezes"]
        db.session.commit()
    page = text(login(app, "ann@example.org").get("/journey"))
    # The lower-threat setting: nothing upcoming below step 2, so the text chat.
    assert 'data-kind="lower_threat_chat"' in page and f'href="/groups/{seeded["group"]}#group-chat"' in page


def test_anonymous_visitors_are_sent_to_log_in(client):
    for method, path in (("get", "/journey"), ("post", "/journey/step"), ("post", "/journey/tips")):
        response = getattr(client, method)(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login"), path


def test_someone_not_onboarded_is_sent_to_finish_their_profile(app):
    with app.app_context():
        member("new@example.org", "New Person", onboarded=False)
    response = login(app, "new@example.org").get("/journey")
    assert response.status_code == 302 and response.headers["Location"] == "/welcome"


def test_a_staff_member_with_a_profile_sees_their_own_journey(app):
    with app.app_context():
        member("mo@example.org", "Mo Mod", role="moderator", comfort=3)
    page = text(login(app, "mo@example.org").get("/journey"))
    assert "Your journey" in page and 'data-kind="find_group"' in page
    assert "Your journey starts whenever you're ready" in page


def test_the_nav_links_to_the_journey_for_onboarded_people_only(app, seeded):
    with app.app_context():
        member("new@example.org", "New Person", onboarded=False)
    assert 'href="/journey">Your journey</a>' in text(login(app, "ann@example.org").get("/home"))
    assert 'href="/journey"' not in text(login(app, "new@example.org").get("/home"))


def test_the_page_works_as_a_form_without_javascript(app, seeded):
    """Both forms post plainly, carry their CSRF tokens, and the radio group has a legend."""
    page = text(login(app, "ann@example.org").get("/journey"))
    assert page.count('action="/journey/step"') == 2 and page.count('action="/journey/tips"') == 1
    assert page.count('name="csrf_token"') >= 3
    assert "<legend>Or choose a step</legend>" in page
    assert "<script>" not in page and 'style="' not in page


def test_a_post_without_its_csrf_token_changes_nothing(app, seeded):
    ann = login(app, "ann@example.org")
    assert ann.post("/journey/step", data={"move": "up"}).status_code == 400
    assert submit(ann, "/journey", {"move": "up"}, action="/journey/step").status_code == 302  # with it, it works
