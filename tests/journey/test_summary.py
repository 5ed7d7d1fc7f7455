"""The printable summary for a therapist: it holds what the member chose (steps and their moves,
time in groups, first chat message, activities attended, the check-in trend, notes, their own
words), never another member's name, is sent with Cache-Control: no-store, and leaves nothing
behind in the database."""
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from community.extensions import db
from community.groups import services as groups
from community.models import Message, MonthlyCheckIn, StepChange, User
from community.models.activity import Activity, Rsvp
from community.models.base import utcnow
from tests.conftest import submit
from tests.factories import member
from tests.support import login_client

EVERYTHING = {"steps": "y", "activities": "y", "check_ins": "y", "notes": "y"}


@pytest.fixture
def riley(app):
    """Riley (at step 3 after moving up from 2) is in the Board games circle with Pat Quillfeather,
    wrote in its chat, went to a café games night (and not to a walk), and checked in twice."""
    with app.app_context():
        riley = member("riley@example.org", "Riley Moss", comfort=3)
        pat = member("pat@example.org", "Pat Quillfeather")
        group = groups.create_group("Board games circle", "in_person", [riley, pat], None, neighbourhood="decatur")
        db.session.commit()
        now = utcnow()
        went = Activity(title="Games night at the Loft Café", focus="board-games", format="in_person",
                        venue="The Loft Café", starts_at=datetime(2026, 3, 12, 23, 0, tzinfo=UTC),
                        ends_at=datetime(2026, 3, 13, 1, 0, tzinfo=UTC), capacity=6, comfort_step=3, groups=[group])
        skipped = Activity(title="Guided walk by the lake", focus="walking", format="in_person",
                           starts_at=datetime(2026, 3, 20, 15, 0, tzinfo=UTC),
                           ends_at=datetime(2026, 3, 20, 17, 0, tzinfo=UTC), capacity=6, comfort_step=3, groups=[group])
        db.session.add_all([went, skipped])
        db.session.flush()
        db.session.add_all([
            Rsvp(activity_id=went.id, user_id=riley.id, status="going", attended=True),
            Rsvp(activity_id=skipped.id, user_id=riley.id, status="going", attended=False),
            Rsvp(activity_id=went.id, user_id=pat.id, status="going", attended=True),
            StepChange(user_id=riley.id, from_step=2, to_step=3, changed_at=datetime(2026, 3, 1, 17, 0, tzinfo=UTC)),
            Message(group_id=group.id, author_id=riley.id, body="hello all!",
                    created_at=datetime(2026, 2, 3, 18, 0, tzinfo=UTC)),
            Message(group_id=group.id, author_id=pat.id, body="hi Riley", created_at=datetime(2026, 2, 1, 18, 0, tzinfo=UTC)),
            MonthlyCheckIn(user_id=riley.id, month="2026-02", group_id=group.id, note="first time out, maple-note",
                           answers={"lack_company": 3, "left_out": 3, "isolated": 2, "group_connection": 2, "mood": 2}),
            MonthlyCheckIn(user_id=riley.id, month="2026-03", group_id=group.id, note="",
                           answers={"lack_company": 2, "left_out": 2, "isolated": 2, "group_connection": 4, "mood": 3}),
        ])
        db.session.commit()
        assert now - timedelta(minutes=5) < group.memberships[0].joined_at
        return riley.id


def counts(app) -> dict[str, int]:
    with app.app_context():
        return {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in db.metadata.sorted_tables}


def test_the_form_offers_the_parts_and_says_it_is_private(app, riley):
    client = login_client(app, "riley@example.org")
    response = client.get("/journey/summary")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert "Common Ground sends it nowhere" in page
    for label in ("Your comfort step and how it has moved", "Activities you went to, and your time in groups",
                  "Your check-ins (the chart and the numbers)", "The notes you wrote with your check-ins",
                  "In your own words (optional)"):
        assert label in page
    assert 'id="notes" name="notes" type="checkbox" value="y">' in page  # notes are left out unless chosen
    assert 'checked id="steps"' in page


def test_the_summary_holds_what_was_chosen_and_no_one_else(app, riley):
    client = login_client(app, "riley@example.org")
    before = counts(app)
    response = submit(client, "/journey/summary", {**EVERYTHING, "own_words": "Groups feel <b>easier</b> now."})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert "<h1 id=\"summary-title\">Riley Moss's journey with Common Ground</h1>" in page
    assert "Common Ground sends it nowhere" in page and "Save as PDF" in page
    assert "Now at step 3: Small in-person activities." in page
    assert '<time datetime="2026-03-01">March 1, 2026</time>: from step 2 to step 3' in page
    assert "Board games circle: from" in page and "still a member (less than a week)" in page
    assert 'First message in a group chat: <time datetime="2026-02-03">February 3, 2026</time>.' in page
    assert '<time datetime="2026-03-12">March 12, 2026</time>: Games night at the Loft Café (In person)' in page
    assert "Guided walk by the lake" not in page  # not attended
    assert page.count('class="trend-point"') == 2
    assert "Your check-ins from February to March: 8, then 6. Lower means less lonely." in page
    assert '<tr data-month="2026-02">' in page and '<tr data-month="2026-03">' in page
    assert "first time out, maple-note" in page
    assert "Groups feel &lt;b&gt;easier&lt;/b&gt; now." in page
    assert "Pat" not in page and "Quillfeather" not in page  # another member's privacy
    assert counts(app) == before  # nothing stored


def test_only_the_chosen_parts(app, riley):
    client = login_client(app, "riley@example.org")
    page = submit(client, "/journey/summary", {"check_ins": "y"}).get_data(as_text=True)
    assert page.count('class="trend-point"') == 2
    assert "maple-note" not in page  # notes only when chosen
    assert "Games night" not in page and "Now at step" not in page and "Board games circle" not in page
    page = submit(client, "/journey/summary", {"notes": "y"}).get_data(as_text=True)
    assert "maple-note" in page and "trend-point" not in page


def test_nothing_chosen_still_makes_a_page_with_the_name(app, riley):
    client = login_client(app, "riley@example.org")
    response = submit(client, "/journey/summary", {})
    assert response.status_code == 200
    assert "Riley Moss's journey" in response.get_data(as_text=True)


def test_too_many_words_are_turned_back_and_kept(app, riley):
    client = login_client(app, "riley@example.org")
    response = submit(client, "/journey/summary", {**EVERYTHING, "own_words": "w" * 2001})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Please keep this to 2000 characters or fewer." in page and "w" * 2001 in page
    assert response.headers["Cache-Control"] == "no-store"


def test_print_styles_hide_navigation_footer_and_form(app, riley):
    client = login_client(app, "riley@example.org")
    page = submit(client, "/journey/summary", EVERYTHING).get_data(as_text=True)
    assert '<link rel="stylesheet" href="/static/css/print.css" media="print">' in page
    assert '<script src="/static/js/print.js" defer></script>' in page
    assert "<button type=\"button\" class=\"button\" data-print hidden>Print</button>" in page
    css = (Path(app.static_folder) / "css" / "print.css").read_text()
    hidden = css.split("{", 1)[0]
    for selector in (".site-header", ".site-footer", ".summary-form"):
        assert selector in hidden


def test_someone_with_nothing_yet_gets_a_kind_empty_summary(app, riley):
    with app.app_context():
        member("new@example.org", "Noor")
    client = login_client(app, "new@example.org")
    page = submit(client, "/journey/summary", EVERYTHING).get_data(as_text=True)
    for words in ("No moves between steps yet.", "Not in a group yet.", "No messages in a group chat yet.",
                  "None marked as attended yet.", "No check-ins yet.", "No notes written with check-ins."):
        assert words in page
    assert "Riley" not in page and "maple-note" not in page


def test_the_name_is_escaped(app, riley):
    with app.app_context():
        db.session.get(User, riley).display_name = "<i>Riley</i>"
        db.session.commit()
    page = submit(login_client(app, "riley@example.org"), "/journey/summary", EVERYTHING).get_data(as_text=True)
    assert "&lt;i&gt;Riley&lt;/i&gt;'s journey" in page
