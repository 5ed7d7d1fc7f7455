"""rank_groups and the interest model underneath it."""
import numpy as np
import pytest

from matching import CandidateGroup, rank_groups
from matching.features import build_features, free_text_key
from matching.taxonomy import taxonomy
from tests.matching.helpers import member


def cosine(a, b):
    features = build_features([member(1, a), member(2, b)])
    return float(features.embedding[0] @ features.embedding[1])


def test_related_tags_are_closer_than_unrelated_ones():
    assert cosine(["D&D"], ["tabletop rpg"]) == pytest.approx(1.0)
    assert cosine(["jogging"], ["running"]) == pytest.approx(1.0)
    climbing = cosine(["bouldering"], ["rock climbing"])
    assert 0.1 < climbing < 1.0
    assert climbing > cosine(["bouldering"], ["knitting"])
    assert cosine(["urban sketching meetups"], ["urban sketch walks"]) > cosine(["urban sketching"], ["knitting"])


def test_free_text_keys_fold_filler_words_and_plurals():
    assert free_text_key("Urban Sketching Meetups") == free_text_key("urban sketching")
    assert free_text_key("Competitive yo-yos") == free_text_key("competitive yo yo")
    assert taxonomy().find_within("learning to play Catan with friends") == ["board-games"]
    assert taxonomy().find_within("start") == []


def test_open_groups_are_ranked_by_fit_and_unfit_ones_left_out():
    newcomer = member("new", ["board games", "hiking"], comfort=2, format="either")
    close_fit = CandidateGroup([member(i, ["Catan", "hiking"], comfort=2) for i in range(3)], "in_person")
    loose_fit = CandidateGroup([member(i, ["board games"], slots=(0, 1), comfort=3) for i in range(3, 6)], "online")
    too_far = CandidateGroup([member(i, ["board games"], place="Athens") for i in range(6, 9)], "in_person")
    no_overlap = CandidateGroup([member(i, ["knitting"]) for i in range(9, 12)], "online")
    full = CandidateGroup([member(i, ["board games"]) for i in range(12, 18)], "online")
    pace = CandidateGroup([member(i, ["board games"], comfort=4) for i in range(18, 21)], "online")
    fits = rank_groups(newcomer, [loose_fit, too_far, close_fit, no_overlap, full, pace])
    assert [fit.index for fit in fits] == [2, 0]
    assert fits[0].score > fits[1].score
    assert fits[0].shared_interests == ["board games", "hiking"]
    assert fits[0].common_slots == [11, 15]


def test_online_only_members_are_not_offered_in_person_groups():
    newcomer = member("new", format="online", place=None)
    groups = [CandidateGroup([member(i) for i in range(3)], "in_person"),
              CandidateGroup([member(i) for i in range(3, 6)], "online")]
    assert [fit.index for fit in rank_groups(newcomer, groups)] == [1]


def test_scores_are_between_zero_and_one():
    newcomer = member("new")
    fits = rank_groups(newcomer, [CandidateGroup([member(i) for i in range(3)], "in_person")])
    assert 0 < fits[0].score <= 1 and np.isfinite(fits[0].score)
