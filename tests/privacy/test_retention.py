"""Escalation retention in the purge: resolved escalations older than ESCALATION_RETENTION_DAYS
are minimised for everyone, and minimised ones are deleted that long after. Time moves by
setting timestamps in the database."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from community.extensions import db
from community.models import (
    AuditLog,
    Escalation,
    EscalationNote,
    Message,
    MinimisedEscalation,
    SupportMessage,
    WorryReport,
)
from community.models.base import utcnow
from tests.privacy import world


@pytest.fixture
def ids(app):
    with app.app_context():
        ids = world.build()
        now = utcnow()
        escalation = db.session.get(Escalation, ids["escalation"])
        escalation.status, escalation.resolved_at, escalation.outcome = "resolved", now, "checked_in_safe"
        escalation.created_at = now - timedelta(days=400)  # past the 365-day retention
        db.session.commit()
        return ids


def purge(app, *args):
    result = app.test_cli_runner().invoke(args=["purge-deleted-accounts", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_old_resolved_escalations_are_minimised_for_everyone_and_the_rest_left_alone(app, ids):
    output = purge(app)
    assert "Minimised 1 escalation(s)" in output and "Deleted 0" in output
    with app.app_context():
        old = db.session.get(Escalation, ids["escalation"])
        assert (old.user_id, old.message_id, old.group_id) == (None, None, None)
        assert (old.level, old.categories, old.outcome) == ("crisis", ["ideation"], "checked_in_safe")
        assert db.session.get(MinimisedEscalation, old.id).reason == "retention"
        assert db.session.scalar(select(func.count(EscalationNote.id)).where(EscalationNote.escalation_id == old.id)) == 0
        assert all(row.subject_id is None for row in db.session.scalars(
            select(AuditLog).where(AuditLog.escalation_id == old.id)))
        # Sam keeps the check-in in their inbox, no longer tied to the record; the message stays in the chat.
        check_in = next(m for m in db.session.scalars(select(SupportMessage)) if m.body.startswith("SAM-CHECK-IN"))
        assert check_in.recipient_id == ids["sam"] and check_in.escalation_id is None
        assert db.session.get(Message, ids["messages"]["SAM-MESSAGE"]).author_id == ids["sam"]
        # Pat's worry from today is recent and still open: untouched.
        recent = db.session.get(Escalation, ids["worry_escalation"])
        assert recent.user_id == ids["sam"] and db.session.get(MinimisedEscalation, recent.id) is None
        assert db.session.scalar(select(func.count(WorryReport.id))) == 2
    assert "Minimised 0 escalation(s)" in purge(app)  # once is enough


def test_minimised_records_are_deleted_after_the_retention(app, ids):
    purge(app)
    with app.app_context():
        mark = db.session.get(MinimisedEscalation, ids["escalation"])
        mark.minimised_at -= timedelta(days=366)
        db.session.commit()
    assert "Deleted 1 minimised escalation(s)" in purge(app)
    with app.app_context():
        assert db.session.get(Escalation, ids["escalation"]) is None
        assert db.session.get(MinimisedEscalation, ids["escalation"]) is None
        assert db.session.get(Escalation, ids["worry_escalation"]) is not None


def test_minimising_everyone_s_old_escalations_can_be_left_out(app, ids):
    assert "Minimised 0 escalation(s)" in purge(app, "--no-minimise-old-escalations")
    with app.app_context():
        assert db.session.get(Escalation, ids["escalation"]).user_id == ids["sam"]


def test_an_old_escalation_still_open_is_never_minimised(app, ids):
    with app.app_context():
        escalation = db.session.get(Escalation, ids["escalation"])
        escalation.status, escalation.resolved_at = "acknowledged", None
        db.session.commit()
    assert "Minimised 0 escalation(s)" in purge(app)
    with app.app_context():
        assert db.session.get(Escalation, ids["escalation"]).user_id == ids["sam"]


def test_the_retention_comes_from_the_configuration(app, ids):
    app.config["ESCALATION_RETENTION_DAYS"] = 500
    assert "Minimised 0 escalation(s)" in purge(app)
