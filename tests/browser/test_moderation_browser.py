"""Moderation in Chromium: a member reports an unkind message from the chat, the moderator's
queue count rises live, the moderator sees the message in context and hides it with a reason,
the other members' pages drop it at once, and the writer is told why."""
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from community.extensions import db
from community.groups import services
from community.models import GroupModerator, Message, ModerationAction
from tests.browser.test_accessibility import assert_contrast
from tests.browser.test_chat_browser import bubbles, log_in, open_chat, send
from tests.factories import member

pytestmark = pytest.mark.browser

UNKIND = "honestly this group is dull and so is everyone in it"


@pytest.fixture
def group_id(app):
    with app.app_context():
        alex, bo, cy = (member(f"{n.lower()}@example.org", n) for n in ("Alex", "Bo", "Cy"))
        mo = member("mo@example.org", "Mo", role="moderator")
        group = services.create_group("Thursday Tabletop", "online", [alex, bo, cy], None)
        db.session.add(GroupModerator(group_id=group.id, user_id=mo.id))
        db.session.commit()
        return group.id


def test_a_reported_message_is_hidden_by_a_moderator_and_drops_from_every_page(browser, live_server, group_id, app):
    errors = []
    mod_context, moderator = log_in(browser, live_server, "mo@example.org", errors)
    moderator.goto(live_server + "/moderation/")
    alex_context, alex = open_chat(browser, live_server, "alex@example.org", group_id, errors)
    bo_context, bo = open_chat(browser, live_server, "bo@example.org", group_id, errors)
    cy_context, cy = open_chat(browser, live_server, "cy@example.org", group_id, errors)
    try:
        count = moderator.locator("#review-count")
        expect(count).to_be_hidden()
        send(alex, UNKIND)
        expect(bubbles(cy, UNKIND)).to_have_count(1)
        expect(bubbles(bo, UNKIND)).to_have_count(1)

        # Bo reports it: one click in the chat, then a reason.
        bubbles(bo, UNKIND).get_by_role("link", name="Report this message from Alex").click()
        expect(bo.locator("h1")).to_have_text("Report a message")
        assert_contrast(bo, "the report page")
        bo.get_by_label("Harassment or bullying").check()
        bo.get_by_label("Anything else the moderators should know? (optional)").fill("Third time this week.")
        bo.get_by_role("button", name="Send the report").click()
        expect(bo.locator(".flash")).to_contain_text("Your report reached the moderators")
        expect(bubbles(bo, UNKIND)).to_have_count(1)  # back in the chat, the message still there for now

        # The moderator's count rises without a reload; the item shows the message in context.
        expect(count).to_have_text("1")
        watch = mod_context.new_page()  # the group's chat as moderators see it, open alongside
        watch.goto(f"{live_server}/moderation/groups/{group_id}/chat")
        send(alex, "sorry, rough day")
        expect(watch.locator(".mod-chat li", has_text="sorry, rough day")).to_have_count(1)
        moderator.reload()
        moderator.get_by_role("link", name="Harassment or bullying").click()
        context = moderator.locator(".mod-context")
        expect(context.locator(".flagged")).to_contain_text(UNKIND)
        expect(moderator.locator("#reports-title + ul")).to_contain_text("Bo: Harassment or bullying. “Third time this week.”")
        assert_contrast(moderator, "a report with its context")
        moderator.get_by_label("Hide the message").check()
        moderator.get_by_label("Reason").fill("Please keep it kind: everyone here is finding their feet.")
        moderator.get_by_role("button", name="Do it").click()
        expect(moderator.locator(".flash")).to_contain_text("Hidden.")
        expect(count).to_be_hidden()

        # Everyone else's pages drop it live; the writer is told why.
        expect(bubbles(cy, UNKIND)).to_have_count(0)
        expect(bubbles(bo, UNKIND)).to_have_count(0)
        expect(alex.locator(".live-notices")).to_contain_text("Please keep it kind")
        # ...while the moderators' view keeps it, marked.
        expect(watch.locator(".mod-chat li", has_text=UNKIND).locator(".tag")).to_have_text("Hidden by a moderator")
        assert_contrast(watch, "the moderators' view of a group's chat")
        with app.app_context():
            message = db.session.scalar(select(Message).where(Message.body == UNKIND))
            action = db.session.scalar(select(ModerationAction))
            assert message.hidden_at is not None and (action.kind, action.message_id) == ("hide", message.id)
        assert errors == []
    finally:
        for context in (mod_context, alex_context, bo_context, cy_context):
            context.close()
