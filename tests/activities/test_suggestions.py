"""Activity ideas: the editable data file is complete and sound, suggestions follow the group's shared
interests and never go above its lowest comfort step, and an idea becomes a Plan that scheduling takes
once the organizer adds what only they know (a join link, or a venue)."""
import re
from datetime import UTC, date, datetime, time

import pytest

from community.activities import services
from community.activities.services import ActivityError
from community.activities.suggestions import GENERIC, PLACEHOLDER, Idea, ideas_for, plan_from, raw_ideas
from community.extensions import db
from community.groups import services as groups
from community.models import Group, User
from community.models.activity import Activity
from community.reference import taxonomy
from tests.factories import member

NOW = datetime(2027, 3, 1, 15, 0, tzinfo=UTC)
IN_PERSON_FIELDS = ("noise", "seating", "arrival")
TEXT_FIELDS = ("title", "description", "agenda")


def group_of(mode="online", interests=("Board games",), neighbourhood=None) -> Group:
    """An unsaved group: suggestions are pure and need no database."""
    return Group(id=1, name="Circle", mode=mode, capacity=6, shared_interests=list(interests),
                 neighbourhood=neighbourhood)


# The data file ---------------------------------------------------------------------------------

def test_every_idea_has_its_fields_and_sensible_values():
    categories = set(taxonomy().categories)
    for raw in raw_ideas():
        where = raw["title"]
        assert raw["category"] in categories | {GENERIC}, where
        assert raw["format"] in ("online", "in_person"), where
        assert raw["step"] in (1, 2, 3, 4), where
        assert 60 <= raw["duration_minutes"] <= 150, where
        assert raw["capacity"] == 6, where
        assert all(isinstance(raw[k], str) and raw[k].strip() for k in TEXT_FIELDS), where
        if raw["format"] == "online":
            assert raw["step"] in (1, 2) and raw["join_hint"].strip(), where
            assert not any(k in raw for k in IN_PERSON_FIELDS), where
        else:
            assert raw["step"] in (3, 4) and "join_hint" not in raw, where
            # Within what scheduling accepts for "what to expect".
            assert all(0 < len(raw[k]) <= services.TEXT_LIMITS[k] for k in IN_PERSON_FIELDS), where
        assert set(raw) <= {"category", "format", "step", "duration_minutes", "capacity", "join_hint",
                            *TEXT_FIELDS, *IN_PERSON_FIELDS}, where
        assert (PLACEHOLDER in raw["title"]) == (raw["category"] != GENERIC), where


def test_every_category_has_online_ideas_at_steps_1_and_2_and_an_in_person_one():
    for slug in taxonomy().categories:
        mine = [(r["format"], r["step"]) for r in raw_ideas() if r["category"] == slug]
        assert {("online", 1), ("online", 2), ("in_person", 3)} <= set(mine), slug
        assert ("in_person", 4) not in mine, slug  # open-ended social is for generic ideas only


def test_titles_fit_scheduling_with_the_longest_interest_name():
    longest = max((i.name for i in taxonomy().interests.values()), key=len)
    for raw in raw_ideas():
        assert len(raw["title"].replace(PLACEHOLDER, longest)) <= services.TEXT_LIMITS["title"]


def test_no_ideas_built_around_alcohol():
    words = re.compile(r"\b(beers?|wines?|cocktails?|bars?|pubs?|brewer(y|ies)|booze|drinks night)\b")
    for raw in raw_ideas():
        assert not words.search(" ".join(raw[k] for k in TEXT_FIELDS).lower()), raw["title"]


# Suggestions ------------------------------------------------------------------------------------

def test_a_group_with_someone_at_step_1_gets_only_online_ideas_from_its_interest():
    ideas = ideas_for(group_of("in_person", neighbourhood="decatur"), [1, 2, 3])
    assert ideas and all(isinstance(i, Idea) for i in ideas)
    assert {(i.format, i.step, i.category, i.interest) for i in ideas} == {
        ("online", 1, "tabletop-games", "Board games")}
    assert ideas[0].title == "Quiet game table: Board games"
    assert ideas[0].why == ("Everyone in the group likes board games, and it's online and in text, "
                            "which suits everyone from step 1.")


def test_steps_1_and_2_never_get_in_person_ideas_and_step_2_gets_step_2_first():
    ideas = ideas_for(group_of("in_person", neighbourhood="decatur"), [2, 2, 3, 3])
    assert [(i.format, i.step) for i in ideas] == [("online", 2), ("online", 1)]
    assert ideas[0].title == "Online game night: Board games"
    assert "structured online activity" in ideas[0].why


def test_an_in_person_group_all_at_step_3_gets_in_person_ideas_too():
    ideas = ideas_for(group_of("in_person", neighbourhood="decatur"), [3, 3, 4, 3])
    assert [(i.format, i.step) for i in ideas] == [("in_person", 3), ("online", 2), ("online", 1)]
    assert ideas[0].noise and ideas[0].seating and ideas[0].arrival and not ideas[0].join_hint
    assert ideas[0].why.endswith("which suits everyone from step 3.")
    assert all(i.step < 4 for i in ideas_for(group_of("in_person", ()), [3, 4, 4, 4], limit=20))


def test_an_online_group_at_step_3_gets_no_in_person_ideas():
    ideas = ideas_for(group_of("online"), [3, 3, 4, 4])
    assert ideas and all(i.format == "online" for i in ideas)


def test_interests_take_turns_and_an_idea_is_not_offered_twice():
    group = group_of("online", ["Board games", "Chess", "Hiking", "Knitting"])
    ideas = ideas_for(group, [2, 3, 3], limit=10)
    assert [(i.interest, i.step) for i in ideas] == [
        ("Board games", 2), ("Hiking", 2), ("Knitting", 2), ("Board games", 1), ("Hiking", 1), ("Knitting", 1)]
    assert len({i.title for i in ideas}) == len(ideas)
    assert [i.title for i in ideas_for(group, [2, 3, 3], limit=2)] == [i.title for i in ideas[:2]]
    assert ideas == ideas_for(group, [3, 2, 3], limit=10)  # deterministic, whatever the order of steps


def test_an_online_only_interest_gets_no_in_person_idea_and_unknown_words_are_skipped():
    ideas = ideas_for(group_of("in_person", ["Minecraft", "something nobody lists"]), [3, 3, 3, 3])
    assert {i.interest for i in ideas} == {"Minecraft"}
    assert all(i.format == "online" for i in ideas)
    assert ideas[0].title == "Co-op game evening: Minecraft"
    assert ideas[0].why.startswith("Everyone in the group likes Minecraft,")


def test_a_group_with_no_shared_interests_gets_the_generic_ideas():
    online = ideas_for(group_of("online", ()), [2, 2, 2, 3])
    assert online and all(i.category == GENERIC and i.interest is None for i in online)
    assert [(i.format, i.step) for i in online] == [("online", 2)] * 2 + [("online", 1)] * 2
    assert "{" not in " ".join(i.title + i.description for i in online)
    assert [i.title for i in ideas_for(group_of("online", ()), [1, 2])] == ["Online jigsaw race", "Three good things"]
    social = ideas_for(group_of("in_person", (), "decatur"), [4, 4, 4, 4], limit=10)
    assert [i.step for i in social] == [4, 4, 3, 3, 2, 2, 1, 1]
    assert ideas_for(group_of("online", ()), [], limit=0) == []
    # Nobody has a step yet: treated as step 1.
    assert {i.step for i in ideas_for(group_of("online", ()), [])} == {1}


# From idea to scheduled activity ----------------------------------------------------------------

@pytest.fixture
def circle(app):
    with app.app_context():
        olu = member("olu@example.org", "Olu Ade", role="organizer")
        people = [member(f"{n.lower()}@example.org", f"{n} Test", comfort=3) for n in ("Ann", "Bea", "Cal", "Dee")]
        online = groups.create_group("Board games circle", "online", people, None)
        nearby = groups.create_group("Decatur tables", "in_person", people, None)
        return {"olu": olu.id, "online": online.id, "nearby": nearby.id}


def test_an_online_idea_becomes_a_plan_that_schedules_once_a_join_link_is_added(app, circle):
    with app.app_context():
        group = db.session.get(Group, circle["online"])
        assert group.shared_interests == ["Board games"]
        idea = ideas_for(group, [3, 3, 3, 3])[0]
        plan = plan_from(idea, group, date(2027, 3, 4), time(19, 0))
        assert (plan.title, plan.focus, plan.format, plan.comfort_step) == (
            "Online game night: Board games", "Board games", "online", 2)
        assert (plan.start, plan.end, plan.capacity, plan.group_ids) == (time(19, 0), time(20, 45), 6, [group.id])
        assert plan.join_url is None and plan.agenda == idea.agenda and plan.description == idea.description
        organizer = db.session.get(User, circle["olu"])
        with pytest.raises(ActivityError, match="join link"):
            services.schedule(plan, organizer, now=NOW)
        plan.join_url = "https://meet.example.org/board-games"
        [made] = services.schedule(plan, organizer, now=NOW)
        saved = db.session.get(Activity, made.id)
        assert (saved.title, saved.focus, saved.comfort_step, saved.capacity) == (
            "Online game night: Board games", "Board games", 2, 6)
        assert [g.id for g in saved.groups] == [group.id]


def test_an_in_person_idea_carries_what_to_expect_and_needs_a_venue(app, circle):
    with app.app_context():
        group = db.session.get(Group, circle["nearby"])
        idea = ideas_for(group, [3, 3, 3, 3])[0]
        assert (idea.format, idea.step) == ("in_person", 3)
        plan = plan_from(idea, group, date(2027, 3, 6), time(14, 0))
        assert (plan.noise, plan.seating, plan.arrival) == (idea.noise, idea.seating, idea.arrival)
        assert plan.neighbourhood == "Decatur" and plan.end == time(16, 0)
        organizer = db.session.get(User, circle["olu"])
        with pytest.raises(ActivityError, match="venue"):
            services.schedule(plan, organizer, now=NOW)
        plan.venue, plan.address = "Decatur Library, meeting room B", "215 Sycamore St, Decatur, GA"
        [made] = services.schedule(plan, organizer, now=NOW)
        assert db.session.get(Activity, made.id).arrival == idea.arrival


def test_a_generic_idea_takes_its_title_as_the_focus_and_late_starts_are_refused():
    group = group_of("online", ())
    idea = ideas_for(group, [1])[0]
    assert plan_from(idea, group, date(2027, 3, 4), time(9, 0)).focus == "Online jigsaw race"
    with pytest.raises(ActivityError, match="midnight"):
        plan_from(idea, group, date(2027, 3, 4), time(23, 30))
