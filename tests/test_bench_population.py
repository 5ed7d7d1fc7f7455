"""The benchmark's synthetic population: deterministic, valid input, with the mix it promises."""
from bench.baselines import random_groups
from bench.metrics import evaluate, infer_mode
from bench.population import generate
from matching.types import MemberProfile


def test_same_seed_same_population_other_seed_other():
    a, ta = generate(300, seed=5)
    b, tb = generate(300, seed=5)
    c, _ = generate(300, seed=6)
    assert a == b and ta.hobbies == tb.hobbies
    assert a != c


def test_profiles_are_valid_and_varied():
    profiles, truth = generate(2000, seed=1)
    ids = [p.id for p in profiles]
    assert len(set(ids)) == len(ids)
    for p in profiles:
        assert 2 <= len(truth.hobbies[p.id]) <= 8 and 2 <= len(p.interests) <= 6
        assert 3 <= len(p.availability) <= 9 and all(0 <= s <= 20 for s in p.availability)
        assert p.format in ("online", "in_person", "either") and 1 <= p.comfort <= 4
        if p.format == "either":
            assert p.lat is not None and p.lon is not None
    shares = {f: sum(p.format == f for p in profiles) / len(profiles) for f in ("online", "in_person", "either")}
    assert 0.30 < shares["online"] < 0.40 and 0.25 < shares["in_person"] < 0.35
    assert any(p.lat is None for p in profiles if p.format == "online")
    tags = {t.strip() for p in profiles for t in p.interests}
    assert {"D&D", "Catan", "jogging"} & tags and len(tags) > 150
    low = sum(p.comfort <= 2 for p in profiles) / len(profiles)
    assert low > 0.55


def test_metrics_judge_by_truth_and_infer_modes():
    profiles, truth = generate(400, seed=2)
    groups = random_groups(profiles, seed=0)
    assert sorted(m for g in groups for m in g) == sorted(p.id for p in profiles)
    assert all(4 <= len(g) <= 6 for g in groups)
    scores = evaluate([(g, None) for g in groups], profiles, truth)
    assert scores.placed == 400 and scores.duplicates == 0 and scores.size_ok == scores.groups
    online_only = MemberProfile(id="x", interests=("chess",), availability=(1, 2, 3), format="online")
    assert infer_mode([online_only]) == "online"
