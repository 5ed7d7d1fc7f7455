"""Question rounds: turn order, answering by chat message, passing, timeouts, members who leave,
the closing note, and who may start or end one (through the real pages)."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import delete, select

from community.chat import services as chat
from community.extensions import db
from community.groups import services as groups
from community.journey import rounds
from community.models import ConversationRound, Group, GroupModerator, Membership, Message, RoundTurn, User
from community.models.base import utcnow
from tests.conftest import at_once, csrf_token, submit
from tests.factories import member
from tests.support import login_client

NAMES = ("Ana", "Ben", "Cal", "Dee", "Eve")


def make_group(count: int = 4, prefix: str = "r", interests=("board-games",)) -> dict:
    """`count` members of one group whose join order is NOT their id order: the last one made
    joined first. Returns ids: group, people (in join order), by_name."""
    people = [member(f"{prefix}{n}@example.org", NAMES[n], interests=interests) for n in range(count)]
    group = groups.create_group("Round table", "online", people, by=None)
    start = utcnow() - timedelta(days=30)
    memberships = {m.user_id: m for m in db.session.scalars(select(Membership).where(Membership.group_id == group.id))}
    joined = list(reversed(people))
    for n, person in enumerate(joined):
        memberships[person.id].joined_at = start + timedelta(days=n)
    db.session.commit()
    return {"group": group.id, "people": [p.id for p in joined], "by_name": {p.display_name: p.id for p in people}}


def order_of(round_id: int) -> list[int]:
    return list(db.session.scalars(select(RoundTurn.user_id).where(RoundTurn.round_id == round_id)
                                   .order_by(RoundTurn.position)))


def statuses(round_id: int) -> dict[int, str]:
    return dict(db.session.execute(select(RoundTurn.user_id, RoundTurn.status).where(RoundTurn.round_id == round_id)).all())


def current_of(group_id: int) -> int | None:
    found = rounds.state(group_id)
    return found.current_id if found else None


def system_bodies(group_id: int) -> list[str]:
    return list(db.session.scalars(select(Message.body).where(Message.group_id == group_id, Message.kind == "system")
                                   .order_by(Message.id)))


def begin(group_id: int, question: str = "What made you smile this week?", now=None) -> int:
    found = rounds.start(db.session.get(Group, group_id), question, None, now)
    db.session.commit()
    return found.id


def say(user_id: int, group_id: int, body: str, client_id: str):
    user = db.session.get(User, user_id)
    return chat.send(chat.Sender(user.id, user.display_name, user.role, user.created_at), group_id, body, client_id)


@pytest.fixture
def table(app):
    with app.app_context():
        return make_group()


def test_turn_order_is_join_order_rotated_by_the_rounds_before(app, table):
    a, b, c, d = table["people"]
    with app.app_context():
        first = begin(table["group"])
        assert order_of(first) == [a, b, c, d]
        assert statuses(first) == {a: "current", b: "waiting", c: "waiting", d: "waiting"}
        rounds.end(table["group"], None)
        db.session.commit()
        second = begin(table["group"])
        assert order_of(second) == [b, c, d, a]
        rounds.end(table["group"], None)
        db.session.commit()
        assert order_of(begin(table["group"])) == [c, d, a, b]


def test_start_posts_the_question_and_how_it_works_then_invites_the_first(app, table):
    with app.app_context():
        begin(table["group"], "What's a place you like?")
        *_, opening, invite = system_bodies(table["group"])
        assert opening.startswith("A question round: What's a place you like?")
        assert "one at a time" in opening and "Passing is always fine, no reason needed" in opening
        assert invite.startswith("Over to you, Dee.")  # Dee joined first


def test_a_message_on_your_turn_is_your_answer_and_the_turn_moves_on(app, table):
    a, b, c, _ = table["people"]
    with app.app_context():
        round_id = begin(table["group"])
        early = say(b, table["group"], "I'll go after Dee", "b-1")  # not Ben's turn yet: just a message
        assert statuses(round_id)[b] == "waiting" and current_of(table["group"]) == a
        sent = say(a, table["group"], "A walk by the river.", "a-1")
        turn = db.session.get(RoundTurn, (round_id, a))
        assert (turn.status, turn.message_id) == ("answered", sent.message["id"])
        assert current_of(table["group"]) == b and early.message["id"] < sent.message["id"]
        assert system_bodies(table["group"])[-1].startswith("Over to you, Cal.")
        say(b, table["group"], "Pancakes.", "b-2")
        assert current_of(table["group"]) == c


def test_a_retry_of_an_answer_does_not_take_the_next_turn(app, table):
    a, b, *_ = table["people"]
    with app.app_context():
        round_id = begin(table["group"])
        first = say(a, table["group"], "Tea.", "a-1")
        again = say(a, table["group"], "Tea.", "a-1")
        assert again.created is False and again.message["id"] == first.message["id"]
        assert statuses(round_id)[a] == "answered" and current_of(table["group"]) == b


def test_a_held_message_counts_as_the_turn_without_showing_anything(app, table):
    a, b, *_ = table["people"]
    with app.app_context():
        round_id = begin(table["group"])
        sent = say(a, table["group"], "nobody wants you here", "a-held")  # harassment: held for review
        assert sent.held == "harassment"
        assert statuses(round_id)[a] == "answered" and current_of(table["group"]) == b
        assert not any("nobody wants you" in body for body in system_bodies(table["group"]))


def test_only_the_current_member_may_pass_and_passing_moves_on_quietly(app, table):
    a, b, c, _ = table["people"]
    with app.app_context():
        round_id = begin(table["group"])
        with pytest.raises(rounds.RoundError, match="isn't your turn"):
            rounds.pass_turn(table["group"], b)
        db.session.rollback()
        rounds.pass_turn(table["group"], a)
        db.session.commit()
        assert statuses(round_id) == {a: "passed", b: "current", c: "waiting", table["people"][3]: "waiting"}
        assert system_bodies(table["group"])[-1].startswith("Over to you, Cal.")
        # Dee is named once, when invited; nothing says what she did with her turn.
        assert [body for body in system_bodies(table["group"]) if "Dee" in body] == [rounds.over_to("Dee")]


def test_a_turn_not_taken_in_time_passes_on_quietly(app, table):
    a, b, *_ = table["people"]
    with app.app_context():
        started = utcnow()
        round_id = begin(table["group"], now=started)
        assert rounds.run_due(started + timedelta(hours=23)) == 0
        assert current_of(table["group"]) == a
        assert rounds.run_due(started + timedelta(hours=24, minutes=1)) == 1
        assert statuses(round_id)[a] == "passed" and current_of(table["group"]) == b
        assert rounds.run_due(started + timedelta(hours=24, minutes=2)) == 0  # Ben's turn has just begun


def test_members_who_leave_are_skipped(app, table):
    a, b, c, d = table["people"]
    with app.app_context():
        round_id = begin(table["group"])
        groups.leave_group(db.session.get(User, c), db.session.get(Group, table["group"]))  # waiting
        db.session.commit()
        groups.leave_group(db.session.get(User, a), db.session.get(Group, table["group"]))  # current
        db.session.commit()
        assert current_of(table["group"]) == b
        say(b, table["group"], "Hello all", "b-1")
        assert current_of(table["group"]) == d  # Cal, gone, was passed over
        assert statuses(round_id) == {a: "passed", b: "answered", c: "passed", d: "current"}
        assert not any("Ben" in body for body in system_bodies(table["group"]))  # never invited, never named


def test_a_round_whose_speaker_deleted_their_account_moves_on(app, table):
    a, b, *_ = table["people"]
    with app.app_context():
        round_id = begin(table["group"])
        db.session.execute(delete(RoundTurn).where(RoundTurn.round_id == round_id, RoundTurn.user_id == a))
        db.session.commit()  # as the account's deletion cascades
        assert current_of(table["group"]) is None
        assert rounds.run_due(utcnow()) == 1
        assert current_of(table["group"]) == b
        assert rounds.run_due(utcnow()) == 0


def test_the_last_turn_closes_the_round_with_a_thank_you_naming_nobody(app, table):
    a, b, c, d = table["people"]
    with app.app_context():
        round_id = begin(table["group"])
        say(a, table["group"], "Mine: tea.", "a-1")
        rounds.pass_turn(table["group"], b)
        db.session.commit()
        rounds.run_due(utcnow() + timedelta(days=2))  # Cal lets it go by
        say(d, table["group"], "Biscuits.", "d-1")
        assert db.session.get(ConversationRound, round_id).finished_at is not None
        assert rounds.state(table["group"]) is None
        bodies = system_bodies(table["group"])
        assert bodies[-1] == rounds.THANKS
        assert not any(name in bodies[-1] for name in NAMES)
        assert not any("passed" in body.lower() for body in bodies)
        # Once closed, a message is just a message.
        say(a, table["group"], "Thanks all", "a-2")
        assert system_bodies(table["group"]) == bodies


def test_two_timeout_passes_at_once_move_the_round_on_once(app, database_url, table):
    """Two server processes' periodic passes at the same moment (PostgreSQL: row locks; SQLite:
    one writer at a time): the turn passes once, and exactly one next member is invited."""
    a, b, *_ = table["people"]
    with app.app_context():
        started = utcnow()
        round_id = begin(table["group"], now=started)
    later = started + timedelta(hours=25)
    results = at_once(database_url, lambda n: rounds.run_due(later))
    assert sorted(results) == [0, 1]
    with app.app_context():
        assert statuses(round_id)[a] == "passed"
        assert list(statuses(round_id).values()).count("current") == 1 and current_of(table["group"]) == b


def test_two_messages_at_once_take_one_turn_and_skip_nobody(app, database_url, table):
    """The current member's two messages, from two server processes at the same moment: one is the
    answer, the next member is invited once, and nobody after them is skipped."""
    a, b, c, _ = table["people"]
    with app.app_context():
        round_id = begin(table["group"])
    results = at_once(database_url, lambda n: say(a, table["group"], f"At once {n}", f"at-once-{n}").message["id"])
    with app.app_context():
        turn = db.session.get(RoundTurn, (round_id, a))
        assert turn.status == "answered" and turn.message_id in results
        assert statuses(round_id) == {a: "answered", b: "current", c: "waiting", table["people"][3]: "waiting"}
        assert system_bodies(table["group"]).count(rounds.over_to("Cal")) == 1


# --- through the pages ---

@pytest.fixture
def staff(app, table):
    with app.app_context():
        mo = member("mo.rounds@example.org", "Mo", role="moderator")
        member("kai.rounds@example.org", "Kai", role="moderator")  # moderates no group here
        member("olu.rounds@example.org", "Olu", role="organizer")
        db.session.add(GroupModerator(group_id=table["group"], user_id=mo.id))
        db.session.commit()
    return table


def start_page(app, email: str, group_id: int, question: str):
    client = login_client(app, email)
    return client, submit(client, f"/groups/{group_id}/rounds", {"question": question})


def test_who_may_start_a_round(app, staff):
    group_id = staff["group"]
    _, refused = start_page(app, "r0@example.org", group_id, "A member's question?")
    assert refused.status_code == 403
    stranger = login_client(app, "kai.rounds@example.org")  # a moderator of other groups
    assert stranger.get(f"/groups/{group_id}/rounds").status_code == 404
    client, started = start_page(app, "mo.rounds@example.org", group_id, "  What's   your favourite tea? ")
    assert started.status_code == 302
    with app.app_context():
        assert rounds.state(group_id).question == "What's your favourite tea?"
    _, again = start_page(app, "olu.rounds@example.org", group_id, "Another?")
    assert again.status_code == 409 and rounds.ALREADY_OPEN in again.get_data(as_text=True)
    ended = submit(client, f"/groups/{group_id}/rounds", {}, action=f"/groups/{group_id}/rounds/end")
    assert ended.status_code == 302
    with app.app_context():
        assert rounds.state(group_id) is None and system_bodies(group_id)[-1] == rounds.THANKS
    _, by_organizer = start_page(app, "olu.rounds@example.org", group_id, "And now?")
    assert by_organizer.status_code == 302


def test_the_question_is_required_and_short(app, staff):
    client, empty = start_page(app, "olu.rounds@example.org", staff["group"], "   ")
    assert empty.status_code == 400 and "Please write the question" in empty.get_data(as_text=True)
    long = submit(client, f"/groups/{staff['group']}/rounds", {"question": "x" * 301})
    assert long.status_code == 400 and "300 characters or fewer" in long.get_data(as_text=True)
    with app.app_context():
        assert rounds.state(staff["group"]) is None


def test_the_round_page_offers_questions_from_shared_interests(app, staff):
    page = login_client(app, "olu.rounds@example.org").get(f"/groups/{staff['group']}/rounds").get_data(as_text=True)
    assert "What first drew you to board games?" in page  # the default, in the question box


def pass_form(page: str) -> str:
    return re.search(r'<form method="post" class="round-pass"[^>]*>', page).group(0)


def test_the_group_page_shows_whose_turn_and_pass_only_to_them(app, staff):
    a, b, *_ = staff["people"]
    with app.app_context():
        begin(staff["group"], "Best thing this week?")
    dee = login_client(app, "r3@example.org")
    page = dee.get(f"/groups/{staff['group']}").get_data(as_text=True)
    assert "Best thing this week?" in page and "It's your turn." in page
    assert " hidden" not in pass_form(page)
    cal = login_client(app, "r2@example.org").get(f"/groups/{staff['group']}").get_data(as_text=True)
    assert "It's Dee's turn." in cal and pass_form(cal).endswith(" hidden>")
    # Someone else pressing Pass (a stale page): a kind 409, nothing changes.
    ana = login_client(app, "r0@example.org")
    refused = submit(ana, f"/groups/{staff['group']}", {}, action=f"/groups/{staff['group']}/rounds/pass")
    assert refused.status_code == 409 and "your turn in this round just now" in refused.get_data(as_text=True)
    passed = submit(dee, f"/groups/{staff['group']}", {}, action=f"/groups/{staff['group']}/rounds/pass")
    assert passed.status_code == 302
    with app.app_context():
        assert current_of(staff["group"]) == b


def test_pass_and_end_need_the_forms_token(app, staff):
    with app.app_context():
        begin(staff["group"])
    dee = login_client(app, "r3@example.org")
    csrf_token(dee, f"/groups/{staff['group']}")
    assert dee.post(f"/groups/{staff['group']}/rounds/pass").status_code == 400
    with app.app_context():
        assert current_of(staff["group"]) == staff["people"][0]
