"""Widening the circle: shown only when the member's group is stable (STABLE_COMPANIONS others still
in it went to at least STABLE_TIMES_TOGETHER of the same activities of that group) and they are at
step 3 or above; then exactly one open activity (the soonest that fits), or else a second group."""
import html as htmllib
from datetime import timedelta

import pytest

from community.extensions import db
from community.groups import services as groups
from community.journey import widening
from community.models import Membership, Profile, User
from community.models.activity import Activity, Rsvp
from community.models.base import utcnow
from tests.factories import member
from tests.support import login_client as login


def text(response) -> str:
    return htmllib.unescape(response.get_data(as_text=True))


def activity(title: str, starts, step: int = 3, groups_=(), audience="groups", **extra) -> Activity:
    found = Activity(title=title, focus="board-games", format=extra.pop("format", "online"),
                     join_url="https://example.org/room", starts_at=starts, ends_at=starts + timedelta(hours=2),
                     capacity=8, comfort_step=step, audience=audience, groups=list(groups_), **extra)
    db.session.add(found)
    db.session.flush()
    return found


def attended(found: Activity, *people: User) -> None:
    for person in people:
        db.session.add(Rsvp(activity_id=found.id, user_id=person.id, status="going", attended=True))


@pytest.fixture
def world(app):
    """"Walkers": Ann, Bea, Cal, Dee (all step 3). Ann, Bea and Cal went to three Walkers activities
    together; Dee to one. Open activities ahead: the one to suggest, and four that must be passed over."""
    with app.app_context():
        now = utcnow()
        ann, bea, cal, dee = (member(f"{n.lower()}@example.org", f"{n} Test", comfort=3)
                              for n in ("Ann", "Bea", "Cal", "Dee"))
        walkers = groups.create_group("Walkers", "online", [ann, bea, cal, dee], None)
        for days in (21, 14, 7):
            past = activity(f"Walk {days}", now - timedelta(days=days), groups_=[walkers])
            attended(past, ann, bea, cal, *([dee] if days == 7 else []))
        activity("Open games afternoon", now + timedelta(days=5), step=3, audience="open")
        activity("Open dinner (step 4)", now + timedelta(days=1), step=4, audience="open")
        answered = activity("Open quiz she answered", now + timedelta(days=2), step=2, audience="open")
        db.session.add(Rsvp(activity_id=answered.id, user_id=ann.id, status="not_going"))
        activity("Open cancelled picnic", now + timedelta(days=3), step=1, audience="open", status="cancelled")
        activity("Walkers' own open walk", now + timedelta(days=4), step=1, audience="open", groups_=[walkers])
        activity("Last month's open social", now - timedelta(days=30), step=1, audience="open")
        db.session.commit()
        return {"walkers": walkers.id, **{n: p.id for n, p in zip(("ann", "bea", "cal", "dee"),
                                                                   (ann, bea, cal, dee), strict=True)}}


def card(page: str) -> str | None:
    return page.split('id="widening-title"')[1].split("</section>")[0] if 'id="widening-title"' in page else None


def open_activity_id(app, title: str) -> int:
    with app.app_context():
        return db.session.scalar(db.select(Activity.id).where(Activity.title == title))


def test_the_rule_is_written_down():
    assert (widening.STABLE_TIMES_TOGETHER, widening.STABLE_COMPANIONS, widening.WIDENING_FROM_STEP) == (3, 2, 3)


def test_stable_at_step_three_suggests_exactly_the_soonest_open_activity_that_fits(app, world):
    found = card(text(login(app, "ann@example.org").get("/journey")))
    assert found is not None
    assert f'<a href="/activities/{open_activity_id(app, "Open games afternoon")}">Open games afternoon</a>' in found
    assert "never your only source of connection" in found and "Walkers" in found
    for passed_over in ("Open dinner", "Open quiz", "Open cancelled", "Walkers' own", "Last month"):
        assert passed_over not in found
    assert found.count("<a ") == 1


def test_below_step_three_nothing_is_suggested(app, world):
    with app.app_context():
        db.session.get(Profile, world["ann"]).comfort_step = 2
        db.session.commit()
    assert card(text(login(app, "ann@example.org").get("/journey"))) is None


def test_one_companion_with_three_times_together_is_not_yet_stable(app, world):
    # Bea and Cal are Ann's two companions (Dee came once); with Cal at two walks, only Bea is left.
    with app.app_context():
        walk = db.session.scalar(db.select(Activity).where(Activity.title == "Walk 21"))
        db.session.execute(db.delete(Rsvp).where(Rsvp.activity_id == walk.id, Rsvp.user_id == world["cal"]))
        db.session.commit()
        assert widening.stable_group(db.session.get(User, world["ann"])) is None
    assert card(text(login(app, "ann@example.org").get("/journey"))) is None


def test_a_companion_who_left_the_group_no_longer_counts(app, world):
    with app.app_context():
        groups.leave_group(db.session.get(User, world["bea"]), db.session.get(groups.Group, world["walkers"]))
        assert widening.stable_group(db.session.get(User, world["ann"])) is None
    assert card(text(login(app, "ann@example.org").get("/journey"))) is None


def test_attendance_only_as_marked_counts(app, world):
    """Going, but not marked as having come, doesn't count towards time together."""
    with app.app_context():
        db.session.execute(db.update(Rsvp).where(Rsvp.user_id == world["cal"]).values(attended=None))
        db.session.commit()
        assert widening.stable_group(db.session.get(User, world["ann"])) is None


def test_every_member_of_a_stable_core_sees_it(app, world):
    with app.app_context():
        assert widening.stable_group(db.session.get(User, world["bea"])).name == "Walkers"
        assert widening.stable_group(db.session.get(User, world["dee"])) is None  # only once together


def test_with_no_open_activity_a_second_group_that_fits(app, world):
    with app.app_context():
        db.session.execute(db.delete(Activity).where(Activity.audience == "open"))
        ivy, joe = (member(f"{n}@example.org", f"{n.title()} Reader", comfort=3) for n in ("ivy", "joe"))
        readers = groups.create_group("Readers", "online", [ivy, joe], None)
        full = groups.create_group("Full house", "online", [member(f"f{n}@example.org", comfort=3) for n in range(2)],
                                   None)
        full.capacity = 2
        db.session.commit()
        readers_id = readers.id
    found = card(text(login(app, "ann@example.org").get("/journey")))
    assert found is not None
    assert '<a href="/groups/browse">Readers</a>' in found and "A second group with a free seat" in found
    assert "Full house" not in found
    with app.app_context():
        assert db.session.scalar(db.select(Membership.id).where(
            Membership.group_id == readers_id, Membership.user_id == world["ann"])) is None  # only suggested


def test_with_nothing_to_widen_to_there_is_no_card(app, world):
    with app.app_context():
        db.session.execute(db.delete(Activity).where(Activity.audience == "open"))
        db.session.commit()
    assert card(text(login(app, "ann@example.org").get("/journey"))) is None


def test_online_only_members_are_offered_online_activities_only(app, world):
    with app.app_context():
        games = db.session.scalar(db.select(Activity).where(Activity.title == "Open games afternoon"))
        games.format, games.join_url, games.venue = "in_person", None, "The Loft Café"
        online = activity("Open online trivia", utcnow() + timedelta(days=9), step=3, audience="open")
        profile = db.session.get(Profile, world["ann"])
        profile.online_only, profile.neighbourhood = True, None
        db.session.commit()
        ann = db.session.get(User, world["ann"])
        assert widening.open_activity_for(ann).id == online.id
        profile.online_only, profile.neighbourhood = False, "decatur"
        db.session.commit()
        assert widening.open_activity_for(ann).title == "Open games afternoon"
