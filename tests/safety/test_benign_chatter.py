"""Ordinary group chat that borrows the vocabulary of crisis: none of it may be flagged.

Written for these tests (hobbies, games, cooking, work, health, media, support given to others),
so that over-triggering shows up here rather than in members' chats. Not from any evaluation set.
"""
import pytest

from community.safety import assess

CHATTER = [
    # idioms and hyperbole
    "do us a favor and bring chips on Saturday", "I'm drowning in laundry this week", "this heat is killing me",
    "my phone battery is dying, text me later", "I'm dead, that meme 💀", "lol I'd die for a slice of that cake",
    "ugh I could kill for a nap", "that presentation killed, great job everyone", "I'm so over this rain",
    "going to crash early tonight, long day", "my plants are dying again, any tips?", "I nearly died when I saw the price",
    "this puzzle is hopeless", "nothing beats a warm bowl of soup", "nothing matters more than family to me",
    "I gave up on the diet, better luck next week", "why bother with the recipe when takeout exists lol",
    "the song fades out at the end, so pretty", "my tan is fading away already", "I hope I don't snore in my sleep",
    "I hope the cancer screening goes well for my aunt", "I hope something good happens to me this year",
    "she said bye and left the party early", "I'll get the couch after she's gone to college", "she's ready to go to the party",
    "the wifi passwords are in the drawer", "that's my exit, the train stops here", "I have a plan for the weekend: train to Savannah",
    "I'm doing it tonight, taking the train to the concert", "I'm going to jump on the train at 5",
    "burned the toast again, smoke alarm went off", "cut my finger slicing bagels, ouch", "I cut my hair short!",
    "we need to cut costs for the picnic", "I'm killing time before my appointment", "dead tired after the hike",
    # games and media
    "I died so many times in that boss fight", "we wiped on the raid boss again", "kill the dragon first, then loot",
    "my sims keep dying in pool accidents lol", "Suicide Squad is on TV tonight", "the villain hangs himself in act 3, so dark",
    "Romeo and Juliet is such a tragic play", "13 Reasons Why started a lot of conversations in my school",
    "the documentary about the Golden Gate bridge was fascinating", "Dead Poets Society is my comfort movie",
    # technical
    "kill the process and restart the server", "the build died on the last step", "my laptop crashed and I lost my essay",
    "just kill -9 it", "the app hangs when I open the camera",
    # health and daily life
    "I took all my pills this morning like the doctor said", "remember to take your meds everyone 💊",
    "I took 2 ibuprofen for my headache", "my doctor upped my meds and I feel so much better",
    "picked up my prescription at the pharmacy", "I'm exhausted after work but happy", "I feel empty-handed without my knitting",
    "I'm so needy for coffee today", "my cat is exhausting, she yells at 5am", "going through the motions at the gym today",
    "I'm stuck in traffic forever", "I need to rope in some volunteers for the bake sale", "hang in there, Friday is close",
    "we hung out by the lake all day", "bought a rope swing for the kids", "we jumped off the dock into the lake",
    "I wish I could sleep in tomorrow", "I don't want to wake up early tomorrow", "I want to disappear to a cabin for the weekend",
    "my last day at this job is Friday!", "this is my last message before my trip, see you in two weeks",
    "I won't be here tomorrow, dentist appointment", "goodbye everyone, see you at the next meetup",
    "I'm giving away my old books, anyone want them?", "can someone feed my cat while I'm on vacation?",
    "getting my affairs in order before my surgery next week",
    # support for others, prevention, grief
    "if you're struggling, please reach out, you're not a burden", "you matter and we'd miss you if you left",
    "please don't hurt yourself, talk to us", "is anyone going to the suicide prevention walk?",
    "September is suicide prevention month", "my grandmother passed away peacefully last night",
    "I lost my uncle to suicide years ago, I still think of him on his birthday",
    "the crisis line number is 988 if anyone needs it", "I volunteer at a suicide hotline on weekends",
    "how do I support a coworker who is grieving?", "never thought I'd enjoy pottery this much",
    "I would never skip our book club", "it just won't stop raining this week", "my nose won't stop running", "I don't want to die without seeing Japan!",
    "years ago I was in a dark place, but therapy helped and I'm doing really well now",
    # a later round, written and run once before the detector's last changes
    'that exam absolutely killed me but I passed!',
    "I'm dying of laughter at this video",
    "I'd rather die than run a marathon lol",
    'my sourdough starter died while I was away',
    'the zombie game last night was brutal, we all died in the first wave',
    "we're cutting the cake at 3, don't be late",
    'just finished a great book about grief and healing after a suicide in the family',
    'I used to feel hopeless, but these meetups have honestly changed my life',
    'remember to hydrate and take your meds, friends',
    "can't wait for the hike, I'm going to jump in the river at the end",
    # a third round, aimed at the patterns added last; run once, then the four it caught were fixed
    'my tomatoes are bleeding juice everywhere, help',
    "I had a nosebleed and it wouldn't stop for ages",
    'the kids would be happier if we got a dog',
    "we'd be better off if we left earlier to beat traffic",
    "I don't care what happens to the old couch, toss it",
    'enough snacks to feed an army lol',
    'I have enough yarn to last me forever',
    "please don't look for me at the party, I'll be in the garden",
    "nobody will have to deal with my cooking after this weekend, I'm taking a class",
    "this is the last time I'll post about my cat, promise",
    'I cut deeper into the clay this time and the bowl looks great',
    'we walked into the ocean at sunset, so peaceful',
    'thinking about turning the wheel over to my brother for the road trip',
    "I'd rather die than go to the dentist lol",
    "I'm tired, going to stop for the day",
    "I'm going to stop trying to fix the printer",
    "I'm so done with this week, pizza time",
    "my mind is made up, I'm getting the blue sofa",
    "it's time for me to go, my bus is here",
    'the pills are kicking in, my headache is finally gone',
    'this bottle of vitamins is empty, need more',
    "I'm holding the knife wrong, how do chefs do it?",
    "the knife is in my hand and I'm ready to carve the turkey",
    'I keep imagining my own wedding lol',
    'my brain goes to dark places when I watch horror movies',
    'I gave away my old clothes to charity',
    "I'm putting my affairs in order before the move",
    'my friend is done with everything at her job and quit',
    "he's been giving away his plants before moving abroad",
    "she sent me weird goodbyes because she's moving to Japan",
    "the song says 'I want to die' and it's so catchy",
    'What if I just ended the meeting early?',
    "my character dies at the end of the book I'm writing",
    "I'm dying to know how the season ends",
    'kill the lights when you leave please',
    'my dog would be lost without me',
    "I'm not going to make it to the meetup tonight, sorry!",
    "I won't be around this weekend, camping trip!",
    'do you all know a good therapist in Decatur?',
]


@pytest.mark.parametrize("text", CHATTER)
def test_chatter_is_not_flagged(text):
    a = assess(text)
    assert a.level == "none", (text, a)
