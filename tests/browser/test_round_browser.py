"""A question round in Chromium: the member whose turn it is sees Pass in the group's round card,
presses it (from the keyboard), and the turn moves on for everyone without a reload; only the new current member then
sees Pass, and the chat never says who passed."""
import pytest
from playwright.sync_api import expect

from community.extensions import db
from community.journey import rounds
from community.models import Group
from tests.browser.conftest import Keyboard
from tests.browser.test_chat_browser import open_chat
from tests.journey.test_rounds import make_group

pytestmark = pytest.mark.browser


@pytest.fixture
def group_id(app):
    with app.app_context():
        ids = make_group(2, prefix="rb")  # join order: Ben (rb1), then Ana (rb0)
        rounds.start(db.session.get(Group, ids["group"]), "What's a small joy lately?", None)
        db.session.commit()
        return ids["group"]


def test_the_current_member_passes_and_the_turn_moves_on_live(browser, live_server, app, group_id):
    errors = []
    context_ben, ben = open_chat(browser, live_server, "rb1@example.org", group_id, errors)
    context_ana, ana = open_chat(browser, live_server, "rb0@example.org", group_id, errors)
    try:
        for page in (ben, ana):
            expect(page.locator("#group-round .round-question")).to_have_text("What's a small joy lately?")
            expect(page.locator("#group-chat .chat-body", has_text="Over to you, Ben.")).to_have_count(1)
        expect(ben.locator("#group-round .round-pass button")).to_be_visible()
        expect(ben.locator("#group-round .round-turn")).to_contain_text("It's your turn.")
        expect(ana.locator("#group-round .round-pass button")).to_be_hidden()
        expect(ana.locator("#group-round .round-turn")).to_have_text("It's Ben's turn.")

        Keyboard(ben).press("#group-round .round-pass button", "Enter")  # reached with Tab, like any control

        expect(ana.locator("#group-round .round-pass button")).to_be_visible()
        expect(ana.locator("#group-round .round-turn")).to_contain_text("It's your turn.")
        expect(ben.locator("#group-round .round-pass button")).to_be_hidden()
        expect(ben.locator("#group-round .round-turn")).to_have_text("It's Ana's turn.")
        expect(ana.locator("#group-chat .chat-body", has_text="Over to you, Ana.")).to_have_count(1)
        assert ben.url.endswith(f"/groups/{group_id}")  # passed over the socket, no page load
        with app.app_context():
            assert rounds.state(group_id).current_name == "Ana"
        assert not any("passed" in text.lower() for text in ana.locator("#group-chat .chat-body").all_inner_texts())
        assert errors == []
    finally:
        context_ben.close()
        context_ana.close()
