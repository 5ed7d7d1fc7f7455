"""The linear model: scored in pure Python exactly as scikit-learn trained it, combined with the
rules so that it can raise a level and never lower one, and never trained on a held-out set."""
import json
import random
from pathlib import Path

import pytest

from community.safety import train
from community.safety.detector import LEXICON, MODEL, _assess, assess_rules
from community.safety.model import MODEL_PATH, LinearModel, features, load_model
from community.safety.normalize import normalize

BENCH_DATA = Path(__file__).resolve().parents[2] / "bench" / "data"


def toy_model(weights: dict, categories=("ideation", "means", "hopelessness"), thresholds=(0.8, 0.8)) -> LinearModel:
    return LinearModel({
        "bias": [-5.0, -5.0],
        "weights": weights,
        "thresholds": {"risk": thresholds[0], "crisis": thresholds[1]},
        "categories": {"names": list(categories), "bias": [0.0] * len(categories),
                       "weights": {"zebra": {"0": 1.0}, "gloomy": {"2": 1.0}}},
    })


def test_features_cover_words_stems_pairs_and_negation_within_a_clause():
    f = features("i would never overdose. pills")
    assert {"overdose", "p:overd", "would never", "n:overdose", "pills"} <= set(f)
    assert "p:pills" not in f and "p:would" in features("wouldnt") and "p:b4sed" not in features("b4sedate")
    assert "overdose pills" not in f  # no pair across a sentence end
    assert "n:pills" not in f  # the negation ends with its clause


def test_the_fast_feature_set_is_the_feature_set():
    model = load_model()
    for item in random.Random(5).sample(train.load(), 300):
        s = normalize(item["text"]).text
        assert model.feature_set(s) == set(features(s)), s


def test_saying_something_again_and_again_does_not_raise_its_score():
    model = load_model()
    twice, often = model.score("so tired so tired"), model.score("so tired " * 300)
    assert often.risk == pytest.approx(twice.risk) and often.crisis == pytest.approx(twice.crisis)


def test_pure_python_scores_match_scikit_learn():
    pytest.importorskip("sklearn")
    items = train.load()
    sample = random.Random(3).sample(items, 400)
    texts = [normalize(i["text"]).text for i in sample]
    exported = train.export(sample, texts, 0.5, 0.5, prune=0.0)
    model = LinearModel(exported)
    vec, X = train._vectorize(texts)
    risk_y, crisis_y = train._targets(sample)
    risk_m, crisis_m = train._fit(X, risk_y), train._fit(X, crisis_y)
    probe = [normalize(i["text"]).text for i in random.Random(4).sample(items, 60)]
    Xp = train._matrix(vec, probe)
    for text, r, c in zip(probe, risk_m.predict_proba(Xp)[:, 1], crisis_m.predict_proba(Xp)[:, 1], strict=True):
        scores = model.score(text)
        assert scores.risk == pytest.approx(r, abs=2e-3), text
        assert scores.crisis == pytest.approx(c, abs=2e-3), text


def test_a_confident_model_raises_none_to_crisis_with_evidence_and_a_category():
    model = toy_model({"zebra": [60.0, 60.0]})
    a = _assess("well... ZEBRA", LEXICON, model)
    assert a.level == "crisis" and a.categories == ("ideation",)
    (m,) = a.matches
    assert m.rule == "model" and "well... ZEBRA"[m.span[0]:m.span[1]] == "ZEBRA"


def test_risk_without_crisis_raises_none_to_concern_only():
    model = toy_model({"gloomy": [60.0, -60.0]})
    a = _assess("so gloomy", LEXICON, model)
    assert a.level == "concern" and a.categories == ("hopelessness",)


def test_the_model_never_lowers_what_the_rules_found():
    model = toy_model({"kill": [-90.0, -90.0], "myself": [-90.0, -90.0]})
    assert _assess("i want to kill myself", LEXICON, model).level == "crisis"


def test_a_model_crisis_that_names_the_means_is_held_back():
    model = toy_model({"zebra": [60.0, 60.0]})
    a = _assess("zebra. the rope is in the garage", LEXICON, model)
    assert a.level == "crisis" and "means" in a.categories


def test_below_the_thresholds_the_rules_alone_decide():
    model = toy_model({"zebra": [1.0, 1.0]})
    assert _assess("zebra", LEXICON, model).level == "none"


def test_the_shipped_model_loads_and_is_used():
    shipped = load_model()
    assert shipped is not None and MODEL is not None
    assert 0.5 <= shipped.thresholds["risk"] < 1 and 0.5 <= shipped.thresholds["crisis"] < 1
    assert len(shipped.weights) > 1000
    data = json.loads(MODEL_PATH.read_text())
    assert set(data["trained_on"]) == {"bench/data/safety_messages.jsonl", "bench/data/safety_training.jsonl",
                                     "bench/data/safety_spec_examples.jsonl"}


def test_rules_alone_stay_available():
    assert assess_rules("i want to kill myself").level == "crisis"
    assert assess_rules("zebra crossing").level == "none"


def test_no_held_out_message_is_in_the_training_data():
    def key(text):
        return " ".join(normalize(text).text.split())
    trained = {key(i["text"]) for i in train.load()}
    for name in ("safety_heldout.jsonl", "safety_fresh.jsonl", "safety_fresh2.jsonl"):
        path = BENCH_DATA / name
        if not path.exists():
            continue
        held = [json.loads(line)["text"] for line in path.read_text().splitlines() if line.strip()]
        leaked = [t for t in held if key(t) in trained]
        assert not leaked, (name, leaked[:5])
