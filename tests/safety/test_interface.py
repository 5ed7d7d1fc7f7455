"""The public interface: Assessment, Match, LEVELS, categories, means_or_method."""
import dataclasses

import pytest

from community.safety import (
    CATEGORIES,
    CONCERN_CATEGORIES,
    CRISIS_CATEGORIES,
    LEVELS,
    Assessment,
    assess,
    means_or_method,
)


def test_levels_and_categories():
    assert LEVELS == ("none", "concern", "crisis")
    assert set(CRISIS_CATEGORIES) == {"ideation", "intent", "plan", "means", "self_harm", "in_progress", "goodbye"}
    assert set(CONCERN_CATEGORIES) == {"hopelessness", "burden", "passive_wish", "denial_with_thoughts",
                                       "third_party", "harassment"}
    assert CATEGORIES == CRISIS_CATEGORIES + CONCERN_CATEGORIES


def test_assessment_is_frozen_and_matches_point_into_the_original_text():
    text = "Ugh long day.  Honestly I want to KILL MYSELF tonight."
    a = assess(text)
    assert isinstance(a, Assessment)
    assert a.level == "crisis"
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.level = "none"
    m = a.matches[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.rule = "x"
    start, end = m.span
    assert text[start:end].lower().startswith("kill") and text[start:end].lower().endswith("myself")


def test_categories_are_in_a_stable_order_without_duplicates():
    a = assess("I want to die. I've been saving up my pills and I cut myself again")
    assert a.categories == tuple(c for c in CATEGORIES if c in a.categories)
    assert len(set(a.categories)) == len(a.categories)
    assert {"ideation", "means", "self_harm"} <= set(a.categories)
    assert all(m.category in a.categories for m in a.matches)


def test_none_has_nothing():
    a = assess("see you all at the picnic on Saturday!")
    assert a == Assessment("none", (), ())
    assert not a


@pytest.mark.parametrize("text,expected", [
    ("I bought a rope and tied a noose", True),
    ("I've been saving my pills, I have enough to do it", True),
    ("I'm going to jump off the bridge tonight", True),
    # A plan without the method in it isn't kept from the group (the issue: "describing method or means").
    ("I have a plan to end my life", False),
    ("I'm going to kill myself tonight", False),
    ("I want to kill myself", False),
    ("I feel like a burden", False),
    ("lovely weather today", False),
])
def test_means_or_method(text, expected):
    assert means_or_method(assess(text)) is expected


def test_concern_only_never_says_crisis():
    for text in ["I feel hopeless", "nobody would miss me", "my brother keeps talking about suicide", "go die"]:
        a = assess(text)
        assert a.level == "concern", (text, a)
        assert not set(a.categories) & set(CRISIS_CATEGORIES)
