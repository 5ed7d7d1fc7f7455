"""A synthetic metro-Atlanta population for the matching benchmark, deterministic by seed.

`generate(n, seed)` returns `(profiles, truth)`:
- `profiles`: `matching.MemberProfile`s as members would fill in onboarding: hobbies in their own
  words (synonyms, brand names, casing, misspellings, free text no taxonomy knows), weekly slots,
  a home near a real metro-Atlanta place (or none, for some online-only members), format, comfort.
- `truth`: what each member *actually* does, as canonical hobbies from the list below. The metrics
  judge "a focus common to all" against this, not against matching's own taxonomy, so a matcher
  cannot grade its own homework. This list was written independently of
  `matching/data/interests.json` (it was not read to build it).

How the population is drawn (all from one `numpy.random.Generator(seed)`):
- Hobbies: 85 canonical hobbies with Zipf-like popularity (weight 1 / (rank + 2)). Each member has a
  main category; hobbies in it weigh 4x more, so tastes cluster (board gamers often also play D&D).
  Online-only members lean to hobbies that work online, in-person-only members to ones that don't.
  2-6 hobbies each; ~8% also write a second wording of one hobby ("board games" and "Catan").
- Wording: each canonical hobby has written variants, the first the most common; then casing
  (mostly as written, some lower case, some Title Case, a few stray spaces). A few wordings name
  two hobbies and count for both in the truth ("manga": anime and comics; see ALSO).
- Times: each hobby has habitual slots (trivia: Tue-Thu evenings; hiking: weekend mornings); each
  member has a weekly rhythm (office hours, shift work, retired, student). Slot weights are the
  rhythm times (a base plus the hobbies' habits) times personal noise; 3-9 slots drawn from them.
- Place: a Gaussian cloud (sigma 1.5-4 km) around one of 22 metro places weighted roughly by
  population, plus ~4% from outlying towns (Canton, Newnan, Cartersville, Griffin, Covington,
  Gainesville, Athens, and a few from small towns 50-90 km out such as Carrollton, Dahlonega,
  Madison or Calhoun), some of whom have nobody within 25 km who meets in person too.
- Format: 35% online, 30% in person, 35% either. 60% of online-only members give no location.
  0.3% of in-person members give no location either (they can't be placed; matching must say why).
- Comfort: 1-4, skewed low overall (about 36/30/21/13%); online-only members lower, in-person higher.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from matching.types import MemberProfile

# --- Weekly slots (slot = day * 3 + part; Monday = 0; morning, afternoon, evening) -----------------
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
MORNING, AFTERNOON, EVENING = range(3)
WEEKDAYS = (MON, TUE, WED, THU, FRI)
WEEKEND = (SAT, SUN)


def _slots(days, parts) -> list[int]:
    return [d * 3 + p for d in days for p in parts]


# Habit patterns: name -> slots. A hobby's habits are a few of these with weights.
P = {
    "wkday_eve": _slots(WEEKDAYS, [EVENING]),
    "midweek_eve": _slots((TUE, WED, THU), [EVENING]),
    "fri_sat_eve": _slots((FRI, SAT), [EVENING]),
    "wkend_morn": _slots(WEEKEND, [MORNING]),
    "wkend_aft": _slots(WEEKEND, [AFTERNOON]),
    "wkend_eve": _slots(WEEKEND, [EVENING]),
    "wkday_morn": _slots(WEEKDAYS, [MORNING]),
    "wkday_aft": _slots(WEEKDAYS, [AFTERNOON]),
    "sun_aft": _slots((SUN,), [AFTERNOON]),
    "sat_morn": _slots((SAT,), [MORNING]),
    "any": list(range(21)),
}


@dataclass(frozen=True)
class Hobby:
    name: str  # canonical name (ground truth)
    category: str
    variants: tuple[str, ...]  # how members write it, most common first
    habits: tuple[tuple[str, float], ...]  # (pattern, weight)
    lean: str = "both"  # "online", "in_person" or "both": where the hobby is usually done


def H(name, category, variants, habits, lean="both") -> Hobby:
    return Hobby(name, category, tuple(variants), tuple(habits.items()), lean)


# In rough order of popularity (rank 1 first); the tail is hobbies a taxonomy is unlikely to know.
HOBBIES: tuple[Hobby, ...] = (
    H("hiking", "outdoors", ["hiking", "Hiking", "day hikes", "trail hiking", "hikes", "nature walks",
                             "Kennesaw Mountain hikes", "hikking"], {"wkend_morn": 3, "wkend_aft": 1}, "in_person"),
    H("board games", "games", ["board games", "boardgames", "Board Games", "Catan", "Settlers of Catan",
                               "tabletop games", "board game nights", "Ticket to Ride", "bord games"],
      {"midweek_eve": 1, "fri_sat_eve": 2, "sun_aft": 1}, "in_person"),
    H("video games", "games", ["video games", "gaming", "videogames", "Nintendo Switch", "PC gaming",
                               "Xbox", "PlayStation", "Mario Kart", "Minecraft"],
      {"wkday_eve": 2, "wkend_eve": 1, "wkend_aft": 1}, "online"),
    H("reading", "books", ["reading", "book club", "books", "Reading", "fantasy novels", "audiobooks",
                           "sci-fi books", "bookclub", "reading mysteries"],
      {"wkday_eve": 1, "sun_aft": 2, "wkend_morn": 1}),
    H("movies", "screen", ["movies", "film", "Movies", "cinema", "watching movies", "horror movies",
                           "A24 films", "movie nights", "moveis"], {"fri_sat_eve": 2, "wkday_eve": 1}),
    H("cooking", "food", ["cooking", "Cooking", "home cooking", "meal prep", "trying recipes",
                          "cookin", "Indian cooking"], {"wkday_eve": 1, "wkend_aft": 2}),
    H("live music", "music", ["live music", "concerts", "going to concerts", "music festivals",
                              "Shaky Knees", "local shows", "live muisc"], {"fri_sat_eve": 3}, "in_person"),
    H("running", "fitness", ["running", "jogging", "Running", "5k", "couch to 5k", "Peachtree Road Race",
                             "marathon training", "trail running", "runing"],
      {"wkday_morn": 2, "wkend_morn": 3, "wkday_eve": 1}, "in_person"),
    H("trivia", "games", ["trivia", "pub trivia", "trivia night", "quiz night", "bar trivia",
                          "Geeks Who Drink", "Trivia"], {"midweek_eve": 4}),
    H("yoga", "mind body", ["yoga", "Yoga", "hot yoga", "vinyasa", "yoga classes", "yogaa"],
      {"wkday_morn": 2, "wkday_eve": 1, "sat_morn": 2}),
    H("coffee", "food", ["coffee", "specialty coffee", "coffee shops", "cafe hopping", "Coffee"],
      {"wkend_morn": 3, "wkday_morn": 1}, "in_person"),
    H("volunteering", "community", ["volunteering", "volunteer work", "Habitat for Humanity",
                                    "food bank volunteering", "Hands On Atlanta", "community service",
                                    "volunteerring"], {"sat_morn": 4, "wkday_eve": 1}, "in_person"),
    H("tabletop rpg", "games", ["D&D", "dnd", "Dungeons & Dragons", "Dungeons and Dragons",
                                "tabletop rpg", "TTRPG", "Pathfinder", "DnD"],
      {"wkend_eve": 2, "wkday_eve": 1, "sun_aft": 2}),
    H("photography", "arts", ["photography", "Photography", "film photography", "street photography",
                              "photo walks", "DSLR"], {"wkend_morn": 2, "wkend_aft": 2}),
    H("baking", "food", ["baking", "Baking", "sourdough", "bread baking", "cake decorating", "bakeing"],
      {"wkend_morn": 2, "wkend_aft": 2}),
    H("gardening", "outdoors", ["gardening", "community garden", "vegetable gardening", "houseplants",
                                "plant care", "Gardening"], {"wkend_morn": 3, "wkday_morn": 1}),
    H("craft beer", "food", ["craft beer", "breweries", "brewery hopping", "homebrewing", "Craft Beer"],
      {"fri_sat_eve": 3, "wkend_aft": 1}, "in_person"),
    H("yarn crafts", "crafts", ["knitting", "crochet", "crocheting", "knitting & crochet", "amigurumi",
                                "yarn crafts", "Knitting"], {"wkday_eve": 2, "sun_aft": 2, "wkday_aft": 1}),
    H("cycling", "fitness", ["cycling", "biking", "bike rides", "road cycling", "mountain biking",
                             "Silver Comet Trail rides", "Beltline biking"], {"wkend_morn": 4}, "in_person"),
    H("painting", "arts", ["painting", "watercolor", "acrylic painting", "oil painting", "watercolour",
                           "Painting"], {"wkend_aft": 2, "wkday_eve": 1}),
    H("anime", "screen", ["anime", "manga", "Anime", "anime & manga", "Studio Ghibli"],
      {"wkday_eve": 2, "wkend_eve": 1}, "online"),
    H("climbing", "fitness", ["rock climbing", "bouldering", "Bouldering", "climbing gym", "climbing",
                              "indoor climbing"], {"wkday_eve": 2, "wkend_aft": 2}, "in_person"),
    H("dogs and pets", "community", ["dogs", "dog walking", "dog parks", "pets", "animal rescue",
                                     "fostering cats"], {"wkend_morn": 2, "wkday_eve": 1}, "in_person"),
    H("tv shows", "screen", ["TV shows", "tv", "reality TV", "watch parties", "binge watching",
                             "Survivor", "Love Island"], {"wkday_eve": 3}, "online"),
    H("creative writing", "arts", ["creative writing", "writing", "poetry", "fiction writing",
                                   "NaNoWriMo", "writing group"], {"wkday_eve": 2, "wkend_morn": 1}),
    H("sports fandom", "sports", ["watching sports", "Braves games", "Atlanta United", "college football",
                                  "UGA football", "Falcons", "Hawks games", "NFL"],
      {"wkend_aft": 3, "wkday_eve": 1}),
    H("social dancing", "music", ["salsa dancing", "swing dancing", "line dancing", "dancing",
                                  "bachata", "ballroom dance", "Swing Dancing"],
      {"midweek_eve": 2, "fri_sat_eve": 2}, "in_person"),
    H("gym", "fitness", ["weightlifting", "lifting", "gym", "strength training", "CrossFit",
                         "powerlifting", "working out"], {"wkday_morn": 2, "wkday_eve": 2}, "in_person"),
    H("pickleball", "sports", ["pickleball", "pickle ball", "Pickleball", "pickelball", "PICKLEBALL"],
      {"wkday_morn": 2, "wkend_morn": 2}, "in_person"),
    H("chess", "games", ["chess", "Chess", "chess.com", "speed chess", "lichess"],
      {"wkday_eve": 2, "wkend_aft": 1}),
    H("puzzles", "games", ["jigsaw puzzles", "puzzles", "crosswords", "crossword puzzles",
                           "crosword puzzles", "sudoku", "NYT crossword", "Wordle"],
      {"wkday_morn": 1, "wkday_eve": 1, "sun_aft": 1}, "online"),
    H("learning languages", "learning", ["learning languages", "Spanish practice", "language exchange",
                                         "Duolingo", "learning Japanese", "French conversation"],
      {"wkday_eve": 2, "wkend_morn": 1}, "online"),
    H("camping", "outdoors", ["camping", "backpacking", "car camping", "Camping"],
      {"wkend_morn": 2, "wkend_aft": 2}, "in_person"),
    H("restaurants", "food", ["trying new restaurants", "foodie", "food tours", "Buford Highway food",
                              "eating out", "brunch"], {"fri_sat_eve": 2, "wkend_morn": 1}, "in_person"),
    H("meditation", "mind body", ["meditation", "mindfulness", "Meditation", "breathwork"],
      {"wkday_morn": 2, "wkday_eve": 1}, "online"),
    H("podcasts", "learning", ["podcasts", "podcast", "true crime podcasts", "Podcasts"],
      {"wkday_eve": 1, "any": 1}, "online"),
    H("karaoke", "music", ["karaoke", "Karaoke"], {"fri_sat_eve": 3, "midweek_eve": 1}, "in_person"),
    H("guitar", "music", ["guitar", "playing guitar", "acoustic guitar", "Guitar", "guiter"],
      {"wkday_eve": 2, "wkend_aft": 1}),
    H("theater", "arts", ["theater", "theatre", "musicals", "community theater", "Broadway shows"],
      {"fri_sat_eve": 2, "sun_aft": 1}, "in_person"),
    H("comedy", "arts", ["improv", "improv comedy", "stand-up comedy", "comedy shows", "Improv"],
      {"fri_sat_eve": 2, "midweek_eve": 1}, "in_person"),
    H("thrifting", "lifestyle", ["thrifting", "thrift shopping", "vintage shopping", "flea markets"],
      {"wkend_morn": 1, "wkend_aft": 2}, "in_person"),
    H("coding", "tech", ["coding", "programming", "Python", "web development", "game dev"],
      {"wkday_eve": 3, "wkend_aft": 1}, "online"),
    H("pottery", "crafts", ["pottery", "ceramics", "wheel throwing", "Pottery"],
      {"wkday_eve": 2, "wkend_aft": 1}, "in_person"),
    H("travel", "lifestyle", ["travel", "traveling", "road trips", "travelling", "Travel"],
      {"wkend_morn": 1, "wkend_aft": 1}),
    H("swimming", "fitness", ["swimming", "lap swimming", "swim"], {"wkday_morn": 3, "wkend_morn": 1}, "in_person"),
    H("tennis", "sports", ["tennis", "Tennis", "ALTA tennis"], {"wkend_morn": 2, "wkday_eve": 1}, "in_person"),
    H("drawing", "arts", ["drawing", "sketching", "illustration", "figure drawing", "Drawing"],
      {"wkday_eve": 2, "wkend_aft": 1}),
    H("wine", "food", ["wine", "wine tasting", "Wine"], {"fri_sat_eve": 3}, "in_person"),
    H("paddling", "outdoors", ["kayaking", "paddleboarding", "canoeing", "Chattahoochee kayaking", "SUP"],
      {"wkend_morn": 3}, "in_person"),
    H("trading card games", "games", ["Magic: The Gathering", "MTG", "Pokemon TCG", "Yu-Gi-Oh",
                                      "trading card games", "magic the gathering"],
      {"fri_sat_eve": 2, "wkday_eve": 1}),
    H("card games", "games", ["card games", "poker", "spades", "euchre", "bridge", "Spades"],
      {"wkday_eve": 2, "fri_sat_eve": 1, "wkday_aft": 1}),
    H("soccer", "sports", ["soccer", "pickup soccer", "rec soccer", "futbol"], {"wkday_eve": 2, "wkend_morn": 2}, "in_person"),
    H("basketball", "sports", ["basketball", "pickup basketball", "hoops"], {"wkday_eve": 2, "wkend_morn": 1}, "in_person"),
    H("history", "learning", ["history", "local history", "civil war history", "history podcasts",
                              "History"], {"wkend_aft": 2, "wkday_eve": 1}),
    H("escape rooms", "games", ["escape rooms", "escape room", "Escape Rooms"], {"fri_sat_eve": 2, "wkend_aft": 2}, "in_person"),
    H("comics", "screen", ["comics", "comic books", "graphic novels"], {"wkday_eve": 1, "wkend_aft": 1}),
    H("disc golf", "sports", ["disc golf", "frisbee golf", "frolf", "Disc Golf"], {"wkend_morn": 2, "wkday_aft": 1}, "in_person"),
    H("golf", "sports", ["golf", "Golf", "driving range", "Topgolf"], {"wkend_morn": 3}, "in_person"),
    H("astronomy", "learning", ["astronomy", "stargazing", "telescopes"], {"fri_sat_eve": 2, "wkday_eve": 1}),
    H("martial arts", "fitness", ["martial arts", "BJJ", "jiu jitsu", "karate", "boxing"],
      {"wkday_eve": 3}, "in_person"),
    H("sewing", "crafts", ["sewing", "quilting", "Sewing"], {"wkday_aft": 2, "sun_aft": 1}),
    H("woodworking", "crafts", ["woodworking", "wood working", "carpentry", "DIY furniture"],
      {"wkend_morn": 2, "wkend_aft": 1}, "in_person"),
    H("birding", "outdoors", ["birding", "bird watching", "birdwatching", "eBird"],
      {"wkend_morn": 3, "wkday_morn": 2}, "in_person"),
    H("volleyball", "sports", ["volleyball", "beach volleyball", "sand volleyball"],
      {"wkday_eve": 2, "wkend_aft": 1}, "in_person"),
    H("choir", "music", ["choir", "community choir", "a cappella", "church choir"], {"midweek_eve": 3}),
    H("cosplay", "crafts", ["cosplay", "Cosplay", "costume making", "Dragon Con"], {"wkend_aft": 2, "wkday_eve": 1}),
    H("maker projects", "tech", ["3D printing", "electronics", "Arduino", "makerspace", "maker space"],
      {"wkday_eve": 2, "wkend_aft": 1}),
    H("roller skating", "fitness", ["roller skating", "rollerskating", "inline skating", "roller derby"],
      {"fri_sat_eve": 2, "wkend_aft": 1}, "in_person"),
    H("fishing", "outdoors", ["fishing", "fly fishing", "bass fishing"], {"wkend_morn": 4}, "in_person"),
    H("tai chi", "mind body", ["tai chi", "qigong", "Tai Chi"], {"wkday_morn": 3, "sat_morn": 1}, "in_person"),
    H("philosophy", "learning", ["philosophy", "philosophy discussion", "Socrates cafe", "debate"],
      {"midweek_eve": 2}),
    H("cars", "lifestyle", ["cars", "car meets", "classic cars", "Cars and Coffee"], {"wkend_morn": 3}, "in_person"),
    H("genealogy", "learning", ["genealogy", "family history", "Ancestry.com"], {"wkday_aft": 2, "wkday_eve": 1}, "online"),
    H("calligraphy", "crafts", ["calligraphy", "hand lettering", "brush lettering"], {"wkday_eve": 2, "sun_aft": 1}),
    H("vinyl records", "music", ["vinyl", "record collecting", "vinyl records", "crate digging"],
      {"wkend_aft": 2, "fri_sat_eve": 1}),
    H("geocaching", "outdoors", ["geocaching", "Geocaching"], {"wkend_morn": 2, "wkend_aft": 1}, "in_person"),
    H("urban sketching", "arts", ["urban sketching meetups", "urban sketching", "sketchwalks"],
      {"wkend_morn": 3}, "in_person"),
    H("foraging", "outdoors", ["mushroom foraging", "foraging", "mushroom hunting"], {"wkend_morn": 3}, "in_person"),
    H("speedcubing", "games", ["speedcubing", "Rubik's cube", "cubing"], {"wkday_eve": 2, "wkend_aft": 1}),
    H("beekeeping", "outdoors", ["beekeeping", "backyard bees"], {"wkend_morn": 2, "wkday_aft": 1}, "in_person"),
    H("ham radio", "tech", ["ham radio", "amateur radio"], {"wkday_eve": 2, "sat_morn": 2}),
    H("model trains", "crafts", ["model trains", "model railroading"], {"wkend_aft": 3}),
    H("competitive yo-yo", "games", ["competitive yo-yo", "yo-yo tricks", "yoyo"], {"wkend_aft": 2, "wkday_eve": 1}),
    H("bonsai", "outdoors", ["bonsai", "Bonsai"], {"wkend_morn": 2}),
    H("locksport", "tech", ["locksport", "lock picking"], {"wkday_eve": 2}, "online"),
)

# Wordings that really name two hobbies: whoever writes "manga" reads comics too.
ALSO: dict[str, tuple[str, ...]] = {
    "manga": ("comics",),
    "anime & manga": ("comics",),
    "urban sketching": ("drawing",),
    "urban sketching meetups": ("drawing",),
    "sketchwalks": ("drawing",),
    "history podcasts": ("podcasts",),
    "true crime podcasts": ("podcasts",),
}

CATEGORIES: tuple[str, ...] = tuple(sorted({h.category for h in HOBBIES}))
CATEGORY_OF: dict[str, str] = {h.name: h.category for h in HOBBIES}

# --- Places: (name, lat, lon, weight, sigma_km). Weights roughly follow population. -----------------
PLACES: tuple[tuple[str, float, float, float, float], ...] = (
    ("Midtown", 33.7838, -84.3831, 8, 1.8),
    ("Downtown Atlanta", 33.7557, -84.3900, 4, 1.5),
    ("Buckhead", 33.8400, -84.3800, 6, 2.5),
    ("East Atlanta", 33.7400, -84.3450, 5, 2.5),
    ("West End", 33.7365, -84.4132, 3, 2.0),
    ("Decatur", 33.7748, -84.2963, 6, 2.5),
    ("Tucker", 33.8545, -84.2171, 3, 3.0),
    ("Sandy Springs", 33.9304, -84.3733, 6, 3.0),
    ("Dunwoody", 33.9462, -84.3346, 3, 2.5),
    ("Smyrna", 33.8840, -84.5144, 5, 3.0),
    ("Marietta", 33.9526, -84.5499, 7, 4.0),
    ("Kennesaw", 34.0234, -84.6155, 4, 3.5),
    ("Roswell", 34.0232, -84.3616, 4, 3.5),
    ("Alpharetta", 34.0754, -84.2941, 5, 4.0),
    ("Duluth", 34.0029, -84.1446, 3, 3.0),
    ("Lawrenceville", 33.9562, -83.9880, 4, 4.0),
    ("Stone Mountain", 33.8081, -84.1702, 3, 3.5),
    ("College Park", 33.6534, -84.4494, 3, 3.0),
    ("East Point", 33.6795, -84.4394, 2, 2.5),
    ("Douglasville", 33.7515, -84.7477, 3, 4.0),
    ("McDonough", 33.4473, -84.1469, 3, 4.0),
    ("Peachtree City", 33.3968, -84.5958, 2, 3.0),
    # Outlying towns: few members, some with nobody within 25 km who meets the way they do.
    ("Canton", 34.2368, -84.4908, 0.8, 4.0),
    ("Newnan", 33.3807, -84.7997, 0.7, 4.0),
    ("Cartersville", 34.1651, -84.8008, 0.4, 4.0),
    ("Griffin", 33.2468, -84.2641, 0.4, 3.0),
    ("Covington", 33.5968, -83.8602, 0.4, 3.0),
    ("Gainesville", 34.2979, -83.8241, 0.4, 4.0),
    ("Athens", 33.9519, -83.3576, 0.2, 3.0),
    # A handful from farther out, often with nobody within 25 km who meets in person too.
    ("Carrollton", 33.5801, -85.0766, 0.10, 5.0),
    ("Dahlonega", 34.5326, -83.9849, 0.06, 5.0),
    ("Jasper", 34.4679, -84.4291, 0.06, 5.0),
    ("Madison", 33.5957, -83.4677, 0.05, 5.0),
    ("Monticello", 33.3046, -83.6835, 0.04, 5.0),
    ("Forsyth", 33.0343, -83.9382, 0.05, 5.0),
    ("Cedartown", 34.0112, -85.2558, 0.05, 5.0),
    ("Calhoun", 34.5026, -84.9510, 0.05, 5.0),
)

FORMAT_SHARES = {"online": 0.35, "in_person": 0.30, "either": 0.35}
ONLINE_WITHOUT_LOCATION = 0.60
IN_PERSON_WITHOUT_LOCATION = 0.003
COMFORT_BY_FORMAT = {  # P(comfort = 1, 2, 3, 4)
    "online": (0.50, 0.33, 0.12, 0.05),
    "either": (0.35, 0.32, 0.22, 0.11),
    "in_person": (0.18, 0.25, 0.32, 0.25),
}
def _rhythm(weights: dict[str, float], default: float) -> np.ndarray:
    w = np.full(21, default)
    for pattern, value in weights.items():
        w[P[pattern]] = value
    return w


# Weekly rhythms: (share, base weight of each slot). Hobby habits are added on top.
RHYTHMS: dict[str, tuple[float, np.ndarray]] = {
    "office hours": (0.55, _rhythm({"wkday_eve": 1.0, "wkend_morn": 1.0, "wkend_aft": 1.0, "wkend_eve": 0.8}, 0.08)),
    "shift work": (0.18, _rhythm({"wkday_morn": 0.9, "wkday_aft": 0.9}, 0.5)),
    "retired or at home": (0.15, _rhythm({"wkday_morn": 1.0, "wkday_aft": 1.0, "wkend_morn": 0.8, "wkend_aft": 0.8}, 0.3)),
    "student": (0.12, _rhythm({"wkday_aft": 0.8, "wkday_eve": 1.0, "wkend_aft": 1.0, "wkend_eve": 1.0}, 0.2)),
}
HOBBIES_PER_MEMBER = (2, 3, 4, 5, 6)
HOBBIES_PER_MEMBER_P = (0.16, 0.27, 0.27, 0.18, 0.12)
SLOTS_PER_MEMBER = tuple(range(3, 10))
SLOTS_PER_MEMBER_P = (0.12, 0.17, 0.19, 0.17, 0.14, 0.11, 0.10)
ZIPF_EXPONENT = 1.0
ZIPF_OFFSET = 2.0  # weight 1 / (rank + 2): the top hobby ~1 in 3 members, the rarest ~1 in 70
CHUNK = 8192
MAIN_CATEGORY_BOOST = 4.0
LEAN_BOOST = 1.8  # an online-only member's pull towards online hobbies, in-person-only's to in-person ones
SECOND_WORDING = 0.08


@dataclass
class Truth:
    """Ground truth for the metrics, keyed by member id."""

    hobbies: dict[object, frozenset[str]]  # canonical hobbies each member actually does
    place: dict[object, str]  # the metro place each member lives near
    rhythm: dict[object, str] = field(default_factory=dict)

    def categories(self, member_id) -> frozenset[str]:
        return frozenset(CATEGORY_OF[h] for h in self.hobbies[member_id])


def _km_to_deg(lat: float) -> tuple[float, float]:
    return 1 / 110.57, 1 / (111.32 * math.cos(math.radians(lat)))


def _top_k_rows(rng: np.random.Generator, log_w: np.ndarray, k: np.ndarray) -> list[np.ndarray]:
    """Weighted sampling without replacement per row (Gumbel top-k): row i keeps k[i] columns."""
    keys = log_w + rng.gumbel(size=log_w.shape)
    order = np.argsort(-keys, axis=1, kind="stable")
    return [order[i, : k[i]] for i in range(len(k))]


def _word(rng_value: float, text: str) -> str:
    """Casing and stray spaces, as people type."""
    if rng_value < 0.22:
        return text.lower()
    if rng_value < 0.30:
        return text.title()
    if rng_value < 0.32:
        return f" {text} "
    if rng_value < 0.33:
        return text.upper()
    return text


def generate(n: int, seed: int = 0) -> tuple[list[MemberProfile], Truth]:
    """`n` members, the same for the same `(n, seed)`. See the module docstring for how."""
    if n < 0:
        raise ValueError("n must be >= 0")
    rng = np.random.default_rng(seed)
    n_h = len(HOBBIES)

    # Ids look like database ids: increasing, with gaps where accounts were deleted.
    ids = (1000 + np.cumsum(rng.integers(1, 4, size=n))).tolist()

    formats = rng.choice(list(FORMAT_SHARES), size=n, p=list(FORMAT_SHARES.values()))
    comfort = np.empty(n, dtype=int)
    for fmt, probs in COMFORT_BY_FORMAT.items():
        mask = formats == fmt
        comfort[mask] = rng.choice([1, 2, 3, 4], size=int(mask.sum()), p=probs)

    # Hobbies: Zipf-like popularity x main-category boost x format lean.
    zipf = 1.0 / (np.arange(1, n_h + 1) + ZIPF_OFFSET) ** ZIPF_EXPONENT
    cat_index = {c: i for i, c in enumerate(CATEGORIES)}
    hobby_cat = np.array([cat_index[h.category] for h in HOBBIES])
    cat_pop = np.bincount(hobby_cat, weights=zipf, minlength=len(CATEGORIES))
    main_cat = rng.choice(len(CATEGORIES), size=n, p=cat_pop / cat_pop.sum())
    lean = np.array([h.lean for h in HOBBIES])
    n_hobbies = rng.choice(HOBBIES_PER_MEMBER, size=n, p=HOBBIES_PER_MEMBER_P)
    habit = np.zeros((n_h, 21))
    for j, h in enumerate(HOBBIES):
        total = sum(w for _, w in h.habits)
        for pattern, w in h.habits:
            habit[j, P[pattern]] += w / total / len(P[pattern]) * 6  # ~6 slot-units per hobby
    rhythm_names = list(RHYTHMS)
    rhythm_idx = rng.choice(len(rhythm_names), size=n, p=[RHYTHMS[r][0] for r in rhythm_names])
    rhythm_base = np.stack([RHYTHMS[r][1] for r in rhythm_names])
    n_slots = rng.choice(SLOTS_PER_MEMBER, size=n, p=SLOTS_PER_MEMBER_P)

    chosen: list[np.ndarray] = []
    slots: list[np.ndarray] = []
    for start in range(0, n, CHUNK):  # in blocks, so 100,000 members stay light on memory
        rows = slice(start, min(n, start + CHUNK))
        m = rows.stop - rows.start
        log_w = np.tile(np.log(zipf), (m, 1))
        log_w[hobby_cat[None, :] == main_cat[rows, None]] += math.log(MAIN_CATEGORY_BOOST)
        for fmt in ("online", "in_person"):
            log_w[np.ix_(formats[rows] == fmt, lean == fmt)] += math.log(LEAN_BOOST)
        block = _top_k_rows(rng, log_w, n_hobbies[rows])
        chosen.extend(block)
        # Availability: rhythm base x (a floor + the hobbies' habits) x personal noise.
        member_hobby = np.zeros((m, n_h))
        for i, c in enumerate(block):
            member_hobby[i, c] = 1.0
        slot_w = rhythm_base[rhythm_idx[rows]] * (0.4 + member_hobby @ habit)
        slot_w *= rng.lognormal(0.0, 0.6, size=slot_w.shape)
        slots.extend(_top_k_rows(rng, np.log(slot_w), n_slots[rows]))

    # Places.
    weights = np.array([p[3] for p in PLACES], dtype=float)
    place_idx = rng.choice(len(PLACES), size=n, p=weights / weights.sum())
    offsets = rng.normal(size=(n, 2))
    no_location = rng.random(n)

    # Wording.
    wording_u = rng.random((n, 7))
    variant_u = rng.random((n, 7))
    second_u = rng.random(n)

    profiles: list[MemberProfile] = []
    hobbies_truth: dict[object, frozenset[str]] = {}
    place_truth: dict[object, str] = {}
    rhythm_truth: dict[object, str] = {}
    variant_cdf = [np.cumsum(1.0 / np.arange(1, len(h.variants) + 1) ** 1.3) for h in HOBBIES]
    for v in variant_cdf:
        v /= v[-1]
    for i in range(n):
        mid = ids[i]
        fmt = str(formats[i])
        hs = [int(j) for j in chosen[i]]
        tags = []
        first_variant = 0
        has = {HOBBIES[j].name for j in hs}
        for t, j in enumerate(hs):
            v = int(np.searchsorted(variant_cdf[j], variant_u[i, t]))
            first_variant = v if t == 0 else first_variant
            tags.append(_word(wording_u[i, t], HOBBIES[j].variants[v]))
            has.update(ALSO.get(HOBBIES[j].variants[v], ()))
        if second_u[i] < SECOND_WORDING and len(tags) < 6:
            variants = HOBBIES[hs[0]].variants  # e.g. "Catan" beside "board games"
            tags.append(_word(wording_u[i, 6], variants[(first_variant + 1) % len(variants)]))
            has.update(ALSO.get(variants[(first_variant + 1) % len(variants)], ()))
        name, plat, plon, _, sigma = PLACES[place_idx[i]]
        dlat, dlon = _km_to_deg(plat)
        lat: float | None = round(plat + float(offsets[i, 0]) * sigma * dlat, 5)
        lon: float | None = round(plon + float(offsets[i, 1]) * sigma * dlon, 5)
        place: str | None = name
        if (fmt == "online" and no_location[i] < ONLINE_WITHOUT_LOCATION) or (
            fmt == "in_person" and no_location[i] < IN_PERSON_WITHOUT_LOCATION
        ):
            lat = lon = None
            place = None if fmt == "online" else name
        profiles.append(
            MemberProfile(
                id=mid,
                interests=tuple(tags),
                availability=tuple(sorted(int(s) for s in slots[i])),
                lat=lat,
                lon=lon,
                format=fmt,
                comfort=int(comfort[i]),
                place=place,
            )
        )
        hobbies_truth[mid] = frozenset(has)
        place_truth[mid] = name
        rhythm_truth[mid] = rhythm_names[rhythm_idx[i]]
    return profiles, Truth(hobbies_truth, place_truth, rhythm_truth)


def describe(profiles: list[MemberProfile], truth: Truth) -> dict:
    """A few numbers about a population, for the report."""
    n = len(profiles)
    if n == 0:
        return {"n": 0}
    fmt = {f: sum(p.format == f for p in profiles) / n for f in FORMAT_SHARES}
    comfort = {c: sum(p.comfort == c for p in profiles) / n for c in (1, 2, 3, 4)}
    tags = {t.strip().lower() for p in profiles for t in p.interests}
    return {
        "n": n,
        "formats": fmt,
        "comfort": comfort,
        "no_location": sum(p.lat is None for p in profiles) / n,
        "distinct_tags": len(tags),
        "canonical_hobbies": len({h for hs in truth.hobbies.values() for h in hs}),
        "mean_interests": sum(len(p.interests) for p in profiles) / n,
        "mean_slots": sum(len(p.availability) for p in profiles) / n,
        "outlying": sum(truth.place[p.id] in OUTLYING for p in profiles) / n,
    }


OUTLYING = frozenset(name for name, *_ in PLACES[22:])  # Canton and everything after it
