"""Security headers on every response (Flask-Talisman) and the origins allowed to open chat
connections.

The Content-Security-Policy allows nothing inline: scripts, styles and connections come from our
own origin only, so an injected <script> or style="" does nothing. Templates and static/js keep
to that (no inline scripts, no on*= or style="" attributes, no eval); tests/browser/
test_csp_browser.py fails on any violation Chromium reports.
"""
from urllib.parse import urlsplit

from flask import Flask
from flask_talisman import Talisman

DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}

# Features the site never uses, switched off so no embedded or injected content can ask for them.
PERMISSIONS_POLICY = {
    "camera": "()",
    "microphone": "()",
    "geolocation": "()",
    "payment": "()",
    "usb": "()",
    "browsing-topics": "()",
}


def origin_of(url: str) -> str | None:
    """The origin a browser would send for pages at `url` ("https://example.org"), or None when
    `url` is not an http(s) address. Lower-case, no path, default port left out, as in Origin."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname  # already lower-case
    if ":" in host:
        host = f"[{host}]"  # an IPv6 address keeps its brackets in an origin
    if port is not None and port != DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    return f"{scheme}://{host}"


def content_security_policy(public_url: str) -> dict:
    """The policy for every page. Socket.IO's websocket goes to our own host: 'self' covers ws/wss
    in current browsers; the explicit ws(s):// source is for older ones that read 'self' as
    http(s) only."""
    connect = ["'self'"]
    origin = origin_of(public_url)
    if origin:
        connect.append(origin.replace("http", "ws", 1))  # http -> ws, https -> wss
    return {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "connect-src": " ".join(connect),
        "frame-ancestors": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "object-src": "'none'",
    }


def configure_security_headers(app: Flask) -> None:
    """One Talisman per app (its settings live on the instance, and tests build many apps)."""
    production = app.config["COMMON_GROUND_ENV"] == "production"
    talisman = Talisman()
    talisman.init_app(
        app,
        content_security_policy=content_security_policy(app.config["PUBLIC_URL"]),
        frame_options="DENY",
        referrer_policy="strict-origin-when-cross-origin",
        permissions_policy=PERMISSIONS_POLICY,
        x_content_type_options=True,
        x_xss_protection=False,  # the old XSS auditor is gone from browsers; the CSP does that work
        # HTTPS only in production: tests and `make run` serve plain http on the loopback.
        force_https=production,
        strict_transport_security=production,
        strict_transport_security_include_subdomains=False,  # other services may share the domain
        # Cookie flags stay as config.py sets them (Secure in production); Talisman would otherwise
        # overwrite them on every request.
        session_cookie_secure=False,
        session_cookie_http_only=app.config["SESSION_COOKIE_HTTPONLY"],
        session_cookie_samesite=app.config["SESSION_COOKIE_SAMESITE"],
    )
    app.extensions["talisman"] = talisman


def socket_origins(config: dict) -> frozenset[str]:
    """Origins that may open a chat connection: the site's own (PUBLIC_URL) and any listed in
    SOCKETIO_CORS_ORIGINS."""
    listed = [config.get("PUBLIC_URL") or "", *(config.get("SOCKETIO_CORS_ORIGINS") or [])]
    return frozenset(origin for origin in map(origin_of, listed) if origin)


def socket_origin_check(config: dict):
    """For engine.io's cors_allowed_origins: a connection whose browser says it comes from another
    site is refused before it reaches any handler (its cookie would otherwise let that site chat
    as the member). Outside production the address the request came in on is accepted too, so
    `make run` and the tests work on any port without setting PUBLIC_URL."""
    allowed = socket_origins(config)
    same_host_too = config.get("COMMON_GROUND_ENV") != "production"

    def allowed_origin(origin: str | None, environ: dict) -> bool:
        if origin in allowed:
            return True
        if not same_host_too or not origin or "HTTP_HOST" not in environ:
            return False
        own = origin_of(f"{environ.get('wsgi.url_scheme', 'http')}://{environ['HTTP_HOST']}")
        return origin == own

    return allowed_origin
