"""Shared fixtures: a migrated database (SQLite, or PostgreSQL via TEST_DATABASE_URL) that is
emptied after every test, the app, its clients, and small factories."""
import os
import re
import tempfile
import threading
import uuid
from contextlib import ExitStack, contextmanager

import pytest

# Keep the development instance folder (and its secret key) out of test runs.
os.environ.setdefault("COMMON_GROUND_INSTANCE", tempfile.mkdtemp(prefix="cg-test-instance-"))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from community import create_app  # noqa: E402
from community.config import normalise_database_url  # noqa: E402
from community.extensions import db  # noqa: E402
from tests.support import require  # noqa: E402

POSTGRES_URL = normalise_database_url(
    os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
)


def postgres_available(url: str = POSTGRES_URL) -> bool:
    try:
        engine = create_engine(url)
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


@contextmanager
def scratch_postgres(prefix: str):
    """A PostgreSQL database of its own on the test server, dropped afterwards (even after a
    failure), for tests that must not touch the shared test database."""
    require(postgres_available(), f"PostgreSQL is not reachable at {POSTGRES_URL}")
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def reset_postgres_schema(url: str) -> None:
    """Drop everything in the test database so migrations start from empty."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def pytest_collection_modifyitems(config, items):
    """DATABASE_TESTS_ONLY=1 keeps just the tests that use the suite's database (CI's second pass, on
    PostgreSQL): the rest (pure code, and integration tests that make their own SQLite and PostgreSQL
    databases) would only repeat exactly what the first pass ran."""
    if os.environ.get("DATABASE_TESTS_ONLY") != "1":
        return
    kept = [item for item in items if "database_url" in getattr(item, "fixturenames", ())]
    dropped = [item for item in items if "database_url" not in getattr(item, "fixturenames", ())]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


# One fixed key for every app and server process a test starts, whatever its instance folder, so
# private answers one writes the others can read (tests only: production keys come from the environment).
TEST_DATA_ENCRYPTION_KEYS = "fN_ZLUWSh2aUrcEcXp8RUxZRYnd0gyqc3nOmXq8GZqA="


def app_config(database_url: str, **extra) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "DATA_ENCRYPTION_KEYS": TEST_DATA_ENCRYPTION_KEYS,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "REDIS_URL": None,
        "RATELIMIT_STORAGE_URI": "memory://",
        # Every test account's password would otherwise cost scrypt's 150 ms to make and to check at
        # each login, minutes over the suite; test_config checks the app's own default is scrypt.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        **extra,
    }


@contextmanager
def another_app(config: dict):
    """A second app instance (as another server process would be); its connections are closed after."""
    app = create_app(config)
    try:
        yield app
    finally:
        with app.app_context():
            db.engine.dispose()


def at_once(database_url: str, work, count: int = 2, timeout: float = 60) -> list:
    """Call work(n) in `count` app instances at the same moment, each in a thread of its own, as that
    many server processes would; returns what each returned, in the order they finished. An
    exception in any of them is raised here, so a race that crashes can't pass unseen."""
    results, errors = [], []
    barrier = threading.Barrier(count)

    def run(app, n):
        try:
            with app.app_context():
                barrier.wait()
                results.append(work(n))
                db.session.remove()
        except Exception as exc:  # noqa: BLE001 - raised below, in the test's own thread
            errors.append(exc)

    with ExitStack() as stack:
        apps = [stack.enter_context(another_app(app_config(database_url))) for _ in range(count)]
        threads = [threading.Thread(target=run, args=(app, n)) for n, app in enumerate(apps)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout)
    if errors:
        raise errors[0]
    assert len(results) == count, f"{count - len(results)} of {count} still running after {timeout} s"
    return results


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """One database per run, built by the migrations (the only way the schema is made)."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        url = normalise_database_url(url)
        require(postgres_available(url), f"TEST_DATABASE_URL is set but not reachable: {url}")
        reset_postgres_schema(url)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    app = create_app(app_config(url))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


@pytest.fixture
def app(database_url):
    app = create_app(app_config(database_url))
    yield app
    from tests.support import forget_used_codes

    forget_used_codes()
    with app.app_context():
        db.session.remove()
        # A fresh, empty database for the next test, children before parents.
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf_token(client, page: str) -> str:
    """Read the CSRF token the way a browser would: from the form on the page."""
    html = client.get(page).get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, f"no CSRF token on {page}"
    return match.group(1)


def submit(client, page: str, data: dict, action: str | None = None, *, second_step: bool = True, **kwargs):
    """GET the form page, then POST it with its CSRF token, as a person's browser does. A login that
    asks for a two-factor code gets the code a staff member's app shows (unless second_step=False)."""
    response = client.post(action or page, data={**data, "csrf_token": csrf_token(client, page)}, **kwargs)
    if second_step and response.status_code == 302 and response.headers["Location"] == "/login/verify":
        from tests.support import app_sign_in_code

        code = app_sign_in_code(client.application, data["email"])
        response = client.post("/login/verify", data={"code": code, "csrf_token": csrf_token(client, "/login/verify")},
                               **kwargs)
    return response


class AuthActions:
    def __init__(self, client):
        self.client = client

    def register(self, email="sam@example.org", name="Sam", password="quiet harbour lanterns"):
        return submit(self.client, "/register", {
            "display_name": name, "email": email, "password": password, "confirm": password,
        })

    def login(self, email="sam@example.org", password="quiet harbour lanterns", **extra):
        return submit(self.client, "/login", {"email": email, "password": password, **extra})

    def logout(self):
        return submit(self.client, "/home", {}, action="/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def make_user(app):
    """Create an account directly (as the CLI does), optionally with a finished profile."""
    from tests.support import create_account

    def factory(**kwargs):
        with app.app_context():
            return create_account(**kwargs)

    return factory
