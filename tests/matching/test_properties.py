"""Property-based tests: whatever the population, the promises hold."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching import MemberProfile, form_groups
from tests.matching.helpers import haversine_km, placements

INTERESTS = ["board games", "Catan", "D&D", "tabletop rpg", "jogging", "running", "bouldering",
             "rock climbing", "knitting", "urban sketching", "birding", "trivia nights", "hiking"]
PLACES = [(33.78, -84.38), (33.77, -84.30), (34.02, -84.62), (33.95, -83.36), (33.60, -84.50)]


@st.composite
def populations(draw, max_members=36):
    count = draw(st.integers(0, max_members))
    people = []
    for i in range(count):
        fmt = draw(st.sampled_from(["online", "in_person", "either"]))
        place = draw(st.one_of(st.none(), st.sampled_from(PLACES))) if fmt == "online" else draw(
            st.sampled_from(PLACES + [None] * (fmt == "in_person"))
        )
        people.append(MemberProfile(
            id=i,
            interests=draw(st.lists(st.sampled_from(INTERESTS), max_size=4, unique=True)),
            availability=draw(st.lists(st.integers(0, 20), max_size=8, unique=True)),
            lat=place[0] if place else None,
            lon=place[1] if place else None,
            format=fmt,
            comfort=draw(st.integers(1, 4)),
        ))
    return people


@st.composite
def populations_with_running_groups(draw):
    people = draw(populations())
    ids = [p.id for p in people]
    running = []
    while ids and draw(st.booleans()):
        size = draw(st.integers(1, min(6, len(ids))))
        running.append(ids[:size])
        ids = ids[size:]
    return people, running


sizes = st.tuples(st.integers(2, 5), st.integers(0, 3)).map(lambda t: (t[0], t[0] + t[1]))
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(populations_with_running_groups(), sizes, st.integers(0, 3))
def test_everyone_is_accounted_for_exactly_once(data, bounds, seed):
    people, running = data
    min_size, max_size = bounds
    result = form_groups(people, min_size=min_size, max_size=max_size, existing=running, seed=seed)
    assert sorted(placements(result)) == sorted(p.id for p in people)
    assert all(u.reason for u in result.unmatched)


@SETTINGS
@given(populations_with_running_groups(), sizes)
def test_sizes_within_bounds_and_running_groups_kept(data, bounds):
    people, running = data
    min_size, max_size = bounds
    result = form_groups(people, min_size=min_size, max_size=max_size, existing=running)
    for index, members in enumerate(running):
        group = result.groups[index]
        assert group.existing_index == index
        assert group.member_ids[:len(members)] == members
        assert len(group.member_ids) <= max(max_size, len(members))
        assert group.new_member_ids == group.member_ids[len(members):]
    for group in result.groups[len(running):]:
        assert group.existing_index is None
        assert min_size <= len(group.member_ids) <= max_size


@SETTINGS
@given(populations(), sizes)
def test_new_members_respect_format_comfort_distance_and_focus(people, bounds):
    min_size, max_size = bounds
    by_id = {p.id: p for p in people}
    result = form_groups(people, min_size=min_size, max_size=max_size)
    for group in result.groups:
        members = [by_id[m] for m in group.member_ids]
        assert group.mode in ("online", "in_person")
        wrong_format = "in_person" if group.mode == "online" else "online"
        assert all(m.format != wrong_format for m in members)
        steps = [m.comfort for m in members]
        assert max(steps) - min(steps) <= 1
        assert group.shared_interests, "every group shares at least a category"
        assert all(m.availability and m.interests for m in members)
        assert set(group.common_slots) == set.intersection(*(set(m.availability) for m in members))
        if group.mode == "in_person":
            assert all(m.lat is not None for m in members)
            assert all(haversine_km(a, b) <= 25.001 for a in members for b in members)


@SETTINGS
@given(populations_with_running_groups(), st.integers(0, 5))
def test_deterministic_for_a_seed_and_order(data, seed):
    people, running = data
    assert form_groups(people, existing=running, seed=seed) == form_groups(people, existing=running, seed=seed)


@SETTINGS
@given(populations(max_members=24), st.data())
def test_avoided_pairs_never_share_a_new_group(people, data):
    ids = [p.id for p in people]
    pairs = data.draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=10)) if ids else []
    result = form_groups(people, avoid=pairs)
    for group in result.groups:
        members = set(group.member_ids)
        assert not any(a != b and a in members and b in members for a, b in pairs)
