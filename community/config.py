"""Configuration read from the environment, so secrets never live in the code."""
import os
import secrets
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

SLOW_HASH_METHOD = "scrypt"


class ConfigError(RuntimeError):
    """The environment does not describe a configuration we can run safely."""


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs written the usual way."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _secret_key(instance_path: Path, production: bool) -> str:
    """Take SECRET_KEY from the environment; in development, make one once and keep it private."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if production:
        raise ConfigError("SECRET_KEY must be set when COMMON_GROUND_ENV=production.")
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # Create with 0600 from the start so the key is never readable by others, even briefly.
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def _data_encryption_keys(instance_path: Path, production: bool) -> tuple[str, ...]:
    """DATA_ENCRYPTION_KEYS, required in production; in development one key made once, like SECRET_KEY."""
    from community.encryption import data_encryption_keys  # imported here: it uses ConfigError from us

    return data_encryption_keys(instance_path, production)


def load_config(instance_path: str) -> dict:
    """Build the Flask config mapping from environment variables."""
    instance = Path(instance_path)
    production = os.environ.get("COMMON_GROUND_ENV", "development") == "production"
    timezone = os.environ.get("TIMEZONE", "America/New_York")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"TIMEZONE={timezone!r} is not a known time zone.") from exc
    proxies = os.environ.get("TRUSTED_PROXIES", "0")
    if not proxies.isdigit():
        raise ConfigError(f"TRUSTED_PROXIES={proxies!r} must be a whole number (0 when not behind a proxy).")
    default_db = f"sqlite:///{instance / 'common_ground.db'}"
    redis_url = os.environ.get("REDIS_URL") or None
    return {
        "COMMON_GROUND_ENV": "production" if production else "development",
        "SECRET_KEY": _secret_key(instance, production),
        # Members' private answers are encrypted at rest with these; rotation: community/encryption.py.
        "DATA_ENCRYPTION_KEYS": _data_encryption_keys(instance, production),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(
            os.environ.get("DATABASE_URL") or default_db
        ),
        # After a database restart the connections the pool kept are dead: test each as it is handed
        # out (one round trip) instead of failing the next few sends with "couldn't save".
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, **_pool(os.environ.get("DATABASE_URL") or default_db)},
        "REDIS_URL": redis_url,
        "TIMEZONE": timezone,
        # How many proxies in front of us set X-Forwarded-*; per-address limits need the real client.
        "TRUSTED_PROXIES": int(proxies),
        # werkzeug's scrypt (about 150 ms a check: slow for guessing); the tests choose a cheap one.
        "PASSWORD_HASH_METHOD": SLOW_HASH_METHOD,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        # A form left open for a few hours still works; the token is tied to the session anyway.
        "WTF_CSRF_TIME_LIMIT": 4 * 3600,
        # Shared limits across processes when Redis is there; per-process memory otherwise.
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        # If Redis goes away, count in this process's memory until it's back rather than fail requests.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "LOGIN_LIMIT_PER_IP": os.environ.get("LOGIN_LIMIT_PER_IP", "30 per 15 minutes"),
        # Per account: a growing delay after a few failures (2 s, 4 s … up to a minute), at most this
        # many failures an hour; a browser that signed in before is counted on its own (auth/throttle.py).
        "LOGIN_FREE_FAILURES": int(_number("LOGIN_FREE_FAILURES", 5)),
        "LOGIN_MAX_DELAY_SECONDS": int(_number("LOGIN_MAX_DELAY_SECONDS", 60)),
        "LOGIN_MAX_FAILURES_PER_HOUR": int(_number("LOGIN_MAX_FAILURES_PER_HOUR", 100)),
        # Sign-in sessions: moderators and admins see private data, so theirs end sooner.
        "STAFF_IDLE_MINUTES": _number("STAFF_IDLE_MINUTES", 30),
        "STAFF_SESSION_MAX_HOURS": _number("STAFF_SESSION_MAX_HOURS", 12),
        "MEMBER_IDLE_MINUTES": _number("MEMBER_IDLE_MINUTES", 7 * 24 * 60),
        "SESSION_MAX_HOURS": _number("SESSION_MAX_HOURS", 30 * 24),
        # An open chat connection notices its session was ended (signed out elsewhere) within this long.
        "SOCKET_SESSION_CHECK_SECONDS": _number("SOCKET_SESSION_CHECK_SECONDS", 60),
        "CHAT_RATE_LIMIT": _limit("CHAT_RATE_LIMIT", "10 per 10 seconds"),
        # Threads, not green threads: no monkey-patching of the database drivers (see README).
        "SOCKETIO_ASYNC_MODE": os.environ.get("SOCKETIO_ASYNC_MODE", "threading"),
        # Socket.IO: origins allowed to open a chat connection besides PUBLIC_URL's (space-separated);
        # events per connection (a token bucket; `send` also has CHAT_RATE_LIMIT); largest packet.
        "SOCKETIO_CORS_ORIGINS": _origins("SOCKETIO_CORS_ORIGINS"),
        "SOCKET_EVENT_RATE": _limit("SOCKET_EVENT_RATE", "60 per 10 seconds"),
        "SOCKETIO_MAX_PAYLOAD_BYTES": int(_number("SOCKETIO_MAX_PAYLOAD_BYTES", 16384)),
        # Crisis safety: an unacknowledged escalation alerts everyone again after this long.
        "SAFETY_REALERT_MINUTES": _number("SAFETY_REALERT_MINUTES", 5),
        # How often each server process looks for alerts to send again and follow-ups due (0: never).
        "SAFETY_WATCH_SECONDS": _number("SAFETY_WATCH_SECONDS", 15),
        "REMINDER_WATCH_SECONDS": _number("REMINDER_WATCH_SECONDS", 60),
        # A group whose chat has been quiet this many days gets one conversation starter (journey/starters.py).
        "STARTER_QUIET_DAYS": _number("STARTER_QUIET_DAYS", 5),
        # The journey's periodic pass: question rounds' turns and weekly rounds, starters for quiet
        # groups (0: never; then run `flask journey-pass` from cron).
        "JOURNEY_WATCH_SECONDS": _number("JOURNEY_WATCH_SECONDS", 300),
        # A question round's turn not taken within this long passes on quietly (journey/rounds.py).
        "ROUND_TURN_HOURS": _number("ROUND_TURN_HOURS", 24),
        "SAFETY_FOLLOW_UP_HOURS": _number("SAFETY_FOLLOW_UP_HOURS", 24),
        # Where repeated alerts also go (a team chat or paging tool's incoming webhook); optional.
        "SAFETY_WEBHOOK_URL": _web_address("SAFETY_WEBHOOK_URL"),
        # The address people use to reach the site, for links sent outside it (the webhook).
        "PUBLIC_URL": os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000"),
        # Privacy: how long a deleted account waits before `flask purge-deleted-accounts` erases it
        # (logging in meanwhile lets the member keep it), and how long crisis records are kept in
        # full, then again in bare, unlinked form, before the purge deletes them.
        "ACCOUNT_DELETION_COOLING_OFF_HOURS": _number("ACCOUNT_DELETION_COOLING_OFF_HOURS", 72),
        "ESCALATION_RETENTION_DAYS": _number("ESCALATION_RETENTION_DAYS", 365),
    }


def _web_address(name: str) -> str | None:
    value = os.environ.get(name) or None
    if value and not value.startswith(("https://", "http://")):
        raise ConfigError(f"{name}={value!r} must be an http:// or https:// address.")
    return value


def _pool(url: str) -> dict:
    """How many PostgreSQL connections each process keeps open. Past the pool, up to 10 more are opened
    and closed again as needed: with SQLAlchemy's pool of 5, one busy process opened 14 connections a
    second, each a new PostgreSQL backend (bench/results/load.md)."""
    if url.startswith("sqlite"):
        return {}
    return {"pool_size": max(1, int(_number("DATABASE_POOL_SIZE", 20)))}


def _number(name: str, default: float) -> float:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        number = float(value)
    except ValueError as exc:
        raise ConfigError(f"{name}={value!r} must be a number.") from exc
    if number < 0:
        raise ConfigError(f"{name}={value!r} must not be negative.")
    return number


def _origins(name: str) -> list[str] | None:
    """Space-separated http(s) origins. Never "*": chat connections carry the login cookie, so any
    site could then chat as whoever visits it."""
    origins = os.environ.get(name, "").split()
    for origin in origins:
        if not origin.startswith(("https://", "http://")):
            raise ConfigError(f"{name}: {origin!r} must be an origin such as https://example.org "
                              "(every origin must be listed; \"*\" is not allowed).")
    return origins or None


def _limit(name: str, default: str) -> str:
    """A rate limit such as '10 per 10 seconds', checked now so a typo fails at start-up."""
    from limits import parse

    value = os.environ.get(name, default)
    try:
        parse(value)
    except ValueError as exc:
        raise ConfigError(f"{name}={value!r} is not a rate limit like '10 per 10 seconds'.") from exc
    return value
