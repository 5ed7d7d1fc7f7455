"""Every rule in the lexicon, with examples that must and must not trigger it."""
import re
import tomllib

import pytest

from community.safety import CRISIS_CATEGORIES, assess
from community.safety.detector import LEXICON
from community.safety.lexicon import LEXICON_PATH
from tests.safety.cases import RULE_CASES

RULE_IDS = [r.id for r in LEXICON.rules]
CATEGORY = {r.id: r.category for r in LEXICON.rules}


def _rules(text):
    return {m.rule for m in assess(text).matches}


def test_every_rule_in_the_toml_has_cases():
    with open(LEXICON_PATH, "rb") as f:
        ids = [r["id"] for r in tomllib.load(f)["rule"]]
    assert ids == RULE_IDS
    missing = [rid for rid in ids if rid not in RULE_CASES or not RULE_CASES[rid][0]]
    assert not missing, f"rules without a positive example: {missing}"
    unknown = sorted(set(RULE_CASES) - set(ids))
    assert not unknown, f"examples for rules that don't exist: {unknown}"


def test_nearly_every_rule_has_a_negative_case():
    without = [rid for rid in RULE_IDS if not RULE_CASES[rid][1]]
    assert not without, f"rules without a negative example: {without}"


@pytest.mark.parametrize("rule_id,text", [(rid, t) for rid, (pos, _) in RULE_CASES.items() for t in pos])
def test_positive(rule_id, text):
    a = assess(text)
    assert rule_id in {m.rule for m in a.matches}, (text, a)
    # the level follows from the categories the rule's matches ended up in (context may demote them)
    mine = [m for m in a.matches if m.rule == rule_id]
    if any(m.category in CRISIS_CATEGORIES for m in mine):
        assert a.level == "crisis", a
    else:
        assert a.level in ("concern", "crisis"), a
    if CATEGORY[rule_id] in CRISIS_CATEGORIES:
        # written in the first person with nothing softening it, a crisis rule's example is a crisis
        assert a.level == "crisis", a


@pytest.mark.parametrize("rule_id,text", [(rid, t) for rid, (_, neg) in RULE_CASES.items() for t in neg])
def test_negative(rule_id, text):
    assert rule_id not in _rules(text), (text, assess(text))


@pytest.mark.parametrize("text,level,category", [
    ("I want to kill myself", "crisis", "ideation"),
    ("I'm going to end my life tonight", "crisis", "intent"),
    ("I have a plan to end my life", "crisis", "plan"),
    ("I've been stockpiling my pills", "crisis", "means"),
    ("I cut myself again", "crisis", "self_harm"),
    ("I took all my pills", "crisis", "in_progress"),
    ("This is my last message. Goodbye forever", "crisis", "goodbye"),
    ("I feel so hopeless", "concern", "hopelessness"),
    ("I'm such a burden to everyone", "concern", "burden"),
    ("I wish I could just not wake up", "concern", "passive_wish"),
    ("I have the thoughts but I won't act on them", "concern", "denial_with_thoughts"),
    ("my friend is suicidal", "concern", "third_party"),
    ("kys", "concern", "harassment"),
])
def test_each_category_sets_its_level(text, level, category):
    a = assess(text)
    assert a.level == level, a
    assert category in a.categories, a


def test_rule_ids_are_category_prefixed():
    for rid in RULE_IDS:
        assert re.fullmatch(r"[a-z_]+\.[a-z0-9_]+", rid), rid
        assert rid.split(".")[0] == CATEGORY[rid], rid
