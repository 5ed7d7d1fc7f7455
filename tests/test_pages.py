"""Every page: calm, with crisis help one tap away, and nothing fetched from third parties."""
import re
from pathlib import Path

import pytest

from tests.conftest import submit

ROOT = Path(__file__).resolve().parent.parent
PUBLIC_PAGES = ["/", "/login", "/register", "/resources", "/about"]
MEMBER_PAGES = ["/home", "/profile", "/welcome/interests", "/welcome/where", "/welcome/when",
                "/welcome/pace", "/welcome/private", "/welcome/sharing", "/welcome/consent"]


@pytest.fixture
def member_client(client, auth):
    auth.register()
    submit(client, "/welcome/interests", {"interests": ["board-games"]})  # a profile now exists
    return client


@pytest.fixture
def every_page(app, member_client):
    """(path, html) for each page, public ones seen by a visitor, the rest by a new member."""
    visitor = app.test_client()
    pages = [(p, visitor.get(p)) for p in PUBLIC_PAGES] + [(p, member_client.get(p)) for p in MEMBER_PAGES]
    for path, response in pages:
        assert response.status_code == 200, path
    return [(path, response.get_data(as_text=True)) for path, response in pages]


def test_every_page_has_the_crisis_line_in_its_footer(every_page):
    for path, html in every_page:
        footer = html[html.index("<footer"):]
        assert "In crisis?" in footer and 'href="/resources"' in footer and "Call or text 988" in footer, path
        assert "peer community, not therapy or a crisis service" in footer, path


def test_resources_page_lists_every_line_with_a_working_link(client):
    html = client.get("/resources").get_data(as_text=True)
    for link in ('href="tel:988"', 'href="sms:988"', "988lifeline.org", 'href="tel:+18007154225"', 'href="tel:911"'):
        assert link in html, link
    assert "Georgia Crisis &amp; Access Line" in html and "1-800-715-4225" in html
    assert "988 Suicide &amp; Crisis Lifeline" in html


def test_pages_load_nothing_from_other_sites(every_page):
    for path, html in every_page:
        for tag, attr in re.findall(r"<(script|link|img|iframe)[^>]*?\b(?:src|href)=\"([^\"]+)\"", html):
            assert attr.startswith("/"), (path, tag, attr)


def test_templates_and_styles_reference_no_cdn():
    for file in list((ROOT / "templates").rglob("*.html")) + list((ROOT / "static").rglob("*.css")):
        text = file.read_text()
        assert not re.search(r"https?://(?!988lifeline\.org)", text), file
        assert "@import" not in text and "fonts." not in text, file


def test_pages_are_semantic(every_page):
    for path, html in every_page:
        assert '<html lang="en">' in html
        assert html.count("<h1") == 1, path
        assert "<main" in html and "<nav" in html and "<footer" in html, path
        assert 'name="viewport"' in html


def test_not_found_is_calm(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "We couldn&#39;t find that page" in response.get_data(as_text=True)


def test_a_server_error_shows_no_internals(app):
    @app.route("/_test/boom")
    def boom():
        raise RuntimeError("secret internals")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/_test/boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "It&#39;s not something you did" in html
    assert "secret internals" not in html and "Traceback" not in html


def test_home_needs_login(client):
    response = client.get("/home")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_logged_in_visitor_goes_from_landing_to_home(member_client):
    assert member_client.get("/").headers["Location"] == "/home"
    assert member_client.get("/login").headers["Location"] == "/home"
