"""The journey's periodic pass (`flask journey-pass`, and the loop each server runs): an overdue
turn passes on quietly, a group gone quiet gets a conversation starter, and a group with a round
still going is left to its question."""
from datetime import timedelta

from sqlalchemy import func, select

from community.extensions import db
from community.journey import watch
from community.models import ConversationRound, Group, GroupAnnouncement
from community.models.base import utcnow
from tests.journey.test_rounds import begin, current_of, make_group


def _age(group_id: int, days: int) -> None:
    db.session.get(Group, group_id).created_at = utcnow() - timedelta(days=days)
    db.session.commit()


def _starters(group_id: int) -> int:
    return db.session.scalar(select(func.count(GroupAnnouncement.id)).where(
        GroupAnnouncement.group_id == group_id, GroupAnnouncement.kind == "starter"))


def test_the_command_moves_an_overdue_turn_on_and_wakes_a_quiet_group(app, runner):
    with app.app_context():
        quiet = make_group(prefix="q")
        in_round = make_group(prefix="r")
        for ids in (quiet, in_round):
            _age(ids["group"], 12)
        begin(in_round["group"], now=utcnow() - timedelta(hours=25))
        first, second, *_ = in_round["people"]
        assert current_of(in_round["group"]) == first

    result = runner.invoke(args=["journey-pass"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "question rounds moved on or started 1, conversation starters 1"
    with app.app_context():
        assert current_of(in_round["group"]) == second
        assert _starters(quiet["group"]) == 1
        assert _starters(in_round["group"]) == 0  # its question is still going round

    with app.app_context():  # a second pass right away has nothing to do
        assert watch.run_once() == {"rounds": 0, "starters": 0}


def test_once_the_round_is_over_a_quiet_group_gets_its_starter(app):
    with app.app_context():
        ids = make_group(prefix="z")
        _age(ids["group"], 12)
        round_id = begin(ids["group"])
        db.session.get(ConversationRound, round_id).finished_at = utcnow()
        db.session.commit()
        assert watch.run_once()["starters"] == 1
