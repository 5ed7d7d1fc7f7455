"""The weekly round a group agrees to: the majority rule exactly, starting once a week at the agreed
local time (never twice), the question it asks, and the schedule forms on the group page."""
from datetime import date, time, timedelta

import pytest
from sqlalchemy import func, select

from community.activities.times import to_utc
from community.extensions import db
from community.groups import services as groups
from community.journey import round_schedule, rounds
from community.models import ConversationRound, Group, RoundSchedule, User
from tests.conftest import at_once, submit
from tests.journey.test_rounds import make_group
from tests.support import login_client

MONDAY = date(2026, 11, 30)  # a Monday; the community's time zone is America/New_York


@pytest.fixture
def five(app):
    with app.app_context():
        return make_group(5, interests=("board-games", "hiking"))


def person(user_id: int) -> User:
    return db.session.get(User, user_id)


def at(day: date, hour: int, minute: int = 0):
    return to_utc(day, time(hour, minute))


def test_more_than_half_must_agree(app, five):
    p = five["people"]
    with app.app_context():
        round_schedule.propose(five["group"], person(p[0]), 0, 19, at(MONDAY, 9))
        round_schedule.agree(five["group"], person(p[1]))
        db.session.commit()
        found = round_schedule.agreement(five["group"])
        assert (found.agreeing, found.members, found.runs, found.needed) == (2, 5, False, 1)
        round_schedule.agree(five["group"], person(p[2]))
        db.session.commit()
        found = round_schedule.agreement(five["group"])
        assert (found.agreeing, found.runs, found.needed) == (3, True, 0)
        # Someone who agreed leaves: 2 of the 4 still here is not more than half.
        groups.leave_group(person(p[2]), db.session.get(Group, five["group"]))
        db.session.commit()
        found = round_schedule.agreement(five["group"])
        assert (found.agreeing, found.members, found.runs) == (2, 4, False)


def test_the_agreed_round_starts_once_a_week_at_the_local_time(app, five):
    p = five["people"]
    with app.app_context():
        round_schedule.propose(five["group"], person(p[0]), 0, 19, at(MONDAY, 9))
        for user_id in p[1:3]:
            round_schedule.agree(five["group"], person(user_id))
        db.session.commit()
        assert round_schedule.run_due(at(MONDAY, 18, 59)) == 0
        assert rounds.run_due(at(MONDAY, 19, 1)) == 1  # 7 p.m. Eastern: midnight UTC
        assert rounds.run_due(at(MONDAY, 19, 2)) == 0  # twice in a row does nothing
        assert round_schedule.run_due(at(MONDAY + timedelta(days=3), 19, 0)) == 0
        found = rounds.state(five["group"])
        assert found is not None and db.session.get(ConversationRound, found.round_id).started_by_id is None
        assert db.session.get(RoundSchedule, five["group"]).last_run_on == MONDAY
        rounds.end(five["group"], None)
        db.session.commit()
        next_week = MONDAY + timedelta(days=7)
        assert round_schedule.run_due(at(next_week, 19, 5)) == 1
        assert round_schedule.run_due(at(next_week, 19, 6)) == 0
        assert db.session.scalar(select(func.count(ConversationRound.id))) == 2


def test_without_a_majority_nothing_starts(app, five):
    p = five["people"]
    with app.app_context():
        round_schedule.propose(five["group"], person(p[0]), 0, 19, at(MONDAY, 9))
        round_schedule.agree(five["group"], person(p[1]))
        db.session.commit()
        assert round_schedule.run_due(at(MONDAY, 19, 1)) == 0
        assert rounds.state(five["group"]) is None


def test_a_time_agreed_after_it_went_by_waits_for_next_week(app, five):
    p = five["people"]
    with app.app_context():
        round_schedule.propose(five["group"], person(p[0]), 0, 19, at(MONDAY, 20))
        for user_id in p[1:3]:
            round_schedule.agree(five["group"], person(user_id))
        db.session.commit()
        assert round_schedule.run_due(at(MONDAY, 20, 30)) == 0


def test_two_passes_at_the_same_moment_start_it_once(app, database_url, five):


    p = five["people"]
    with app.app_context():
        round_schedule.propose(five["group"], person(p[0]), 0, 19, at(MONDAY, 9))
        for user_id in p[1:3]:
            round_schedule.agree(five["group"], person(user_id))
        db.session.commit()
        when = at(MONDAY, 19, 1)
    results = at_once(database_url, lambda n: round_schedule.run_due(when))
    assert sorted(results) == [0, 1]
    with app.app_context():
        assert db.session.scalar(select(func.count(ConversationRound.id))) == 1


def test_questions_come_from_shared_interests_and_skip_recent_ones(app, five):
    with app.app_context():
        group = db.session.get(Group, five["group"])
        group.shared_interests = ["Board games", "Dungeons & Dragons"]
        db.session.commit()
        bank = round_schedule.question_bank(group)
        assert bank[:2] == ["What first drew you to board games?", "What first drew you to Dungeons & Dragons?"]
        first = round_schedule.suggestions(group, 1)[0]
        assert first == bank[0]
        rounds.start(group, first, None)
        rounds.end(group.id, None)
        db.session.commit()
        after = round_schedule.suggestions(group, 3)
        assert first not in after and after == round_schedule.suggestions(group, 3)  # deterministic


def test_a_running_schedule_is_not_replaced(app, five):
    p = five["people"]
    with app.app_context():
        round_schedule.propose(five["group"], person(p[0]), 0, 19, at(MONDAY, 9))
        for user_id in p[1:3]:
            round_schedule.agree(five["group"], person(user_id))
        db.session.commit()
        with pytest.raises(rounds.RoundError, match="has agreed on Mondays at 7 p.m."):
            round_schedule.propose(five["group"], person(p[4]), 2, 10)


def test_members_propose_agree_and_withdraw_on_the_group_page(app, five):
    group_id = five["group"]
    ana, ben = login_client(app, "r0@example.org"), login_client(app, "r1@example.org")
    page = f"/groups/{group_id}"
    proposed = submit(ana, page, {"schedule-weekday": "3", "schedule-hour": "18"},
                      action=f"/groups/{group_id}/rounds/schedule")
    assert proposed.status_code == 302
    shown = ben.get(page).get_data(as_text=True)
    assert "Thursdays at 6 p.m." in shown and "1 of 5 members agree" in shown and "(2 more)" in shown
    assert submit(ben, page, {}, action=f"/groups/{group_id}/rounds/schedule/agree").status_code == 302
    assert "2 of 5 members agree" in ben.get(page).get_data(as_text=True)
    assert submit(ben, page, {}, action=f"/groups/{group_id}/rounds/schedule/withdraw").status_code == 302
    assert "1 of 5 members agree" in ben.get(page).get_data(as_text=True)
    bad = submit(ben, page, {"schedule-weekday": "9", "schedule-hour": "25"}, action=f"/groups/{group_id}/rounds/schedule")
    assert bad.status_code == 400
    with app.app_context():
        assert (db.session.get(RoundSchedule, group_id).weekday, db.session.get(RoundSchedule, group_id).hour) == (3, 18)


def test_only_members_agree(app, five):
    with app.app_context():
        from tests.factories import member

        member("olu.sched@example.org", "Olu", role="organizer")
    olu = login_client(app, "olu.sched@example.org")
    refused = submit(olu, f"/groups/{five['group']}", {"schedule-weekday": "3", "schedule-hour": "18"},
                     action=f"/groups/{five['group']}/rounds/schedule")
    assert refused.status_code == 403
    with app.app_context():
        assert db.session.get(RoundSchedule, five["group"]) is None
