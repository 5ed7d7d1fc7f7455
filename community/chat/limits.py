"""Limits on each Socket.IO connection: events per connection (a token bucket) and the largest
packet engine.io accepts.

Every event a handler sees costs a token; a connection may spend SOCKET_EVENT_RATE's amount at
once and earns them back evenly over its period. An event over the limit gets a kind error ack
and nothing else: the connection stays open, so a client that retries too eagerly slows down
instead of reconnecting in a loop. `send` still has CHAT_RATE_LIMIT on top (per member, shared
across processes); this bucket is per connection and per process, so it costs no Redis round trip.
"""
import functools
import time

from flask import current_app, request
from limits import parse

SLOW_DOWN = "That was a lot at once. Please wait a few seconds and try again."


class TokenBucket:
    """`capacity` tokens at most, refilled at `per_second`; take() spends one if there is one."""

    __slots__ = ("capacity", "per_second", "tokens", "updated")

    def __init__(self, capacity: float, per_second: float, now: float):
        self.capacity = capacity
        self.per_second = per_second
        self.tokens = capacity
        self.updated = now

    def take(self, now: float) -> bool:
        tokens = min(self.capacity, self.tokens + (now - self.updated) * self.per_second)
        self.updated = now
        if tokens < 1.0:
            self.tokens = tokens
            return False
        self.tokens = tokens - 1.0
        return True


# One bucket per connection (sid), made at its first event and dropped at disconnect. Events of
# one connection arrive one at a time in threading mode; with polling two may overlap, and then
# the worst case is an event or two more than the limit, never an error.
_buckets: dict[str, TokenBucket] = {}


def bucket_for_config(rate: str, now: float) -> TokenBucket:
    item = parse(rate)
    return TokenBucket(float(item.amount), item.amount / item.get_expiry(), now)


def allow(sid: str) -> bool:
    """Whether this connection may have one more event now. One dict lookup and some arithmetic,
    except for a connection's first event, which reads the configured rate."""
    now = time.monotonic()
    bucket = _buckets.get(sid)
    if bucket is None:
        bucket = _buckets[sid] = bucket_for_config(current_app.config["SOCKET_EVENT_RATE"], now)
    return bucket.take(now)


def forget(sid: str) -> None:
    _buckets.pop(sid, None)


def limited(quiet: bool = False):
    """Wrap a Socket.IO handler so an event over the connection's limit is answered with SLOW_DOWN
    as its ack, or dropped (`quiet`) for events nobody waits on, such as `typing`."""

    def wrap(handler):
        @functools.wraps(handler)
        def checked(*args):
            if allow(request.sid):
                return handler(*args)
            return None if quiet else {"ok": False, "error": SLOW_DOWN}

        return checked

    return wrap


def websocket_size_cap(server, max_bytes: int) -> None:
    """Make the websocket layer itself refuse a frame over `max_bytes` while it is still arriving.
    engine.io checks the size only after the whole frame is in memory, so without this one client
    could make the server buffer megabytes; with it the frame is cut off at `max_bytes` and only
    that connection closes. Only for the threading driver (simple-websocket), which takes the
    option; other drivers keep engine.io's own check."""
    eio = getattr(server, "eio", None)
    drivers = getattr(eio, "_async", None)
    if not isinstance(drivers, dict):
        return
    try:
        from engineio.async_drivers._websocket_wsgi import SimpleWebSocketWSGI
    except ImportError:  # a future engine.io without it: its own check still applies
        return
    if drivers.get("websocket") is SimpleWebSocketWSGI:
        # A copy on this server only: the module's driver table is shared by every server.
        eio._async = {**drivers, "websocket": functools.partial(SimpleWebSocketWSGI, max_message_size=max_bytes)}
