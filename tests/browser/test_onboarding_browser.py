"""A new person registers, finishes onboarding with the keyboard only, and sees their profile."""
import pytest

from tests.support import PASSWORD

pytestmark = pytest.mark.browser


def test_register_and_onboard_with_keyboard_only(live_server, page, keyboard):
    page.goto(live_server + "/")
    keyboard.press('a[href="/register"].button', "Enter")
    page.wait_for_url("**/register")

    keyboard.type("#display_name", "Zoë")
    keyboard.type("#email", "zoe@example.org")
    keyboard.type("#password", PASSWORD)
    keyboard.type("#confirm", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/welcome/interests")
    assert "Step 1 of 7" in page.inner_text("main")

    # Categories start folded; open one with Enter, tick with Space.
    keyboard.press("details:has(#interest-board-games) > summary", "Enter")
    keyboard.press("#interest-board-games", "Space")
    keyboard.type("#own_interests", "Studio Ghibli films")
    keyboard.press('button[value="next"]', "Enter")
    page.wait_for_url("**/welcome/where")

    keyboard.focus("#neighbourhood")
    page.keyboard.type("Decatur")  # type-ahead picks the option, as in any browser
    assert page.eval_on_selector("#neighbourhood", "el => el.value") == "decatur"
    keyboard.press('button[value="next"]', "Enter")
    page.wait_for_url("**/welcome/when")

    keyboard.press("#slot-11", "Space")  # Thursday evening
    keyboard.press("#slot-17", "Space")  # Saturday evening
    keyboard.press('button[value="next"]', "Enter")
    page.wait_for_url("**/welcome/pace")

    keyboard.press("#format-online", "Space")
    page.keyboard.press("ArrowDown")  # arrows move within a radio group: in person
    page.keyboard.press("ArrowDown")  # either
    keyboard.press("#comfort-1", "Space")
    page.keyboard.press("ArrowDown")  # step 2
    keyboard.press('button[value="next"]', "Enter")
    page.wait_for_url("**/welcome/private")

    keyboard.press("#barrier-anxiety_freezes", "Space")
    keyboard.press('button[value="next"]', "Enter")
    page.wait_for_url("**/welcome/sharing")

    keyboard.press("#comm-prefer_text", "Space")
    keyboard.press('button[value="next"]', "Enter")
    page.wait_for_url("**/welcome/consent")

    keyboard.press("#understood", "Space")
    keyboard.press('button[value="next"]', "Enter")
    page.wait_for_url("**/home")
    assert "You're all set" in page.inner_text("main")

    keyboard.press('nav a[href="/profile"]', "Enter")
    page.wait_for_url("**/profile")
    profile = page.inner_text("main")
    for expected in ("Board games", "Studio Ghibli films", "Decatur", "Thursday evening",
                     "Saturday evening", "Either is fine", "step 2", "I know what to do but anxiety freezes me",
                     "I prefer text to calls"):
        assert expected in profile, expected
    assert "Call or text 988" in page.inner_text("footer")


def test_focus_is_visible_and_skip_link_works(live_server, page, keyboard):
    page.goto(live_server + "/login")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    keyboard.focus("#email")
    outline = page.eval_on_selector("#email", "el => getComputedStyle(el).outlineStyle")
    assert outline == "solid"
