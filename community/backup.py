"""`flask --app app backup [--out PATH]` and `flask --app app restore PATH --yes`.

SQLite: sqlite3's online backup API copies the database page by page inside one read transaction,
so the copy is consistent even while the app keeps writing (WAL lets writers go on meanwhile).
PostgreSQL: `pg_dump --format=custom`, a consistent snapshot too, and `pg_restore` to bring it back
(the PostgreSQL client tools must be installed, in a version at least the server's).

Before a restore replaces anything, what the database holds is backed up beside the others, so a
restore of the wrong file can itself be undone. Backups hold members' private details: they are
written readable by their owner only (0600).
"""
import os
import shutil
import sqlite3
import subprocess  # nosec B404  # for pg_dump/pg_restore only: fixed arguments, no shell
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import URL, make_url

from community.extensions import db

PG_TIMEOUT_SECONDS = 6 * 3600  # a large dump over a slow link; anything longer is stuck


class BackupError(click.ClickException):
    """Something the operator can fix; shown as one clear line, never a traceback."""


# --- SQLite ------------------------------------------------------------------------------------

def _sqlite_uri(path: Path, mode: str) -> str:
    # A URI so that mode=ro/rw applies: opening a mistyped path must not create an empty database.
    return f"file:{quote(str(path.resolve()))}?mode={mode}"


def _open_existing(path: Path, mode: str, what: str, check: bool) -> sqlite3.Connection:
    """An existing SQLite file, opened without ever creating one; `check` reads every page first
    (worth it for a backup about to be restored, not for the live database on every backup)."""
    if not path.is_file():
        raise BackupError(f"{what} {path} does not exist.")
    try:
        conn = sqlite3.connect(_sqlite_uri(path, mode), uri=True)
        ok = conn.execute("PRAGMA quick_check" if check else "SELECT 'ok' FROM sqlite_master LIMIT 1").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{what} {path} is not a readable SQLite database ({exc}).") from exc
    if check and ok[0] != "ok":
        conn.close()
        raise BackupError(f"{what} {path} is damaged: {ok[0]}")
    return conn


def backup_sqlite(database: Path, out: Path) -> None:
    """Copy the live database at `database` into the new file `out`, consistently."""
    source = _open_existing(database, "rw", "The database", check=False)
    try:
        _create_private(out)
        try:
            target = sqlite3.connect(out)
            try:
                source.backup(target)  # every page in one step: one read transaction, one snapshot
                target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
                if target.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                    raise BackupError(f"The copy at {out} failed its check; the database itself is untouched.")
            finally:
                target.close()
        except BaseException:
            out.unlink(missing_ok=True)  # never leave a half-written backup that looks whole
            raise
    finally:
        source.close()


def check_sqlite_backup(backup: Path) -> None:
    """Refuse, before anything changes, a file that is not a whole Common Ground SQLite backup."""
    source = _open_existing(backup, "ro", "The backup", check=True)
    try:
        tables = {row[0] for row in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        source.close()
    if "alembic_version" not in tables:
        raise BackupError(f"{backup} is a SQLite database but not a Common Ground backup "
                          "(it has no alembic_version table); nothing was changed.")


def restore_sqlite(backup: Path, database: Path) -> None:
    """Replace everything in `database` (made if missing) with the backup's contents."""
    source = _open_existing(backup, "ro", "The backup", check=False)
    try:
        database.parent.mkdir(parents=True, exist_ok=True)
        target = sqlite3.connect(database)
        try:
            target.execute("PRAGMA busy_timeout = 10000")  # wait for a writer to finish, not fail
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()


# --- PostgreSQL --------------------------------------------------------------------------------

def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found on PATH. Install the PostgreSQL client tools, in a version at least "
            f"the server's (Debian/Ubuntu: apt-get install postgresql-client), and try again.")
    return path


def _pg_target(url: URL) -> tuple[str, dict]:
    """A libpq connection URI without the password (which would show in `ps`), and an environment
    that carries it instead."""
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run_pg(args: list[str], env: dict, failure: str) -> None:
    try:
        result = subprocess.run(args, env=env, capture_output=True, text=True,  # noqa: S603  # nosec B603  # fixed argv, no shell
                                timeout=PG_TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired as exc:
        raise BackupError(f"{failure}: {Path(args[0]).name} took longer than {PG_TIMEOUT_SECONDS // 3600} hours.") from exc
    if result.returncode != 0:
        raise BackupError(f"{failure}: {result.stderr.strip()[-2000:] or 'exit code ' + str(result.returncode)}")


def backup_postgres(url: URL, out: Path) -> None:
    pg_dump = _pg_tool("pg_dump")
    target, env = _pg_target(url)
    _create_private(out)
    try:
        _run_pg([pg_dump, "--format=custom", "--no-password", "--file", str(out), "--dbname", target], env,
                "pg_dump could not back up the database")
    except BaseException:
        out.unlink(missing_ok=True)
        raise


def check_postgres_backup(backup: Path) -> None:
    """Refuse, before anything changes, a file pg_restore cannot read."""
    pg_restore = _pg_tool("pg_restore")
    if not backup.is_file():
        raise BackupError(f"The backup {backup} does not exist.")
    _run_pg([pg_restore, "--list", str(backup)], dict(os.environ),
            f"{backup} is not a pg_dump backup (made with --format=custom); nothing was changed")


def restore_postgres(url: URL, backup: Path) -> None:
    """Everything in the backup replaces what the database holds, in one transaction: if any step
    fails, the database is left as it was."""
    pg_restore = _pg_tool("pg_restore")
    target, env = _pg_target(url)
    _run_pg([pg_restore, "--clean", "--if-exists", "--single-transaction", "--no-owner", "--no-password",
             "--dbname", target, str(backup)], env, "pg_restore could not restore the backup; nothing was changed")


# --- shared ------------------------------------------------------------------------------------

def _create_private(path: Path) -> None:
    """Make `path` as an empty file only its owner can read, refusing to replace an existing one."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise BackupError(f"{path} already exists; choose another --out so no earlier backup is lost.") from None
    os.close(fd)


def _database() -> tuple[str, URL]:
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    backend = url.get_backend_name()
    if backend == "sqlite" and url.database in (None, "", ":memory:"):
        raise BackupError("The database is in memory only; there is nothing on disk to back up or restore.")
    if backend not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups work with SQLite and PostgreSQL, not {backend}.")
    return backend, url


def default_backup_path(backend: str, label: str = "") -> Path:
    """instance/backups/common-ground-[label-]<UTC time>.<sqlite3|dump>, never an existing name."""
    folder = Path(current_app.instance_path) / "backups"
    stem = f"common-ground-{label + '-' if label else ''}{datetime.now(UTC).strftime('%Y%m%d-%H%M%S')}"
    suffix = "sqlite3" if backend == "sqlite" else "dump"
    path, n = folder / f"{stem}.{suffix}", 1
    while path.exists():  # two in one second
        n += 1
        path = folder / f"{stem}-{n}.{suffix}"
    return path


def _size(path: Path) -> str:
    size = path.stat().st_size
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size / 1000:.0f} kB"


@click.command("backup")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the backup (default: instance/backups/common-ground-<time>).")
@with_appcontext
def backup_command(out: Path | None):
    """Back up the database while the app keeps running."""
    backend, url = _database()
    out = out or default_backup_path(backend)
    if backend == "sqlite":
        backup_sqlite(Path(url.database), out)
    else:
        backup_postgres(url, out)
    click.echo(f"Backed up the database to {out} ({_size(out)}).")
    click.echo("It holds members' private details: keep it somewhere only the team can read.")


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the database without asking first.")
@with_appcontext
def restore_command(path: Path, yes: bool):
    """Replace everything in the database with a backup. Stop the app's processes first.
    What the database held until now is backed up first, so a restore can itself be undone."""
    backend, url = _database()
    sqlite_file = Path(url.database) if backend == "sqlite" else None
    where = sqlite_file or url.set(drivername="postgresql").render_as_string()
    if sqlite_file:
        check_sqlite_backup(path)
    else:
        check_postgres_backup(path)
    if not yes:
        click.confirm(f"This replaces everything in {where} with {path}. Continue?", abort=True)
    db.engine.dispose()  # no pooled connection of ours holds the old database open
    kept = _keep_current(backend, url, sqlite_file)
    if sqlite_file:
        restore_sqlite(path, sqlite_file)
    else:
        restore_postgres(url, path)
    click.echo(f"Restored {where} from {path}.")
    if kept:
        click.echo(f"What it held before is in {kept}, should you need it back.")
    click.echo("If the backup is older than the code, run `flask --app app db upgrade` next.")


def _keep_current(backend: str, url: URL, sqlite_file: Path | None) -> Path | None:
    if sqlite_file and not (sqlite_file.is_file() and sqlite_file.stat().st_size):
        return None  # a new, empty database: nothing to keep
    kept = default_backup_path(backend, "before-restore")
    try:
        if sqlite_file:
            backup_sqlite(sqlite_file, kept)
        else:
            backup_postgres(url, kept)
    except BackupError as exc:
        raise BackupError(f"Nothing was restored: keeping a copy of the current database first failed. {exc.message} "
                          "(If the current database is damaged, move it aside and restore into an empty one.)") from exc
    return kept
