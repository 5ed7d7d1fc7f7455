"""Two members chat in real time in Chromium; one drops offline and gets exactly what they missed.

The live server is the werkzeug server the other browser tests use, running the app with its
Socket.IO middleware (threading mode), so the page's socket.io-client really connects to it.
"""
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from community.extensions import db
from community.groups import services
from community.models import Message, User
from community.models.base import utcnow
from tests.browser.test_accessibility import assert_contrast
from tests.factories import member
from tests.support import PASSWORD, finish_browser_login

pytestmark = pytest.mark.browser

CONNECTED = "Connected"
OFFLINE = "Offline — your messages will be sent when you're back"


@pytest.fixture
def group_id(app):
    with app.app_context():
        alex, bo = member("alex@example.org", "Alex"), member("bo@example.org", "Bo")
        member("cy@example.org", "Cy")
        # Alex has been here a month: a brand-new member's links wait for a moderator (filters).
        alex.created_at = utcnow() - timedelta(days=30)
        db.session.commit()
        return services.create_group("Thursday Tabletop", "online", [alex, bo], None).id


def log_in(browser, base, email, errors=None, **options):
    """A browser context of its own (its own cookies), logged in as `email`, on the home page."""
    context = browser.new_context(viewport={"width": 420, "height": 860}, **options)
    page = context.new_page()
    if errors is not None:
        page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.set_default_timeout(10_000)
    page.goto(base + "/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    finish_browser_login(page, email)
    return context, page


def open_chat(browser, base, email, group_id, errors=None, **options):
    """Logged in (as above) with the group page open and connected."""
    context, page = log_in(browser, base, email, errors, **options)
    page.goto(f"{base}/groups/{group_id}")
    expect(page.locator("#group-chat .chat-status")).to_have_text(CONNECTED)
    return context, page


def bubbles(page, body):
    """The messages on the page whose text is exactly `body`."""
    return page.locator("#group-chat .chat-msg").filter(
        has=page.locator(".chat-body", has_text=re.compile("^" + re.escape(body) + "$")))


def send(page, body, *, with_button=False):
    page.fill("#group-chat textarea", body)
    if with_button:
        page.click("#group-chat button:has-text('Send')")
    else:
        page.focus("#group-chat textarea")
        page.keyboard.press("Enter")


def test_two_members_chat_and_catch_up_after_going_offline(browser, live_server, group_id):
    errors = []
    context_a, alex = open_chat(browser, live_server, "alex@example.org", group_id, errors)
    context_b, bo = open_chat(browser, live_server, "bo@example.org", group_id, errors)
    try:
        # The group's welcome, from Common Ground, is the first thing both see.
        for page in (alex, bo):
            expect(page.locator("#group-chat .chat-msg-system .chat-author")).to_have_text("From Common Ground")
            assert page.locator("#group-chat .chat-log").get_attribute("role") == "log"
            assert page.locator("#group-chat .chat-log").get_attribute("aria-live") == "polite"
            assert page.locator("#group-chat .chat-nojs").is_hidden()

        # Alex writes (Enter sends); Bo sees it without reloading.
        send(alex, "Hi everyone, I'm Alex")
        expect(bubbles(alex, "Hi everyone, I'm Alex").locator(".chat-state")).to_have_text("sent")
        expect(bubbles(bo, "Hi everyone, I'm Alex")).to_have_count(1)
        expect(bubbles(bo, "Hi everyone, I'm Alex").locator(".chat-author")).to_have_text("Alex")
        assert alex.locator("#group-chat textarea").input_value() == ""

        # Bo replies with the Send button; a Shift+Enter line break stays in the message.
        bo.fill("#group-chat textarea", "Hello Alex!")
        bo.focus("#group-chat textarea")
        bo.keyboard.press("End")
        bo.keyboard.press("Shift+Enter")
        bo.keyboard.type("Nice to meet you.")
        bo.click("#group-chat button:has-text('Send')")
        expect(bubbles(alex, "Hello Alex!\nNice to meet you.")).to_have_count(1)
        expect(bubbles(alex, "Hello Alex!\nNice to meet you.").locator(".chat-author")).to_have_text("Bo")
        expect(bubbles(bo, "Hello Alex!\nNice to meet you.").locator(".chat-author")).to_have_text("You")

        # Bo drops offline; Alex keeps talking; Bo writes something while offline too.
        context_b.set_offline(True)
        expect(bo.locator("#group-chat .chat-status")).to_have_text(OFFLINE)
        send(alex, "Did anyone try the new café?")
        expect(bubbles(alex, "Did anyone try the new café?").locator(".chat-state")).to_have_text("sent")
        send(bo, "Written on the train")
        expect(bubbles(bo, "Written on the train").locator(".chat-state")).to_contain_text("waiting to send")
        bo.wait_for_timeout(500)
        expect(bubbles(bo, "Did anyone try the new café?")).to_have_count(0)
        expect(bubbles(alex, "Written on the train")).to_have_count(0)

        # Back online: Bo gets exactly the missed message, once; Bo's waiting message goes out once.
        context_b.set_offline(False)
        expect(bo.locator("#group-chat .chat-status")).to_have_text(CONNECTED)
        expect(bubbles(bo, "Did anyone try the new café?")).to_have_count(1)
        expect(bubbles(bo, "Written on the train").locator(".chat-state")).to_have_text("sent")
        expect(bubbles(alex, "Written on the train")).to_have_count(1)
        bo.wait_for_timeout(1000)  # any duplicate would have arrived by now
        for page in (alex, bo):
            for body in ("Hi everyone, I'm Alex", "Did anyone try the new café?", "Written on the train"):
                expect(bubbles(page, body)).to_have_count(1)
        # In the order they were stored, on both pages.
        order = [bo.locator("#group-chat .chat-msg .chat-body").all_inner_texts(),
                 alex.locator("#group-chat .chat-msg .chat-body").all_inner_texts()]
        assert order[0] == order[1]

        # Text is text: tags show literally, links are links marked as user content.
        send(alex, "<b>hi</b> <img src=x onerror=alert(1)>")
        literal = bubbles(bo, "<b>hi</b> <img src=x onerror=alert(1)>")
        expect(literal).to_have_count(1)
        assert literal.locator(".chat-body b, .chat-body img").count() == 0
        send(alex, "Rules are at https://example.org/rules?x=1&y=2.")
        link = bo.locator("#group-chat .chat-body a", has_text="https://example.org/rules?x=1&y=2")
        expect(link).to_have_count(1)
        assert link.get_attribute("href") == "https://example.org/rules?x=1&y=2"
        assert link.get_attribute("rel") == "noopener nofollow ugc"
        assert link.get_attribute("target") == "_blank"
        assert_contrast(bo, "group page with chat")

        # A reload shows the conversation once, from the server.
        bo.reload()
        expect(bo.locator("#group-chat .chat-status")).to_have_text(CONNECTED)
        expect(bubbles(bo, "Did anyone try the new café?")).to_have_count(1)
        expect(bubbles(bo, "Written on the train")).to_have_count(1)
        assert errors == []
    finally:
        context_a.close()
        context_b.close()


def test_a_refused_message_keeps_its_text_and_retry_sends_it_once(app, browser, live_server, group_id):
    app.config["CHAT_RATE_LIMIT"] = "2 per 3 seconds"
    errors = []
    context_a, alex = open_chat(browser, live_server, "alex@example.org", group_id, errors)
    context_b, bo = open_chat(browser, live_server, "bo@example.org", group_id, errors)
    try:
        for body in ("one", "two", "three"):
            send(alex, body)
            expect(bubbles(alex, body).locator(".chat-state")).not_to_have_text("sending…")
        third = bubbles(alex, "three")
        expect(third.locator(".chat-state")).to_contain_text("not sent — retry")
        expect(third.locator(".chat-error")).to_have_text("You're sending quickly — wait a few seconds and try again.")
        expect(bubbles(bo, "two")).to_have_count(1)
        expect(bubbles(bo, "three")).to_have_count(0)

        alex.wait_for_timeout(3200)  # the limit's window passes
        third.locator("button:has-text('retry')").focus()
        alex.keyboard.press("Enter")
        expect(third.locator(".chat-state")).to_have_text("sent")
        expect(bubbles(bo, "three")).to_have_count(1)
        expect(bubbles(alex, "three")).to_have_count(1)
        assert_contrast(alex, "group chat with a message not sent")
        assert errors == []
    finally:
        context_a.close()
        context_b.close()


def test_without_javascript_the_chat_points_to_the_transcript(browser, live_server, group_id, app):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server + "/login")
        page.fill("#email", "alex@example.org")
        page.fill("#password", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url("**/home")
        page.goto(f"{live_server}/groups/{group_id}")
        chat = page.locator("#group-chat")
        expect(chat).to_contain_text("Live chat needs JavaScript")
        assert page.locator("#group-chat .chat-live").is_hidden()
        page.click("#group-chat a:has-text(\"read the group's conversation\")")
        page.wait_for_url(f"**/groups/{group_id}/chat/transcript")
        expect(page.locator("main .chat-msg-system")).to_have_count(1)
        assert_contrast(page, "chat transcript")
    finally:
        context.close()


def test_someone_outside_the_group_sees_no_chat(browser, live_server, group_id, app):
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(live_server + "/login")
        page.fill("#email", "cy@example.org")
        page.fill("#password", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url("**/home")
        response = page.goto(f"{live_server}/groups/{group_id}/chat/transcript")
        assert response.status == 404
    finally:
        context.close()


def test_load_earlier_brings_older_messages_above_with_the_keyboard_and_no_motion(app, browser, live_server, group_id):
    with app.app_context():
        bo = db.session.scalar(select(User).where(User.email == "bo@example.org"))
        db.session.add_all([Message(group_id=group_id, author_id=bo.id, body=f"note {n}", client_id=f"n{n}")
                            for n in range(60)])
        db.session.commit()
    errors = []
    context, alex = open_chat(browser, live_server, "alex@example.org", group_id, errors, reduced_motion="reduce")
    try:
        messages = alex.locator("#group-chat .chat-msg")
        assert messages.first.evaluate("el => getComputedStyle(el).animationName") == "none"
        expect(messages).to_have_count(50)
        expect(messages.first.locator(".chat-body")).to_have_text("note 10")
        earlier = alex.locator("#group-chat button:has-text('Load earlier messages')")
        expect(earlier).to_be_visible()
        earlier.focus()
        alex.keyboard.press("Enter")
        expect(messages).to_have_count(61)  # ten more notes and the welcome
        expect(messages.first).to_have_class(re.compile("chat-msg-system"))
        expect(messages.nth(1).locator(".chat-body")).to_have_text("note 0")
        expect(earlier).to_be_hidden()
        assert errors == []
    finally:
        context.close()
