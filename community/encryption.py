"""Members' private answers, encrypted at rest with Fernet (AES-128-CBC with an HMAC, from
`cryptography`), so a copy of the database or a backup alone does not reveal them.

Declare a column as `EncryptedText` (a string) or `EncryptedJSON` (a list or dict): the ORM hands
plain values to the app and stores tokens. SQL cannot look inside a token, so these columns refuse
comparisons other than `IS NULL` / `IS NOT NULL`: load the rows and filter in Python instead.

Keys: DATA_ENCRYPTION_KEYS holds one or more Fernet keys, separated by spaces or commas. The first
encrypts everything written from now on; every key decrypts. Production must set it; development
makes one key once into the instance folder (`data_encryption_key`, mode 0600), and the test suite
sets a fixed one (tests/conftest.py) so every process a test starts reads what the others wrote.
Existing rows were encrypted by migration 0009 with the keys configured when it ran.
Make a key with:
    python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"

Rotating keys (after a suspected leak, or routinely):
1. Put the new key first and keep the old one after it: DATA_ENCRYPTION_KEYS="NEW OLD". Restart
   every server process: new writes use NEW, and old values still read with OLD.
2. Run `flask --app app rotate-encryption-key`: it re-encrypts every stored value under NEW, in
   batches, and reports how many it changed. Running it again changes nothing more; it is safe
   while the site is up.
3. Only when it reports no value left unreadable: drop OLD (DATA_ENCRYPTION_KEYS="NEW"), restart.
   Keep OLD with the backups made before step 2, or those backups can no longer be read.
Losing every key that wrote a value loses that value: store the keys apart from the database.
"""
import functools
import json
import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app
from sqlalchemy import Connection, Table, Text, column, select, table, update
from sqlalchemy.sql import operators
from sqlalchemy.types import TypeDecorator

from community.config import ConfigError

KEY_FILE = "data_encryption_key"
MAKE_A_KEY = 'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'


class EncryptionError(RuntimeError):
    """Private data could not be encrypted or decrypted; never silently replaced by something else."""


class DecryptionError(EncryptionError):
    """A stored value fits none of the configured keys."""


# --- keys ----------------------------------------------------------------------------------------

def parse_keys(value: str | Sequence[str]) -> tuple[str, ...]:
    """The configured keys in order (first: the one that encrypts), each checked to be a Fernet key."""
    keys = tuple(re.split(r"[\s,]+", value.strip())) if isinstance(value, str) else tuple(value)
    keys = tuple(key for key in keys if key)
    if not keys:
        raise ConfigError(f"DATA_ENCRYPTION_KEYS is empty. Make a key with: {MAKE_A_KEY}")
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except (ValueError, TypeError) as exc:
            # Never echo the value: it may be a real key with a typo.
            raise ConfigError(
                f"DATA_ENCRYPTION_KEYS: key number {position} is not a Fernet key (32 bytes in url-safe "
                f"base64, 44 characters). Make one with: {MAKE_A_KEY}") from exc
    return keys


def data_encryption_keys(instance_path: Path, production: bool) -> tuple[str, ...]:
    """Keys from DATA_ENCRYPTION_KEYS; in development, one made once and kept in the instance folder."""
    value = os.environ.get("DATA_ENCRYPTION_KEYS", "")
    if value.strip():
        return parse_keys(value)
    if production:
        raise ConfigError("DATA_ENCRYPTION_KEYS must be set when COMMON_GROUND_ENV=production "
                          f"(members' private answers are encrypted with it). Make a key with: {MAKE_A_KEY}")
    key_file = instance_path / KEY_FILE
    if not key_file.exists():
        _write_new_key(key_file)
    return parse_keys(key_file.read_text())


def _write_new_key(key_file: Path) -> None:
    """Write a fresh key with mode 0600 from the start; if another process got there first, keep theirs."""
    key_file.parent.mkdir(parents=True, exist_ok=True)
    draft = key_file.with_name(f".{KEY_FILE}.{os.getpid()}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(Fernet.generate_key().decode())
    try:
        os.link(draft, key_file)  # atomic, and fails if the key exists: a reader never sees half a key
    except FileExistsError:
        pass
    finally:
        draft.unlink()


@functools.lru_cache(maxsize=16)
def _keyring(keys: str | tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in parse_keys(keys)])


def keyring(keys: str | Sequence[str]) -> MultiFernet:
    """A MultiFernet for these keys: encrypts with the first, decrypts with any. Built once per
    configuration, since every encrypted value read or written asks for it."""
    return _keyring(keys if isinstance(keys, str) else tuple(keys))


def current_keyring() -> MultiFernet:
    """The running app's keys (each app may have its own, as tests do)."""
    try:
        keys = current_app.config["DATA_ENCRYPTION_KEYS"]
    except RuntimeError as exc:  # outside an app context
        raise EncryptionError("Encrypted columns are read and written inside the app (an app context), "
                              "where DATA_ENCRYPTION_KEYS is known.") from exc
    return keyring(keys)


def primary_key_fernet(keys: str | Sequence[str]) -> Fernet:
    """The key new values are written with."""
    return Fernet(parse_keys(keys)[0])


def encrypt_text(value: str, ring: MultiFernet | None = None) -> str:
    return (ring or current_keyring()).encrypt(value.encode("utf-8")).decode("ascii")


def decrypt_text(token: str, ring: MultiFernet | None = None) -> str:
    try:
        return (ring or current_keyring()).decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError) as exc:
        raise DecryptionError(
            "A private value in the database could not be decrypted with any key in DATA_ENCRYPTION_KEYS. "
            "If the keys were changed, put the previous key back after the new one, run "
            "`flask --app app rotate-encryption-key`, and only then drop the old key.") from exc


# --- column types --------------------------------------------------------------------------------

class _EncryptedComparator(TypeDecorator.Comparator):
    """Ciphertext is different every time, so `column == value` in SQL would match nothing and say
    nothing; refuse it, clearly, rather than return a silently wrong answer."""

    _NULL_TESTS = (operators.is_, operators.is_not)

    def operate(self, op, *other, **kwargs):
        if op in self._NULL_TESTS or (op in (operators.eq, operators.ne) and other == (None,)):
            return super().operate(op, *other, **kwargs)
        raise EncryptionError(f"{self.expr} is encrypted: SQL cannot compare or sort it. "
                              "Load the rows and filter in Python.")

    def reverse_operate(self, op, other, **kwargs):
        raise EncryptionError(f"{self.expr} is encrypted: SQL cannot compare or sort it.")


class _Encrypted(TypeDecorator):
    impl = Text  # tokens are ASCII, about 4/3 of the plaintext plus 73 bytes
    cache_ok = True
    comparator_factory = _EncryptedComparator

    def encode(self, value) -> str:
        raise NotImplementedError

    def decode(self, text: str):
        raise NotImplementedError

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return encrypt_text(self.encode(value))

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return self.decode(decrypt_text(value))


class EncryptedText(_Encrypted):
    """A string, encrypted at rest."""

    cache_ok = True  # SQLAlchemy asks each subclass; no per-instance state here

    def encode(self, value) -> str:
        if not isinstance(value, str):
            raise TypeError(f"EncryptedText stores strings, not {type(value).__name__}")
        return value

    def decode(self, text: str) -> str:
        return text


class EncryptedJSON(_Encrypted):
    """Anything JSON can hold (lists, dicts, strings, numbers), encrypted at rest. Assign a new value
    to change it: like sqlalchemy.JSON, changes made inside a list in place are not noticed."""

    cache_ok = True

    def encode(self, value) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    def decode(self, text: str):
        return json.loads(text)


# --- every encrypted value, for rotation ---------------------------------------------------------

def encrypted_columns(metadata) -> list[tuple[str, str, str]]:
    """(table, primary key column, encrypted column) for every encrypted column the models declare."""
    found = []
    for model_table in metadata.sorted_tables:
        for col in model_table.columns:
            if isinstance(col.type, _Encrypted):
                (pk,) = model_table.primary_key.columns  # rotation walks rows by a one-column key
                found.append((model_table.name, pk.name, col.name))
    return found


def raw_column(table_name: str, pk: str, name: str) -> Table:
    """The stored text itself (the token), without decrypting it."""
    return table(table_name, column(pk), column(name, Text))


def stored_values(conn: Connection, table_name: str, pk: str, name: str,
                  batch_size: int = 500) -> Iterator[list[tuple]]:
    """(primary key, stored text) of every non-NULL value, a batch at a time, in key order; each
    batch is read after the previous one was handled, so callers may commit between batches."""
    raw = raw_column(table_name, pk, name)
    last = None
    while True:
        query = select(raw.c[pk], raw.c[name]).where(raw.c[name].is_not(None)).order_by(raw.c[pk]).limit(batch_size)
        if last is not None:
            query = query.where(raw.c[pk] > last)
        rows = [tuple(row) for row in conn.execute(query)]
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def replace_stored_value(conn: Connection, table_name: str, pk: str, name: str, key, old: str, new: str) -> bool:
    """Write `new` only where the row still holds `old`, so a value a member saved meanwhile (already
    under the new key) is never overwritten. True when the row was changed."""
    raw = raw_column(table_name, pk, name)
    result = conn.execute(update(raw).where(raw.c[pk] == key, raw.c[name] == old).values({name: new}))
    return result.rowcount == 1
