"""Activities in Chromium: an organizer schedules a weekly activity with two seats; one member
says they're going, a second takes the last seat, a third joins the waitlist and is given the seat
when someone drops out, with the address appearing for them only then."""
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from community.extensions import db
from community.groups import services
from community.models.base import utcnow
from tests.browser.test_accessibility import assert_contrast
from tests.browser.test_chat_browser import log_in
from tests.factories import member

pytestmark = pytest.mark.browser

DAY = (utcnow() + timedelta(days=9)).date().isoformat()


@pytest.fixture
def group_id(app):
    with app.app_context():
        member("olu@example.org", "Olu Ade", role="organizer")
        people = [member(f"{n.lower()}@example.org", f"{n} Test", comfort=3) for n in ("Ann", "Bea", "Cal")]
        group = services.create_group("Thursday Tabletop", "in_person", people, None, neighbourhood="decatur")
        db.session.commit()
        return group.id


def answer(page, base, activity_url, choice):
    page.goto(base + activity_url)
    page.get_by_label(choice, exact=True).check()
    page.get_by_role("button", name="Save my answer").click()


def test_schedule_rsvp_fill_the_last_seat_waitlist_and_promotion(browser, live_server, group_id, app):
    errors = []
    olu_context, olu = log_in(browser, live_server, "olu@example.org", errors)
    try:
        olu.goto(live_server + "/organize/activities/new")
        olu.get_by_label("Title", exact=True).fill("Game night at the café")
        olu.get_by_label("Shared focus", exact=True).fill("Board games")
        olu.get_by_label("In person", exact=True).check()
        olu.get_by_label("Venue (in person)", exact=True).fill("The Loft Café")
        olu.get_by_label("Address (in person)", exact=True).fill("123 Main St, Decatur")
        olu.get_by_label("Date", exact=True).fill(DAY)
        olu.get_by_label("Starts at", exact=True).fill("19:00")
        olu.get_by_label("Ends at", exact=True).fill("21:00")
        olu.get_by_label("How many people can come", exact=True).fill("2")
        olu.get_by_label("3 · Small in-person activity with a shared focus", exact=True).check()
        olu.get_by_label("For which groups", exact=True).select_option(label="Thursday Tabletop")
        olu.get_by_label("How to find the group on arrival", exact=True).fill("Look for the green game box.")
        olu.get_by_label("Repeats", exact=True).select_option(label="Every week")
        olu.get_by_label("…or this many times", exact=True).fill("4")
        assert_contrast(olu, "the schedule form")
        olu.get_by_role("button", name="Schedule it").click()
        expect(olu.locator(".flash")).to_contain_text("Scheduled 4 dates")
        activity_url = olu.url.replace(live_server, "").replace("/organize", "")

        contexts = {}
        for name in ("ann", "bea", "cal"):
            contexts[name] = log_in(browser, live_server, f"{name}@example.org", errors)
        ann, bea, cal = (contexts[n][1] for n in ("ann", "bea", "cal"))
        ann.goto(live_server + "/activities")
        expect(ann.locator(".activity-list li")).to_have_count(4)
        answer(ann, live_server, activity_url, "Going")
        expect(ann.locator(".flash")).to_contain_text("You're going")
        expect(ann.locator("dl.facts")).to_contain_text("123 Main St, Decatur")
        assert_contrast(ann, "an activity page")

        answer(bea, live_server, activity_url, "Going")  # the last seat
        expect(bea.locator(".flash")).to_contain_text("You're going")
        answer(cal, live_server, activity_url, "Going")
        expect(cal.locator(".flash")).to_contain_text("number 1 on the waitlist")
        expect(cal.locator("dl.facts")).not_to_contain_text("123 Main St")
        expect(cal.get_by_text("Ann, Bea.")).to_be_visible()

        ann.get_by_role("button", name="I can't make it").click()
        expect(ann.locator(".flash")).to_contain_text("always fine")
        expect(ann.locator(".flash")).to_contain_text("The next one is")

        cal.reload()
        expect(cal.locator("dl.facts")).to_contain_text("123 Main St, Decatur")
        cal.goto(live_server + "/notifications")
        expect(cal.locator("#notifications")).to_contain_text("a seat opened up")

        olu.goto(live_server + "/organize" + activity_url)
        expect(olu.locator("#answers")).to_contain_text("Cal Test: going")
        expect(olu.locator("#answers")).to_contain_text("Ann Test: can't go")
        assert errors == []
    finally:
        olu_context.close()
        for context, _ in locals().get("contexts", {}).values():
            context.close()
