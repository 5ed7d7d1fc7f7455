"""A new moderator's first login in Chromium: sent to set up two-factor sign-in, scans (here: reads)
the setup key, types the app's code, keeps the recovery codes, and next time signs in with a code.
The setup page's QR code is inline SVG: it must draw under the strict policy with no violation."""
import pyotp
import pytest
from playwright.sync_api import expect

from community.auth.services import create_user
from tests.browser.test_accessibility import assert_contrast
from tests.browser.test_csp_browser import PolicyWatch
from tests.support import PASSWORD

pytestmark = pytest.mark.browser


def test_a_new_moderator_sets_up_two_factor_and_signs_in_with_a_code(browser, live_server, app):
    with app.app_context():
        create_user("newmod@example.org", "Nia", PASSWORD, role="moderator")
    watch = PolicyWatch()
    context = browser.new_context(viewport={"width": 420, "height": 860})
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        watch.attach(page)
        page.goto(live_server + "/login")
        page.fill("#email", "newmod@example.org")
        page.fill("#password", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url("**/account/two-factor/setup")
        expect(page.locator(".flashes")).to_contain_text("takes two minutes")
        qr = page.locator("figure.qr svg")
        expect(qr).to_be_visible()
        box = qr.bounding_box()
        assert box["width"] >= 100 and box["height"] >= 100  # drawn, at a scannable size
        assert_contrast(page, "two-factor setup")
        # Nothing else opens until it's done.
        page.goto(live_server + "/moderation/")
        page.wait_for_url("**/account/two-factor/setup")

        secret = page.locator("code.setup-key").inner_text()
        page.fill("#code", pyotp.TOTP(secret).now())
        page.click("main button[type=submit]")
        expect(page.locator("h1")).to_have_text("Two-factor sign-in is on")
        expect(page.locator("ul.recovery-codes li")).to_have_count(10)
        page.click("text=I've saved them")
        page.wait_for_url("**/account/security")
        page.goto(live_server + "/moderation/")
        expect(page.locator("h1")).to_be_visible()
        assert page.url.endswith("/moderation/")

        page.click("nav button:has-text('Log out')")
        page.goto(live_server + "/login")
        page.fill("#email", "newmod@example.org")
        page.fill("#password", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url("**/login/verify")
        page.fill("#code", pyotp.TOTP(secret).at(page.evaluate("Date.now() / 1000") + 30))
        page.click("main button[type=submit]")
        page.wait_for_url("**/home")
        watch.assert_clean()
    finally:
        context.close()
