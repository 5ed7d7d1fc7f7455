"""`flask --app app rotate-encryption-key`: re-encrypt every private value under the first key in
DATA_ENCRYPTION_KEYS. The steps around it (new key first, run this, then drop the old key) are in
community/encryption.py."""
from dataclasses import dataclass

import click
from cryptography.fernet import InvalidToken
from flask import current_app
from flask.cli import with_appcontext

from community.encryption import (
    encrypted_columns,
    keyring,
    primary_key_fernet,
    replace_stored_value,
    stored_values,
)
from community.extensions import db


@dataclass
class Tally:
    rotated: int = 0  # re-encrypted under the first key just now
    current: int = 0  # already under the first key: left alone, so a second run writes nothing
    saved_meanwhile: int = 0  # changed by the app during the run, which writes with the first key
    unreadable: int = 0  # fits no configured key: left exactly as it is


def rotate_column(conn, table_name: str, pk: str, name: str, keys, batch_size: int) -> Tally:
    """Rotate one column a batch at a time, committing each, so a long run holds no long locks and
    an interrupted one keeps what it did (run it again to finish)."""
    ring, primary, tally = keyring(keys), primary_key_fernet(keys), Tally()
    for batch in stored_values(conn, table_name, pk, name, batch_size):
        for key, token in batch:
            try:
                primary.decrypt(token)
                tally.current += 1
                continue
            except (InvalidToken, ValueError):  # ValueError: not ASCII, so not a token at all
                pass
            try:
                fresh = ring.rotate(token).decode("ascii")
            except (InvalidToken, ValueError):
                tally.unreadable += 1
                continue
            if replace_stored_value(conn, table_name, pk, name, key, token, fresh):
                tally.rotated += 1
            else:
                tally.saved_meanwhile += 1
        conn.commit()
    return tally


@click.command("rotate-encryption-key")
@click.option("--batch-size", default=500, show_default=True, type=click.IntRange(min=1),
              help="Rows read and committed at a time.")
@with_appcontext
def rotate_encryption_key_command(batch_size: int):
    """Re-encrypt every private value with the first key in DATA_ENCRYPTION_KEYS.

    Safe to run while the site is up and to run again. Drop an old key only after a run that
    reports nothing unreadable."""
    keys = current_app.config["DATA_ENCRYPTION_KEYS"]
    total = Tally()
    with db.engine.connect() as conn:
        for table_name, pk, name in encrypted_columns(db.metadata):
            tally = rotate_column(conn, table_name, pk, name, keys, batch_size)
            click.echo(f"{table_name}.{name}: {tally.rotated} re-encrypted, {tally.current} already current"
                       + (f", {tally.saved_meanwhile} saved by the app meanwhile" if tally.saved_meanwhile else "")
                       + (f", {tally.unreadable} unreadable" if tally.unreadable else ""))
            for field in ("rotated", "current", "saved_meanwhile", "unreadable"):
                setattr(total, field, getattr(total, field) + getattr(tally, field))
    click.echo(f"Done: {total.rotated} values re-encrypted with the first key; "
               f"{total.current + total.saved_meanwhile} were already under it.")
    if total.unreadable:
        raise click.ClickException(
            f"{total.unreadable} values could not be read with any key in DATA_ENCRYPTION_KEYS and were left "
            "exactly as they are. Add the key they were written with (after the first one) and run this "
            "again. Keep every old key until a run reports nothing unreadable.")
