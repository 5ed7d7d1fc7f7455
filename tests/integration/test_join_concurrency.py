"""Size caps hold when many members reach for the last seat at the same moment, and a matching
run can't be applied twice even by two organizers clicking together: real threads, each with its
own session and connection, against a migrated SQLite file and a real PostgreSQL database."""
import threading

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from community.extensions import db
from community.groups import services
from community.groups.services import GroupError
from community.models import Group, GroupAnnouncement, MatchRun, Membership, User
from tests.conftest import another_app, app_config, scratch_postgres
from tests.factories import circle, member

JOINERS = 8
BOARD_GAMES = {"interests": ["board-games"], "availability": [11, 17, 20]}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def app(request, tmp_path):
    """A migrated app on its own database (overrides the shared `app` fixture for this module)."""
    if request.param == "sqlite":
        with another_app(app_config(f"sqlite:///{tmp_path / 'join.db'}")) as app:
            with app.app_context():
                upgrade()
            yield app
    else:
        with scratch_postgres("cg_join") as url, another_app(app_config(url)) as app:
            with app.app_context():
                upgrade()
            yield app


def all_at_once(app, count: int, action) -> list[str]:
    """Run `action(i)` in `count` threads, each in its own app context (own session, own connection),
    released together; returns "ok" or the refusal message for each."""
    outcomes: list[str] = [""] * count
    gate = threading.Barrier(count)

    def worker(i: int) -> None:
        with app.app_context():
            try:
                prepared = action(i)
                gate.wait()
                prepared()
                outcomes[i] = "ok"
            except GroupError as exc:
                outcomes[i] = str(exc)
            except Exception as exc:  # reported in the assertion, not lost in the thread
                outcomes[i] = f"unexpected: {exc!r}"
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_only_one_of_many_simultaneous_joins_gets_the_last_seat(app):
    with app.app_context():
        group = services.create_group("Tabletop", "online", circle("player", 5, **BOARD_GAMES), None)
        group_id = group.id
        joiners = [member(f"joiner{n}@example.org", **BOARD_GAMES).id for n in range(JOINERS)]

    def join(i):
        user, group = db.session.get(User, joiners[i]), db.session.get(Group, group_id)
        return lambda: services.join_group(user, group)

    outcomes = all_at_once(app, JOINERS, join)
    assert outcomes.count("ok") == 1, outcomes
    assert all(o == "ok" or "last seat was just taken" in o for o in outcomes), outcomes
    with app.app_context():
        seated = db.session.scalar(select(func.count()).select_from(Membership).where(
            Membership.group_id == group_id, Membership.left_at.is_(None)))
        notes = db.session.scalar(select(func.count()).select_from(GroupAnnouncement).where(
            GroupAnnouncement.kind == "newcomer"))
    assert (seated, notes) == (6, 1), "the cap held and the refused joins left nothing behind"


def test_two_organizers_applying_one_preview_place_people_once(app):
    with app.app_context():
        circle("player", 5, **BOARD_GAMES)
        run_id = services.preview_match(None).id

    def apply(i):
        run = db.session.get(MatchRun, run_id)
        return lambda: services.apply_match(run, None)

    outcomes = all_at_once(app, 2, apply)
    assert outcomes.count("ok") == 1 and any("already been applied" in o for o in outcomes), outcomes
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Group)) == 1
        assert db.session.scalar(select(func.count()).select_from(Membership)) == 5


def test_two_previews_of_the_same_moment_cannot_both_be_applied(app):
    with app.app_context():
        circle("player", 5, **BOARD_GAMES)
        run_ids = [services.preview_match(None).id, services.preview_match(None, seed=1).id]

    def apply(i):
        run = db.session.get(MatchRun, run_ids[i])
        return lambda: services.apply_match(run, None)

    outcomes = all_at_once(app, 2, apply)
    assert outcomes.count("ok") == 1 and any("changed since this preview" in o for o in outcomes), outcomes
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Membership)) == 5
