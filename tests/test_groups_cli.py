"""`flask match` and `flask groups ...`: plain summaries, parseable ids, clear refusals."""
import re

from sqlalchemy import func, select

from community.extensions import db
from community.models import Group, MatchRun, Membership
from tests.factories import circle, member

BOARD_GAMES = {"interests": ["board-games", "card-games"], "availability": [11, 17, 20]}


def populate(app, **profile):
    with app.app_context():
        circle("player", 5, **(profile or BOARD_GAMES))
        member("loner@example.org", interests=["bonsai"], availability=[2], online_only=True)


def counts(app) -> tuple[int, int, int]:
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(model))
                     for model in (Group, Membership, MatchRun))


def row(output: str, label: str) -> str:
    match = re.search(rf"^\s+{label}\s+(\S+)", output, re.M)
    assert match, output
    return match.group(1)


def test_match_previews_by_default(app, runner):
    populate(app)
    result = runner.invoke(args=["match"])
    assert result.exit_code == 0, result.output
    assert "preview, nothing changed yet" in result.output
    assert [row(result.output, label) for label in ("Members considered", "Placed", "New groups",
                                                   "Filled groups", "Waitlisted")] == ["6", "5", "1", "0", "1"]
    assert re.search(r"Time\s+\d+\.\d\d s", result.output)
    assert re.search(r"new\s+Board games \w+\s+(online|in person)\s+\+5 \(5 total\)\s+Board games", result.output)
    assert "flask --app app match --apply" in result.output
    assert counts(app) == (0, 0, 1), "a preview is recorded but places nobody"


def test_match_apply_places_members_and_keeps_them_next_time(app, runner):
    populate(app)
    applied = runner.invoke(args=["match", "--apply", "--seed", "3"])
    assert applied.exit_code == 0, applied.output
    assert "(applied)" in applied.output and row(applied.output, "Placed") == "5"
    assert "Proposed groups" not in applied.output
    assert counts(app)[:2] == (1, 5)
    again = runner.invoke(args=["match", "--apply"])
    assert again.exit_code == 0 and row(again.output, "Placed") == "0"
    assert counts(app)[:2] == (1, 5)


def test_match_with_nobody_onboarded(app, runner):
    result = runner.invoke(args=["match"])
    assert result.exit_code == 0, result.output
    assert row(result.output, "Members considered") == "0"


def test_groups_create_prints_an_id_to_use(app, runner):
    populate(app)
    result = runner.invoke(args=["groups", "create", "Thursday Tabletop", "--member", "Player0@example.org",
                                 "--member", "player1@example.org", "--mode", "in_person"])
    assert result.exit_code == 0, result.output
    match = re.fullmatch(r"Created group (\d+) 'Thursday Tabletop' with 2 members\.\n", result.output)
    assert match, result.output
    with app.app_context():
        group = db.session.get(Group, int(match.group(1)))
        assert (group.mode, group.origin, group.neighbourhood, group.size) == ("in_person", "manual", "decatur", 2)
    group_id = match.group(1)

    added = runner.invoke(args=["groups", "add-member", group_id, "player2@example.org"])
    assert added.exit_code == 0 and "Added player2@example.org" in added.output and "3 members" in added.output
    again = runner.invoke(args=["groups", "add-member", group_id, "player2@example.org"])
    assert again.exit_code == 1 and "already in Thursday Tabletop" in again.output
    removed = runner.invoke(args=["groups", "remove-member", group_id, "player0@example.org"])
    assert removed.exit_code == 0 and "2 members now" in removed.output
    gone = runner.invoke(args=["groups", "remove-member", group_id, "player0@example.org"])
    assert gone.exit_code == 1 and "isn't in Thursday Tabletop" in gone.output


def test_groups_commands_refuse_clearly(app, runner):
    populate(app)
    unknown = runner.invoke(args=["groups", "create", "Circle", "--member", "ghost@example.org"])
    assert unknown.exit_code == 1 and "No account with email ghost@example.org" in unknown.output
    assert "Traceback" not in unknown.output and counts(app)[0] == 0
    no_members = runner.invoke(args=["groups", "create", "Circle"])
    assert no_members.exit_code == 2 and "--member" in no_members.output
    bad_mode = runner.invoke(args=["groups", "create", "Circle", "--member", "player0@example.org",
                                   "--mode", "carrier-pigeon"])
    assert bad_mode.exit_code == 2 and "carrier-pigeon" in bad_mode.output
    blank = runner.invoke(args=["groups", "create", "  ", "--member", "player0@example.org"])
    assert blank.exit_code == 1 and "give the group a name" in blank.output
    missing = runner.invoke(args=["groups", "add-member", "999", "player0@example.org"])
    assert missing.exit_code == 1 and "No group with id 999" in missing.output
    missing = runner.invoke(args=["groups", "remove-member", "999", "player0@example.org"])
    assert missing.exit_code == 1 and "No group with id 999" in missing.output
    not_a_number = runner.invoke(args=["groups", "add-member", "twelve", "player0@example.org"])
    assert not_a_number.exit_code == 2


def test_add_member_respects_the_size_cap(app, runner):
    with app.app_context():
        circle("player", 7, **BOARD_GAMES)
    args = ["groups", "create", "Six", "--mode", "online"]
    for n in range(6):
        args += ["--member", f"player{n}@example.org"]
    created = runner.invoke(args=args)
    group_id = re.search(r"Created group (\d+)", created.output).group(1)
    full = runner.invoke(args=["groups", "add-member", group_id, "player6@example.org"])
    assert full.exit_code == 1 and "Six is full right now (6 people)" in full.output
