"""Fixtures for the authorization matrix: one app and one world per module, each role logged in
once, and the matrix as it came out printed at the end of the run (and written to a file)."""
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from community import create_app
from community.extensions import db
from tests.authorization import world as world_module
from tests.authorization.table import PRIVATE_WORDS, ROLES, ROUTES, SHORT, SOCKET_CELLS, is_refusal
from tests.conftest import app_config, csrf_token
from tests.support import login_client


@pytest.fixture(scope="module")
def matrix_app(database_url):
    app = create_app(app_config(database_url))
    yield app
    with app.app_context():
        db.session.remove()
        # Leave the database empty for the next module, children before parents.
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
        db.engine.dispose()


@pytest.fixture(scope="module")
def world(matrix_app):
    with matrix_app.app_context():
        ids = world_module.build()
    # Riley signs in once: a session of someone else's to try to end, and a listener in group A's chat.
    riley = login_client(matrix_app, world_module.RILEY)
    with matrix_app.app_context():
        ids["riley_session"] = world_module.riley_session_id(ids["riley"])
        return world_module.World(ids, saved=world_module.snapshot(), riley=riley)


class People:
    """Each role's browser, logged in through the real login form the first time it's needed."""

    def __init__(self, app):
        self.app = app
        self._browsers: dict[str, tuple] = {}

    def _new(self, role: str) -> tuple:
        if role == "anonymous":
            client = self.app.test_client()
            return client, csrf_token(client, "/login")
        client = login_client(self.app, world_module.EMAIL[role])
        return client, csrf_token(client, "/home")

    def browser(self, role: str) -> tuple:
        """(test client, a CSRF token of its session) for this role's usual browser."""
        if role not in self._browsers:
            self._browsers[role] = self._new(role)
        return self._browsers[role]

    def spare_browser(self, role: str) -> tuple:
        """A second sign-in, for a request that signs its browser out."""
        return self.browser(role) if role == "anonymous" else self._new(role)

    def signed_out_everywhere(self, role: str) -> None:
        if role != "anonymous":
            self._browsers.pop(role, None)


@pytest.fixture(scope="module")
def people(matrix_app, world):
    return People(matrix_app)


# --- the report -------------------------------------------------------------------------------

@dataclass
class MatrixReport:
    path: Path
    routes: dict = field(default_factory=dict)  # (method, rule) -> {role: what happened}
    sockets: dict = field(default_factory=dict)  # event -> {role: what happened}
    words_seen: dict = field(default_factory=dict)  # private word -> roles whose pages showed it

    def render(self) -> str:
        width = max(len(f"{r.method} {r.rule}") for r in ROUTES) + 2
        header = " " * width + " ".join(f"{SHORT[role]:<10}" for role in ROLES)
        lines = [
            "Authorization matrix: what each role got, with ids that belong to someone else (group A, Riley).",
            "other-mbr: member of group B; member: of group A; organizer: in no group; other-mod: moderates B;",
            "moderator: moderates A. login = sent to log in; 403/404 = refused; 200/302 = allowed;",
            "400 = allowed, the empty form turned back; 409 = allowed, declined by the app for its own reason;",
            "got≠expected marks a cell that differs from tests/authorization/table.py.",
            "", header,
        ]
        counts = {"allowed": 0, "refused": 0, "differ": 0}
        for row in ROUTES:
            got = self.routes.get(row.key)
            if got is None:
                continue
            cells = []
            for role, expected in zip(ROLES, row.cells, strict=True):
                seen = got.get(role, "-")
                counts["refused" if is_refusal(role, seen) else "allowed"] += seen != "-"
                counts["differ"] += seen not in (expected, "-")
                cells.append(seen if seen in (expected, "-") else f"{seen}≠{expected}")
            lines.append(f"{row.method + ' ' + row.rule:<{width}}" + " ".join(f"{c:<10}" for c in cells))
        if self.sockets:
            lines += ["", "Socket.IO events, against group A's chat", header]
            for event, expected_cells in SOCKET_CELLS.items():
                got = self.sockets.get(event, {})
                cells = [got.get(role, "-") for role in ROLES]
                counts["differ"] += sum(c not in (e, "-") for c, e in zip(cells, expected_cells, strict=True))
                cells = [c if c in (e, "-") else f"{c}≠{e}" for c, e in zip(cells, expected_cells, strict=True)]
                lines.append(f"{event:<{width}}" + " ".join(f"{c:<10}" for c in cells))
        if self.words_seen:
            lines += ["", "Private words planted in the world, and whose pages showed them (the leak check):"]
            lines += [f"  {word:<26} {', '.join(SHORT[r] for r in ROLES if r in self.words_seen.get(word, ())) or '-'}"
                      for word in PRIVATE_WORDS]
        lines += ["", f"{len(self.routes)} routes × {len(ROLES)} roles: {counts['allowed']} cells allowed, "
                      f"{counts['refused']} refused; {len(self.sockets)} socket events; "
                      f"{counts['differ']} cells differ from the table."]
        return "\n".join(line.rstrip() for line in lines) + "\n"


REPORT = pytest.StashKey[MatrixReport]()


@pytest.fixture(scope="session")
def matrix_report(request, tmp_path_factory):
    report = MatrixReport(tmp_path_factory.getbasetemp() / "authorization-matrix.txt")
    request.config.stash[REPORT] = report
    return report


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    report = config.stash.get(REPORT, None)
    if report is None or not (report.routes or report.sockets):
        return
    text = report.render()
    report.path.write_text(text, encoding="utf-8")
    terminalreporter.section("authorization matrix")
    terminalreporter.write(text)
    terminalreporter.write_line(f"(also written to {report.path})")

