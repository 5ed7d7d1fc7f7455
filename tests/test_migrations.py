"""Migrations are the only way the schema is made: from empty, on SQLite and PostgreSQL alike,
they build exactly what the models describe, and they roll back cleanly."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from community import create_app
from community.extensions import db
from tests.conftest import app_config, scratch_postgres


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
    with scratch_postgres("cg_migrations") as url:
        check_migrations_from_empty(url)
