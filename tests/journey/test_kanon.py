"""The five-person rule as pure functions: the threshold, exact means and shares, rounding, the
complementary hiding that stops a hidden group being backed out of the overall, and reciprocal
pairs from a scripted message sequence."""
from datetime import UTC, datetime, timedelta
from fractions import Fraction

from community.journey.kanon import (
    HIDDEN,
    HIDDEN_NOTE,
    MIN_CONTRIBUTORS,
    Share,
    figure,
    hidden_parts,
    mean_figure,
    round_half_up,
    share_figure,
)
from community.journey.outcomes import REPLY_WINDOW, reciprocal_pairs


def test_four_people_are_hidden_and_five_are_shown():
    assert MIN_CONTRIBUTORS == 5
    assert figure(12, 4) is HIDDEN and HIDDEN.value is None and HIDDEN.people is None
    assert HIDDEN.note == HIDDEN_NOTE == "Fewer than five people — hidden to protect privacy"
    shown = figure(12, 5)
    assert (shown.value, shown.people, shown.hidden, shown.note) == (12, 5, False, "")


def test_mean_of_five_totals_is_exact():
    assert mean_figure({1: 3, 2: 4, 3: 5, 4: 6, 5: 7}).value == 5.0
    assert mean_figure({1: 3, 2: 4, 3: 5, 4: 6, 5: 7}).people == 5
    assert mean_figure({1: 3, 2: 4, 3: 5, 4: 6}) is HIDDEN
    # 61 / 9 = 6.777... -> 6.8; 21 / 4 would be hidden; 26 / 5 = 5.2
    assert mean_figure(dict(enumerate([3, 4, 5, 6, 7, 9, 9, 9, 9]))).value == 6.8
    assert mean_figure(dict(enumerate([3, 4, 5, 6, 8]))).value == 5.2


def test_rounding_is_half_up_not_to_even():
    assert round_half_up(Fraction(21, 4)) == 5.3  # 5.25; float round() gives 5.2
    assert round_half_up(Fraction(41, 8)) == 5.1  # 5.125
    assert round_half_up(Fraction(1, 8) * 100, 0) == 13  # 12.5
    assert Share(1, 8).percent == 13 and Share(2, 5).percent == 40 and Share(0, 0).percent == 0


def test_shares_need_a_denominator_of_five():
    assert share_figure(3, 4) is HIDDEN
    shown = share_figure(2, 5)
    assert shown.value == Share(2, 5) and shown.value.percent == 40 and shown.people == 5


def test_a_lone_small_group_hides_the_next_smallest_too():
    a, b = {1, 2, 3, 4, 5}, {6, 7, 8, 9}
    # Overall minus A would be B's figure: so A is hidden as well.
    assert hidden_parts({"A": a, "B": b}, a | b) == {"A", "B"}
    # One more person in no group: the people outside every shown group are five, so A may show.
    assert hidden_parts({"A": a, "B": b}, a | b | {10}) == {"B"}
    # No small group at all: nothing hidden.
    assert hidden_parts({"A": a, "C": {6, 7, 8, 9, 10}}, a | {6, 7, 8, 9, 10}) == set()


def test_complementary_hiding_takes_the_smallest_group_first():
    big, small, tiny = set(range(0, 8)), set(range(10, 15)), {20, 21}
    assert hidden_parts({1: big, 2: small, 3: tiny}, big | small | tiny) == {2, 3}
    # Two small hidden groups together make five people: nothing else needs hiding.
    pair = {30, 31, 32}
    assert hidden_parts({1: big, 3: tiny, 4: pair}, big | tiny | pair) == {3, 4}
    # Ties on size: the lowest key goes first.
    assert hidden_parts({2: set(range(5)), 1: set(range(5, 10)), 3: {99}}, set(range(10)) | {99}) == {1, 3}


def test_everyone_under_five_hides_every_group():
    assert hidden_parts({1: {1, 2}, 2: {3, 4}}, {1, 2, 3, 4}) == {1, 2}


START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def at(hours: float) -> datetime:
    return START + timedelta(hours=hours)


def test_reciprocal_pairs_from_a_scripted_conversation():
    """A and B reply to each other; C replies to A, but A's answer comes 7 hours later, outside the
    six-hour window; E and C reply to each other. Group 2 is one-sided."""
    assert REPLY_WINDOW == timedelta(hours=6)
    a, b, c, d, e = 1, 2, 3, 4, 5
    messages = [
        (1, a, at(0)), (1, b, at(1)), (1, a, at(2)),  # b->a, a->b: a pair
        (1, c, at(3)),  # c->a
        (1, a, at(10)),  # 7 hours after c: not a reply
        (1, c, at(12)),  # c->a again
        (1, e, at(13)), (1, c, at(14)),  # e->c, c->e: a pair
        (1, d, at(15)), (1, d, at(16)),  # d->c; then d after d is no reply
        (2, 7, at(0)), (2, 8, at(1)), (2, 8, at(2)),
    ]
    pairs, authors = reciprocal_pairs(messages)
    assert pairs[1] == {frozenset({a, b}), frozenset({c, e})}
    assert pairs.get(2, set()) == set()
    assert authors[1] == {a, b, c, d, e} and authors[2] == {7, 8}


def test_a_reply_exactly_at_the_window_counts_and_a_second_later_does_not():
    inside = [(1, 1, at(0)), (1, 2, at(6)), (1, 1, at(12))]
    outside = [(1, 1, at(0)), (1, 2, at(6) + timedelta(seconds=1)), (1, 1, at(12) + timedelta(seconds=1))]
    assert reciprocal_pairs(inside)[0][1] == {frozenset({1, 2})}
    assert reciprocal_pairs(outside)[0].get(1, set()) == set()
