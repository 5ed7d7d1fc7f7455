"""The privacy page: plain words, numbers from the configuration, and reachable from every page's
footer, from sign-up and from the last onboarding step."""
import html as htmllib

from tests.conftest import another_app, app_config


def text(response) -> str:
    return htmllib.unescape(response.get_data(as_text=True))


def test_anyone_can_read_it_with_the_configured_numbers(database_url):
    with another_app(app_config(database_url, ACCOUNT_DELETION_COOLING_OFF_HOURS=48,
                                ESCALATION_RETENTION_DAYS=200)) as app:
        page = text(app.test_client().get("/privacy"))
    assert "Your privacy" in page
    assert "48 hours after you ask" in page and "up to 200 days" in page and "200 days later" in page
    assert "72 hours" not in page and "365" not in page
    for words in ("What we keep", "Who can see it", "For how long", "Why", "Only you."):
        assert words in page
    assert 'style="' not in page and "<script>" not in page


def test_the_default_numbers(client):
    page = text(client.get("/privacy"))
    assert "72 hours after you ask" in page and "up to 365 days" in page


def test_it_is_linked_from_the_footer_sign_up_and_onboarding_consent(client, auth):
    for url in ("/", "/about", "/register"):
        assert 'href="/privacy"' in text(client.get(url)), url
    auth.register()
    consent = text(client.get("/welcome/consent"))
    assert consent.count('href="/privacy"') == 2  # the step's words and the footer
