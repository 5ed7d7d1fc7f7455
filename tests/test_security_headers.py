"""Security headers on every kind of response, HTTPS only in production, and templates and
scripts that a strict Content-Security-Policy lets through (tests/browser/test_csp_browser.py
checks the same in Chromium)."""
import re
from pathlib import Path

import pytest

from community import create_app
from community.extensions import db
from community.web_security import content_security_policy, origin_of
from tests.conftest import app_config, submit

ROOT = Path(__file__).resolve().parent.parent
EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "connect-src": "'self' ws://127.0.0.1:5000",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "object-src": "'none'",
}


def csp_of(response) -> dict:
    header = response.headers["Content-Security-Policy"]
    return {part.split()[0]: " ".join(part.split()[1:]) for part in header.split(";") if part.strip()}


def assert_secured(response, where: str) -> None:
    assert csp_of(response) == EXPECTED_CSP, where
    assert response.headers["X-Frame-Options"] == "DENY", where
    assert response.headers["X-Content-Type-Options"] == "nosniff", where
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin", where
    permissions = response.headers["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in permissions, where
    assert "Strict-Transport-Security" not in response.headers, where  # development serves plain http


@pytest.fixture
def production_app(database_url):
    app = create_app(app_config(database_url, COMMON_GROUND_ENV="production", PUBLIC_URL="https://cg.example.org"))
    yield app
    with app.app_context():
        db.engine.dispose()


def test_every_kind_of_response_carries_the_headers(app, client, auth):
    visitor = app.test_client()
    for path in ("/", "/login", "/static/css/site.css", "/static/vendor/socket.io.min.js", "/no-such-page"):
        with visitor.get(path) as response:  # closed: static files are streamed from disk
            assert response.status_code in (200, 404), path
            assert_secured(response, path)
    # A form posted without its token is refused (400) and still carries them.
    refused = visitor.post("/login", data={"email": "a@example.org", "password": "x"})
    assert refused.status_code == 400
    assert_secured(refused, "CSRF refusal")
    auth.register()
    home = client.get("/home", follow_redirects=True)
    assert home.status_code == 200
    assert_secured(home, "a member's page")


def test_development_serves_plain_http_without_redirects(client):
    response = client.get("/login")
    assert response.status_code == 200  # no redirect to https: tests and `make run` are http
    assert "Secure" not in response.headers.get("Set-Cookie", "")


def test_production_sends_http_to_https_and_asks_browsers_to_stay(production_app):
    client = production_app.test_client()
    plain = client.get("/login?next=%2Fhome")
    assert plain.status_code == 302
    assert plain.headers["Location"].startswith("https://localhost/login?next=")
    assert "Strict-Transport-Security" not in plain.headers  # only ever sent over https

    secure = client.get("/login", base_url="https://localhost")
    assert secure.status_code == 200
    assert secure.headers["Strict-Transport-Security"] == "max-age=31556926"
    # Behind a TLS proxy that says so (TRUSTED_PROXIES), the same.
    proxied = client.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert proxied.status_code == 200 and "Strict-Transport-Security" in proxied.headers
    assert csp_of(secure)["connect-src"] == "'self' wss://cg.example.org"


def test_talisman_leaves_the_cookie_settings_to_config(app):
    # Talisman would force Secure on every request; config.py decides (Secure in production only).
    client = app.test_client()
    client.get("/login")
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax" and app.config["SESSION_COOKIE_HTTPONLY"]


def test_a_login_still_works_with_the_headers_in_place(client, auth):
    auth.register()
    auth.logout()
    response = auth.login()
    assert response.status_code == 302
    assert submit(client, "/home", {}, action="/logout").status_code == 302


@pytest.mark.parametrize("url, origin", [
    ("http://127.0.0.1:5000", "http://127.0.0.1:5000"),
    ("https://Community.Example.org/", "https://community.example.org"),
    ("https://community.example.org:443/path?q=1", "https://community.example.org"),
    ("http://[::1]:8080", "http://[::1]:8080"),
    ("ftp://example.org", None),
    ("not a url", None),
    ("http://example.org:notaport", None),
])
def test_origins_are_written_as_browsers_send_them(url, origin):
    assert origin_of(url) == origin


def test_the_websocket_source_follows_the_public_address():
    assert content_security_policy("https://cg.example.org")["connect-src"] == "'self' wss://cg.example.org"
    assert content_security_policy("http://localhost:8000")["connect-src"] == "'self' ws://localhost:8000"
    assert content_security_policy("nonsense")["connect-src"] == "'self'"


# --- what the policy forbids is not in the templates or scripts ----------------------------------

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_ATTRIBUTE = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)
SCRIPT_HAZARDS = {
    "eval(": re.compile(r"\beval\s*\("),
    "new Function": re.compile(r"\bnew\s+Function\b|\bFunction\s*\("),
    "setAttribute('style')": re.compile(r"setAttribute\(\s*[\"']style[\"']"),
    "timer with a string": re.compile(r"set(Timeout|Interval)\(\s*[\"'`]"),
    "<style> or style= in markup": re.compile(r"<style|style\s*=\s*[\"']"),
}


def test_templates_have_no_inline_script_style_or_handlers():
    templates = sorted((ROOT / "templates").rglob("*.html"))
    assert len(templates) > 20
    for path in templates:
        html = path.read_text()
        where = path.relative_to(ROOT)
        assert not INLINE_SCRIPT.search(html), f"{where}: inline <script>"
        assert "<style" not in html.lower(), f"{where}: <style> element"
        assert not STYLE_ATTRIBUTE.search(html), f"{where}: style attribute"
        assert not EVENT_ATTRIBUTE.search(html), f"{where}: on*= handler"
        assert not JAVASCRIPT_URL.search(html), f"{where}: javascript: URL"


def test_our_scripts_use_nothing_the_policy_blocks():
    scripts = sorted((ROOT / "static" / "js").rglob("*.js"))
    assert len(scripts) > 5
    for path in scripts:
        source = path.read_text()
        for what, pattern in SCRIPT_HAZARDS.items():
            assert not pattern.search(source), f"{path.relative_to(ROOT)}: {what}"


def test_the_hazard_patterns_do_catch_what_they_look_for():
    assert INLINE_SCRIPT.search('<script>alert(1)</script>') and not INLINE_SCRIPT.search('<script src="/a.js">')
    assert EVENT_ATTRIBUTE.search('<button onclick="go()">') and not EVENT_ATTRIBUTE.search('<button class="on">')
    assert STYLE_ATTRIBUTE.search('<p style="color:red">') and not STYLE_ATTRIBUTE.search('<p class="style">')
    assert SCRIPT_HAZARDS["setAttribute('style')"].search('el.setAttribute("style", "x")')
    assert SCRIPT_HAZARDS["eval("].search("eval('1')") and SCRIPT_HAZARDS["new Function"].search("new Function('')")
