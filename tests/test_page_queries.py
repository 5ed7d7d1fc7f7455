"""The pages members open most make the same number of SQL statements however many people are in
the group or going to the activity: one process serving 200 members within 200 ms (bench/load.py,
bench/results/load.md) depends on it, and a page that loads each person separately grows with them."""
from contextlib import contextmanager
from datetime import time, timedelta

from sqlalchemy import event

from community.activities import rsvp, services
from community.extensions import db
from community.groups import services as groups
from community.models import User
from tests.factories import member
from tests.support import login_client


@contextmanager
def statements(app):
    """Every SQL statement the app sends while inside the block."""
    with app.app_context():
        engine = db.engine
    sent: list[str] = []

    def record(conn, cursor, statement, *_):
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


def page_statements(app, client, path: str) -> int:
    client.get(path)  # the first visit may mark the group seen; count an ordinary one
    with statements(app) as sent:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(sent)


def make_group(name: str, size: int, **profile) -> tuple[int, list[str]]:
    people = [member(f"{name}{n}@example.org", f"{name.title()}{n} Person", **profile) for n in range(size)]
    group = groups.create_group(f"{name.title()} circle", "online", people, None)
    return group.id, [p.email for p in people]


def test_the_group_page_costs_the_same_for_four_people_or_six(app):
    with app.app_context():
        small, small_people = make_group("small", 4)
        large, large_people = make_group("large", 6)
    small_client, large_client = login_client(app, small_people[0]), login_client(app, large_people[0])

    assert page_statements(app, small_client, f"/groups/{small}") == page_statements(app, large_client, f"/groups/{large}")
    page = large_client.get(f"/groups/{large}").get_data(as_text=True)
    assert all(f"Large{n} Person" in page for n in range(6))  # everyone is still listed


def test_the_activity_page_costs_the_same_with_one_person_going_or_five(app):
    with app.app_context():
        group_id, people = make_group("crew", 6)
        organizer = member("org@example.org", "Olu Organizer", role="organizer")
        day = services.utcnow().date()

        def activity(title: str, going: int) -> int:
            made = services.schedule(services.Plan(
                title=title, focus="Board games", format="online", day=day + timedelta(days=3), start=time(19),
                end=time(20), capacity=6, group_ids=[group_id], join_url="https://meet.example.org/x"), organizer)
            for email in people[1:1 + going]:
                rsvp.respond(db.session.scalar(db.select(User).where(User.email == email)), made[0], "going")
            return made[0].id

        few, many = activity("Few going", 1), activity("Many going", 5)
    client = login_client(app, people[0])

    assert page_statements(app, client, f"/activities/{few}") == page_statements(app, client, f"/activities/{many}")
    page = client.get(f"/activities/{many}").get_data(as_text=True)
    assert all(f"Crew{n}" in page for n in range(1, 6))  # the first names of everyone going


def test_the_navigation_badges_come_in_one_query_and_count_what_is_unread(app):
    from community.navigation import badges
    from community.notifications.services import notify

    with app.app_context():
        _, people = make_group("nav", 4)
        reader = db.session.scalar(db.select(User).where(User.email == people[0]))
        for n in range(2):
            notify(reader.id, "activity_new", f"Something new, number {n}.")
        db.session.commit()
    client = login_client(app, people[0])
    badge = '<span class="badge">2<span class="visually-hidden"> new</span>'

    assert badge in client.get("/home").get_data(as_text=True)
    with statements(app) as sent:
        client.get("/profile")
    asked = [s for s in sent if "notifications" in s or "support_messages" in s or "account_deletions" in s]
    assert len(asked) == 1, asked  # unread notifications, support messages and a pending deletion together
    # Opening the notifications marks them read before the page is drawn: its own badge is already gone.
    assert badge not in client.get("/notifications").get_data(as_text=True)
    assert "visually-hidden\"> new" not in client.get("/home").get_data(as_text=True)
    with app.test_request_context():
        assert badges().notifications_unread == 0  # nobody signed in here
