"""The lexicon file and its phrase syntax."""
import re
import tomllib

import pytest

from community.safety.lexicon import LEXICON_PATH, LexiconError, _Compiler, compile_lexicon, parse_phrase


def compile_one(phrase: str, slots=None) -> re.Pattern:
    compiler = _Compiler(slots or {})
    return re.compile("|".join(r.pattern for r, _ in compiler.compile_phrase(phrase)))


@pytest.mark.parametrize("phrase,yes,no", [
    ("kill", ["kill", "i kill"], ["skill", "killing"]),
    ("suicid*", ["suicide", "suicidal"], ["asuicide"]),
    ("(want|wanna) to die", ["want to die", "wanna to die", "want to... die"], ["want to diet", "want die"]),
    ("[really] want to die", ["really want to die", "want to die"], ["really wants to die"]),
    ("{me}", ["myself", "my self"], ["me"]),
    ("want ... die", ["want die", "want to just die", "want to one two three die"], ["want 1 2 3 4 5 die", "want to. die"]),
    ("want ...1 die", ["want to die"], ["want to just die"]),
    ("# pills", ["30 pills"], ["pills"]),
    ("## pills", ["30 pills"], ["3 pills", "500mg pills"]),
    ("in #year", ["in 2015"], ["in 15", "in 5 minutes"]),
    ("💊", ["💊", "pills💊"], ["pills"]),
    ("kill myself|end it all", ["kill myself", "end it all", "killmyself"], ["kill it all"]),
    ("don't", ["dont"], ["do not"]),
])
def test_phrase_syntax(phrase, yes, no):
    regex = compile_one(phrase, {"me": ["myself", "my self"]})
    for text in yes:
        assert regex.search(text), (phrase, text)
    for text in no:
        assert not regex.search(text), (phrase, text)


@pytest.mark.parametrize("phrase", ["(unclosed", "[a|b", "a)", "a||b", "", "  "])
def test_bad_phrases_are_reported(phrase):
    with pytest.raises(LexiconError):
        compile_one(phrase)
        parse_phrase(phrase)


def test_the_lexicon_file_loads_and_has_the_documented_sections():
    with open(LEXICON_PATH, "rb") as f:
        data = tomllib.load(f)
    assert {"slots", "cues", "context", "benign", "rule"} <= set(data)
    assert {"idioms", "games", "cooking", "technical", "media", "grief", "prevention"} <= set(data["benign"])
    text = LEXICON_PATH.read_text()
    assert "PHRASE SYNTAX" in text and "CONTEXT" in text  # the file explains itself
    compile_lexicon(data)


def minimal(**changes):
    with open(LEXICON_PATH, "rb") as f:
        data = tomllib.load(f)
    data.update(changes)
    return data


@pytest.mark.parametrize("rules,message", [
    ([{"id": "x.y", "category": "nonsense", "patterns": ["a"]}], "category"),
    ([{"id": "ideation.a", "category": "ideation", "patterns": ["{nope}"]}], "unknown slot"),
    ([{"id": "ideation.a", "category": "ideation", "patterns": ["a"], "needs": ["nope"]}], "unknown cue"),
    ([{"id": "ideation.a", "category": "ideation", "patterns": ["a"]}, {"id": "ideation.a", "category": "ideation", "patterns": ["b"]}], "twice"),
    ([{"id": "ideation.a", "category": "ideation", "patterns": ["a"], "typo": 1}], "unknown keys"),
    ([{"id": "ideation.a", "category": "ideation"}], "patterns or all_of"),
])
def test_bad_rules_are_reported(rules, message):
    with pytest.raises(LexiconError, match=message):
        compile_lexicon(minimal(rule=rules))


def test_a_changed_lexicon_changes_behaviour():
    """What a clinician edits is what runs: a new rule in the data is picked up without code."""
    from community.safety.detector import _assess

    data = minimal(rule=[{"id": "ideation.test_only", "category": "ideation", "patterns": ["purple (elephant|giraffe)"]}])
    lex = compile_lexicon(data)
    # the rules alone (model=None): only the new rule runs
    assert _assess("I saw a purple giraffe", lex, None).level == "crisis"
    assert _assess("I want to kill myself", lex, None).level == "none"
    # with the model beside them, the plainest words are still caught when the rules lack them
    assert _assess("I want to kill myself", lex).level == "crisis"
