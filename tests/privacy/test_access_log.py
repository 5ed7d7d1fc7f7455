"""Staff reads of private data: each staff page writes its audit row (subject = whose data), and
the admins' access log lists them, filtered by staff member and by subject, a page at a time."""
import html as htmllib

import pytest
from sqlalchemy import select

from community.extensions import db
from community.models import Appeal, AuditLog, ModerationAction, ReviewItem
from community.privacy.access import PAGE_SIZE, STAFF_READS
from tests.factories import member
from tests.privacy import world
from tests.support import login_client as login


def text(response) -> str:
    return htmllib.unescape(response.get_data(as_text=True))


@pytest.fixture
def ids(app):
    with app.app_context():
        ids = world.build()
        ids["item"] = db.session.scalar(select(ReviewItem.id).where(ReviewItem.subject_id == ids["sam"]))
        ids["appeal"] = db.session.scalar(select(Appeal.id))
        ids["warning"] = db.session.scalar(select(ModerationAction.id).where(
            ModerationAction.subject_id == ids["sam"], ModerationAction.kind == "warn"))
        member("olive@example.org", "Olive", role="organizer")
        return ids


def reads_by(app, actor_id) -> list[tuple[str, int | None]]:
    with app.app_context():
        return [tuple(r) for r in db.session.execute(
            select(AuditLog.action, AuditLog.subject_id).where(AuditLog.actor_id == actor_id,
                                                               AuditLog.action.in_(STAFF_READS))
            .order_by(AuditLog.id))]


@pytest.mark.parametrize(("who", "url", "expected"), [
    ("mo", "/moderation/escalations/{escalation}", [("escalation_viewed", "sam")]),
    ("mo", "/moderation/items/{item}", [("review_item_viewed", "sam")]),
    ("ada", "/moderation/appeals/{appeal}", [("appeal_viewed", "sam")]),
    ("mo", "/moderation/groups/{group}/chat",
     [("group_chat_viewed", "pat"), ("group_chat_viewed", "sam"), ("group_chat_viewed", "lee")]),
    ("mo", "/moderation/log", [("moderation_record_viewed", "sam"), ("moderation_record_viewed", "pat")]),
    ("mo", "/moderation/actions/{warning}/restore", [("moderation_record_viewed", "sam")]),
    ("ada", "/groups/{group}/chat/transcript",
     [("group_transcript_viewed", "pat"), ("group_transcript_viewed", "sam"), ("group_transcript_viewed", "lee")]),
])
def test_each_staff_read_of_private_data_is_recorded_with_whose_data_it_was(app, ids, who, url, expected):
    http = login(app, f"{who}@example.org")
    assert http.get(url.format(**ids)).status_code == 200
    names = {ids[name]: name for name in ("sam", "pat", "lee")}
    found = [(action, names.get(subject)) for action, subject in reads_by(app, ids[who])]
    assert sorted(found) == sorted(expected)


def test_members_reading_their_own_groups_transcript_are_not_logged(app, ids):
    http = login(app, "pat@example.org")
    assert http.get(f"/groups/{ids['group']}/chat/transcript").status_code == 200
    assert reads_by(app, ids["pat"]) == []


def test_the_access_log_is_for_admins_only(app, client, ids):
    assert client.get("/admin/access-log").status_code == 302
    for email in ("sam@example.org", "olive@example.org", "mo@example.org"):
        assert login(app, email).get("/admin/access-log").status_code == 403, email
    assert login(app, "ada@example.org").get("/admin/access-log").status_code == 200


def test_the_access_log_lists_reads_and_filters_by_staff_and_by_subject(app, ids):
    mo = login(app, "mo@example.org")
    mo.get("/moderation/")
    mo.get(f"/moderation/escalations/{ids['escalation']}")
    mo.get(f"/moderation/groups/{ids['group']}/chat")
    ada = login(app, "ada@example.org")
    ada.get(f"/moderation/appeals/{ids['appeal']}")

    everything = text(ada.get("/admin/access-log"))
    assert "Opened a safety escalation" in everything and "Opened an appeal" in everything
    assert f"Escalation {ids['escalation']}" in everything and f"Group {ids['group']}" in everything
    assert "queue viewed" not in everything.lower()  # the queue itself isn't one person's private data

    only_ada = text(ada.get(f"/admin/access-log?staff={ids['ada']}"))
    assert "Opened an appeal" in only_ada and "Opened a safety escalation" not in only_ada

    about_pat = text(ada.get("/admin/access-log?email=PAT@example.org"))
    assert "Read a group's chat as a moderator" in about_pat
    assert "Opened a safety escalation" not in about_pat and "Opened an appeal" not in about_pat
    by_id = text(ada.get(f"/admin/access-log?subject={ids['pat']}"))
    assert "Showing reads of Pat's data" in by_id and "Opened an appeal" not in by_id

    unknown = ada.get("/admin/access-log?email=nobody@example.org")
    assert unknown.status_code == 400 and "couldn't find an account with that email" in text(unknown)
    assert ada.get("/admin/access-log?staff=abc&page=-3").status_code == 200  # odd input is ignored, not a 500
    with app.app_context():
        assert db.session.scalar(select(AuditLog.actor_id).where(AuditLog.action == "access_log_viewed")) == ids["ada"]


def test_the_access_log_goes_a_page_at_a_time(app, ids):
    with app.app_context():
        db.session.add_all([AuditLog(actor_id=ids["mo"], action="escalation_viewed", subject_id=ids["sam"],
                                     detail={}) for _ in range(PAGE_SIZE + 5)])
        db.session.commit()
    ada = login(app, "ada@example.org")
    first = text(ada.get("/admin/access-log"))
    assert f"Page 1 of 2 ({PAGE_SIZE + 5} reads)" in first and 'rel="next"' in first and 'rel="prev"' not in first
    second = text(ada.get("/admin/access-log?page=2"))
    assert second.count("Opened a safety escalation") == 5 and 'rel="prev"' in second
    assert "Page 2 of 2" in text(ada.get("/admin/access-log?page=99"))
