"""Configuration comes from the environment, and production refuses unsafe defaults."""
import os
import stat

import pytest

from community import create_app
from community.config import ConfigError, load_config, normalise_database_url
from tests.conftest import TEST_DATA_ENCRYPTION_KEYS


@pytest.fixture
def clean_env(monkeypatch):
    for name in ("SECRET_KEY", "DATA_ENCRYPTION_KEYS", "DATABASE_URL", "REDIS_URL", "TIMEZONE", "COMMON_GROUND_ENV",
                 "CHAT_RATE_LIMIT", "SOCKETIO_ASYNC_MODE", "SOCKETIO_CORS_ORIGINS", "SAFETY_REALERT_MINUTES",
                 "SAFETY_WATCH_SECONDS", "SAFETY_FOLLOW_UP_HOURS", "SAFETY_WEBHOOK_URL", "REMINDER_WATCH_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_development_secret_key_is_made_once_and_kept_private(clean_env, tmp_path):
    first = load_config(str(tmp_path))["SECRET_KEY"]
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert len(first) >= 64
    assert load_config(str(tmp_path))["SECRET_KEY"] == first


def test_production_refuses_to_start_without_a_secret_key(clean_env, tmp_path):
    clean_env.setenv("COMMON_GROUND_ENV", "production")
    with pytest.raises(ConfigError, match="SECRET_KEY must be set"):
        load_config(str(tmp_path))
    assert not (tmp_path / "secret_key").exists()


def test_production_marks_cookies_secure(clean_env, tmp_path):
    clean_env.setenv("COMMON_GROUND_ENV", "production")
    clean_env.setenv("SECRET_KEY", "from-the-environment")
    clean_env.setenv("DATA_ENCRYPTION_KEYS", TEST_DATA_ENCRYPTION_KEYS)  # production requires it too
    config = load_config(str(tmp_path))
    assert config["SECRET_KEY"] == "from-the-environment"
    assert config["SESSION_COOKIE_SECURE"] and config["REMEMBER_COOKIE_SECURE"]
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax" and config["SESSION_COOKIE_HTTPONLY"]


def test_defaults(clean_env, tmp_path):
    config = load_config(str(tmp_path))
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'common_ground.db'}"
    assert config["TIMEZONE"] == "America/New_York"
    assert config["REDIS_URL"] is None
    assert config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert not config["SESSION_COOKIE_SECURE"]


def test_environment_overrides(clean_env, tmp_path):
    clean_env.setenv("DATABASE_URL", "postgresql://cg@db.internal/cg")
    clean_env.setenv("REDIS_URL", "redis://127.0.0.1:6379/2")
    clean_env.setenv("TIMEZONE", "America/Chicago")
    config = load_config(str(tmp_path))
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://cg@db.internal/cg"
    assert config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/2"
    assert config["TIMEZONE"] == "America/Chicago"


def test_unknown_timezone_is_a_clear_error(clean_env, tmp_path):
    clean_env.setenv("TIMEZONE", "Atlantis/Capital")
    with pytest.raises(ConfigError, match="not a known time zone"):
        load_config(str(tmp_path))


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u@h/d", "postgresql+psycopg://u@h/d"),
        ("postgresql://u@h/d", "postgresql+psycopg://u@h/d"),
        ("postgresql+psycopg://u@h/d", "postgresql+psycopg://u@h/d"),
        ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
    ],
)
def test_database_url_normalisation(given, expected):
    assert normalise_database_url(given) == expected


def test_factory_takes_overrides(database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "x", "TESTING": True})
    assert app.config["TESTING"] and app.config["SECRET_KEY"] == "x"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == database_url
    assert {"auth", "profiles", "pages"} <= set(app.blueprints)


def test_trusted_proxies_must_be_a_number(clean_env, tmp_path):
    clean_env.setenv("TRUSTED_PROXIES", "yes")
    with pytest.raises(ConfigError, match="whole number"):
        load_config(str(tmp_path))
    clean_env.setenv("TRUSTED_PROXIES", "2")
    assert load_config(str(tmp_path))["TRUSTED_PROXIES"] == 2


def test_chat_settings(clean_env, tmp_path):
    config = load_config(str(tmp_path))
    assert config["CHAT_RATE_LIMIT"] == "10 per 10 seconds"
    assert config["SOCKETIO_ASYNC_MODE"] == "threading"
    assert config["SOCKETIO_CORS_ORIGINS"] is None  # only our own origin
    clean_env.setenv("SOCKETIO_CORS_ORIGINS", "https://a.example https://b.example")
    clean_env.setenv("CHAT_RATE_LIMIT", "5 per minute")
    config = load_config(str(tmp_path))
    assert config["SOCKETIO_CORS_ORIGINS"] == ["https://a.example", "https://b.example"]
    assert config["CHAT_RATE_LIMIT"] == "5 per minute"
    clean_env.setenv("CHAT_RATE_LIMIT", "lots")
    with pytest.raises(ConfigError, match="CHAT_RATE_LIMIT='lots' is not a rate limit"):
        load_config(str(tmp_path))


def test_safety_settings(clean_env, tmp_path):
    config = load_config(str(tmp_path))
    assert (config["SAFETY_REALERT_MINUTES"], config["SAFETY_WATCH_SECONDS"], config["SAFETY_FOLLOW_UP_HOURS"]) == (5, 15, 24)
    assert config["SAFETY_WEBHOOK_URL"] is None
    clean_env.setenv("SAFETY_REALERT_MINUTES", "2.5")
    clean_env.setenv("SAFETY_WEBHOOK_URL", "https://hooks.example/safety")
    config = load_config(str(tmp_path))
    assert config["SAFETY_REALERT_MINUTES"] == 2.5 and config["SAFETY_WEBHOOK_URL"] == "https://hooks.example/safety"
    clean_env.setenv("SAFETY_WEBHOOK_URL", "file:///etc/passwd")
    with pytest.raises(ConfigError, match="must be an http:// or https:// address"):
        load_config(str(tmp_path))
    clean_env.setenv("SAFETY_WEBHOOK_URL", "")
    assert config["REMINDER_WATCH_SECONDS"] == 60
    clean_env.setenv("REMINDER_WATCH_SECONDS", "0")
    assert load_config(str(tmp_path))["REMINDER_WATCH_SECONDS"] == 0
    clean_env.setenv("SAFETY_WATCH_SECONDS", "soon")
    with pytest.raises(ConfigError, match="SAFETY_WATCH_SECONDS='soon' must be a number"):
        load_config(str(tmp_path))


def test_passwords_are_hashed_with_scrypt_unless_configured(clean_env, tmp_path):
    assert load_config(str(tmp_path))["PASSWORD_HASH_METHOD"] == "scrypt"
    from community.models import User

    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True})
    with app.app_context():
        user = User(email="a@example.org", display_name="A")
        user.set_password("quiet harbour lanterns")
        assert user.password_hash.startswith("scrypt:")
