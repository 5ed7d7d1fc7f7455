"""Crisis safety in Chromium: a member writes something that sounds like a crisis; their page shows
the support card with working call and text links at once; a moderator's page, open in another
browser, raises the alert; the moderator acknowledges and writes privately; the member is told
and reads it on their Support page."""
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from community.extensions import db
from community.groups import services
from community.models import Escalation, GroupModerator
from tests.browser.test_accessibility import assert_contrast
from tests.browser.test_chat_browser import bubbles, log_in, open_chat, send
from tests.factories import member

pytestmark = pytest.mark.browser

CRISIS = "i can't do this anymore. i'm going to kill myself tonight"


@pytest.fixture
def group_id(app):
    with app.app_context():
        alex, bo = member("alex@example.org", "Alex"), member("bo@example.org", "Bo")
        mo = member("mo@example.org", "Mo", role="moderator")
        group = services.create_group("Thursday Tabletop", "online", [alex, bo], None)
        db.session.add(GroupModerator(group_id=group.id, user_id=mo.id))
        db.session.commit()
        return group.id


def test_a_crisis_message_shows_help_at_once_and_a_moderator_reaches_out(browser, live_server, group_id, app):
    errors = []
    mod_context, moderator = log_in(browser, live_server, "mo@example.org", errors)
    moderator.goto(live_server + "/moderation/")  # any page listens for alerts
    alex_context, alex = open_chat(browser, live_server, "alex@example.org", group_id, errors)
    bo_context, bo = open_chat(browser, live_server, "bo@example.org", group_id, errors)
    try:
        expect(moderator.locator(".live-notices")).to_be_hidden()
        send(alex, CRISIS)

        # The writer: the card, right away, with one-tap links, and focus on it.
        card = alex.locator("#support-card")
        expect(card).to_be_visible()
        expect(card.locator("h3")).to_be_focused()
        assert card.locator("a[href='tel:988']").inner_text() == "Call 988"
        assert card.locator("a[href='sms:988']").inner_text() == "Text 988"
        assert card.locator("a[href='tel:+18007154225']").count() == 1
        assert card.locator("a[href='tel:911']").count() == 1
        expect(bubbles(alex, CRISIS).locator(".chat-state")).to_have_text("sent")
        assert_contrast(alex, "group page with the support card")
        # A peer sees the message like any other, and no card and no sign of a flag.
        expect(bubbles(bo, CRISIS)).to_have_count(1)
        expect(bo.locator("#support-card")).to_be_hidden()
        # ...though Bo can quietly tell the moderators they're worried about Alex.
        worried = bubbles(bo, CRISIS).get_by_role("link", name="I'm worried about Alex")
        assert "/worried?message=" in worried.get_attribute("href")
        assert bubbles(alex, CRISIS).locator(".chat-worried").count() == 0

        # The moderator's page raises the alert, which links to the escalation.
        alert = moderator.locator(".live-notice-crisis")
        expect(alert).to_contain_text("Crisis alert: someone in Thursday Tabletop may be at risk.")
        assert_contrast(moderator, "the queue with an alert")
        alert.get_by_role("link", name="Open it now").click()
        expect(moderator.locator("h1")).to_contain_text("Alex")
        assert_contrast(moderator, "an escalation")
        moderator.get_by_role("button", name="Acknowledge: I'm on it").click()
        expect(moderator.locator(".flash")).to_be_visible()
        with app.app_context():
            escalation = db.session.scalar(select(Escalation))
            assert escalation.status == "acknowledged" and escalation.next_alert_at is None

        moderator.fill("textarea[name=message]", "Hi Alex, it's Mo. I saw your message and I'm here. "
                                                 "Are you thinking about suicide? You can call or text 988 any time.")
        moderator.get_by_role("button", name="Send privately").click()
        expect(moderator.locator(".flash")).to_be_visible()

        # The member is told on the page they have open, and reads it on their Support page.
        notice = alex.locator(".live-notice-support")
        expect(notice).to_contain_text("You have a private message from A Common Ground moderator.")
        notice.get_by_role("link", name="Read it").click()
        expect(alex.locator(".support-message").first).to_contain_text("I saw your message and I'm here.")
        assert_contrast(alex, "/support")
        moderator.goto(live_server + "/moderation/dashboard")
        assert_contrast(moderator, "/moderation/dashboard")
        assert errors == []
    finally:
        for context in (mod_context, alex_context, bo_context):
            context.close()
