"""Browser fixtures: the app served on a real port, and Chromium driven by Playwright."""
import os
import threading

import pytest
from werkzeug.serving import make_server

from tests.support import require

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # This machine has no outside network; stop Chromium from trying.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def closes_what_it_serves(app):
    """The app, with every response closed even when the browser hangs up halfway. Werkzeug's
    server skips close() on a dropped connection (a page left while its favicon was still being
    sent), so the file stayed open until garbage collection, whose ResourceWarning then failed
    whichever test happened to be running. Here the response is closed when the server lets go."""

    def wsgi(environ, start_response):
        response = app(environ, start_response)
        try:
            yield from response
        finally:
            if hasattr(response, "close"):
                response.close()

    return wsgi


@pytest.fixture
def live_server(app):
    """Serve the test app on a free loopback port for the length of one test."""
    server = make_server("127.0.0.1", 0, closes_what_it_serves(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    require(os.path.exists(CHROMIUM), f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 420, "height": 860})  # a phone-sized window
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


class Keyboard:
    """Move through a page as a keyboard-only person does: Tab until the wanted control has focus."""

    def __init__(self, page, limit: int = 400):
        self.page = page
        self.limit = limit

    def focus(self, selector: str) -> None:
        for _ in range(self.limit):
            if self.page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
                return
            self.page.keyboard.press("Tab")
        raise AssertionError(f"could not reach {selector} with Tab")

    def press(self, selector: str, key: str) -> None:
        self.focus(selector)
        self.page.keyboard.press(key)

    def type(self, selector: str, text: str) -> None:
        self.focus(selector)
        self.page.keyboard.type(text)


@pytest.fixture
def keyboard(page):
    return Keyboard(page)
