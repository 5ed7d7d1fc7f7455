"""Conversation starters: drawn from the group's shared interests, deterministic, never one of the
group's last few, posted to groups gone quiet by run_due with a fixed clock (once, not again
until someone writes), and one starter, not two, when two processes run at once."""
from datetime import timedelta

from sqlalchemy import func, select

from community.extensions import db
from community.groups import services as groups
from community.groups.wording import STARTERS
from community.journey import starters
from community.models import Group, GroupAnnouncement, Message
from community.models.base import utcnow
from tests.conftest import at_once
from tests.factories import circle, member

NOW = utcnow().replace(microsecond=0)


def people(prefix: str, count: int = 2):
    return [member(f"{prefix}{n}@example.org", f"{prefix.title()} {n}") for n in range(count)]


def group_of(name: str, users, days_old: float = 30, interests=("Board games",)) -> Group:
    group = groups.create_group(name, "online", users, None)
    group.created_at = NOW - timedelta(days=days_old)
    group.shared_interests = list(interests)
    db.session.commit()
    return group


def say(group, user, days_ago: float, **extra) -> None:
    db.session.add(Message(group_id=group.id, author_id=user.id, body="hi", created_at=NOW - timedelta(days=days_ago),
                           **extra))
    db.session.commit()


def starter_bodies(group_id: int) -> list[str]:
    return list(db.session.scalars(select(GroupAnnouncement.body).where(
        GroupAnnouncement.group_id == group_id, GroupAnnouncement.kind == "starter").order_by(GroupAnnouncement.id)))


def test_questions_come_from_the_groups_interests_and_are_deterministic():
    first = starters.choose(7, ["Board games", "Atlanta Braves"], [], 0)
    assert first == starters.choose(7, ["Board games", "Atlanta Braves"], [], 0)
    assert "board games" in first or "Atlanta Braves" in first
    assert starters.choose(7, [], [], 0) in starters.GENERAL_QUESTIONS
    picks = {starters.choose(7, ["Board games"], [], asked) for asked in range(12)}
    assert len(picks) > 3  # successive starters land in different places


def test_a_recent_question_is_not_asked_again():
    focused, _ = starters.questions_for(["Board games"])
    recent = [starters.starter_text(q) for q in focused[:-1]]
    assert starters.choose(3, ["Board games"], recent, 0) == focused[-1]
    # Every interest question asked lately: a general one instead.
    everything = [starters.starter_text(q) for q in focused]
    assert starters.choose(3, ["Board games"], everything, 0) in starters.GENERAL_QUESTIONS


def test_the_welcome_counts_as_a_recent_starter(app):
    with app.app_context():
        group = groups.create_group("Board games circle", "online", people("w"), None)
        group.shared_interests = ["Board games"]
        db.session.commit()
        welcome = group.announcements[0].body
        welcome_question = next(q.format(focus="board games") for q in STARTERS if q.format(focus="board games") in welcome)
        for _ in range(12):
            assert welcome_question not in starters.next_starter(group)
            starters.post_starter(group, NOW)
            db.session.commit()


def test_consecutive_starters_never_repeat_the_last_few(app):
    with app.app_context():
        group = group_of("Board games circle", people("r"))
        for _ in range(25):
            starters.post_starter(group, NOW)
            db.session.commit()
        bodies = starter_bodies(group.id)
        for n in range(len(bodies)):
            window = bodies[max(0, n - starters.RECENT + 1):n + 1]
            assert len(set(window)) == len(window), f"repeated within {starters.RECENT}: {window}"
        assert all("board games" in body for body in bodies[:20])  # the interest's questions first
        assert all(len(body) <= 600 and "fine" in body for body in bodies)


def test_every_new_group_starts_with_a_question(app):
    with app.app_context():
        circle("matched", 5, interests=["board-games", "card-games"])
        groups.run_and_apply(None)
        matched = db.session.scalars(select(Group).where(Group.origin == "matching")).all()
        assert matched and all(any(a.kind == "welcome" and "Something to start with:" in a.body
                                   for a in g.announcements) for g in matched)
        by_hand = groups.create_group("By hand", "online", people("h"), None)
        assert "Something to start with:" in by_hand.announcements[0].body


def test_run_due_posts_to_quiet_groups_once(app):
    with app.app_context():
        assert app.config["STARTER_QUIET_DAYS"] == 5
        quiet = group_of("Quiet", people("q"))
        lively = group_of("Lively", people("l"))
        silent_since_start = group_of("Silent since start", people("s"), days_old=6)
        new = group_of("New", people("n"), days_old=2)
        answered = group_of("Starter already", people("a"))
        emptied = group_of("Emptied", people("e", 1))
        hidden_only = group_of("Only a hidden message", people("h"))
        say(quiet, quiet.memberships[0].user, 6)
        say(lively, lively.memberships[0].user, 2)
        say(answered, answered.memberships[0].user, 9)
        db.session.add(GroupAnnouncement(group_id=answered.id, kind="starter", body="A question",
                                         created_at=NOW - timedelta(days=8)))
        db.session.commit()
        groups.leave_group(emptied.memberships[0].user, emptied)
        say(hidden_only, hidden_only.memberships[0].user, 7)
        say(hidden_only, hidden_only.memberships[1].user, 1, hidden_at=NOW)
        ids = {g.name: g.id for g in (quiet, lively, silent_since_start, new, answered, emptied, hidden_only)}

        assert starters.run_due(NOW) == 3
        posted = {name for name, gid in ids.items() if starter_bodies(gid) and name != "Starter already"}
        assert posted == {"Quiet", "Silent since start", "Only a hidden message"}
        assert starter_bodies(ids["Starter already"]) == ["A question"]
        # The starter is in the group's chat too, from Common Ground.
        assert db.session.scalar(select(func.count(Message.id)).where(
            Message.group_id == ids["Quiet"], Message.kind == "system", Message.body == starter_bodies(ids["Quiet"])[0]
        )) == 1
        assert starters.run_due(NOW) == 0
        # Later the lively and the new group have gone quiet too; the others get no second starter,
        # as nobody wrote since theirs.
        assert starters.run_due(NOW + timedelta(days=20)) == 2
        assert {name: len(starter_bodies(gid)) for name, gid in ids.items()} == {
            "Quiet": 1, "Lively": 1, "Silent since start": 1, "New": 1, "Starter already": 1, "Emptied": 0,
            "Only a hidden message": 1}

        # Someone answers; five quiet days later the group gets the next question, a different one.
        q = db.session.get(Group, ids["Quiet"])
        say(q, q.memberships[1].user, -21)
        assert starters.run_due(NOW + timedelta(days=25)) == 0  # four days after the answer
        assert starters.run_due(NOW + timedelta(days=26)) == 1
        first, second = starter_bodies(ids["Quiet"])
        assert first != second


def test_the_quiet_days_come_from_the_config(app):
    with app.app_context():
        app.config["STARTER_QUIET_DAYS"] = 10
        group = group_of("Quiet", people("q"))
        say(group, group.memberships[0].user, 6)
        assert starters.run_due(NOW) == 0
        assert starters.run_due(NOW + timedelta(days=4)) == 1


def test_two_processes_post_one_starter_per_group(app, database_url):
    with app.app_context():
        made = [group_of(f"Quiet {n}", people(f"p{n}x")) for n in range(4)]
        ids = [g.id for g in made]
    counts = at_once(database_url, lambda n: starters.run_due(NOW))
    assert sum(counts) == 4
    with app.app_context():
        assert [len(starter_bodies(gid)) for gid in ids] == [1, 1, 1, 1]
