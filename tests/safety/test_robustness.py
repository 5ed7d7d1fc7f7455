"""assess never raises, on any string, and stays fast; nothing is compiled per call."""
import random
import re
import statistics
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from community.safety import LEVELS, assess, detector
from community.safety.detector import _assess

ODD = [
    "", " ", "\n\n\t", "\x00", "\ud800", "\udfff\ud800", "\u200b" * 50, "\u202e reversed", "\ufeff",
    "💊" * 1000, "🪢🔪🩸💊" * 50, "ｋ" * 5000, "a" * 100_000, "k i l l " * 5000, "1" * 10_000, "$@!*" * 2000,
    "'" * 500, "*" * 500, "...." * 1000, "Z̴̢̛͇̗̝͚̜̹̭͔̋̆̿̓̂̑̃a̷̧̠̹̬̲͕̜͚̅͌͐̕l̸g̶o̵", "ﷺ" * 100, "𒐫" * 500,
    "\u0301" * 1000, "i" + "\u0308" * 300, "I want to kill myself" + "\u200d" * 1000, "ß" * 300, "İ" * 300,
    "ﬁ" * 300, "\U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F",
]


@pytest.mark.parametrize("text", ODD, ids=range(len(ODD)))
def test_odd_strings(text):
    a = _assess(text)  # the real path, not the fallback
    assert a.level in LEVELS
    for m in a.matches:
        assert 0 <= m.span[0] <= m.span[1] <= len(text)


def test_non_strings_do_not_raise():
    for value in (None, 42, b"kill myself", ["x"]):
        assert assess(value).level in LEVELS


def test_huge_message_with_crisis_at_the_end():
    text = "blah " * 200_000 + "I want to kill myself"
    a = _assess(text)
    assert a.level == "crisis"
    assert text[a.matches[0].span[0]:a.matches[0].span[1]].lower() == "kill myself"


def test_random_unicode_soup():
    rng = random.Random(1234)
    alphabet = [chr(c) for c in list(range(0x20, 0x250)) + list(range(0x370, 0x500)) + list(range(0x2000, 0x2070))
                + list(range(0xFF00, 0xFF60)) + list(range(0x1F300, 0x1F6FF)) + list(range(0x1D400, 0x1D4FF))]
    words = ["kill", "myself", "die", "want", "suicide", "not", "never", "my friend", "lol", "💊", "k1ll", "."]
    for _ in range(3000):
        parts = [rng.choice(alphabet) if rng.random() < 0.6 else rng.choice(words) for _ in range(rng.randint(0, 40))]
        sep = rng.choice(["", " ", "\u200b", "  ", "-"])
        text = sep.join(parts)
        a = _assess(text)
        assert a.level in LEVELS
        for m in a.matches:
            assert 0 <= m.span[0] < m.span[1] <= len(text)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_any_text(text):
    a = _assess(text)
    assert a.level in LEVELS
    assert (a.level == "none") == (not a.matches)


def test_fallback_answers_when_the_detector_breaks(monkeypatch):
    def broken(text, lex=None):
        raise RuntimeError("boom")

    monkeypatch.setattr(detector, "_assess", broken)
    assert assess("I want to kill myself").level == "crisis"
    assert assess("lovely day").level == "none"


def test_no_regex_is_compiled_per_call(monkeypatch):
    texts = ["I want to kill myself", "my friend is suicidal", "cut the onions", "I'd never kill myself but the thoughts",
             "goodbye everyone, thank you for everything", "💊💊 tonight", "k i l l  m y s e l f", "ｋｉｌｌ"]
    calls = []
    real = re._compile

    def counting(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(re, "_compile", counting)
    for t in texts:
        _assess(t)
    assert calls == []


def test_fast_enough():
    """A sanity bound (the benchmark measures the real figure): the median ordinary or flagged chat
    message takes well under a millisecond."""
    texts = ["hey all, hike on saturday still on?", "I want to kill myself", "my friend said she wants to die",
             "this commute is killing me lol", "I feel like such a burden lately", "thanks! cut the onions first"]
    for t in texts:
        _assess(t)
    times = []
    for _ in range(30):
        for t in texts:
            start = time.perf_counter_ns()
            _assess(t)
            times.append(time.perf_counter_ns() - start)
    assert statistics.median(times) < 500_000
