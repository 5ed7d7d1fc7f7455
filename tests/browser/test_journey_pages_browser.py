"""The journey in Chromium: a member moves their step with the keyboard alone (no JavaScript
needed), and the journey, history and summary pages and the organizers' outcomes page meet AA
contrast as rendered."""
import pytest
from playwright.sync_api import expect

from community.extensions import db
from community.groups import services as groups
from community.models import MonthlyCheckIn
from tests.browser.test_accessibility import assert_contrast
from tests.factories import member
from tests.support import PASSWORD, finish_browser_login

pytestmark = pytest.mark.browser
NAMES = ("Riley", "Pat", "Sam", "Lee", "Ada")


@pytest.fixture
def community(app):
    """Five members of one group who checked in last October (enough for the outcomes to show),
    Riley at step 2; Olu organizes."""
    with app.app_context():
        people = [member(f"{n.lower()}@example.org", n, comfort=2) for n in NAMES]
        member("olu@example.org", "Olu", role="organizer")
        group = groups.create_group("Board games circle", "online", people, None)
        for n, person in enumerate(people):
            db.session.add(MonthlyCheckIn(user_id=person.id, group_id=group.id, month="2026-10",
                                          answers={"lack_company": 1 + n % 3, "left_out": 2, "isolated": 2}))
        db.session.commit()


def sign_in(page, base, email):
    page.goto(base + "/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    finish_browser_login(page, email)


def test_a_member_moves_their_step_by_keyboard_and_the_journey_pages_read_well(live_server, page, community):
    sign_in(page, live_server, "riley@example.org")
    page.goto(live_server + "/journey")
    expect(page.locator("[aria-current=step]")).to_contain_text("Step 2")
    assert_contrast(page, "/journey")

    page.locator("button[name=move][value=up]").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Saved. You can change this whenever you like.")).to_be_visible()
    expect(page.locator("[aria-current=step]")).to_contain_text("Step 3")

    for path in ("/journey/check-ins", "/journey/summary"):
        page.goto(live_server + path)
        assert_contrast(page, path)


def test_the_outcomes_page_reads_well_for_an_organizer(live_server, page, community):
    sign_in(page, live_server, "olu@example.org")
    page.goto(live_server + "/organize/outcomes")
    expect(page.locator("h1")).to_be_visible()
    # Totals 5, 6, 7, 5 and 6 in October: the group and the whole community both show 5.8 of 5 people.
    expect(page.get_by_text("5.8 (5 people)")).to_have_count(2)
    assert_contrast(page, "/organize/outcomes")
