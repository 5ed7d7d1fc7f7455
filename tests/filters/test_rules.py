"""Rule data: loading, validating and writing back; the default rule file; the engine's purity."""
import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import community.filters
from community.filters import FilterRuleError, RuleSet, WordRule, check, default_rules
from community.filters.engine import DATA

FILTERS_DIR = Path(community.filters.__file__).parent
ROOT = FILTERS_DIR.parent.parent


def test_default_rules_file_loads_and_validates():
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    rules = RuleSet.from_dict(raw)
    assert rules == default_rules()
    assert default_rules() is default_rules()  # cached
    actions = {r.action for r in rules.words}
    assert actions == {"mask", "hold", "block"}
    patterns = {r.pattern for r in rules.words}
    assert {"ass", "cock", "cunt*", "dick", "shit*", "fuck*", "bitch*", "bastard", "you idiot", "buy followers",
            "crypto giveaway", "click this link to earn"} <= patterns
    assert "shut up" not in patterns
    assert {"scunthorpe", "assess", "assassin", "shitake", "therapist", "cumulative"} <= set(rules.allow)
    for rule in rules.words:
        if rule.action in ("hold", "block"):
            assert rule.reason, rule.pattern
    assert (rules.new_member_days, rules.link_action, rules.flood_count, rules.flood_seconds,
            rules.duplicate_window) == (3, "hold", 0, 10, 3)


def test_round_trip():
    rules = default_rules()
    data = rules.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert RuleSet.from_dict(data) == rules
    custom = RuleSet(words=(WordRule("heck", "hold", "Be kind."),), allow=("heckle",), new_member_days=0,
                     link_action="block", flood_count=3, flood_seconds=5, duplicate_window=0)
    assert RuleSet.from_dict(custom.to_dict()) == custom
    assert RuleSet.from_dict({}) == RuleSet()


def test_sections_share_action_and_reason_and_comments_are_ignored():
    rules = RuleSet.from_dict({
        "comment": "mine",
        "sections": [{"purpose": "p", "action": "hold", "reason": "r",
                      "words": ["one", {"pattern": "two", "reason": "own"}, {"pattern": "three", "action": "block"}]}],
        "words": [{"pattern": "four", "action": "mask", "comment": "c"}],
    })
    assert rules.words == (WordRule("one", "hold", "r"), WordRule("two", "hold", "own"),
                           WordRule("three", "block", "r"), WordRule("four", "mask", ""))


@pytest.mark.parametrize("data,message", [
    ([], "rules must be an object"),
    ({"wordz": []}, "unknown setting 'wordz'"),
    ({"words": "ass"}, "words must be a list"),
    ({"words": [{"pattern": "ass", "action": "delete"}]}, "words[0]: pattern 'ass': unknown action 'delete'"),
    ({"words": [{"pattern": "ass", "action": "allow"}]}, "unknown action 'allow'"),
    ({"words": [{"pattern": "", "action": "mask"}]}, "words[0]: pattern is empty"),
    ({"words": [{"pattern": "   ", "action": "mask"}]}, "pattern is empty"),
    ({"words": [{"pattern": "!!!", "action": "mask"}]}, "needs letters"),
    ({"words": [{"pattern": "a*b", "action": "mask"}]}, "'*' only at its end"),
    ({"words": [{"pattern": 5, "action": "mask"}]}, "pattern must be text, not int"),
    ({"words": [{"pattern": "x" * 101, "action": "mask"}]}, "longer than 100 characters"),
    ({"words": [{"pattern": "ass"}]}, "words[0]: missing 'action'"),
    ({"words": [{"action": "mask"}]}, "missing 'pattern'"),
    ({"words": [{"pattern": "ass", "action": "mask", "colour": "red"}]}, "unknown key 'colour'"),
    ({"words": [{"pattern": "ass", "action": "mask", "reason": 3}]}, "reason of 'ass' must be text"),
    ({"words": [7]}, "words[0] must be a pattern or an object"),
    ({"words": [{"pattern": f"w{n}", "action": "mask"} for n in range(501)]}, "there are 501 rules"),
    ({"sections": [{"action": "hold", "words": ["a", 3]}]}, "sections[0].words[1] must be a pattern"),
    ({"sections": [{"words": ["a"]}]}, "sections[0].words[0]: missing 'action'"),
    ({"sections": [{"action": "hold", "words": "abc"}]}, "sections[0].words must be a list"),
    ({"sections": [{"action": "hold", "rules": []}]}, "sections[0]: unknown key 'rules'"),
    ({"allow": "scunthorpe"}, "allow must be a list"),
    ({"allow": [""]}, "allow[0] is empty"),
    ({"allow": ["two words"]}, "allow[0] 'two words' must be a single word"),
    ({"new_member_days": -1}, "new_member_days must be at least 0, not -1"),
    ({"flood_count": -1}, "flood_count must be at least 0"),
    ({"flood_seconds": -5}, "flood_seconds must be at least 1"),
    ({"duplicate_window": -1}, "duplicate_window must be at least 0"),
    ({"flood_count": "5"}, "flood_count must be a whole number, not '5'"),
    ({"flood_count": 2.5}, "flood_count must be a whole number"),
    ({"new_member_days": True}, "new_member_days must be a whole number"),
    ({"link_action": "mask"}, "link_action must be hold or block, not 'mask'"),
])
def test_from_dict_rejects_bad_data_naming_the_problem(data, message):
    with pytest.raises(FilterRuleError) as e:
        RuleSet.from_dict(data)
    assert message in str(e.value)


def test_direct_construction_validates_too():
    with pytest.raises(FilterRuleError, match="unknown action"):
        WordRule("x", "ban")
    with pytest.raises(FilterRuleError, match="flood_count"):
        RuleSet(flood_count=-1)
    rules = RuleSet(words=[WordRule("heck", "mask")], allow=["heckle"])  # lists become tuples
    assert isinstance(rules.words, tuple) and hash(rules)
    assert check("heck heckle", rules).text == "•••• heckle"


def test_a_modified_rule_set_takes_effect():
    data = default_rules().to_dict()
    data["words"].append({"pattern": "pineapple pizza", "action": "block", "reason": "No."})
    rules = RuleSet.from_dict(data)
    assert check("pineapple  pizza!", rules).reason == "No."
    assert check("pineapple pizza", default_rules()).action == "allow"


# ---- purity --------------------------------------------------------------------------------------

def imported_modules(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.append(("community.filters." if node.level else "") + (node.module or ""))
    return names


def test_filter_modules_import_only_the_standard_library_and_normalize():
    allowed_community = {"community.safety.normalize"}
    for path in FILTERS_DIR.glob("*.py"):
        for name in imported_modules(path):
            root = name.split(".")[0]
            assert root not in {"flask", "sqlalchemy", "werkzeug", "flask_sqlalchemy"}, (path.name, name)
            if root == "community":
                assert name in allowed_community or name.startswith("community.filters"), (path.name, name)


def test_importing_the_engine_loads_no_flask_or_sqlalchemy():
    # `community/__init__.py` is the Flask app factory, so stand in an empty `community` package and
    # check that the filters (and the safety package they use) pull in nothing from the app.
    code = (
        "import sys, types\n"
        f"pkg = types.ModuleType('community'); pkg.__path__ = [{str(ROOT / 'community')!r}]\n"
        "sys.modules['community'] = pkg\n"
        "from community.filters import check, default_rules\n"
        "assert check('what the fuck', default_rules()).text == 'what the ••••'\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy', 'werkzeug'))\n"
        "others = sorted(m for m in sys.modules if m.startswith('community.') and not\n"
        "                m.startswith(('community.filters', 'community.safety')))\n"
        "print(bad, others)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[] []"
