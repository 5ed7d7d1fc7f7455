"""The suggestion rules, pure: each barrier at the steps where its answer changes, several barriers
(the documented order), no barriers, never above the member's step, the first-hello rule; exact
kinds and links."""
import pytest

from community.journey.suggestions import (
    BARRIER_ORDER,
    PRACTICE_PROMPT,
    ActivityOption,
    SuggestionInput,
    suggest,
)

CHAT = "/groups/7#group-chat"
SHARING = "/welcome/sharing?from=profile"


def option(n: int, step: int, **extra) -> ActivityOption:
    return ActivityOption(title=f"Activity {n}", link=f"/activities/{n}", comfort_step=step,
                          when="Thursday, March 12, 7:00 PM", **extra)


def facts(step=2, barriers=(), upcoming=(), **extra) -> SuggestionInput:
    values = {"has_posted": True, "group_name": "Board games circle", "chat_link": CHAT,
              "sharing_link": SHARING, "browse_link": "/groups/browse", **extra}
    return SuggestionInput(step=step, barriers=tuple(barriers), upcoming=tuple(upcoming), **values)


def kind_and_link(**kwargs) -> tuple[str, str | None]:
    found = suggest(facts(**kwargs))
    return found.kind, found.link


# --- before any barrier: a group first, then a tiny hello ---

@pytest.mark.parametrize("barriers", [(), ("anxiety_freezes",), ("misread", "keep_distance")])
def test_not_in_a_group_finding_one_comes_first(barriers):
    found = suggest(facts(barriers=barriers, group_name=None, chat_link=None, upcoming=[option(1, 1)]))
    assert (found.kind, found.link) == ("find_group", "/groups/browse")


@pytest.mark.parametrize("step", [1, 2, 3, 4])
@pytest.mark.parametrize("barriers", [(), *((b,) for b in BARRIER_ORDER), tuple(BARRIER_ORDER)])
def test_never_posted_the_first_thing_is_a_tiny_hello(step, barriers):
    found = suggest(facts(step=step, barriers=barriers, has_posted=False, upcoming=[option(1, 1)]))
    assert (found.kind, found.link, found.link_label) == ("first_hello", CHAT, "Open your group chat")
    assert "Board games circle" in found.text and "One line is plenty" in found.text


# --- anxiety freezes me: a lower-threat setting ---

def test_anxiety_at_step_one_stays_with_the_text_chat():
    assert kind_and_link(step=1, barriers=["anxiety_freezes"], upcoming=[option(1, 1)]) == ("lower_threat_chat", CHAT)


@pytest.mark.parametrize("step", [2, 3, 4])
def test_anxiety_picks_the_lowest_step_below_theirs_soonest_first(step):
    upcoming = [option(1, step), option(2, 2), option(3, 1), option(4, 1)]
    expected = "/activities/3"  # step 1 is the lowest there is; of those, the soonest
    assert kind_and_link(step=step, barriers=["anxiety_freezes"], upcoming=upcoming) == (
        "lower_threat_activity", expected)


@pytest.mark.parametrize("step", [2, 3, 4])
def test_anxiety_with_nothing_below_their_step_stays_with_the_chat(step):
    assert kind_and_link(step=step, barriers=["anxiety_freezes"], upcoming=[option(1, step)]) == (
        "lower_threat_chat", CHAT)


# --- my communication gets misread: explicit norms, text first ---

def test_misread_picks_an_activity_with_a_written_plan():
    upcoming = [option(1, 2), option(2, 2, has_expectations=True), option(3, 1, has_expectations=True)]
    found = suggest(facts(step=2, barriers=["misread"], upcoming=upcoming))
    assert (found.kind, found.link) == ("clear_norms_activity", "/activities/2")
    assert "written plan" in found.text


@pytest.mark.parametrize("step", [1, 2, 3, 4])
def test_misread_without_a_written_plan_asks_for_their_communication_note(step):
    assert kind_and_link(step=step, barriers=["misread"], upcoming=[option(1, 1)]) == ("share_note", SHARING)


@pytest.mark.parametrize("step", [1, 3])
def test_misread_with_their_note_shared_points_to_text_first(step):
    assert kind_and_link(step=step, barriers=["misread"], shared_note=True) == ("text_first", CHAT)


# --- I never learned the unwritten rules: a practice prompt ---

@pytest.mark.parametrize("step", [1, 2, 3, 4])
def test_unwritten_rules_gets_a_conversation_practice_prompt(step):
    found = suggest(facts(step=step, barriers=["unwritten_rules"], upcoming=[option(1, 1)]))
    assert (found.kind, found.link, found.text) == ("practice_prompt", CHAT, PRACTICE_PROMPT)


# --- I keep people at a distance: low-pressure repeated contact ---

def test_keep_distance_picks_the_same_groups_activity_again():
    upcoming = [option(1, 2), option(2, 2, familiar=True), option(3, 1, familiar=True)]
    assert kind_and_link(step=2, barriers=["keep_distance"], upcoming=upcoming) == ("repeat_activity", "/activities/2")


@pytest.mark.parametrize("step", [1, 2, 4])
def test_keep_distance_with_nothing_familiar_is_one_short_message(step):
    assert kind_and_link(step=step, barriers=["keep_distance"], upcoming=[option(1, 1)]) == ("one_message", CHAT)


# --- several barriers: the documented order decides ---

def test_the_order_is_the_documented_one():
    assert BARRIER_ORDER == ("anxiety_freezes", "misread", "unwritten_rules", "keep_distance")


@pytest.mark.parametrize(("barriers", "kind"), [
    (("keep_distance", "unwritten_rules", "misread", "anxiety_freezes"), "lower_threat_activity"),
    (("keep_distance", "unwritten_rules", "misread"), "clear_norms_activity"),
    (("keep_distance", "unwritten_rules"), "practice_prompt"),
    (("keep_distance",), "repeat_activity"),
])
def test_several_barriers_follow_the_order_not_the_order_given(barriers, kind):
    upcoming = [option(1, 1, has_expectations=True, familiar=True), option(2, 3, has_expectations=True, familiar=True)]
    assert suggest(facts(step=3, barriers=barriers, upcoming=upcoming)).kind == kind


def test_unknown_barriers_are_ignored():
    assert kind_and_link(step=1, barriers=["something_else"]) == ("keep_chatting", CHAT)


# --- no barriers: the natural next rung at their own step ---

def test_step_two_with_an_upcoming_online_activity_suggests_it():
    upcoming = [option(1, 1), option(2, 2)]
    found = suggest(facts(step=2, upcoming=upcoming))
    assert (found.kind, found.link, found.link_label) == ("activity", "/activities/2", "See Activity 2")


def test_with_nothing_at_their_step_the_soonest_below_it():
    assert kind_and_link(step=3, upcoming=[option(1, 2), option(2, 1)]) == ("activity", "/activities/1")


def test_step_one_with_nothing_scheduled_keeps_the_chat_going():
    assert kind_and_link(step=1) == ("keep_chatting", CHAT)


@pytest.mark.parametrize("step", [2, 3, 4])
def test_higher_steps_with_nothing_scheduled_suggest_proposing_something(step):
    assert kind_and_link(step=step) == ("suggest_activity", CHAT)


# --- never above their step, whatever arrives ---

@pytest.mark.parametrize("barriers", [(), ("misread",), ("keep_distance",), ("anxiety_freezes",)])
def test_never_above_their_step(barriers):
    above = [option(9, 3, has_expectations=True, familiar=True), option(8, 4, has_expectations=True, familiar=True)]
    found = suggest(facts(step=2, barriers=barriers, shared_note=True, upcoming=above))
    assert found.link not in {"/activities/9", "/activities/8"}
    assert found.link == CHAT
