"""Members' private answers are encrypted at rest: the table holds only Fernet tokens, the app reads
plain values, a wrong key is a clear error that loses nothing, keys rotate without downtime, and
migration 0009 encrypts rows written before it (SQLite and PostgreSQL)."""
import json
import os
import stat
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken
from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from community import create_app
from community.config import ConfigError, load_config
from community.encryption import (
    DecryptionError,
    EncryptedText,
    EncryptionError,
    encrypted_columns,
    parse_keys,
    replace_stored_value,
)
from community.extensions import db
from community.groups.services import create_group
from community.models import (
    Escalation,
    EscalationNote,
    GroupFeedback,
    Profile,
    SupportMessage,
    User,
    WorryReport,
)
from tests import factories
from tests.conftest import TEST_DATA_ENCRYPTION_KEYS, another_app, app_config, scratch_postgres, submit

KEY_A = TEST_DATA_ENCRYPTION_KEYS  # what the suite's apps write with
KEY_B = Fernet.generate_key().decode()
NOTE = "Nouvelle à Atlanta 🌱 — I reply slowly, it's not you."
BARRIERS = ["anxiety_freezes", "misread"]
PRIVATE_COLUMNS = {
    ("profiles", "user_id", "barriers"), ("profiles", "user_id", "communication_note"),
    ("escalation_notes", "id", "body"), ("support_messages", "id", "body"),
    ("worry_reports", "id", "note"), ("group_feedback", "id", "note"),
    ("users", "id", "totp_secret"),  # an authenticator secret signs its holder in
    ("monthly_checkins", "id", "answers"), ("monthly_checkins", "id", "note"),  # only the member sees these
}


def stored(table: str, column: str) -> list[str]:
    """What the database itself holds, read with plain SQL (no column type in the way), by key."""
    key = "user_id" if table == "profiles" else "id"
    raw = sa.table(table, sa.column(key), sa.column(column, sa.Text))
    return list(db.session.scalars(select(raw.c[column]).order_by(raw.c[key])))


def assert_tokens_under(key: str, values: list[str], *, hiding: str) -> list[str]:
    """Every value is a Fernet token under `key` that does not show `hiding`; returns the plaintexts."""
    assert values
    plain = []
    for value in values:
        assert value.startswith("gAAAAA") and hiding not in value, value
        plain.append(Fernet(key).decrypt(value).decode())
    return plain


def test_every_private_column_is_declared_encrypted():
    assert set(encrypted_columns(db.metadata)) == PRIVATE_COLUMNS


def test_answers_saved_through_the_forms_are_tokens_at_rest_and_plain_on_the_profile(app, client, auth):
    auth.register(email="new@example.org", name="Jordan")
    assert submit(client, "/welcome/private", {"barriers": BARRIERS}).status_code == 302
    assert submit(client, "/welcome/sharing", {"communication_note": NOTE}).status_code == 302
    with app.app_context():
        [barriers] = assert_tokens_under(KEY_A, stored("profiles", "barriers"), hiding="anxiety")
        assert json.loads(barriers) == BARRIERS
        assert assert_tokens_under(KEY_A, stored("profiles", "communication_note"), hiding="Atlanta") == [NOTE]
    page = client.get("/profile").get_data(as_text=True)
    assert "I know what to do but anxiety freezes me" in page
    assert "Nouvelle à Atlanta" in page


def test_safety_texts_round_trip_through_the_orm_and_are_tokens_at_rest(app):
    with app.app_context():
        sam, riley, moderator = (factories.member(f"{n}@example.org") for n in ("sam", "riley", "mod"))
        escalation = Escalation(level="concern", source="worry", user_id=sam.id)
        group = create_group("Board games by chat", "online", [sam, riley], by=None)
        db.session.add_all([
            escalation,
            EscalationNote(escalation=escalation, author_id=moderator.id, body="Called Sam; safe tonight."),
            SupportMessage(recipient_id=sam.id, sender_id=moderator.id, body="Checking in, Sam."),
            WorryReport(reporter_id=riley.id, subject_id=sam.id, note="Sam said goodbye oddly.", day=date.today()),
            GroupFeedback(group_id=group.id, user_id=riley.id, reasons=[], note="Too loud for me."),
        ])
        db.session.commit()
        db.session.remove()

        assert db.session.scalar(select(EscalationNote.body)) == "Called Sam; safe tonight."
        assert db.session.scalar(select(SupportMessage.body)) == "Checking in, Sam."
        assert db.session.scalar(select(WorryReport.note)) == "Sam said goodbye oddly."
        assert db.session.scalar(select(GroupFeedback.note)) == "Too loud for me."
        assert assert_tokens_under(KEY_A, stored("escalation_notes", "body"), hiding="Sam") == [
            "Called Sam; safe tonight."]
        assert assert_tokens_under(KEY_A, stored("worry_reports", "note"), hiding="goodbye") == [
            "Sam said goodbye oddly."]
        assert assert_tokens_under(KEY_A, stored("group_feedback", "note"), hiding="loud") == ["Too loud for me."]
        assert assert_tokens_under(KEY_A, stored("support_messages", "body"), hiding="Checking") == [
            "Checking in, Sam."]


def _member_with_answers(email: str, note: str = NOTE) -> int:
    user = factories.member(email)
    user.profile.barriers = BARRIERS
    user.profile.communication_note = note
    db.session.commit()
    return user.id


def test_the_wrong_key_is_a_clear_error_and_the_data_is_kept(app, database_url):
    with app.app_context():
        user_id = _member_with_answers("sam@example.org")
        before = stored("profiles", "communication_note")
    with another_app(app_config(database_url, DATA_ENCRYPTION_KEYS=KEY_B)) as stranger:
        with stranger.app_context():
            with pytest.raises(DecryptionError, match="DATA_ENCRYPTION_KEYS"):
                db.session.get(Profile, user_id)
            db.session.rollback()
        result = stranger.test_cli_runner().invoke(args=["rotate-encryption-key"])
        assert result.exit_code != 0
        assert "2 values could not be read" in result.output and "left exactly as they are" in result.output
    with app.app_context():
        assert stored("profiles", "communication_note") == before
        assert db.session.get(Profile, user_id).communication_note == NOTE


def test_sql_cannot_compare_encrypted_columns_so_it_is_never_silently_wrong(app):
    with app.app_context():
        user_id = _member_with_answers("sam@example.org")
        with pytest.raises(EncryptionError, match="filter in Python"):
            select(Profile).where(Profile.communication_note == NOTE)
        with pytest.raises(EncryptionError):
            select(Profile).order_by(Profile.barriers.desc())
        # NULL tests still work: NULL is not encrypted.
        assert db.session.scalars(select(Profile.user_id).where(Profile.communication_note.is_not(None))).all() == [
            user_id]
        assert db.session.scalars(select(Profile.user_id).where(Profile.barriers == None)).all() == []  # noqa: E711
    with pytest.raises(EncryptionError, match="app context"):
        EncryptedText().process_bind_param("outside the app", None)


def test_matching_never_decrypts_the_private_answers(app, database_url):
    from community.groups.matching_runs import member_profiles

    with app.app_context():
        user_id = _member_with_answers("sam@example.org")
    # Even with a key that cannot read them, matching works: it never decrypts what it doesn't use.
    with another_app(app_config(database_url, DATA_ENCRYPTION_KEYS=KEY_B)) as stranger, stranger.app_context():
        assert [p.id for p in member_profiles()] == [user_id]


def test_rotation_re_encrypts_everything_under_the_new_key(app, database_url):
    with app.app_context():  # written under key A alone
        ids = [_member_with_answers(f"m{n}@example.org", note=f"{NOTE} ({n})") for n in range(5)]
        escalation = Escalation(level="concern", source="worry", user_id=ids[0])
        db.session.add_all([escalation, EscalationNote(escalation=escalation, body="Followed up kindly.")])
        db.session.commit()

    with another_app(app_config(database_url, DATA_ENCRYPTION_KEYS=f"{KEY_B} {KEY_A}")) as both:
        with both.app_context():  # old values still read; new writes use B
            assert db.session.get(Profile, ids[4]).communication_note == f"{NOTE} (4)"
            db.session.get(Profile, ids[4]).communication_note = "Changed during the switch."
            db.session.commit()
        runner = both.test_cli_runner()
        first = runner.invoke(args=["rotate-encryption-key", "--batch-size", "2"])
        assert first.exit_code == 0, first.output
        assert "profiles.barriers: 5 re-encrypted, 0 already current" in first.output
        assert "profiles.communication_note: 4 re-encrypted, 1 already current" in first.output
        assert "escalation_notes.body: 1 re-encrypted" in first.output
        again = runner.invoke(args=["rotate-encryption-key", "--batch-size", "2"])
        assert again.exit_code == 0 and "Done: 0 values re-encrypted with the first key; 11 were already under it." \
            in again.output, again.output

    with another_app(app_config(database_url, DATA_ENCRYPTION_KEYS=KEY_B)) as only_new, only_new.app_context():
        notes = [db.session.get(Profile, user_id).communication_note for user_id in ids]
        assert notes == [f"{NOTE} ({n})" for n in range(4)] + ["Changed during the switch."]
        assert all(db.session.get(Profile, user_id).barriers == BARRIERS for user_id in ids)
        assert db.session.scalar(select(EscalationNote.body)) == "Followed up kindly."
        for token in stored("profiles", "barriers") + stored("escalation_notes", "body"):
            with pytest.raises(InvalidToken):
                Fernet(KEY_A).decrypt(token)


def test_rotation_never_overwrites_a_value_saved_meanwhile(app):
    with app.app_context():
        user_id = _member_with_answers("sam@example.org")
        [read_by_rotation] = stored("profiles", "communication_note")
        db.session.get(Profile, user_id).communication_note = "Saved a moment later."
        db.session.commit()
        [saved] = stored("profiles", "communication_note")
        with db.engine.begin() as conn:
            assert not replace_stored_value(conn, "profiles", "user_id", "communication_note", user_id,
                                            read_by_rotation, "a stale rotation result")
        assert stored("profiles", "communication_note") == [saved]
        db.session.expire_all()
        assert db.session.get(Profile, user_id).communication_note == "Saved a moment later."


# --- keys from the environment -------------------------------------------------------------------

@pytest.fixture
def clean_env(monkeypatch):
    for name in ("DATA_ENCRYPTION_KEYS", "SECRET_KEY", "COMMON_GROUND_ENV"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_production_refuses_to_start_without_keys(clean_env, tmp_path):
    clean_env.setenv("COMMON_GROUND_ENV", "production")
    clean_env.setenv("SECRET_KEY", "from-the-environment")
    with pytest.raises(ConfigError, match="DATA_ENCRYPTION_KEYS must be set"):
        load_config(str(tmp_path))
    assert not (tmp_path / "data_encryption_key").exists()
    clean_env.setenv("DATA_ENCRYPTION_KEYS", f"{KEY_B}, {KEY_A}")
    assert load_config(str(tmp_path))["DATA_ENCRYPTION_KEYS"] == (KEY_B, KEY_A)


def test_development_makes_one_private_key_and_keeps_it(clean_env, tmp_path):
    first = load_config(str(tmp_path))["DATA_ENCRYPTION_KEYS"]
    key_file = tmp_path / "data_encryption_key"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert len(first) == 1 and Fernet(first[0])
    assert load_config(str(tmp_path))["DATA_ENCRYPTION_KEYS"] == first
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".data_encryption_key")]  # no draft left


def test_a_mistyped_key_is_named_by_position_never_echoed(clean_env, tmp_path):
    mistyped = KEY_A[:-3] + "!!="
    clean_env.setenv("DATA_ENCRYPTION_KEYS", f"{KEY_B} {mistyped}")
    with pytest.raises(ConfigError, match="key number 2 is not a Fernet key") as caught:
        load_config(str(tmp_path))
    assert mistyped not in str(caught.value)
    with pytest.raises(ConfigError, match="empty"):
        parse_keys(" , ")


# --- migration 0009 on rows written before it ----------------------------------------------------

def _write_plaintext_rows(conn) -> None:
    """Rows as the app stored them before 0009 (schema at 0008_privacy), with plain SQL."""
    now = datetime(2026, 11, 1, tzinfo=UTC)
    users = sa.table("users", *(sa.column(c) for c in ("id", "email", "display_name", "password_hash", "role")),
                     sa.column("created_at", sa.DateTime(timezone=True)))
    conn.execute(users.insert(), [
        {"id": n, "email": f"u{n}@example.org", "display_name": f"U{n}", "password_hash": "x", "role": "member",
         "created_at": now} for n in (1, 2)])
    profiles = sa.table("profiles", sa.column("user_id"), sa.column("online_only"), sa.column("communication_note"),
                        *(sa.column(c, sa.JSON) for c in ("interests", "custom_interests", "availability",
                                                          "barriers", "communication_prefs", "steps_done")),
                        sa.column("updated_at", sa.DateTime(timezone=True)))
    empty = dict(interests=[], custom_interests=[], availability=[], communication_prefs=[], steps_done=[],
                 online_only=False, updated_at=now)
    conn.execute(profiles.insert(), [
        {"user_id": 1, "barriers": BARRIERS, "communication_note": NOTE, **empty},
        {"user_id": 2, "barriers": [], "communication_note": "", **empty}])
    escalations = sa.table("escalations", *(sa.column(c) for c in ("id", "level", "source", "status", "user_id",
                                                                    "alert_count")),
                           sa.column("categories", sa.JSON), sa.column("created_at", sa.DateTime(timezone=True)))
    conn.execute(escalations.insert(), {"id": 1, "level": "concern", "source": "worry", "status": "open",
                                        "user_id": 1, "alert_count": 0, "categories": [], "created_at": now})
    for table, columns in {
        "escalation_notes": {"id": 1, "escalation_id": 1, "body": "Called; safe tonight."},
        "support_messages": {"id": 1, "recipient_id": 1, "body": "Checking in."},
        "worry_reports": {"id": 1, "reporter_id": 2, "subject_id": 1, "note": "Said goodbye oddly.",
                          "day": date(2026, 11, 1)},
    }.items():
        conn.execute(sa.table(table, *(sa.column(c) for c in columns),
                              sa.column("created_at", sa.DateTime(timezone=True))).insert(),
                     {**columns, "created_at": now})


def check_migration_encrypts_existing_rows(url: str) -> None:
    app = create_app(app_config(url))
    with app.app_context():
        upgrade(revision="0008_privacy")
        with db.engine.begin() as conn:
            _write_plaintext_rows(conn)
        upgrade()
        raw_barriers = assert_tokens_under(KEY_A, stored("profiles", "barriers"), hiding="anxiety")
        assert [json.loads(b) for b in raw_barriers] == [BARRIERS, []]
        assert assert_tokens_under(KEY_A, stored("profiles", "communication_note"), hiding="Atlanta") == [NOTE, ""]
        assert assert_tokens_under(KEY_A, stored("worry_reports", "note"), hiding="goodbye") == ["Said goodbye oddly."]
        assert db.session.get(Profile, 1).barriers == BARRIERS and db.session.get(Profile, 1).communication_note == NOTE
        assert db.session.get(User, 2).profile.communication_note == ""
        assert db.session.scalar(select(EscalationNote.body)) == "Called; safe tonight."
        assert db.session.scalar(select(SupportMessage.body)) == "Checking in."
        db.session.remove()

        downgrade(revision="0008_privacy")  # and back to plain text, nothing lost
        assert stored("profiles", "communication_note") == [NOTE, ""]
        assert [json.loads(b) if isinstance(b, str) else b for b in stored("profiles", "barriers")] == [BARRIERS, []]
        assert stored("escalation_notes", "body") == ["Called; safe tonight."]
        db.session.remove()
        db.engine.dispose()


def test_migration_encrypts_rows_written_before_it_sqlite(tmp_path):
    check_migration_encrypts_existing_rows(f"sqlite:///{tmp_path / 'before.db'}")


@pytest.mark.postgres
def test_migration_encrypts_rows_written_before_it_postgresql():
    with scratch_postgres("cg_encrypt") as url:
        check_migration_encrypts_existing_rows(url)
