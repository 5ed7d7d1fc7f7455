"""With REDIS_URL, login limits are shared by every server process, so an attacker can't
multiply their guesses by spreading them across processes."""
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
                        LOGIN_LIMIT_PER_ACCOUNT="3 per 15 minutes")
    with another_app(config) as first, another_app(config) as second:
        yield first, second
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"*{prefix}*"):
        client.delete(key)
    client.close()


def test_failed_logins_count_across_processes(two_processes, make_user):
    first, second = two_processes
    make_user(email="sam@example.org")
    wrong = {"email": "sam@example.org", "password": "not my password at all"}
    for app in (first, second, first):
        assert submit(app.test_client(), "/login", wrong).status_code == 400
    blocked = AuthActions(second.test_client()).login(email="sam@example.org")
    assert blocked.status_code == 429
