"""Login limits are shared by every server process, so an attacker can't multiply their guesses by
spreading them across processes: the per-address limit through Redis, the per-account delay through
the database."""
import uuid

import pytest
import redis

from tests.conftest import AuthActions, another_app, app_config, submit
from tests.support import require

REDIS_URL = "redis://127.0.0.1:6379/15"


def redis_available() -> bool:
    try:
        return redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping()
    except redis.RedisError:
        return False


@pytest.fixture
def two_processes(app, database_url):
    """Two app instances (as two server processes would be) sharing one Redis."""
    require(redis_available(), f"Redis is not reachable at {REDIS_URL}")
    prefix = f"cg-test-{uuid.uuid4().hex[:8]}"
    config = app_config(database_url, RATELIMIT_STORAGE_URI=REDIS_URL, RATELIMIT_KEY_PREFIX=prefix,
                        LOGIN_LIMIT_PER_IP="4 per 15 minutes", LOGIN_FREE_FAILURES=3)
    with another_app(config) as first, another_app(config) as second:
        yield first, second
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"*{prefix}*"):
        client.delete(key)
    client.close()


def test_failed_logins_for_an_account_count_across_processes(two_processes, make_user):
    first, second = two_processes
    make_user(email="sam@example.org")
    wrong = {"email": "sam@example.org", "password": "not my password at all"}
    for app, address in ((first, "10.0.0.1"), (second, "10.0.0.2"), (first, "10.0.0.3")):
        assert submit(app.test_client(), "/login", wrong, environ_base={"REMOTE_ADDR": address}).status_code == 400
    waiting = submit(second.test_client(), "/login", {"email": "sam@example.org", "password": "quiet harbour lanterns"},
                     environ_base={"REMOTE_ADDR": "10.0.0.4"})
    assert waiting.status_code == 429


def test_failed_logins_from_one_address_count_across_processes(two_processes):
    first, second = two_processes
    for n, app in enumerate((first, second, first, second)):
        response = submit(app.test_client(), "/login", {"email": f"guess{n}@example.org", "password": "wrong guess 1"})
        assert response.status_code == 400
    blocked = AuthActions(first.test_client()).login(email="guess9@example.org")
    assert blocked.status_code == 429
