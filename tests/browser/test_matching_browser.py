"""An organizer previews and applies matching; a member then finds their group and why, in Chromium.

Also measures text contrast on every group page, as test_accessibility does for the others.
"""
import re

import pytest
from sqlalchemy import select

from community.extensions import db
from community.models import User
from community.models.group import Group, Membership
from tests.browser.test_accessibility import assert_contrast
from tests.support import PASSWORD, create_account, finish_browser_login

pytestmark = pytest.mark.browser

# Overlapping circles, so matching has real choices: shared focus and shared free evenings.
CIRCLES = [
    {"interests": ["board-games", "card-games"], "availability": [11, 17, 20]},
    {"interests": ["board-games", "trivia-nights"], "availability": [11, 17, 14]},
    {"interests": ["hiking", "birdwatching"], "availability": [15, 18, 19]},
]


@pytest.fixture
def community(app):
    """Fifteen onboarded members near Decatur, an organizer and an admin."""
    with app.app_context():
        for n in range(15):
            user_id = create_account(email=f"member{n}@example.org", name=f"Member{n}", onboarded=True,
                                     neighbourhood="decatur", **CIRCLES[n % len(CIRCLES)])
            if n == 0:
                profile = db.session.get(User, user_id).profile
                profile.communication_prefs = ["prefer_text"]
                profile.communication_note = "Happy to chat, slow to reply."
                profile.barriers = ["anxiety_freezes"]
                db.session.commit()
        create_account(email="org@example.org", name="Olu", role="organizer")
        create_account(email="admin@example.org", name="Ada", role="admin")


def log_in(page, base, email):
    page.goto(base + "/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    finish_browser_login(page, email)


def log_out(page):
    page.click("nav button:has-text('Log out')")
    page.wait_for_url(re.compile(r".*/$"))


def test_organizer_applies_matching_and_a_member_sees_their_group(app, live_server, page, keyboard, community):
    log_in(page, live_server, "org@example.org")
    keyboard.press('nav a[href="/organize/matching"]', "Enter")
    page.wait_for_url("**/organize/matching")
    assert "No runs yet." in page.inner_text("main")
    assert_contrast(page, "/organize/matching")

    keyboard.press('main form[action="/organize/matching/preview"] button', "Enter")
    page.wait_for_url(re.compile(r".*/organize/matching/runs/\d+$"))
    preview = page.inner_text("main")
    assert "Matching preview" in preview
    assert "New group 1" in preview and "Fit" in preview and "%" in preview
    assert "Member0" in preview
    assert "anxiety" not in preview.lower()  # nothing private, ever
    assert page.locator("article.proposal").count() >= 2
    assert_contrast(page, "run preview")

    page.click("main button:has-text('Apply these groups')")
    page.wait_for_url("**/organize/matching")
    runs = page.inner_text("main")
    assert "Applied." in runs and "Applied" in page.inner_text("table.data tbody")
    assert_contrast(page, "/organize/matching after applying")
    log_out(page)

    with app.app_context():
        group = db.session.scalar(
            select(Group).join(Membership).join(User)
            .where(User.email == "member0@example.org", Membership.left_at.is_(None))
        )
        assert group is not None, "member0 was not placed"
        group_id, name, explanation = group.id, group.name, group.explanation
        shared = list(group.shared_interests)
    assert explanation and shared

    log_in(page, live_server, "member0@example.org")
    home = page.inner_text("main")
    assert "You've been matched!" in home
    assert f"Your group: {name}" in home and explanation in home
    assert_contrast(page, "/home, just matched")

    keyboard.press(f'main a.button[href="/groups/{group_id}"]', "Enter")
    page.wait_for_url(re.compile(r".*/groups/\d+$"))
    group_page = page.inner_text("main")
    assert name in page.inner_text("h1")
    assert explanation in group_page
    for interest in shared:
        assert interest in group_page
    assert "Member0 (you)" in group_page and "I prefer text to calls" in group_page
    assert "Happy to chat, slow to reply." in group_page
    assert "anxiety" not in group_page.lower()
    assert_contrast(page, "group page")

    page.goto(live_server + "/home")
    assert "You've been matched!" not in page.inner_text("main")  # seen now
    assert f"Your group: {name}" in page.inner_text("main")

    page.goto(live_server + "/groups/browse")
    assert_contrast(page, "/groups/browse")
    page.goto(live_server + "/home")
    page.click(f"main a:has-text('Open {name}')")
    page.click("main a:has-text('Leave this group')")
    assert "completely okay" in page.inner_text("main")
    assert_contrast(page, "leave confirmation")
    page.go_back()
    page.click("main a:has-text(\"This group isn't for me\")")
    assert page.locator("fieldset legend").count() == 1
    assert_contrast(page, "not for me")

def test_member_says_not_for_me_without_javascript(app, live_server, browser, community):
    """The forms are plain HTML: they work with JavaScript switched off."""
    from community.groups import services

    with app.app_context():
        users = [db.session.scalar(select(User).where(User.email == f"member{n}@example.org")) for n in (0, 3, 6, 9)]
        group_id = services.create_group("Tabletop Thursdays", "in_person", users, None).id

    context = browser.new_context(java_script_enabled=False, viewport={"width": 420, "height": 860})
    page = context.new_page()
    try:
        log_in(page, live_server, "member0@example.org")
        page.goto(f"{live_server}/groups/{group_id}/not-for-me")
        page.check("label:has-text(\"The times don't work for me\")")
        page.fill("#note", "Evenings are hard this season.")
        page.click("main button[type=submit]")
        page.wait_for_url("**/groups/not-for-me/thanks")
        assert "You're back in the pool" in page.inner_text("main")
        assert_contrast(page, "not for me, done")
        page.goto(f"{live_server}/groups/{group_id}")
        assert "couldn't find that page" in page.inner_text("main")
    finally:
        context.close()


def test_admin_pages_are_readable_and_explain_errors(live_server, page, community):
    log_in(page, live_server, "admin@example.org")
    page.click('nav a[href="/admin/groups"]')
    page.wait_for_url("**/admin/groups")
    assert_contrast(page, "/admin/groups")

    page.fill("#name", "Porch Circle")
    page.check("#mode-1")
    page.fill("#members", "member0@example.org\nnobody@example.org")
    page.click("main button:has-text('Create group')")
    summary = page.inner_text(".error-summary")
    assert "nobody@example.org" in summary and "Nothing was saved" in summary
    assert_contrast(page, "/admin/groups with errors")

    page.fill("#members", "member0@example.org, member3@example.org")
    page.click("main button:has-text('Create group')")
    page.wait_for_url(re.compile(r".*/admin/groups/\d+$"))
    detail = page.inner_text("main")
    assert "Porch Circle" in detail and "Member0" in detail and "Member3" in detail
    assert_contrast(page, "admin group detail")

    page.click("main button:has-text('Remove Member3')")
    assert "Removed Member3" in page.inner_text(".flashes")
