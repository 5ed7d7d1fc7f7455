"""Fuzzing fixtures: the Hypothesis profiles, one app and one world per module, each kind of visitor
(signed in through the real login form), and the database check every example ends with.

Profiles: `fuzz` (the default: 15 examples per form or event; derandomized when CI=true, so runs
repeat exactly) and `thorough` (HYPOTHESIS_PROFILE=thorough: 300 examples, a new random start
each run) for a long look locally."""
import itertools
import os
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, settings

from community import create_app
from community.extensions import db
from tests.authorization.world import SIGN_IN_TABLES, changed_tables, restore, snapshot
from tests.conftest import app_config, csrf_token, submit
from tests.fuzz import world as fuzz_world
from tests.support import IN_CI, PASSWORD, forget_used_codes, login_client

settings.register_profile(
    "fuzz", max_examples=15, deadline=None, derandomize=IN_CI, database=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
                           HealthCheck.large_base_example],
)
settings.register_profile("thorough", settings.get_profile("fuzz"), max_examples=300, derandomize=False)
FUZZ_SETTINGS = settings.get_profile("thorough" if os.environ.get("HYPOTHESIS_PROFILE") == "thorough" else "fuzz")

# Limits meant for people, lifted so hundreds of requests a minute keep reaching the code behind
# them (tests/test_socket_limits.py and the auth tests check the limits themselves). Per-address
# limits written into the routes are met with a new address for every request instead.
FUZZ_CONFIG = {
    "CHAT_RATE_LIMIT": "100000 per second",
    "SOCKET_EVENT_RATE": "100000 per second",
    "LOGIN_FREE_FAILURES": 1_000_000,
    "LOGIN_MAX_FAILURES_PER_HOUR": 1_000_000,
}
# What a refused request (4xx, or an ack that isn't ok) may still write, nothing of the refused
# action itself: counting wrong passwords and codes is the point of a refused login; a message a
# group's filters turned away is recorded for moderators (filter_events: every automatic action
# is); and a moderation page shown again with the form's errors is a view of members' private
# words, audited like any other view ("..._viewed").
WRITTEN_ON_REFUSAL = {"login_attempts", "filter_events"}
VIEWS = re.compile(r"^[a-z_]+_viewed$")
_addresses = itertools.count(1)


def new_address() -> dict:
    n = next(_addresses)
    return {"REMOTE_ADDR": f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"}


@pytest.fixture(scope="module")
def fuzz_app(database_url):
    app = create_app(app_config(database_url, **FUZZ_CONFIG))
    yield app
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:  # leave the database empty for the next module
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
        db.engine.dispose()


@dataclass
class World:
    ids: dict
    saved: dict = field(default_factory=dict)  # every row as built, for putting the world back


@pytest.fixture(scope="module")
def world(fuzz_app):
    # A database built just now: nobody has used a two-factor code in it yet.
    forget_used_codes()
    with fuzz_app.app_context():
        return World(fuzz_world.build())


class Visitor:
    """One kind of person at the site. `anonymous` and `signing_in` (an admin between password and
    code) start from a new browser for every request; the others keep theirs, and sign in again
    if a request signed them out."""

    def __init__(self, app, role: str):
        self.app = app
        self.role = role
        self.email = fuzz_world.EMAIL["admin"] if role == "signing_in" else fuzz_world.EMAIL.get(role)
        self.fresh = role in {"anonymous", "signing_in"}  # a new browser each time
        self.client, self.token = None, None

    def _start(self):
        if self.role == "anonymous":
            client = self.app.test_client()
            return client, csrf_token(client, "/login")
        if self.role == "signing_in":
            client = self.app.test_client()
            response = submit(client, "/login", {"email": self.email, "password": PASSWORD}, second_step=False)
            assert response.headers.get("Location") == "/login/verify", "the admin's password step didn't ask for a code"
            return client, csrf_token(client, "/login/verify")
        client = login_client(self.app, self.email)
        return client, csrf_token(client, "/home")

    def browser(self) -> tuple:
        """(test client, CSRF token, whether signing in just wrote to the database) for the next request."""
        started = self.fresh or self.client is None
        if started:
            self.client, self.token = self._start()
        return self.client, self.token, started

    def sign_in_again_if_signed_out(self) -> None:
        if self.fresh or self.client is None:
            return
        response = self.client.get("/home")
        if response.status_code == 302 and urlsplit(response.headers["Location"]).path == "/login":
            self.client = None


ROLES = ("anonymous", "signing_in", "member", "riley", "leaving", "organizer", "moderator", "admin")


@pytest.fixture(scope="module")
def visitors(fuzz_app, world) -> dict[str, Visitor]:
    found = {role: Visitor(fuzz_app, role) for role in ROLES}
    for visitor in found.values():
        visitor.browser()
    return found


class DatabaseGuard:
    """Whether a request changed the database, and putting the world back when it did. The whole
    database (every row of every table) is compared before and after."""

    def __init__(self, app, world: World):
        self.app = app
        self.world = world
        self.before = None

    def start(self, fresh: bool = False) -> None:
        """Call before the request; `fresh` when something was done since the last check."""
        if fresh or self.before is None:
            with self.app.app_context():
                self.before = snapshot()

    def finish(self) -> tuple[list[str], list[str]]:
        """(the tables the request changed, those a refused request mustn't have changed); the
        world is put back right away."""
        with self.app.app_context():
            after = snapshot()
            changed = changed_tables(self.before, after)
            unexpected = [name for name in changed if name not in WRITTEN_ON_REFUSAL
                          and not (name == "audit_log" and _only_views_added(self.before[name], after[name]))]
            if set(changed) - SIGN_IN_TABLES:
                restore(self.world.saved)
                after = snapshot()
        self.before = after
        return changed, unexpected

    def save_world(self) -> None:
        """Take the world as it is now as the one to put back (after everyone signed in, so putting
        it back keeps them signed in)."""
        with self.app.app_context():
            self.world.saved = self.before = snapshot()


def _only_views_added(before: dict, after: dict) -> bool:
    added = after.keys() - before.keys()
    return (all(after[key] == row for key, row in before.items())
            and all(VIEWS.match(after[key]["action"]) for key in added))


@pytest.fixture(scope="module")
def guard(fuzz_app, world, visitors) -> DatabaseGuard:
    found = DatabaseGuard(fuzz_app, world)
    found.save_world()
    return found


# --- a summary of what the fuzzers reached, printed at the end of the run ---

@dataclass
class FuzzReport:
    lines: dict = field(default_factory=dict)  # what was fuzzed -> status counts

    def count(self, what: str, outcome: str) -> None:
        counts = self.lines.setdefault(what, {})
        counts[outcome] = counts.get(outcome, 0) + 1


REPORT = pytest.StashKey[FuzzReport]()


@pytest.fixture(scope="session")
def fuzz_report(request) -> FuzzReport:
    return request.config.stash.setdefault(REPORT, FuzzReport())


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """One line of totals; with -v (or the thorough profile), how each form and event answered."""
    report = config.stash.get(REPORT, None)
    if report is None or not report.lines:
        return
    totals: dict[str, int] = {}
    for counts in report.lines.values():
        for outcome, n in counts.items():
            totals[outcome] = totals.get(outcome, 0) + n
    terminalreporter.section("fuzzing")
    terminalreporter.write_line(f"{len(report.lines)} forms and events fuzzed; answers: "
                                + ", ".join(f"{n}×{outcome}" for outcome, n in sorted(totals.items())))
    if config.option.verbose <= 0 and FUZZ_SETTINGS.max_examples <= settings.get_profile("fuzz").max_examples:
        return
    width = max(len(what) for what in report.lines) + 2
    for what, counts in sorted(report.lines.items()):
        summary = ", ".join(f"{n}×{outcome}" for outcome, n in sorted(counts.items()))
        terminalreporter.write_line(f"{what:<{width}}{summary}")
