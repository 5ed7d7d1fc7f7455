"""`flask backup` and `flask restore`: a consistent copy taken while another connection keeps
writing, restored into a fresh database with the same contents, on SQLite and on PostgreSQL."""
import os
import shutil
import sqlite3
import stat
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from community.extensions import db
from tests.conftest import another_app, app_config, scratch_postgres
from tests.support import create_account

PAIRS = "CREATE TABLE backup_probe (n INTEGER PRIMARY KEY, side TEXT NOT NULL, padding TEXT NOT NULL)"


@pytest.fixture(autouse=True)
def instance(tmp_path, monkeypatch):
    """Each test's own instance folder, where default backups and before-restore copies go."""
    folder = tmp_path / "instance"
    monkeypatch.setenv("COMMON_GROUND_INSTANCE", str(folder))
    return folder


# --- helpers -------------------------------------------------------------------------------------

def cli(app, *args, input=None):
    return app.test_cli_runner().invoke(args=list(args), input=input)


@contextmanager
def app_on(url: str):
    with another_app(app_config(url)) as app:
        yield app


def migrated(url: str, with_member: bool = True) -> None:
    """The schema as `flask db upgrade` builds it, a member in it, and the probe table the writer fills."""
    with app_on(url) as app, app.app_context():
        upgrade()
        if with_member:
            create_account("kept@example.org", "Kept", onboarded=True)
        with db.engine.begin() as conn:
            conn.execute(text(PAIRS))
        db.session.remove()


class Writer(threading.Thread):
    """Writes pairs of rows, each pair in one transaction, until stopped: a consistent copy holds
    whole pairs only, numbered 0..k with no gaps."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.engine = create_engine(url)
        self.committed = 0
        self.stop = threading.Event()
        self.error: Exception | None = None

    def run(self):
        try:
            while not self.stop.is_set():
                n = self.committed
                with self.engine.begin() as conn:
                    conn.execute(text("INSERT INTO backup_probe (n, side, padding) VALUES (:a, 'first', :p), "
                                      "(:b, 'second', :p)"), {"a": 2 * n, "b": 2 * n + 1, "p": "x" * 2000})
                self.committed = n + 1
        except Exception as exc:  # reported by the test, not lost in the thread
            self.error = exc
        finally:
            self.engine.dispose()

    def wait_for(self, count: int, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while self.committed < count:
            assert self.error is None, self.error
            assert time.monotonic() < deadline, f"the writer committed only {self.committed} pairs"
            time.sleep(0.01)

    def finish(self) -> int:
        self.stop.set()
        self.join(timeout=30)
        assert self.error is None, self.error
        return self.committed


def contents(url: str) -> dict:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                "probe": [tuple(r) for r in conn.execute(text("SELECT n, side FROM backup_probe ORDER BY n"))],
                "emails": [r[0] for r in conn.execute(text("SELECT email FROM users ORDER BY id"))],
                "version": conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one(),
            }
    finally:
        engine.dispose()


def back_up_while_writing(url: str, out: Path) -> tuple[object, int, int]:
    """Back up with the writer going before, during and after; returns the result and the pairs
    committed when the backup started and when it ended."""
    writer = Writer(url)
    writer.start()
    try:
        writer.wait_for(200)
        with app_on(url) as app:
            started = writer.committed
            result = cli(app, "backup", "--out", str(out))
            ended = writer.committed
        writer.wait_for(ended + 20)  # and it goes on writing after
    finally:
        writer.finish()
    return result, started, ended


def assert_a_consistent_snapshot(restored: dict, original: dict, started: int, ended: int) -> None:
    pairs = len(restored["probe"]) // 2
    assert restored["probe"] == [(n, "first" if n % 2 == 0 else "second") for n in range(2 * pairs)]
    # Everything committed when the copy began; nothing after it ended (+1: the writer counts a
    # pair just after its commit).
    assert started <= pairs <= ended + 1
    assert pairs < len(original["probe"]) // 2  # the original kept going
    assert restored["emails"] == original["emails"] == ["kept@example.org"]
    assert restored["version"] == original["version"]


# --- SQLite ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sqlite_template(tmp_path_factory):
    """A migrated SQLite database with some padding, made once and copied by each test."""
    path = tmp_path_factory.mktemp("backup-template") / "template.db"
    migrated(f"sqlite:///{path}")
    return path


@pytest.fixture
def sqlite_db(sqlite_template, tmp_path):
    path = tmp_path / "live.db"
    shutil.copy(sqlite_template, path)
    return path


def test_sqlite_backup_while_writing_restores_a_consistent_copy(sqlite_db, tmp_path):
    url = f"sqlite:///{sqlite_db}"
    out = tmp_path / "saved" / "backup.sqlite3"
    result, started, ended = back_up_while_writing(url, out)
    assert result.exit_code == 0, result.output
    assert f"Backed up the database to {out}" in result.output
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600  # members' private details: owner only
    assert not Path(f"{out}-wal").exists()  # one self-contained file

    fresh = tmp_path / "fresh" / "restored.db"
    with app_on(f"sqlite:///{fresh}") as app:
        restored = cli(app, "restore", str(out), "--yes")
    assert restored.exit_code == 0, restored.output
    assert_a_consistent_snapshot(contents(f"sqlite:///{fresh}"), contents(url), started, ended)
    assert sqlite3.connect(fresh).execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_sqlite_backup_goes_to_the_instance_folder_by_default(sqlite_db, instance):
    with app_on(f"sqlite:///{sqlite_db}") as app:
        first, second = cli(app, "backup"), cli(app, "backup")  # within a second: two names all the same
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    made = sorted((instance / "backups").glob("common-ground-*.sqlite3"))
    assert len(made) == 2 and all(str(path) in first.output + second.output for path in made)
    assert stat.S_IMODE(os.stat(instance / "backups").st_mode) == 0o700
    assert all(stat.S_IMODE(os.stat(path).st_mode) == 0o600 for path in made)


def test_a_backup_never_replaces_an_earlier_one(sqlite_db, tmp_path):
    out = tmp_path / "backup.sqlite3"
    out.write_bytes(b"an earlier backup")
    with app_on(f"sqlite:///{sqlite_db}") as app:
        result = cli(app, "backup", "--out", str(out))
    assert result.exit_code == 1
    assert "already exists; choose another --out" in result.output
    assert out.read_bytes() == b"an earlier backup"


def test_restore_asks_first_and_keeps_what_it_replaces(sqlite_db, tmp_path, instance):
    out = tmp_path / "backup.sqlite3"
    with app_on(f"sqlite:///{sqlite_db}") as app:
        assert cli(app, "backup", "--out", str(out)).exit_code == 0
    target = tmp_path / "other.db"
    shutil.copy(sqlite_db, target)
    with sqlite3.connect(target) as conn:
        conn.execute("INSERT INTO backup_probe VALUES (99999, 'first', 'newer than the backup')")
    with app_on(f"sqlite:///{target}") as app:
        declined = cli(app, "restore", str(out), input="n\n")
        assert "This replaces everything in" in declined.output and declined.exit_code == 1
        assert cli(app, "restore", str(out)).exit_code == 1  # no answer at all: no
    assert sqlite3.connect(target).execute("SELECT count(*) FROM backup_probe WHERE n = 99999").fetchone() == (1,)
    assert not (instance / "backups").exists()  # declined: not even a copy made
    with app_on(f"sqlite:///{target}") as app:
        accepted = cli(app, "restore", str(out), input="y\n")
    assert accepted.exit_code == 0, accepted.output
    assert sqlite3.connect(target).execute("SELECT count(*) FROM backup_probe WHERE n = 99999").fetchone() == (0,)
    # What the restore replaced is kept, and the output says where.
    [kept] = (instance / "backups").glob("common-ground-before-restore-*.sqlite3")
    assert f"What it held before is in {kept}" in accepted.output
    assert sqlite3.connect(kept).execute("SELECT count(*) FROM backup_probe WHERE n = 99999").fetchone() == (1,)


@pytest.mark.parametrize("content, message", [
    (b"not a database at all", "is not a readable SQLite database"),
    (None, "does not exist"),
])
def test_restoring_something_that_is_not_a_backup_says_so_and_changes_nothing(sqlite_db, tmp_path, instance,
                                                                             content, message):
    bogus = tmp_path / "bogus.sqlite3"
    if content is not None:
        bogus.write_bytes(content)
    before = sqlite_db.read_bytes()
    with app_on(f"sqlite:///{sqlite_db}") as app:
        result = cli(app, "restore", str(bogus), "--yes")
    assert result.exit_code == 1 and message in result.output
    assert "Traceback" not in result.output
    assert sqlite_db.read_bytes() == before
    assert not (instance / "backups").exists()


def test_a_sqlite_file_from_elsewhere_is_not_restored(sqlite_db, tmp_path):
    other = tmp_path / "someone-elses.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
    with app_on(f"sqlite:///{sqlite_db}") as app:
        result = cli(app, "restore", str(other), "--yes")
    assert result.exit_code == 1 and "not a Common Ground backup" in result.output
    assert contents(f"sqlite:///{sqlite_db}")["emails"] == ["kept@example.org"]


# --- PostgreSQL -----------------------------------------------------------------------------------

@pytest.mark.postgres
def test_postgres_backup_while_writing_restores_a_consistent_copy(tmp_path, instance):
    out = tmp_path / "backup.dump"
    with scratch_postgres("cg_backup") as url:
        migrated(url)
        result, started, ended = back_up_while_writing(url, out)
        assert result.exit_code == 0, result.output
        assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
        original = contents(url)
    with scratch_postgres("cg_restore") as fresh:
        with app_on(fresh) as app:
            restored = cli(app, "restore", str(out), "--yes")
        assert restored.exit_code == 0, restored.output
        first = contents(fresh)
        assert_a_consistent_snapshot(first, original, started, ended)
        # Restoring again over a database that has the tables (--clean) gives the same, not doubled.
        with app_on(fresh) as app:
            again = cli(app, "restore", str(out), "--yes")
        assert again.exit_code == 0, again.output
        assert contents(fresh) == first
        kept = sorted((instance / "backups").glob("common-ground-before-restore-*.dump"))
        assert len(kept) == 2 and all(stat.S_IMODE(os.stat(path).st_mode) == 0o600 for path in kept)


@pytest.mark.postgres
def test_postgres_restore_refuses_a_file_that_is_not_a_dump(tmp_path):
    bogus = tmp_path / "bogus.dump"
    bogus.write_bytes(b"SQLite format 3\x00 but not really")
    with scratch_postgres("cg_restore") as url:
        migrated(url)
        before = contents(url)
        with app_on(url) as app:
            result = cli(app, "restore", str(bogus), "--yes")
        assert result.exit_code == 1 and "is not a pg_dump backup" in result.output
        assert contents(url) == before


@pytest.mark.postgres
def test_without_pg_dump_the_operator_is_told_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no pg_dump on it
    out = tmp_path / "backup.dump"
    with scratch_postgres("cg_backup") as url, app_on(url) as app:
        result = cli(app, "backup", "--out", str(out))
    assert result.exit_code == 1
    assert "pg_dump was not found on PATH" in result.output and "postgresql-client" in result.output
    assert not out.exists()
