"""Common Ground: a peer community that helps adults make friends in small, steady groups."""
import os
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from community.config import load_config
from community.extensions import csrf, db, limiter, login_manager, migrate, socketio

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS_DIR = str(Path(__file__).parent / "migrations")


def create_app(config: dict | None = None) -> Flask:
    """Build the app; `config` overrides what the environment says (tests use this)."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("COMMON_GROUND_INSTANCE", str(ROOT / "instance")),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_mapping(load_config(app.instance_path))
    if config:
        app.config.from_mapping(config)

    configure_extensions(app)
    from community.web_security import configure_security_headers

    configure_security_headers(app)
    from community.chat.session import SocketAwareSessionInterface

    app.session_interface = SocketAwareSessionInterface()
    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    from community.clean_input import CleanRequest, TextConverter
    from community.ids import IdConverter

    # Before any route is added: an id no row can have, or a NUL anywhere, is turned away, not a crash.
    app.request_class = CleanRequest
    app.url_map.converters["int"] = IdConverter
    app.url_map.converters["default"] = app.url_map.converters["string"] = TextConverter
    register_blueprints(app)
    from community.cli import register_cli
    from community.errors import register_error_handlers
    from community.templating import register_template_helpers

    register_error_handlers(app)
    register_template_helpers(app)
    from community.activities import reminders
    from community.journey import watch as journey_watch
    from community.moderation import watch

    # Each server process watches for escalation alerts to repeat, for reminders that are due, and
    # for the journey's rounds and starters, from its first request on.
    app.before_request(lambda: watch.start(app))
    app.before_request(lambda: reminders.start(app))
    app.before_request(lambda: journey_watch.start(app))
    register_cli(app)
    return app


def configure_extensions(app: Flask) -> None:
    from community import models  # noqa: F401  (registers the tables)

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to see that page."
    login_manager.login_message_category = "info"
    # Socket handlers must be known before init_app: it gives each new server the handlers
    # registered so far, and handlers added later reach only the server of that moment.
    from community.chat import events  # noqa: F401
    from community.chat.limits import websocket_size_cap
    from community.journey import round_events  # noqa: F401  (round_pass)
    from community.web_security import socket_origin_check

    async_mode = app.config.get("SOCKETIO_ASYNC_MODE", "threading")
    socketio.init_app(
        app,
        async_mode=async_mode,
        # With threads, each connection already has its own; a thread per event on top piles up
        # under load, each holding a database connection while it waits (bench/results/chat.md).
        # Green threads need the opposite: an inline handler blocked in SQLite stalls them all.
        async_handlers=async_mode != "threading",
        message_queue=app.config.get("REDIS_URL"),
        # Only our own origin and those configured; a browser on another site is refused.
        cors_allowed_origins=socket_origin_check(app.config),
        # The largest packet (a chat message of MAX_BODY characters is well under half of it).
        max_http_buffer_size=app.config.get("SOCKETIO_MAX_PAYLOAD_BYTES", 16384),
    )
    websocket_size_cap(socketio.server, app.config.get("SOCKETIO_MAX_PAYLOAD_BYTES", 16384))


def register_blueprints(app: Flask) -> None:
    from community.activities import bp as activities_bp
    from community.auth import bp as auth_bp
    from community.chat import bp as chat_bp
    from community.groups import bp as groups_bp
    from community.journey import bp as journey_bp
    from community.moderation import bp as moderation_bp
    from community.notifications import bp as notifications_bp
    from community.pages import bp as pages_bp
    from community.privacy import bp as privacy_bp
    from community.profiles import bp as profiles_bp
    from community.support import bp as support_bp
    from community.vendor import bp as vendor_bp

    app.register_blueprint(pages_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(profiles_bp)
    app.register_blueprint(chat_bp)
    app.register_blueprint(groups_bp)
    app.register_blueprint(moderation_bp)
    app.register_blueprint(vendor_bp)
    app.register_blueprint(support_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(activities_bp)
    app.register_blueprint(privacy_bp)
    app.register_blueprint(journey_bp)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """Foreign keys on, and WAL so readers don't block the writer (SQLite only)."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()
