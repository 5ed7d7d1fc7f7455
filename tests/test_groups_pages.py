"""The group pages through HTTP: who may see what, CSRF on every change, and each flow's effect.

Page text is compared after unescaping HTML (`text(response)`), so apostrophes read as written."""
import html as htmllib

import pytest
from sqlalchemy import func, select

from community.extensions import db
from community.models import User
from community.models.group import Group, GroupFeedback, MatchRun, Membership
from tests.conftest import AuthActions, submit
from tests.support import create_account

# Two overlapping circles: board games on Thursday/Saturday evenings, hiking on weekend mornings.
CIRCLES = [
    {"interests": ["board-games", "card-games"], "availability": [11, 17, 20], "neighbourhood": "decatur"},
    {"interests": ["hiking", "birdwatching"], "availability": [15, 18, 19], "neighbourhood": "decatur"},
]


def text(response) -> str:
    return htmllib.unescape(response.get_data(as_text=True))


def add_people(count: int, prefix: str = "member", start: int = 0) -> list[int]:
    """Onboarded members with overlapping interests and times; call inside an app context."""
    ids = []
    for n in range(start, start + count):
        values = CIRCLES[n % len(CIRCLES)]
        ids.append(create_account(email=f"{prefix}{n}@example.org", name=f"{prefix.title()} {n}",
                                  onboarded=True, **values))
    return ids


@pytest.fixture
def people(app):
    with app.app_context():
        return add_people(12)


@pytest.fixture
def staff(app):
    with app.app_context():
        return {
            "organizer": create_account(email="org@example.org", name="Olu", role="organizer"),
            "admin": create_account(email="admin@example.org", name="Ada", role="admin"),
        }


def login(client, email):
    response = AuthActions(client).login(email=email)
    assert response.status_code == 302, text(response)
    return client


def make_group(app, member_ids, name="Thursday Tabletop", capacity=6, **fields):
    """A running group made the way an admin makes one, with matching's fields filled in."""
    from community.groups import services

    with app.app_context():
        users = [db.session.get(User, i) for i in member_ids]
        group = services.create_group(name, fields.pop("mode", "in_person"), users, None, neighbourhood="decatur")
        group.shared_interests = fields.pop("shared_interests", ["Board games"])
        group.common_slots = fields.pop("common_slots", [11, 17])
        group.explanation = fields.pop(
            "explanation", "You all enjoy board games and are free Thursday and Saturday evenings.")
        group.capacity = capacity
        for key, value in fields.items():
            setattr(group, key, value)
        db.session.commit()
        return group.id


def membership(app, group_id, user_id):
    with app.app_context():
        return db.session.scalar(select(Membership).where(
            Membership.group_id == group_id, Membership.user_id == user_id).order_by(Membership.id.desc()))


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


# --- who may see what -------------------------------------------------------------------------

def test_visitors_are_asked_to_log_in(client):
    for path in ("/groups/1", "/groups/browse", "/organize/matching", "/admin/groups"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login"), path


def test_a_member_cannot_see_another_groups_page(app, client, people):
    mine = make_group(app, people[:4], name="Mine")
    theirs = make_group(app, people[4:8], name="Theirs")
    login(client, "member0@example.org")
    assert client.get(f"/groups/{mine}").status_code == 200
    other = client.get(f"/groups/{theirs}")
    assert other.status_code == 404
    assert "Theirs" not in text(other)
    assert client.get("/groups/99999").status_code == 404  # the same answer as for one that exists
    assert client.get(f"/groups/{theirs}/leave").status_code == 404
    assert client.get(f"/groups/{theirs}/not-for-me").status_code == 404


def test_a_member_who_left_no_longer_sees_the_group(app, client, people):
    from community.groups import services

    group_id = make_group(app, people[:4])
    with app.app_context():
        services.leave_group(db.session.get(User, people[0]), db.session.get(Group, group_id))
    login(client, "member0@example.org")
    assert client.get(f"/groups/{group_id}").status_code == 404


def test_organizers_and_admins_may_see_any_group(app, client, people, staff):
    group_id = make_group(app, people[:4])
    for email in ("org@example.org", "admin@example.org"):
        login(client, email)
        page = client.get(f"/groups/{group_id}")
        assert page.status_code == 200
        html = text(page)
        assert "you aren't a member of it" in html
        assert "Leave this group" not in html  # they aren't in it, so there's nothing to leave
        AuthActions(client).logout()


@pytest.mark.parametrize("path", ["/organize/matching", "/admin/groups"])
def test_members_cannot_reach_staff_pages(client, people, path):
    login(client, "member0@example.org")
    assert client.get(path).status_code == 403


def test_organizers_cannot_reach_admin_pages(client, staff):
    login(client, "org@example.org")
    assert client.get("/organize/matching").status_code == 200
    assert client.get("/admin/groups").status_code == 403


def test_members_cannot_run_or_apply_matching(app, client, people):
    login(client, "member0@example.org")
    response = submit(client, "/home", {}, action="/organize/matching/preview")
    assert response.status_code == 403
    assert count(app, MatchRun) == 0
    group_id = make_group(app, people[4:8])
    response = submit(client, "/home", {"email": "member0@example.org"}, action=f"/admin/groups/{group_id}/members")
    assert response.status_code == 403


def test_staff_links_in_the_menu_follow_the_role(client, people, staff):
    login(client, "member0@example.org")
    html = text(client.get("/home"))
    assert 'href="/organize/matching"' not in html and 'href="/admin/groups"' not in html
    AuthActions(client).logout()
    login(client, "admin@example.org")
    html = text(client.get("/home"))
    assert 'href="/organize/matching"' in html and 'href="/admin/groups"' in html


# --- CSRF on every change ---------------------------------------------------------------------

def test_changes_need_the_csrf_token(app, client, people, staff):
    group_id = make_group(app, people[:4])
    open_id = make_group(app, people[4:7], name="Open seats")
    login(client, "member0@example.org")
    assert client.post(f"/groups/{group_id}/leave").status_code == 400
    assert client.post(f"/groups/{group_id}/not-for-me", data={"reasons": ["times"]}).status_code == 400
    assert membership(app, group_id, people[0]).left_at is None
    assert count(app, GroupFeedback) == 0
    assert client.post(f"/groups/{open_id}/join").status_code == 400
    assert membership(app, open_id, people[0]) is None

    AuthActions(client).logout()
    login(client, "admin@example.org")
    assert client.post("/organize/matching/preview").status_code == 400
    assert count(app, MatchRun) == 0
    groups_before = count(app, Group)
    response = client.post("/admin/groups", data={"name": "Sneaky", "mode": "online", "members": ""})
    assert response.status_code == 400
    assert count(app, Group) == groups_before
    assert client.post(f"/admin/groups/{group_id}/members", data={"email": "member9@example.org"}).status_code == 400
    assert client.post(f"/admin/groups/{group_id}/members/{people[1]}/remove").status_code == 400
    assert membership(app, group_id, people[1]).left_at is None
    assert membership(app, group_id, people[9]) is None


# --- the member's home and group page -----------------------------------------------------------

def test_home_shows_the_new_group_until_it_is_opened(app, client, people):
    group_id = make_group(app, people[:4])
    login(client, "member0@example.org")
    html = text(client.get("/home"))
    assert "You've been matched!" in html
    assert "Your group: Thursday Tabletop" in html
    assert "You all enjoy board games and are free Thursday and Saturday evenings." in html
    assert "Board games" in html and f'href="/groups/{group_id}"' in html
    assert "Browse groups with open seats" in html

    client.get(f"/groups/{group_id}")
    assert membership(app, group_id, people[0]).seen_at is not None
    html = text(client.get("/home"))
    assert "Your group: Thursday Tabletop" in html and "You've been matched!" not in html


def test_home_while_waiting_shows_the_reason_or_the_default(app, client, people):
    from community.models.group import WaitlistEntry

    login(client, "member0@example.org")
    html = text(client.get("/home"))
    assert "We're looking for a small group" in html
    assert 'href="/groups/browse"' in html

    with app.app_context():
        db.session.add(WaitlistEntry(user_id=people[0], reason="Only 2 members want in-person meetups near you yet."))
        db.session.commit()
    html = text(client.get("/home"))
    assert "Only 2 members want in-person meetups near you yet." in html


def test_group_page_shows_what_members_share_and_nothing_private(app, client, people):
    with app.app_context():
        profile = db.session.get(User, people[1]).profile
        profile.communication_prefs = ["prefer_text", "slow_replies"]
        profile.communication_note = "Mornings are hard for me; evenings are great."
        profile.barriers = ["anxiety_freezes"]
        db.session.commit()
    group_id = make_group(app, people[:4])
    login(client, "member0@example.org")
    html = text(client.get(f"/groups/{group_id}"))
    for expected in ("Thursday Tabletop", "Member 1", "Member 2", "Member 3", "Member 0 (you)",
                     "I prefer text to calls", "I may take a while to reply", "Mornings are hard for me",
                     "Board games", "Thursday evening", "Saturday evening",
                     "You all enjoy board games and are free Thursday and Saturday evenings.",
                     "Leave this group", "This group isn"):
        assert expected in html, expected
    assert "anxiety freezes" not in html and "anxiety_freezes" not in html
    assert "@example.org" not in html  # emails stay private too
    assert html.count("<h1") == 1 and "<main" in html


def test_group_page_lists_the_groups_announcements(app, client, people):
    from community.models.group import GroupAnnouncement

    group_id = make_group(app, people[:4])
    with app.app_context():
        db.session.add(GroupAnnouncement(group_id=group_id, kind="starter", body="What's a game you loved as a kid?"))
        db.session.commit()
    login(client, "member0@example.org")
    assert "What's a game you loved as a kid?" in text(client.get(f"/groups/{group_id}"))


# --- leaving, 'not for me', joining -----------------------------------------------------------

def test_leaving_is_confirmed_kindly_then_done(app, client, people):
    group_id = make_group(app, people[:4])
    login(client, "member0@example.org")
    confirm = client.get(f"/groups/{group_id}/leave")
    html = text(confirm)
    assert confirm.status_code == 200
    assert "completely okay" in html and "match you again" in html
    assert membership(app, group_id, people[0]).left_at is None  # a GET changes nothing

    response = submit(client, f"/groups/{group_id}/leave", {}, follow_redirects=True)
    assert response.status_code == 200
    assert "You've left Thursday Tabletop" in text(response)
    left = membership(app, group_id, people[0])
    assert left.left_at is not None and left.left_reason == "left"
    assert "Your group: Thursday Tabletop" not in text(client.get("/home"))


def test_not_for_me_records_why_and_puts_the_member_back_in_the_pool(app, client, people):
    group_id = make_group(app, people[:4])
    login(client, "member0@example.org")
    form = text(client.get(f"/groups/{group_id}/not-for-me"))
    assert "<fieldset" in form and "<legend>" in form and "The times don't work for me" in form

    response = submit(client, f"/groups/{group_id}/not-for-me",
                      {"reasons": ["times", "distance"], "note": "Too far for me on weeknights."})
    assert response.status_code == 302
    thanks = text(client.get(response.headers["Location"]))
    assert "back in the pool" in thanks and "won't place you with that group again" in thanks
    left = membership(app, group_id, people[0])
    assert left.left_at is not None and left.left_reason == "not_for_me"
    with app.app_context():
        feedback = db.session.scalar(select(GroupFeedback))
        assert (feedback.user_id, feedback.group_id) == (people[0], group_id)
        assert sorted(feedback.reasons) == ["distance", "times"]
        assert feedback.note == "Too far for me on weeknights."


def test_not_for_me_refuses_a_forged_reason(app, client, people):
    group_id = make_group(app, people[:4])
    login(client, "member0@example.org")
    response = submit(client, f"/groups/{group_id}/not-for-me", {"reasons": ["<script>"]})
    assert response.status_code == 400
    assert "isn't on our list" in text(response)
    assert membership(app, group_id, people[0]).left_at is None


def test_browse_shows_open_groups_without_names_and_joining_works(app, client, people):
    board_gamers = people[2:8:2]  # members 2, 4 and 6 share member 0's interests and times
    group_id = make_group(app, board_gamers, name="Open Tabletop")  # 3 of 6 seats taken
    login(client, "member0@example.org")
    page = client.get("/groups/browse")
    html = text(page)
    assert page.status_code == 200
    assert "Open Tabletop" in html and "Seats left" in html and "No activity scheduled yet" in html
    for n in (2, 4, 6):
        assert f"Member {n}" not in html  # nobody's name until you join

    response = submit(client, "/groups/browse", {}, action=f"/groups/{group_id}/join")
    assert response.status_code == 302 and response.headers["Location"] == f"/groups/{group_id}"
    joined = membership(app, group_id, people[0])
    assert joined.left_at is None and joined.source == "joined"
    assert "Member 2" in text(client.get(f"/groups/{group_id}"))


def test_joining_a_full_group_says_so_and_changes_nothing(app, client, people):
    group_id = make_group(app, people[1:5], name="Full Tabletop", capacity=4)
    login(client, "member0@example.org")
    response = submit(client, "/groups/browse", {}, action=f"/groups/{group_id}/join")
    assert response.status_code == 409
    assert "flash-error" in text(response)
    assert membership(app, group_id, people[0]) is None
    with app.app_context():
        assert db.session.get(Group, group_id).size == 4


def test_joining_a_group_that_does_not_exist_is_404(client, people):
    login(client, "member0@example.org")
    assert submit(client, "/groups/browse", {}, action="/groups/99999/join").status_code == 404


def test_browsing_waits_for_a_finished_profile(client, make_user):
    make_user(email="new@example.org")
    login(client, "new@example.org")
    response = client.get("/groups/browse")
    assert response.status_code == 302 and response.headers["Location"].startswith("/welcome")


# --- organizers: preview and apply ------------------------------------------------------------

def test_organizer_previews_then_applies_through_http(app, client, people, staff):
    with app.app_context():
        db.session.get(User, people[0]).profile.barriers = ["keep_distance"]
        db.session.commit()
    login(client, "org@example.org")
    response = submit(client, "/organize/matching", {}, action="/organize/matching/preview")
    assert response.status_code == 302
    run_page = client.get(response.headers["Location"])
    html = text(run_page)
    assert run_page.status_code == 200
    assert "Matching preview" in html and "Apply these groups" in html
    assert "Member 0" in html and "%" in html
    assert "keep people at a distance" not in html and "keep_distance" not in html
    assert count(app, Group) == 0  # a preview changes nothing for members

    with app.app_context():
        run = db.session.scalar(select(MatchRun))
        assert run.applied_at is None and run.run_by_id == staff["organizer"]
        run_id = run.id
    response = submit(client, f"/organize/matching/runs/{run_id}", {},
                      action=f"/organize/matching/runs/{run_id}/apply", follow_redirects=True)
    assert response.status_code == 200
    html = text(response)
    assert "Applied." in html and "Past runs" in html and ">Applied<" in html
    with app.app_context():
        assert db.session.get(MatchRun, run_id).applied_at is not None
        assert db.session.scalar(select(func.count()).select_from(Group)) >= 2
        placed = db.session.scalar(select(func.count()).select_from(Membership).where(Membership.left_at.is_(None)))
        assert placed >= 8

    # Applying the same run twice is refused calmly.
    again = submit(client, f"/organize/matching/runs/{run_id}", {}, action=f"/organize/matching/runs/{run_id}/apply")
    assert again.status_code == 409 and "flash-error" in text(again)


def test_a_stale_preview_is_refused_and_a_new_one_offered(app, client, people, staff):
    login(client, "org@example.org")
    submit(client, "/organize/matching", {}, action="/organize/matching/preview")
    with app.app_context():
        run_id = db.session.scalar(select(MatchRun.id))
        add_people(1, prefix="latecomer")  # the community changes after the preview
    response = submit(client, f"/organize/matching/runs/{run_id}", {},
                      action=f"/organize/matching/runs/{run_id}/apply")
    html = text(response)
    assert response.status_code == 409
    assert "flash-error" in html and "Run a new preview" in html
    assert count(app, Group) == 0
    with app.app_context():
        assert db.session.get(MatchRun, run_id).applied_at is None


def test_unknown_run_is_404(client, staff):
    login(client, "org@example.org")
    assert client.get("/organize/matching/runs/99999").status_code == 404


# --- admins: groups by hand -------------------------------------------------------------------

def test_admin_creating_a_group_with_an_unknown_email_saves_nothing(app, client, people, staff):
    login(client, "admin@example.org")
    response = submit(client, "/admin/groups", {
        "name": "Porch Circle", "mode": "in_person", "neighbourhood": "decatur",
        "members": "member0@example.org, nobody@example.org\nmember1@example.org",
    })
    html = text(response)
    assert response.status_code == 400
    assert "nobody@example.org" in html and "Nothing was saved" in html
    assert count(app, Group) == 0 and count(app, Membership) == 0


def test_admin_creates_a_group_then_adds_and_removes_members(app, client, people, staff):
    login(client, "admin@example.org")
    response = submit(client, "/admin/groups", {
        "name": "Porch Circle", "mode": "in_person", "neighbourhood": "decatur",
        "members": "member0@example.org,\nMEMBER1@example.org\nmember2@example.org",
    })
    assert response.status_code == 302
    with app.app_context():
        group = db.session.scalar(select(Group))
        assert (group.name, group.mode, group.origin) == ("Porch Circle", "in_person", "manual")
        assert sorted(m.user_id for m in group.active_memberships) == sorted(people[:3])
        group_id = group.id
    detail = text(client.get(response.headers["Location"]))
    assert "Porch Circle" in detail and "3 of" in detail

    page = f"/admin/groups/{group_id}"
    assert submit(client, page, {"email": "nobody@example.org"}, action=f"{page}/members").status_code == 400
    assert submit(client, page, {"email": "member5@example.org"}, action=f"{page}/members").status_code == 302
    assert membership(app, group_id, people[5]).left_at is None
    assert submit(client, page, {"email": "member5@example.org"}, action=f"{page}/members").status_code == 409

    assert submit(client, page, {}, action=f"{page}/members/{people[1]}/remove").status_code == 302
    removed = membership(app, group_id, people[1])
    assert removed.left_at is not None and removed.left_reason == "removed"
    listing = text(client.get("/admin/groups"))
    assert "Porch Circle" in listing and "3 of 6" in listing and "Made by hand" in listing


def test_admin_form_errors_are_readable(client, staff):
    login(client, "admin@example.org")
    response = submit(client, "/admin/groups", {"name": "", "members": ""})
    html = text(response)
    assert response.status_code == 400
    assert "Please give the group a name." in html and "online or in person" in html


def test_every_group_page_is_semantic_and_keeps_the_crisis_line(app, client, people, staff):
    group_id = make_group(app, people[:4])
    login(client, "member0@example.org")
    pages = [f"/groups/{group_id}", f"/groups/{group_id}/leave", f"/groups/{group_id}/not-for-me",
             "/groups/not-for-me/thanks", "/groups/browse", "/home"]
    seen = [(path, client.get(path)) for path in pages]
    AuthActions(client).logout()
    login(client, "admin@example.org")
    seen += [(path, client.get(path)) for path in
             ("/organize/matching", "/admin/groups", f"/admin/groups/{group_id}")]
    for path, response in seen:
        html = response.get_data(as_text=True)
        assert response.status_code == 200, path
        assert html.count("<h1") == 1 and "<main" in html, path
        assert "Call or text 988" in html[html.index("<footer"):], path
        for field_id in ("note", "name", "members", "email"):
            if f'id="{field_id}"' in html:
                assert f'for="{field_id}"' in html, (path, field_id)  # every input has its label
