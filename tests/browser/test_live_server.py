"""The browser tests' server closes a response the browser walked away from halfway (no file left
open for garbage collection to complain about in some later test)."""
from tests.browser.conftest import closes_what_it_serves


class Response:
    closed = False

    def __iter__(self):
        yield b"<svg>"
        yield b"</svg>"

    def close(self):
        self.closed = True


def test_a_response_dropped_halfway_is_closed_when_the_server_lets_go():
    served = Response()
    body = closes_what_it_serves(lambda environ, start_response: served)({}, None)
    assert next(body) == b"<svg>"
    del body  # what Werkzeug's server does when the browser hangs up: stop iterating, never close()
    assert served.closed


def test_a_response_sent_whole_is_closed_once_too():
    served = Response()
    assert b"".join(closes_what_it_serves(lambda environ, start_response: served)({}, None)) == b"<svg></svg>"
    assert served.closed
