"""Train the detector's linear model offline and export its weights to data/model.json.

    .venv/bin/python -m community.safety.train            # train, cross-validate, write data/model.json
    .venv/bin/python -m community.safety.train --cv-only  # only report the cross-validated figures
    .venv/bin/python -m community.safety.train --explain  # the words that weigh most, per score

Trained on the project's own written examples: bench/data/safety_messages.jsonl (the labelled set
the rules were tuned on), bench/data/safety_training.jsonl (written for training) and
bench/data/safety_spec_examples.jsonl (the example messages of tests/safety, labelled by the rules,
which pass them all: so the model learns the cases we have said how to handle). Never on a held-out set:
those exist to measure how well the detector generalises.

The thresholds are chosen on out-of-fold predictions (5-fold cross-validation), combined with the
rules exactly as the detector combines them, so that the model adds recall while flagging few of
the benign training messages the rules leave alone. scikit-learn is needed here only; the app
scores the exported weights in pure Python (model.py).
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter
from pathlib import Path

from community.safety.lexicon import CATEGORIES, CRISIS_CATEGORIES
from community.safety.model import MODEL_PATH, features

ROOT = Path(__file__).resolve().parents[2]
SOURCES = tuple(ROOT / "bench" / "data" / name for name in (
    "safety_messages.jsonl", "safety_training.jsonl", "safety_spec_examples.jsonl"))
# the share of benign out-of-fold messages (that the rules leave alone) the model may flag: as
# crisis, and at any level; the rules themselves flag a few percent of benign messages they never saw
CRISIS_BUDGET = 0.01
BENIGN_BUDGET = 0.02
C = 30.0  # chosen by cross-validation on the training data (area under the ROC curve)
PRUNE = 1e-3  # weights smaller than this are dropped from the export


def load(paths=SOURCES) -> list[dict]:
    items = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            items.extend(json.loads(line) for line in f if line.strip())
    return items


def _normalised(items):
    from community.safety.normalize import normalize
    return [normalize(i["text"]).text for i in items]


def _matrix(vec, texts, fit=False):
    """Features present (1) or not, each row scaled by 1/sqrt(its number of features), as model.py
    scores."""
    from scipy.sparse import diags
    counts = [dict.fromkeys(features(t), 1) for t in texts]
    X = vec.fit_transform(counts) if fit else vec.transform(counts)
    sizes = [len(c) for c in counts]
    return diags([1.0 / math.sqrt(n) if n else 0.0 for n in sizes]) @ X


def _vectorize(texts):
    from sklearn.feature_extraction import DictVectorizer
    vec = DictVectorizer()
    return vec, _matrix(vec, texts, fit=True)


def _fit(X, y):
    from sklearn.linear_model import LogisticRegression
    model = LogisticRegression(C=C, max_iter=4000, class_weight="balanced")
    model.fit(X, y)
    return model


def _targets(items):
    risk = [int(i["level"] != "none") for i in items]
    crisis = [int(i["level"] == "crisis") for i in items]
    return risk, crisis


def _category_target(item) -> str | None:
    cats = [c for c in item.get("categories") or [] if c in CATEGORIES]
    if item["level"] == "crisis":
        cats = [c for c in cats if c in CRISIS_CATEGORIES] or cats
    return cats[0] if cats else None


def out_of_fold(items, texts, folds=5, seed=7):
    """Out-of-fold (risk, crisis) probabilities for every item."""
    from sklearn.model_selection import StratifiedKFold
    levels = [i["level"] for i in items]
    risk_y, crisis_y = _targets(items)
    probs = [(0.0, 0.0)] * len(items)
    for train_idx, test_idx in StratifiedKFold(folds, shuffle=True, random_state=seed).split(texts, levels):
        vec, X = _vectorize([texts[k] for k in train_idx])
        Xt = _matrix(vec, [texts[k] for k in test_idx])
        r = _fit(X, [risk_y[k] for k in train_idx]).predict_proba(Xt)[:, 1]
        c = _fit(X, [crisis_y[k] for k in train_idx]).predict_proba(Xt)[:, 1]
        for k, pr, pc in zip(test_idx, r, c, strict=True):
            probs[k] = (float(pr), float(pc))
    return probs


def combine(verdict: str, risk: float, crisis: float, t_risk: float, t_crisis: float) -> str:
    """The detector's combination (detector._model_may_raise): the model raises nothing the rules
    weighed and set aside, nothing above a crisis, denial or worry about someone else; it raises
    the writer's own low mood to crisis, and nothing found to concern or crisis."""
    if verdict in ("crisis", "concern"):
        return verdict
    if verdict == "weighed":
        return "none"
    if crisis >= t_crisis and risk >= t_risk:
        return "crisis"
    if verdict == "raisable":
        return "concern"
    return "concern" if risk >= t_risk else "none"


def figures(items, rule_levels, probs, t_risk, t_crisis) -> dict:
    got = [combine(r, p[0], p[1], t_risk, t_crisis) for r, p in zip(rule_levels, probs, strict=True)]
    def share(level, ok):
        idx = [k for k, i in enumerate(items) if i["level"] == level]
        return sum(ok(got[k]) for k in idx) / max(1, len(idx))
    return {
        "crisis_recall": share("crisis", lambda g: g == "crisis"),
        "concern_recall": share("concern", lambda g: g != "none"),
        "benign_flagged": share("none", lambda g: g != "none"),
    }


def _lowest_threshold(values: list[float], allowed: int) -> float:
    """The lowest threshold (at least 0.5) that no more than `allowed` of the values reach."""
    ranked = sorted(values, reverse=True)
    return max(0.5, ranked[allowed] + 1e-6) if allowed < len(ranked) else 0.5


def choose_thresholds(items, rule_levels, probs) -> tuple[float, float]:
    """Thresholds that keep the model's own flags on benign messages within the budgets: risk
    (any level) within BENIGN_BUDGET, then crisis among those within CRISIS_BUDGET."""
    benign = [p for i, r, p in zip(items, rule_levels, probs, strict=True) if i["level"] == "none" and r == "none"]
    t_risk = _lowest_threshold([p[0] for p in benign], int(BENIGN_BUDGET * len(benign)))
    flagged = [p[1] for p in benign if p[0] >= t_risk]
    t_crisis = _lowest_threshold(flagged, int(CRISIS_BUDGET * len(benign)))
    return round(t_risk, 4), round(t_crisis, 4)


def export(items, texts, t_risk, t_crisis, prune: float = PRUNE) -> dict:
    risk_y, crisis_y = _targets(items)
    vec, X = _vectorize(texts)
    names = vec.get_feature_names_out()
    risk_m, crisis_m = _fit(X, risk_y), _fit(X, crisis_y)
    weights = {}
    for k, name in enumerate(names):
        wr, wc = float(risk_m.coef_[0][k]), float(crisis_m.coef_[0][k])
        if abs(wr) >= prune or abs(wc) >= prune:
            weights[name] = [round(wr, 4), round(wc, 4)]
    flagged = [k for k, i in enumerate(items) if _category_target(i)]
    cat_y = [_category_target(items[k]) for k in flagged]
    cat_m = _fit(X[flagged], cat_y)
    cat_names = [str(c) for c in cat_m.classes_]
    cat_weights: dict[str, dict[str, float]] = {}
    for k, name in enumerate(names):
        row = {str(j): round(float(cat_m.coef_[j][k]), 3) for j in range(len(cat_names)) if abs(cat_m.coef_[j][k]) >= 0.05}
        if row:
            cat_weights[name] = row
    return {
        "version": 1,
        "about": "Linear model for community.safety (see model.py); written by `python -m community.safety.train`.",
        "trained_on": {str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines()) for p in SOURCES},
        "bias": [round(float(risk_m.intercept_[0]), 4), round(float(crisis_m.intercept_[0]), 4)],
        "thresholds": {"risk": t_risk, "crisis": t_crisis},
        "weights": weights,
        "categories": {"names": cat_names, "bias": [round(float(b), 3) for b in cat_m.intercept_], "weights": cat_weights},
    }


def rule_levels(items) -> list[str]:
    """What the rules leave to the model, for each item (detector.rules_verdict)."""
    from community.safety.detector import rules_verdict
    return [rules_verdict(i["text"]) for i in items]


def explain(model: dict, top: int = 25) -> list[str]:
    out = []
    for k, label in ((0, "risk"), (1, "crisis")):
        ranked = sorted(model["weights"].items(), key=lambda kv: -kv[1][k])
        out.append(f"{label}, for: " + ", ".join(f"{n} {w[k]:+.2f}" for n, w in ranked[:top]))
        out.append(f"{label}, against: " + ", ".join(f"{n} {w[k]:+.2f}" for n, w in ranked[-top:][::-1]))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cv-only", action="store_true")
    ap.add_argument("--explain", action="store_true")
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    args = ap.parse_args(argv)
    if args.explain:
        print("\n".join(explain(json.loads(args.out.read_text()))))
        return 0
    items = load()
    texts = _normalised(items)
    print(f"{len(items)} examples: {dict(Counter(i['level'] for i in items))}")
    rules = rule_levels(items)
    probs = out_of_fold(items, texts)
    base = figures(items, rules, probs, 2.0, 2.0)  # thresholds no probability reaches: the rules alone
    t_risk, t_crisis = choose_thresholds(items, rules, probs)
    both = figures(items, rules, probs, t_risk, t_crisis)
    model_only = figures(items, ["none"] * len(items), probs, t_risk, t_crisis)
    print(f"thresholds: risk {t_risk}, crisis {t_crisis}")
    for label, f in (("rules alone", base), ("model alone (out of fold)", model_only), ("rules + model (out of fold)", both)):
        print(f"{label:30} crisis {f['crisis_recall']:.3f}  concern-or-crisis {f['concern_recall']:.3f}  "
              f"benign flagged {f['benign_flagged']:.3f}")
    if args.cv_only:
        return 0
    model = export(items, texts, t_risk, t_crisis)
    args.out.write_text(json.dumps(model, sort_keys=True, separators=(",", ":")) + "\n")
    print(f"{len(model['weights'])} weights written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
