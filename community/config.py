"""Configuration read from the environment, so secrets never live in the code."""
import os
import secrets
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


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
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(
            os.environ.get("DATABASE_URL") or default_db
        ),
        "REDIS_URL": redis_url,
        "TIMEZONE": timezone,
        # How many proxies in front of us set X-Forwarded-*; per-address limits need the real client.
        "TRUSTED_PROXIES": int(proxies),
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
        "LOGIN_LIMIT_PER_IP": os.environ.get("LOGIN_LIMIT_PER_IP", "30 per 15 minutes"),
        "LOGIN_LIMIT_PER_ACCOUNT": os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "8 per 15 minutes"),
        "CHAT_RATE_LIMIT": _limit("CHAT_RATE_LIMIT", "10 per 10 seconds"),
        # Threads, not green threads: no monkey-patching of the database drivers (see README).
        "SOCKETIO_ASYNC_MODE": os.environ.get("SOCKETIO_ASYNC_MODE", "threading"),
        # Origins allowed to open a chat connection besides our own; space-separated.
        "SOCKETIO_CORS_ORIGINS": os.environ.get("SOCKETIO_CORS_ORIGINS", "").split() or None,
        # Crisis safety: an unacknowledged escalation alerts everyone again after this long.
        "SAFETY_REALERT_MINUTES": _number("SAFETY_REALERT_MINUTES", 5),
        # How often each server process looks for alerts to send again and follow-ups due (0: never).
        "SAFETY_WATCH_SECONDS": _number("SAFETY_WATCH_SECONDS", 15),
        "REMINDER_WATCH_SECONDS": _number("REMINDER_WATCH_SECONDS", 60),
        "SAFETY_FOLLOW_UP_HOURS": _number("SAFETY_FOLLOW_UP_HOURS", 24),
        # Where repeated alerts also go (a team chat or paging tool's incoming webhook); optional.
        "SAFETY_WEBHOOK_URL": _web_address("SAFETY_WEBHOOK_URL"),
        # The address people use to reach the site, for links sent outside it (the webhook).
        "PUBLIC_URL": os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000"),
    }


def _web_address(name: str) -> str | None:
    value = os.environ.get(name) or None
    if value and not value.startswith(("https://", "http://")):
        raise ConfigError(f"{name}={value!r} must be an http:// or https:// address.")
    return value


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


def _limit(name: str, default: str) -> str:
    """A rate limit such as '10 per 10 seconds', checked now so a typo fails at start-up."""
    from limits import parse

    value = os.environ.get(name, default)
    try:
        parse(value)
    except ValueError as exc:
        raise ConfigError(f"{name}={value!r} is not a rate limit like '10 per 10 seconds'.") from exc
    return value
