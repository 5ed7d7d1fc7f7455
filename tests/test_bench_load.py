"""The load benchmark seeds groups of 4–6 whatever the population (bench/load_seed.py). (The
locustfile is not imported here: locust monkey-patches the process with gevent.)"""
import pytest

from bench.load_seed import group_sizes


@pytest.mark.parametrize("members", [4, 9, 11, 13, 20, 199, 200, 201, 1000])
def test_every_group_has_four_to_six_members_and_everyone_is_placed(members):
    sizes = group_sizes(members)
    assert sum(sizes) == members
    assert all(4 <= size <= 6 for size in sizes)


def test_the_default_population_has_groups_of_each_size():
    assert set(group_sizes(200)) == {4, 5, 6}

