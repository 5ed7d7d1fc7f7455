"""The organizers' aggregates against a real database, with exact expected values and a fixed
clock: the loneliness trend per month and group (and the months it covers), moving up a step,
repeat attendance, reciprocity in chat, and groups gone quiet."""
from datetime import UTC, datetime, timedelta

from community.extensions import db
from community.groups import services as groups
from community.journey import outcomes
from community.journey.kanon import HIDDEN, Share
from community.models import AccountDeletion, GroupAnnouncement, Membership, Message
from community.models.activity import Activity, Rsvp
from community.models.journey import MonthlyCheckIn, StepChange
from tests.factories import member

NOW = datetime(2026, 11, 20, 17, 0, tzinfo=UTC)
ITEMS = {3: (1, 1, 1), 4: (1, 1, 2), 5: (1, 2, 2), 6: (2, 2, 2), 7: (2, 2, 3), 8: (2, 3, 3), 9: (3, 3, 3)}


def people(prefix: str, count: int, **profile) -> list:
    return [member(f"{prefix}{n}@example.org", f"{prefix.title()} {n}", **profile) for n in range(count)]


def group_of(name: str, users, created_at: datetime = NOW - timedelta(days=60)):
    group = groups.create_group(name, "online", users, None)
    group.created_at = created_at
    db.session.commit()
    return group


def check_in(user, total: int, month: str = "2026-11", group=None, note: str = "") -> None:
    lack, left, isolated = ITEMS[total]
    db.session.add(MonthlyCheckIn(user_id=user.id, month=month, group_id=group.id if group else None, note=note,
                                  answers={"lack_company": lack, "left_out": left, "isolated": isolated,
                                           "group_connection": 3, "mood": 2}))
    db.session.commit()


def row(rows, group=None):
    return next(r for r in rows if r.group_id == (group.id if group else None))


def trend_row(trend, group=None):
    return next(r for r in trend.rows if r.group_id == (group.id if group else None))


# --- months -------------------------------------------------------------------------------------

def test_months_are_the_last_six_in_the_community_time_zone(app):
    with app.app_context():
        # 3 am UTC on December 1st is still November 30th in New York.
        assert outcomes.month_keys(datetime(2026, 12, 1, 3, 0, tzinfo=UTC)) == [
            "2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"]
        assert outcomes.month_keys(datetime(2026, 12, 1, 6, 0, tzinfo=UTC))[-1] == "2026-12"
        assert outcomes.month_keys(datetime(2027, 1, 15, 12, 0, tzinfo=UTC)) == [
            "2026-08", "2026-09", "2026-10", "2026-11", "2026-12", "2027-01"]


# --- loneliness trend -----------------------------------------------------------------------------

def test_five_check_ins_give_an_exact_mean_and_four_are_hidden(app):
    with app.app_context():
        five = people("five", 5)
        four = people("four", 4)
        a, b = group_of("Alpha", five), group_of("Beta", four)
        for user, total in zip(five, (3, 4, 5, 6, 7), strict=True):
            check_in(user, total, group=a)
        for user in four[:3]:
            check_in(user, 9, month="2026-10", group=b)
        trend = outcomes.loneliness_trend(NOW)
        assert trend.months[-1] == "2026-11" and trend.labels[-1] == "November 2026" and len(trend.months) == 6
        alpha = trend_row(trend, a).figures[-1]
        assert (alpha.value, alpha.people) == (5.0, 5)
        assert trend_row(trend, b).figures[-2] is HIDDEN  # October: three people
        assert trend_row(trend, b).figures[-1] is HIDDEN  # November: nobody
        assert trend_row(trend).figures[-1].value == 5.0
        assert trend_row(trend).figures[-2] is HIDDEN  # October overall: three people
        assert [r.label for r in trend.rows] == [outcomes.OVERALL, "Alpha", "Beta"]


def test_a_hidden_group_cannot_be_backed_out_of_the_overall(app):
    with app.app_context():
        five, four = people("five", 5), people("four", 4)
        a, b = group_of("Alpha", five), group_of("Beta", four)
        for user, total in zip(five, (3, 4, 5, 6, 7), strict=True):
            check_in(user, total, group=a)
        for user in four:
            check_in(user, 9, group=b)
        trend = outcomes.loneliness_trend(NOW)
        overall = trend_row(trend).figures[-1]
        assert (overall.value, overall.people) == (6.8, 9)  # 61 / 9
        assert trend_row(trend, b).figures[-1] is HIDDEN
        # Overall minus Alpha would give Beta's exact mean, so Alpha is hidden too.
        assert trend_row(trend, a).figures[-1] is HIDDEN
        # A fifth person outside both groups: overall minus Alpha is now about five people.
        loner = member("loner@example.org", "Loner")
        check_in(loner, 4)
        trend = outcomes.loneliness_trend(NOW)
        assert trend_row(trend, a).figures[-1].value == 5.0
        assert trend_row(trend, b).figures[-1] is HIDDEN
        assert (trend_row(trend).figures[-1].value, trend_row(trend).figures[-1].people) == (6.5, 10)  # 65 / 10


def test_months_outside_the_window_and_unanswered_check_ins_are_left_out(app):
    with app.app_context():
        five = people("five", 6)
        a = group_of("Alpha", five)
        for user in five[:5]:
            check_in(user, 6, month="2026-06", group=a)  # six months ago, counting this one: the first column
            check_in(user, 8, month="2026-05", group=a)  # seven: outside
        db.session.add(MonthlyCheckIn(user_id=five[5].id, month="2026-06", group_id=a.id,
                                      answers={"group_connection": 4}))  # the loneliness items skipped
        db.session.commit()
        trend = outcomes.loneliness_trend(NOW)
        assert trend.months[0] == "2026-06"
        first = trend_row(trend, a).figures[0]
        assert (first.value, first.people) == (6.0, 5)


# --- moving up a step ------------------------------------------------------------------------------

def step(user, from_step: int, to_step: int, days_ago: float) -> None:
    db.session.add(StepChange(user_id=user.id, from_step=from_step, to_step=to_step,
                              changed_at=NOW - timedelta(days=days_ago)))


def test_moving_up_a_step_is_counted_exactly(app):
    with app.app_context():
        up, up_down, before, down, twice, leaving = people("m", 6)
        not_onboarded = member("new@example.org", "New", onboarded=False)
        organizer = member("olu@example.org", "Olu", role="organizer")  # staff aren't counted
        a = group_of("Alpha", [up, up_down, before, down, twice, leaving])
        step(up, 2, 3, 10)
        step(up_down, 2, 3, 20)
        step(up_down, 3, 2, 5)  # up then down: not moved up
        step(before, 1, 2, 100)  # outside the 90 days
        step(down, 3, 2, 3)
        step(twice, 1, 2, 80)
        step(twice, 2, 3, 1)
        step(leaving, 1, 3, 2)
        step(not_onboarded, 1, 2, 2)
        step(organizer, 1, 2, 2)
        step(up, 3, 4, -1)  # after "now": not yet
        db.session.add(AccountDeletion(user_id=leaving.id, purge_after=NOW + timedelta(days=3), erase_messages=False))
        db.session.commit()
        rows = outcomes.moved_up(NOW)
        assert row(rows).figure.value == Share(2, 5) and row(rows).figure.value.percent == 40
        assert row(rows, a).figure.value == Share(2, 5)  # Alpha's six, less the one leaving
        db.session.add(AccountDeletion(user_id=down.id, purge_after=NOW + timedelta(days=3), erase_messages=False))
        db.session.commit()
        rows = outcomes.moved_up(NOW)
        assert row(rows).figure is HIDDEN and row(rows, a).figure is HIDDEN  # four people left


# --- repeat attendance -----------------------------------------------------------------------------

def activities_for(group, count: int, days_ago: int = 20) -> list[Activity]:
    made = [Activity(title=f"{group.name} night {n}", focus="board-games", format="online",
                     join_url="https://example.org/room", starts_at=NOW - timedelta(days=days_ago - n),
                     ends_at=NOW - timedelta(days=days_ago - n) + timedelta(hours=2), capacity=8, comfort_step=1,
                     audience="groups", groups=[group]) for n in range(count)]
    db.session.add_all(made)
    db.session.flush()
    return made


def came(user, activities) -> None:
    db.session.add_all(Rsvp(activity_id=a.id, user_id=user.id, status="going", attended=True) for a in activities)


def test_repeat_attendance_counts_three_visits_with_the_same_group(app):
    with app.app_context():
        alpha_people, beta_people = people("a", 5), people("b", 5)
        former = member("former@example.org", "Former")
        a, b = group_of("Alpha", alpha_people + [former]), group_of("Beta", beta_people)
        ours, theirs = activities_for(a, 4), activities_for(b, 3)
        came(alpha_people[0], ours[:3])  # three: yes
        came(alpha_people[1], ours[:2])  # two: no
        came(alpha_people[2], ours[:2])  # two of Alpha's and one of Beta's: no
        came(alpha_people[2], theirs[:1])
        came(alpha_people[3], ours)  # four: yes
        db.session.add(Rsvp(activity_id=ours[2].id, user_id=alpha_people[4].id, status="going", attended=False))
        came(alpha_people[4], ours[:2])  # two came, one missed: no
        came(former, ours)
        came(beta_people[0], theirs)  # three: yes
        db.session.commit()
        groups.leave_group(former, a)
        rows = outcomes.repeat_attendance(NOW)
        assert row(rows, a).figure.value == Share(2, 5)
        assert row(rows, b).figure.value == Share(1, 5)
        assert row(rows).figure.value == Share(3, 10) and row(rows).figure.value.percent == 30


def test_repeat_attendance_in_a_small_group_is_hidden_and_so_is_its_complement(app):
    with app.app_context():
        alpha_people, beta_people = people("a", 5), people("b", 4)
        a, b = group_of("Alpha", alpha_people), group_of("Beta", beta_people)
        came(beta_people[0], activities_for(b, 3))
        db.session.commit()
        rows = outcomes.repeat_attendance(NOW)
        assert row(rows, b).figure is HIDDEN and row(rows, a).figure is HIDDEN
        assert row(rows).figure.value == Share(1, 9)


# --- reciprocity -----------------------------------------------------------------------------------

def say(group, user, hours_ago: float, **extra) -> Message:
    message = Message(group_id=group.id, author_id=user.id, body="hello", created_at=NOW - timedelta(hours=hours_ago),
                      **extra)
    db.session.add(message)
    return message


def test_reciprocal_pairs_in_chat_are_counted_exactly(app):
    with app.app_context():
        a_, b_, c_, d_, e_ = people("r", 5)
        others = people("o", 4)
        alpha, beta = group_of("Alpha", [a_, b_, c_, d_, e_]), group_of("Beta", others)
        start = 48
        say(alpha, e_, 31 * 24)  # before the 30 days: left out
        say(alpha, a_, start)
        say(alpha, b_, start - 1)  # b -> a
        db.session.add(Message(group_id=alpha.id, author_id=None, kind="system", body="A question",
                               created_at=NOW - timedelta(hours=start - 1.5)))  # Common Ground's note doesn't break it
        say(alpha, a_, start - 2)  # a -> b: a pair
        say(alpha, c_, start - 3)  # c -> a
        say(alpha, a_, start - 10)  # 7 hours after: not a reply to c
        say(alpha, d_, start - 11, hidden_at=NOW)  # hidden: not in the sequence
        say(alpha, c_, start - 12)  # c -> a (had d's been visible, c -> d)
        say(alpha, e_, start - 13)  # e -> c
        say(alpha, c_, start - 14, held_at=NOW, held_reason="filter")  # held: not in the sequence
        say(alpha, c_, start - 15)  # c -> e: a pair
        say(alpha, d_, start - 16)  # d -> c (c -> d would only come from the hidden message)
        for n, user in enumerate([others[0], others[1], others[0], others[1], others[2], others[3], others[2],
                                  others[3]]):
            say(beta, user, 20 - n)  # two pairs, but only four people wrote
        db.session.commit()
        rows = outcomes.reciprocity(NOW)
        assert row(rows, beta).figure is HIDDEN
        # Overall minus Alpha would be Beta's count: Alpha is hidden alongside.
        assert row(rows, alpha).figure is HIDDEN
        assert (row(rows).figure.value, row(rows).figure.people) == (4, 9)
        fifth = member("o4@example.org", "O 4")
        groups.add_member(beta, fifth)
        say(beta, fifth, 1)
        db.session.commit()
        rows = outcomes.reciprocity(NOW)
        assert (row(rows, alpha).figure.value, row(rows, alpha).figure.people) == (2, 5)
        assert (row(rows, beta).figure.value, row(rows, beta).figure.people) == (2, 5)
        assert (row(rows).figure.value, row(rows).figure.people) == (4, 10)


# --- quiet groups ----------------------------------------------------------------------------------

def activity_at(group, days_ago: float, status: str = "scheduled") -> None:
    starts = NOW - timedelta(days=days_ago)
    db.session.add(Activity(title="Walk", focus="walking", format="online", join_url="https://example.org/room",
                            starts_at=starts, ends_at=starts + timedelta(hours=1), capacity=8, comfort_step=1,
                            audience="groups", groups=[group], status=status))


def test_quiet_groups_are_listed_with_how_long_it_has_been(app):
    with app.app_context():
        everyone = people("q", 14)
        talked_long_ago = group_of("Long ago", everyone[0:2])
        talked_lately = group_of("Lately", everyone[2:4])
        met_lately = group_of("Met lately", everyone[4:6])
        met_long_ago = group_of("Met long ago", everyone[6:8], created_at=NOW - timedelta(days=30))
        brand_new = group_of("Brand new", everyone[8:10], created_at=NOW - timedelta(days=5))
        emptied = group_of("Emptied", everyone[10:11])
        only_hidden = group_of("Only hidden lately", everyone[11:13])
        say(talked_long_ago, everyone[0], 12 * 24)
        say(talked_lately, everyone[2], 3 * 24)
        activity_at(met_lately, 4)
        activity_at(met_long_ago, 15)
        activity_at(met_long_ago, 2, status="cancelled")  # didn't happen
        activity_at(met_long_ago, -3)  # hasn't happened yet
        say(only_hidden, everyone[11], 11 * 24 + 1)
        say(only_hidden, everyone[12], 24, hidden_at=NOW)
        db.session.commit()
        groups.leave_group(everyone[10], emptied)
        quiet = outcomes.quiet_groups(NOW)
        assert [(g.name, g.days) for g in quiet] == [("Met long ago", 15), ("Long ago", 12), ("Only hidden lately", 11)]
        assert all(g.can_nudge and g.last_starter_at is None for g in quiet)
        assert brand_new.id not in {g.group_id for g in quiet}


def test_a_quiet_group_nudged_today_cannot_be_nudged_again(app):
    with app.app_context():
        group = group_of("Long ago", people("q", 2))
        db.session.add(GroupAnnouncement(group_id=group.id, kind="starter", body="A question",
                                         created_at=NOW - timedelta(hours=3)))
        db.session.commit()
        [found] = outcomes.quiet_groups(NOW)
        assert found.days == 60 and not found.can_nudge
        assert outcomes.quiet_groups(NOW + timedelta(hours=22))[0].can_nudge


def test_a_few_queries_whatever_the_number_of_groups(app):
    """Reading everything costs the same handful of queries for 2 groups of five as for 4."""
    from sqlalchemy import event

    with app.app_context():
        def queries_after_adding(prefix: str) -> int:
            for g in range(2):
                group_of(f"{prefix} {g}", people(f"{prefix}{g}x", 5))
            seen = []

            def count(*args):
                seen.append(1)

            event.listen(db.engine, "before_cursor_execute", count)
            try:
                outcomes.everything(NOW)
            finally:
                event.remove(db.engine, "before_cursor_execute", count)
            return len(seen)

        assert queries_after_adding("small") == queries_after_adding("more") <= 12
        assert db.session.query(Membership).count() == 20
