"""Fixtures for the fault tests. Everything runs on a private PostgreSQL cluster (the restart test
stops it; nothing else shares it) and private Redis servers, never on the machine's own."""
import uuid

import psycopg
import pytest

from tests.faults.services import private_postgres, private_redis
from tests.integration.chat_support import migrate


@pytest.fixture(scope="session")
def cluster():
    with private_postgres() as cluster:
        yield cluster


@pytest.fixture(scope="session")
def template_db(cluster, tmp_path_factory) -> str:
    """Migrated once (`flask db upgrade`); each module gets a copy, which takes a moment."""
    create_database(cluster, "cg_template")
    migrate(cluster.database_url("cg_template"), tmp_path_factory.mktemp("migrate-instance"))
    return "cg_template"


def create_database(cluster, name: str, template: str | None = None) -> str:
    with psycopg.connect(cluster.url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    return cluster.database_url(name)


@pytest.fixture(scope="module")
def migrated_db(cluster, template_db) -> str:
    """A migrated database of this module's own."""
    return create_database(cluster, f"cg_faults_{uuid.uuid4().hex[:8]}", template=template_db)


@pytest.fixture
def queue(tmp_path):
    """A private Redis for the Socket.IO message queue, killed (if still running) afterwards."""
    with private_redis(tmp_path) as server:
        yield server
