"""Alembic environment for Common Ground, run through Flask-Migrate (`flask db ...`)."""
import logging

from alembic import context
from flask import current_app

from community.models.base import UTCDateTime

log = logging.getLogger("alembic.env")
db = current_app.extensions["migrate"].db


def render_item(type_, obj, autogen_context):
    """Write our UTC column type as a plain DateTime so migrations never import app code."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _configure(**kwargs) -> None:
    context.configure(
        target_metadata=db.metadata,
        render_item=render_item,
        # compare_type and render_as_batch (SQLite alters tables by copying) come from init_app.
        **current_app.extensions["migrate"].configure_args,
        **kwargs,
    )


def run_migrations_offline() -> None:
    _configure(url=db.engine.url.render_as_string(hide_password=False), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    def skip_empty(context_, revision, directives):
        # `flask db migrate` with no model changes should not write an empty file.
        if getattr(context.config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            log.info("No changes in schema detected.")

    with db.engine.connect() as connection:
        _configure(connection=connection, process_revision_directives=skip_empty)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
