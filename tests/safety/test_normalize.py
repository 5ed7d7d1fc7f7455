"""Normalisation: each kind of obfuscation, and the map back to the original offsets."""
import pytest

from community.safety import assess
from community.safety.normalize import normalize


@pytest.mark.parametrize("text,expected", [
    ("KILL MYSELF", "kill myself"),
    ("ｋｉｌｌ ｍｙｓｅｌｆ", "kill myself"),  # fullwidth
    ("𝐤𝐢𝐥𝐥 𝐦𝐲𝐬𝐞𝐥𝐟", "kill myself"),  # mathematical bold
    ("kіll mysеlf", "kill myself"),  # Cyrillic і and е
    ("κιll myself", "kill myself"),  # Greek kappa, iota
    ("k\u200bi\u200cl\u200dl m\u2060yself\ufeff", "kill myself"),  # zero-width and format characters
    ("su\u00adicide", "suicide"),  # soft hyphen
    ("suïcide", "suicide"),  # accents
    ("k1ll mys3lf", "kill myself"),
    ("ki11 myse1f", "kill myseif"),  # 1 after i is l; after e it stays i (the lexicon doesn't rely on it)
    ("$uicide", "suicide"),
    ("k1ll1ng mys3lf", "killing myself"),  # 1 before a letter is i, even after an l
    ("wi11", "will"),
    ("1 w4nt 70 d13 2n1ght", "i want to die 2night"),  # a sentence in leet: lone 1 and 70 too
    ("th1s 1s g00dby3", "this is goodbye"),
    ("i have 2 cats and 1 dog", "i have 2 cats and 1 dog"),  # no leet words: numbers stay
    ("sui cidal", "suicidal"),
    ("5u1c1d3", "suicide"),
    ("k!ll", "kill"),
    ("k i l l", "kill"),
    ("k.i.l.l", "kill"),
    ("k-i-l-l m-y-s-e-l-f", "kill myself"),
    ("k i l l  m y s e l f", "kill myself"),  # the wider gap is the word break
    ("diiiieeee", "die"),
    ("soooo tired", "so tired"),
    ("don't", "dont"),
    ("I’m", "im"),
    ("k*ll", "kll"),
    ("kill_myself", "kill myself"),
])
def test_obfuscations_are_undone(text, expected):
    assert normalize(text).text == expected


@pytest.mark.parametrize("text", [
    "see you at 5 pm", "meet at 5pm", "2 players needed", "take 500mg twice a day", "the 3rd of may",
    "call 988", "my phone is at 40%", "covid-19 shots", "room 101", "version 3.7.1", "I'm 23yo",
])
def test_ordinary_numbers_are_left_alone(text):
    digits = [c for c in text if c.isdigit()]
    assert [c for c in normalize(text).text if c.isdigit()] == digits


@pytest.mark.parametrize("text", [
    "I w4nt t0 k1ll mys3lf", "i want to k i l l myself", "I want to kіll mysеlf", "I want to ｋｉｌｌ ｍｙｓｅｌｆ",
    "I want to ki\u200bll my\u200bself", "i waaaant to kiiiill myseeeelf", "I want to k*ll myself",
    "su1c1dal thoughts again, I'm so $uicidal", "I'm so s u i c i d a l",
])
def test_obfuscated_crisis_is_found(text):
    assert assess(text).level == "crisis", assess(text)


@pytest.mark.parametrize("text", [
    "Anyone up for 5 a side football at 7pm? need 2 more players",
    "a b c d e f g, the alphabet song for my kid",
    "l33t h4x0r jokes from the 90s",
    "U.S.A. trip photos!",
])
def test_normalising_ordinary_text_flags_nothing(text):
    assert assess(text).level == "none", assess(text)


@pytest.mark.parametrize("text", [
    "I want to kill myself",
    "ｉ ｗａｎｔ ｔｏ ｋｉｌｌ ｍｙｓｅｌｆ",
    "I want to k\u200bi\u200bl\u200bl myself",
    "I want to k i l l myself",
    "Ｉ want to ＫＩＬＬ myself 😢",
    "🌧️🌧️ so tired. i w4nt t0 d1e",
    "Ok. Müde. Ich… I want to kill myself",
])
def test_spans_map_back_to_the_original_text(text):
    a = assess(text)
    assert a.level == "crisis"
    for m in a.matches:
        start, end = m.span
        assert 0 <= start < end <= len(text)
        piece = normalize(text[start:end]).text
        assert piece and piece[0].isalnum() and piece[-1].isalnum(), (text, m, text[start:end])


def test_offsets_of_every_character():
    text = "Ａb\u200bc’d ｅ"
    n = normalize(text)
    assert n.text == "abcd e"
    assert [n.span(i, i + 1) for i in range(len(n.text))] == [(0, 1), (1, 2), (3, 4), (5, 6), (6, 7), (7, 8)]
