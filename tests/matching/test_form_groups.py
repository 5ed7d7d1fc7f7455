"""form_groups: the promises the issue makes, one behaviour per test."""
import subprocess
import sys

import pytest

from matching import ExistingGroup, MemberProfile, form_groups
from tests.matching.helpers import (
    SATURDAY_MORNING,
    SUNDAY_AFTERNOON,
    THURSDAY_EVENING,
    haversine_km,
    member,
    placements,
)


def test_synonyms_bring_people_together_and_the_explanation_says_why():
    people = [member(1, ["jogging"]), member(2, ["Running"]), member(3, ["run club"]),
              member(4, ["couch to 5k", "knitting"])]
    result = form_groups(people)
    assert result.unmatched == []
    [group] = result.groups
    assert sorted(group.member_ids) == [1, 2, 3, 4]
    assert group.shared_interests == ["running"]
    assert group.common_slots == [THURSDAY_EVENING, SATURDAY_MORNING]
    assert group.explanation.startswith("You all enjoy running")
    assert "Thursday evenings" in group.explanation and "Saturday mornings" in group.explanation
    assert 0 < group.score <= 1


def test_free_text_the_taxonomy_does_not_know_still_matches():
    people = [member(1, ["Urban sketching"]), member(2, ["urban-sketching meetups"]),
              member(3, ["urban sketching"]), member(4, ["URBAN SKETCHING club"])]
    [group] = form_groups(people).groups
    assert sorted(group.member_ids) == [1, 2, 3, 4]
    assert group.shared_interests == ["urban sketching"]


def test_interests_named_inside_longer_text_are_found():
    people = [member(1, ["learning catan with friends"]), member(2, ["board games"]),
              member(3, ["Ticket to Ride"]), member(4, ["boardgames"])]
    [group] = form_groups(people).groups
    assert group.shared_interests == ["board games"]


def test_people_who_share_nothing_are_not_grouped_by_a_shared_focus():
    people = [member(i, ["board games"]) for i in range(4)] + [member(i, ["knitting"]) for i in range(4, 8)]
    result = form_groups(people)
    assert sorted(sorted(g.member_ids) for g in result.groups) == [[0, 1, 2, 3], [4, 5, 6, 7]]
    assert {tuple(g.shared_interests) for g in result.groups} == {("board games",), ("knitting",)}


def test_format_is_never_bent():
    online = [member(i, format="online", place=None) for i in range(4)]
    in_person = [member(i, format="in_person") for i in range(4, 8)]
    result = form_groups(online + in_person)
    modes = {tuple(sorted(g.member_ids)): g.mode for g in result.groups}
    assert modes == {(0, 1, 2, 3): "online", (4, 5, 6, 7): "in_person"}


def test_in_person_groups_stay_within_the_distance():
    people = [member(i, format="in_person", place="Midtown") for i in range(4)]
    people += [member(i, format="in_person", place="Athens") for i in range(4, 6)]
    result = form_groups(people, max_distance_km=25)
    [group] = result.groups
    assert sorted(group.member_ids) == [0, 1, 2, 3]
    assert "live within about" in group.explanation
    reasons = {u.member_id: u.reason for u in result.unmatched}
    assert set(reasons) == {4, 5}
    assert reasons[4].startswith("Only 2 members want in-person meetups")
    assert "within 25 km of Athens" in reasons[4] and "waitlist" in reasons[4]


def test_comfort_steps_stay_within_one():
    people = [member(i, comfort=1) for i in range(4)] + [member(i, comfort=3) for i in range(4, 8)]
    result = form_groups(people)
    by_id = {p.id: p for p in people}
    assert result.unmatched == []
    for group in result.groups:
        steps = [by_id[m].comfort for m in group.member_ids]
        assert max(steps) - min(steps) <= 1


def test_two_shared_slots_are_kept_when_the_population_allows():
    mornings = [member(i, slots=(SATURDAY_MORNING, SUNDAY_AFTERNOON, 0)) for i in range(5)]
    evenings = [member(i, slots=(THURSDAY_EVENING, 14, 20)) for i in range(5, 10)]
    result = form_groups(mornings + evenings)
    assert len(result.groups) == 2
    for group in result.groups:
        assert len(group.common_slots) >= 2


def test_existing_groups_are_kept_and_refilled_first():
    running = [member(i, ["knitting"], format="online", place=None) for i in range(3)]
    newcomers = [member(i, ["knitting"], format="online", place=None) for i in range(3, 9)]
    result = form_groups(running + newcomers, existing=[[0, 1, 2]])
    first = result.groups[0]
    assert first.existing_index == 0
    assert first.member_ids[:3] == [0, 1, 2]
    assert 4 <= len(first.member_ids) <= 6
    assert set(first.new_member_ids) == set(first.member_ids[3:])
    assert sorted(placements(result)) == list(range(9))


def test_running_group_members_unknown_to_matching_are_kept():
    newcomers = [member(i, ["knitting"], format="online", place=None) for i in range(4)]
    result = form_groups(newcomers, existing=[ExistingGroup(["old-1", "old-2", "old-3"], "online")])
    assert result.groups[0].member_ids[:3] == ["old-1", "old-2", "old-3"]


def test_avoided_pairs_are_never_placed_together():
    people = [member(i) for i in range(8)]
    result = form_groups(people, avoid=[(0, 1), (0, 2)])
    for group in result.groups:
        assert not ({0, 1} <= set(group.member_ids) or {0, 2} <= set(group.member_ids))


def test_nobody_is_dropped_silently():
    people = [
        member(1, interests=()),
        member(2, slots=()),
        member(3, format="in_person", place=None),
        member(4, ["board games"]),
    ]
    result = form_groups(people)
    assert result.groups == []
    reasons = {u.member_id: u.reason for u in result.unmatched}
    assert set(reasons) == {1, 2, 3, 4}
    assert "Add a few interests" in reasons[1]
    assert "times in the week" in reasons[2]
    assert "Choose your neighbourhood" in reasons[3]
    assert reasons[4].startswith("You're the first member") or reasons[4].startswith("Only")


def test_fewer_members_than_the_minimum_are_all_waitlisted():
    result = form_groups([member(i) for i in range(3)], min_size=4)
    assert result.groups == []
    assert [u.member_id for u in result.unmatched] == [0, 1, 2]
    assert all("waitlist" in u.reason for u in result.unmatched)


def test_empty_population_is_fine():
    result = form_groups([])
    assert result.groups == [] and result.unmatched == []


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: form_groups([member(1), member(1)]), "appears more than once"),
        (lambda: form_groups([MemberProfile(id=1, format="sometimes")]), "unknown format"),
        (lambda: form_groups([MemberProfile(id=1, comfort=5)]), "comfort must be a step from 1 to 4"),
        (lambda: form_groups([MemberProfile(id=1, comfort=0)]), "comfort must be a step from 1 to 4"),
        (lambda: form_groups([MemberProfile(id=1, availability=[21])]), "availability slot 21"),
        (lambda: form_groups([MemberProfile(id=1, lat=33.7)]), "give both lat and lon"),
        (lambda: form_groups([member(1)], min_size=6, max_size=4), "larger than max_size"),
        (lambda: form_groups([member(1)], min_size=1), "at least 2"),
        (lambda: form_groups(["not a profile"]), "not a MemberProfile"),
        (lambda: form_groups([member(1)], existing=[[1, 1]]), "lists a member twice"),
        (lambda: form_groups([member(1)], avoid=[(1,)]), "pairs of member ids"),
        (lambda: form_groups([MemberProfile(id=1, interests="chess")]), "not one string"),
    ],
)
def test_malformed_calls_raise_clear_value_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_same_seed_same_groups():
    people = [member(i, ["board games", "hiking"][i % 2:], comfort=1 + i % 2) for i in range(30)]
    first, second = form_groups(people, seed=7), form_groups(people, seed=7)
    assert first == second


def test_in_person_members_far_apart_are_explained_with_the_place():
    people = [member(i, format="in_person", place="Midtown") for i in range(4)]
    people.append(member(9, format="in_person", place="Kennesaw"))
    result = form_groups(people)
    [waiting] = result.unmatched
    assert waiting.member_id == 9
    assert "within 25 km of Kennesaw" in waiting.reason
    for group in result.groups:
        by_id = {p.id: p for p in people}
        members = [by_id[m] for m in group.member_ids]
        assert all(haversine_km(a, b) <= 25 for a in members for b in members)


def test_matching_imports_no_web_or_database_code():
    code = (
        "import sys, matching; from matching import form_groups, rank_groups; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy', 'community', 'flask_sqlalchemy')); "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
