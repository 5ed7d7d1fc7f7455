"""Private answers encrypted at rest.

Profile.barriers and Profile.communication_note, staff notes on escalations, support check-ins,
members' worry notes and "not for me" notes become Fernet tokens (community/encryption.py). The
keys come from the app's DATA_ENCRYPTION_KEYS: Flask-Migrate runs this inside the app.

Self-contained on purpose (no app code imported), so it keeps doing what it did when the app moves
on; the token format (Fernet over UTF-8 text, JSON text for barriers) is what the column types read.

Revision ID: 0009_encrypted_answers
Revises: 0008_privacy
Create Date: 2026-11-27
"""
import re

import sqlalchemy as sa
from alembic import op
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app

revision = '0009_encrypted_answers'
down_revision = '0008_privacy'
branch_labels = None
depends_on = None

# (table, primary key, column)
ENCRYPTED = (
    ('profiles', 'user_id', 'barriers'),
    ('profiles', 'user_id', 'communication_note'),
    ('escalation_notes', 'id', 'body'),
    ('support_messages', 'id', 'body'),
    ('worry_reports', 'id', 'note'),
    ('group_feedback', 'id', 'note'),
    ('users', 'id', 'totp_secret'),
)
BATCH = 500


def _keyring() -> MultiFernet:
    keys = current_app.config['DATA_ENCRYPTION_KEYS']
    if isinstance(keys, str):
        keys = re.split(r'[\s,]+', keys.strip())
    return MultiFernet([Fernet(key) for key in keys if key])


def _rewrite(table_name: str, pk: str, name: str, change) -> None:
    """Pass every non-NULL stored value through `change` (None: leave the row as it is), in batches."""
    raw = sa.table(table_name, sa.column(pk), sa.column(name, sa.Text))
    bind = op.get_bind()
    last = None
    while True:
        query = sa.select(raw.c[pk], raw.c[name]).where(raw.c[name].is_not(None)).order_by(raw.c[pk]).limit(BATCH)
        if last is not None:
            query = query.where(raw.c[pk] > last)
        rows = bind.execute(query).all()
        if not rows:
            return
        for key, value in rows:
            new = change(value)
            if new is not None:
                bind.execute(sa.update(raw).where(raw.c[pk] == key).values({name: new}))
        last = rows[-1][0]


def upgrade():
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.alter_column('barriers', existing_type=sa.JSON(), type_=sa.Text(), existing_nullable=False,
                              postgresql_using='barriers::text')
        batch_op.alter_column('communication_note', existing_type=sa.String(length=280), type_=sa.Text(),
                              existing_nullable=False)
    ring = _keyring()

    def encrypt(value: str):
        try:
            ring.decrypt(value)
            return None  # already a token (a rerun after an interruption): never encrypt twice
        except (InvalidToken, ValueError):  # ValueError: not even ASCII, so plain text
            return ring.encrypt(value.encode('utf-8')).decode('ascii')

    for table_name, pk, name in ENCRYPTED:
        _rewrite(table_name, pk, name, encrypt)


def downgrade():
    ring = _keyring()

    def decrypt(value: str) -> str:
        try:
            return ring.decrypt(value).decode('utf-8')
        except (InvalidToken, ValueError) as exc:
            # Stop (PostgreSQL rolls the whole downgrade back) rather than keep or lose a value.
            raise RuntimeError('A stored private value fits none of the keys in DATA_ENCRYPTION_KEYS; '
                               'add the key it was written with and downgrade again.') from exc

    for table_name, pk, name in ENCRYPTED:
        _rewrite(table_name, pk, name, decrypt)
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.alter_column('communication_note', existing_type=sa.Text(), type_=sa.String(length=280),
                              existing_nullable=False)
        batch_op.alter_column('barriers', existing_type=sa.Text(), type_=sa.JSON(), existing_nullable=False,
                              postgresql_using='barriers::json')
