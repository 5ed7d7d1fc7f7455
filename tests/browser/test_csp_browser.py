"""The strict Content-Security-Policy in Chromium: pages for visitors, members and moderators, and
a live chat between them, load and work with no violation reported, neither in the console nor
as a `securitypolicyviolation` event. A style attribute set on purpose proves the watch would see one."""
import pytest
from playwright.sync_api import expect

from community.extensions import db
from community.groups import services
from community.models import GroupModerator
from tests.browser.test_chat_browser import bubbles, log_in, open_chat, send
from tests.factories import member

pytestmark = pytest.mark.browser

# Runs before any page script (Playwright injects it outside the page's policy) and keeps every
# violation the page reports.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " blocked " + (event.blockedURI || "inline") +
                              " at " + event.sourceFile + ":" + event.lineNumber);
});
"""
VISITOR_PAGES = ["/", "/about", "/login", "/register", "/resources", "/guidelines"]
MEMBER_PAGES = ["/home", "/groups/{group}/chat/transcript", "/profile", "/activities", "/notifications",
                "/support", "/calendar", "/groups/browse", "/moderation/record"]
MODERATOR_PAGES = ["/moderation/", "/moderation/log", "/moderation/dashboard"]


class PolicyWatch:
    """Console messages about the policy, page errors, and recorded violation events, per page."""

    def __init__(self):
        self.console: list[str] = []
        self.errors: list[str] = []
        self.pages = []

    def attach(self, page) -> None:
        page.context.add_init_script(RECORD_VIOLATIONS)  # for every later document in this context
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.pages.append(page)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(f"{message.type}: {message.text}")

    def recorded(self, page) -> list[str]:
        return page.evaluate("() => window.__cspViolations || null")

    def visit(self, page, url: str) -> None:
        response = page.goto(url)
        assert response is not None and response.ok, f"{url}: {response and response.status}"
        assert "script-src 'self'" in response.headers["content-security-policy"], url
        page.wait_for_load_state("load")
        assert self.recorded(page) == [], url

    def assert_clean(self) -> None:
        for page in self.pages:
            if not page.is_closed():
                assert self.recorded(page) == [], page.url
        assert self.console == [], self.console
        assert self.errors == [], self.errors


@pytest.fixture
def group_id(app):
    with app.app_context():
        alex, bo = member("alex@example.org", "Alex"), member("bo@example.org", "Bo")
        mo = member("mo@example.org", "Mo", role="moderator")
        group = services.create_group("Thursday Tabletop", "online", [alex, bo], None)
        db.session.add(GroupModerator(group_id=group.id, user_id=mo.id))
        db.session.commit()
        return group.id


def test_visitor_pages_load_with_no_policy_violation(browser, live_server):
    watch = PolicyWatch()
    context = browser.new_context(viewport={"width": 420, "height": 860})
    try:
        page = context.new_page()
        watch.attach(page)
        for path in VISITOR_PAGES:
            watch.visit(page, live_server + path)
        missing = page.goto(live_server + "/no-such-page")
        assert missing.status == 404 and watch.recorded(page) == []
        watch.assert_clean()
    finally:
        context.close()


def test_the_watch_sees_a_violation_when_there_is_one(browser, live_server):
    """Without this, a watch that never fires would pass every test above and below."""
    watch = PolicyWatch()
    context = browser.new_context()
    try:
        page = context.new_page()
        watch.attach(page)
        watch.visit(page, live_server + "/about")
        page.evaluate("() => document.body.setAttribute('style', 'outline: 5px solid red')")
        page.wait_for_function("() => window.__cspViolations.length > 0")
        assert page.evaluate("() => getComputedStyle(document.body).outlineStyle") != "solid"  # blocked
        assert "style-src" in watch.recorded(page)[0]
        page.wait_for_timeout(200)  # the console message follows the event
        assert any("Content Security Policy" in line for line in watch.console)
    finally:
        context.close()


def test_chat_and_member_and_moderator_pages_work_under_the_policy(browser, live_server, group_id):
    watch = PolicyWatch()
    contexts = []
    try:
        alex_context, alex = open_chat(browser, live_server, "alex@example.org", group_id)
        bo_context, bo = open_chat(browser, live_server, "bo@example.org", group_id)
        mo_context, mo = log_in(browser, live_server, "mo@example.org")
        contexts += [alex_context, bo_context, mo_context]
        for page in (alex, bo, mo):
            watch.attach(page)
        # The group pages again, now watched from their first byte: scripts load, the websocket connects.
        for page in (alex, bo):
            watch.visit(page, f"{live_server}/groups/{group_id}")
            expect(page.locator("#group-chat .chat-status")).to_have_text("Connected")
        watch.visit(mo, f"{live_server}/moderation/groups/{group_id}/chat")

        send(alex, "Hello under a strict policy")
        expect(bubbles(bo, "Hello under a strict policy")).to_have_count(1)
        expect(mo.locator(".mod-chat li", has_text="Hello under a strict policy")).to_have_count(1)
        bo.fill("#group-chat textarea", "typing something")  # typing and the draft check run too
        bo.wait_for_timeout(1500)
        watch.assert_clean()

        for path in MEMBER_PAGES:
            watch.visit(bo, live_server + path.format(group=group_id))
        for path in MODERATOR_PAGES:
            watch.visit(mo, live_server + path)
        watch.assert_clean()
    finally:
        for context in contexts:
            context.close()
