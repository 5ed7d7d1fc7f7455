"""The check-in's scoring, with exact expected values: every UCLA-3 total, refusing answers that
aren't on the scale, and the gentle resources rule at its boundaries. Pure: no app, no database."""
import itertools

import pytest

from community.journey.scoring import (
    HIGH_LONELINESS,
    HIGHEST,
    LOWEST,
    CheckInAnswers,
    loneliness_score,
    suggests_resources,
)

# Every one of the 27 ways to answer the three questions, with its total written out by hand.
TOTALS = {
    (1, 1, 1): 3,
    (1, 1, 2): 4, (1, 2, 1): 4, (2, 1, 1): 4,
    (1, 1, 3): 5, (1, 3, 1): 5, (3, 1, 1): 5, (1, 2, 2): 5, (2, 1, 2): 5, (2, 2, 1): 5,
    (1, 2, 3): 6, (1, 3, 2): 6, (2, 1, 3): 6, (2, 3, 1): 6, (3, 1, 2): 6, (3, 2, 1): 6, (2, 2, 2): 6,
    (1, 3, 3): 7, (3, 1, 3): 7, (3, 3, 1): 7, (2, 2, 3): 7, (2, 3, 2): 7, (3, 2, 2): 7,
    (2, 3, 3): 8, (3, 2, 3): 8, (3, 3, 2): 8,
    (3, 3, 3): 9,
}


def test_the_table_covers_every_way_of_answering():
    assert set(TOTALS) == set(itertools.product((1, 2, 3), repeat=3))


@pytest.mark.parametrize(("items", "total"), sorted(TOTALS.items()))
def test_every_total(items, total):
    lack_company, left_out, isolated = items
    answers = CheckInAnswers(lack_company, left_out, isolated)
    assert answers.loneliness == total
    assert loneliness_score({"lack_company": lack_company, "left_out": left_out, "isolated": isolated}) == total


def test_the_scale_runs_from_3_to_9_and_7_is_high():
    assert (LOWEST, HIGHEST, HIGH_LONELINESS) == (3, 9, 7)


def test_stored_answers_round_trip():
    answers = CheckInAnswers(3, 2, 2, group_connection=4, mood=1)
    assert answers.as_dict() == {"lack_company": 3, "left_out": 2, "isolated": 2, "group_connection": 4, "mood": 1}
    assert CheckInAnswers.from_dict(answers.as_dict()) == answers


@pytest.mark.parametrize("values", [
    {"lack_company": 0, "left_out": 1, "isolated": 1},
    {"lack_company": 4, "left_out": 1, "isolated": 1},
    {"lack_company": 1, "left_out": None, "isolated": 1},  # a missing item: no total without all three
    {"lack_company": 1, "left_out": 1, "isolated": "2"},  # text, not a number
    {"lack_company": 1, "left_out": 1, "isolated": 1, "group_connection": 0},
    {"lack_company": 1, "left_out": 1, "isolated": 1, "group_connection": 6},
    {"lack_company": 1, "left_out": 1, "isolated": 1, "mood": 4},
    {"lack_company": 1, "left_out": 1, "isolated": 1, "mood": 0},
])
def test_answers_off_the_scale_are_refused(values):
    with pytest.raises(ValueError):
        CheckInAnswers.from_dict(values)


def test_a_stored_dict_missing_an_item_has_no_total():
    with pytest.raises(ValueError):
        loneliness_score({"lack_company": 3, "left_out": 3})


@pytest.mark.parametrize(("items", "mood", "expected"), [
    ((3, 2, 2), 1, True),  # 7 and a low mood: the boundary, shown
    ((3, 3, 3), 1, True),  # 9 and a low mood
    ((2, 2, 2), 1, False),  # 6 and a low mood: below the line
    ((3, 3, 3), 2, False),  # 9, mood up and down: not shown
    ((3, 3, 3), 3, False),  # 9, mood mostly okay
    ((3, 3, 3), None, False),  # 9, mood not answered: never assumed low
    ((1, 1, 1), 1, False),  # low mood, not lonely
])
def test_suggests_resources_at_its_boundaries(items, mood, expected):
    assert suggests_resources(CheckInAnswers(*items, mood=mood)) is expected
