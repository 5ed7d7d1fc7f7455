"""Walk-ins let go when a person blocks their buddy or asks to delete their account: the buddy is
told kindly (never why) and paired with someone else who is waiting."""
import pytest

from tests.journey.test_buddies import NOW, buddy_notes, going, make_world, opt_in, pairs, person
from tests.support import PASSWORD


@pytest.fixture
def world(app):
    with app.app_context():
        return make_world()


def test_blocking_your_buddy_ends_the_pair_and_they_are_paired_with_someone_waiting(app, world):
    from community.moderation import blocks

    with app.app_context():
        going(world, "ann", "bea", "cal")
        opt_in(world, "ann")
        opt_in(world, "bea", 5)
        opt_in(world, "cal", 10)  # waits
        blocks.block(person(world["ann"]), person(world["bea"]))
        assert pairs(world) == {"bea": "cal", "cal": "bea"}
        assert buddy_notes(world, "buddy_unpaired") == [("bea", "buddy_unpaired")]


def test_blocking_someone_who_is_not_your_buddy_changes_no_walk_in(app, world):
    from community.moderation import blocks

    with app.app_context():
        going(world, "ann", "bea", "cal")
        opt_in(world, "ann")
        opt_in(world, "bea", 5)
        blocks.block(person(world["ann"]), person(world["cal"]))
        assert pairs(world) == {"ann": "bea", "bea": "ann"}
        assert buddy_notes(world, "buddy_unpaired") == []


def test_asking_to_delete_the_account_lets_every_walk_in_go(app, world):
    from community.privacy import deletion

    with app.app_context():
        going(world, "ann", "bea")
        opt_in(world, "ann")
        opt_in(world, "bea", 5)
        deletion.schedule(person(world["ann"]), PASSWORD, erase_messages=False, now=NOW)
        assert pairs(world) == {"bea": None}
        assert buddy_notes(world, "buddy_unpaired") == [("bea", "buddy_unpaired")]
