"""Context: negation, someone else, past and resolved, idioms and benign senses, denial, jokes."""
import pytest

from community.safety import assess


def level(text):
    return assess(text).level


@pytest.mark.parametrize("text", [
    "I would never kill myself",
    "I'm not going to kill myself, don't worry",
    "I don't want to die, I want things to change",
    "I'm not suicidal, just exhausted",
    "killing myself is not an option for me",
    "I haven't cut myself in two years",
    "I stopped self harming a long time ago",
    "I'm not a burden and I know it now",
    "please don't kill yourself, we love you",
])
def test_negation_cancels(text):
    assert level(text) == "none", assess(text)


@pytest.mark.parametrize("text", [
    "not gonna lie, I want to kill myself",
    "I can't stop thinking about killing myself",
    "I don't know why but I want to die",
    "nobody knows I've been cutting myself",
    "I never told anyone that I want to end my life",
    "I'm not okay. I want to die.",
    "I'm not sure I want to live anymore",
])
def test_pseudo_negations_do_not_cancel(text):
    assert level(text) == "crisis", assess(text)


@pytest.mark.parametrize("text", [
    "I have the thoughts but I won't act on them",
    "I would never kill myself but I think about it a lot",
    "I'm not suicidal but the thoughts are there",
    "I think about suicide sometimes but I have no plan and I'm safe",
    "suicidal thoughts again tonight, but I won't do anything, just venting",
    "I resisted the urge to cut myself today and went for a walk instead",
])
def test_denial_with_thoughts_is_concern(text):
    a = assess(text)
    assert a.level == "concern", a
    assert "denial_with_thoughts" in a.categories


def test_denial_does_not_soften_a_method_or_an_act():
    assert level("I think about it all the time and I won't act on it, but I've been saving up my pills") == "crisis"
    assert level("I took all my pills. I won't do anything else") == "crisis"


@pytest.mark.parametrize("text", [
    "my friend wants to kill herself",
    "My sister is suicidal and I don't know how to help",
    "my son has been cutting himself",
    "she told me she wants to die",
    "He said: 'I'm going to kill myself'",
    "I'm scared for my roommate, he keeps saying he wants to end his life",
    "how can I support a friend who is feeling suicidal?",
])
def test_someone_else_is_third_party_concern(text):
    a = assess(text)
    assert a.level == "concern", a
    assert "third_party" in a.categories


def test_third_party_and_self_together_is_crisis():
    a = assess("my friend is suicidal and honestly so am I, I want to die too")
    assert a.level == "crisis"
    assert {"third_party", "ideation"} <= set(a.categories)


@pytest.mark.parametrize("text", [
    "if you ever feel suicidal, please call 988",
    "do you ever feel hopeless?",
])
def test_addressing_others_is_not_about_the_writer(text):
    assert level(text) == "none", assess(text)


@pytest.mark.parametrize("text", [
    "Years ago I tried to end my life, now I'm doing well",
    "I attempted suicide in 2015; therapy helped and life is good now",
    "When I was a teenager I used to cut myself. I'm 10 years clean",
    "I was suicidal in college, but I got help and I'm in a much better place",
    "back in high school I wanted to die, glad I'm still here",
])
def test_past_and_resolved_is_none(text):
    assert level(text) == "none", assess(text)


@pytest.mark.parametrize("text", [
    "I tried to kill myself last night",
    "years ago I tried to end my life and last night I tried again",
    "I used to cut myself and I relapsed yesterday",
    "I was suicidal in college and it's back again now, I want to die",
])
def test_recent_or_returning_is_still_crisis(text):
    assert level(text) == "crisis", assess(text)


@pytest.mark.parametrize("text", [
    # idioms and hyperbole
    "this commute is killing me", "I'm dying to see the new Star Wars", "dead tired after the night shift",
    "you're killing it with the new haircut!", "I'd kill for a coffee right now", "my feet are killing me",
    "I almost died laughing at that meme", "I could just die of embarrassment", "I'd rather die than go to that party lol",
    "I'm going to kill myself if I have to sit through another meeting lol",
    "deadline is friday, I'm dead 💀",
    # games
    "I died on level 3 again", "we need to kill the boss before the raid resets", "my character keeps dying in Elden Ring",
    "I killed myself with my own grenade in the game lol",
    # cooking
    "cut the onions into thin slices", "kill the heat and let it rest", "I burned myself on the oven tray, ouch",
    "I cut myself chopping carrots", "overdosed on sugar at the bake sale",
    # technical
    "just kill the process and restart the server", "the server died again", "my laptop battery is dying",
    "run kill -9 on it",
    # media titles
    "Suicide Squad was better than I expected", "Dead Poets Society made me cry", "did anyone watch 13 Reasons Why?",
    "Killing Eve season 2 is so good",
    # grief and prevention
    "I lost my brother to suicide five years ago, the anniversary is tomorrow",
    "my grandfather took his own life when I was little",
    "is anyone going to the suicide prevention walk on Saturday?",
    "September is suicide awareness month", "I volunteer for a suicide hotline",
    # everyday
    "I want to dye my hair pink", "going to hang out at the park", "we cut ties with that supplier",
    "I'm giving away my old books, anyone want them?", "this is my last message before my holiday, see you in 2 weeks!",
    "I won't be here tomorrow, I have a dentist appointment", "goodbye everyone, see you next week",
    "I took all my pills this morning like the doctor said",
])
def test_benign_senses_are_none(text):
    assert level(text) == "none", assess(text)


@pytest.mark.parametrize("text", [
    "everyone would be better off without me",
    "I'm giving my things away, I won't need them",
    "this is my last message",
    "I won't be here tomorrow",
    "I can't do this anymore, tonight I'm ending it",
    "kms", "i want to unalive myself", "thinking about sewerslide", "ready to ctb",
    "💊💊💊 tonight", "cutting again 🔪🩸", "🪢",
    "I already swallowed them", "I took all my pills",
    "I relapsed and cut myself last night",
    "I've been burning myself with a lighter",
])
def test_indirect_slang_and_emoji_crisis(text):
    assert level(text) == "crisis", assess(text)


def test_crisis_buried_in_a_long_message_is_found():
    ordinary = ("Today I went to the farmers market with my neighbour, we bought tomatoes and talked about the "
                "community garden, then I tried the new bakery on Elm street which was lovely. ")
    text = ordinary * 20 + "Honestly though I don't see a way forward and I'm going to kill myself tonight. " + ordinary * 20
    a = assess(text)
    assert a.level == "crisis"
    # (matches are in text order; a "plan" match on "tonight" may follow the crisis match)
    assert any("kill myself" in text[m.span[0]:m.span[1]].lower() for m in a.matches)


def test_long_ordinary_message_is_none():
    text = ("We met at the library and talked about books, gardening and the weekend hike. " * 60)
    assert level(text) == "none"


def test_harassment_is_concern_not_crisis():
    for text in ["kill yourself", "go die in a hole", "nobody would miss you if you disappeared", "kys lol"]:
        a = assess(text)
        assert a.level == "concern", (text, a)
        assert a.categories == ("harassment",)


def test_quoting_harassment_to_report_it_is_not_harassment():
    assert "harassment" not in assess("someone in the chat told me to kill yourself, I reported them").categories
