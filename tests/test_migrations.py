"""Migrations are the only way the schema is made: from empty, on SQLite and PostgreSQL alike,
they build exactly what the models describe, and they roll back cleanly."""
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from community import create_app
from community.extensions import db
from tests.conftest import POSTGRES_URL, app_config, postgres_available
from tests.support import require


def check_migrations_from_empty(url: str) -> None:
    app = create_app(app_config(url))
    with app.app_context():
        assert inspect(db.engine).get_table_names() == []
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {"users", "profiles", "alembic_version"} <= tables
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, db.metadata) == []
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert {"users", "profiles"} <= set(inspect(db.engine).get_table_names())
        db.engine.dispose()


def test_sqlite_upgrade_from_empty(tmp_path):
    check_migrations_from_empty(f"sqlite:///{tmp_path / 'fresh.db'}")


@pytest.mark.postgres
def test_postgresql_upgrade_from_empty():
    require(postgres_available(), f"PostgreSQL is not reachable at {POSTGRES_URL}")
    name = f"cg_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        check_migrations_from_empty(POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}")
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
