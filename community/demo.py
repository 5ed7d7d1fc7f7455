"""A deterministic demo community, so the app (and matching) can be tried without real members.

Everything comes from one seeded random.Random, so the same seed always gives the same people
in the same order. Only the timestamps (utcnow) differ between runs.
"""
import math
import random
import re
import unicodedata
from datetime import datetime

from werkzeug.security import generate_password_hash

from community.extensions import db
from community.models import Profile, User
from community.models.base import utcnow
from community.profiles.options import BARRIERS, COMMUNICATION_PREFERENCES
from community.profiles.services import STEPS
from community.reference import SLOT_COUNT, neighbourhoods, taxonomy

DEMO_PASSWORD = "common-ground-demo-2026"  # noqa: S105  # nosec B105  # public by design: demo data only
DOMAIN = "demo.example.org"
MEMBER_COUNT = 200
DOWNTOWN = (33.7537, -84.3863)

# (weight, first names, last names): heritage groups, roughly like metro Atlanta's mix.
NAME_GROUPS = [
    (36, "Maya Jamal Keisha Darnell Imani Tasha Andre Jasmine Malik Aaliyah Tyrone Ebony Marcus "
         "Kiara Reggie Simone Terrence Brianna DeShawn Nia Cedric Latoya",
         "Robinson Washington Jackson Williams Harris Brooks Coleman Freeman Jenkins Mitchell "
         "Carter Bryant Simmons Dawson Greene Lewis Thomas Howard Reed Gaines Mack"),
    (28, "Emily Jake Hannah Connor Zoë Chloé Søren Caroline Wyatt Abby Luke Margaret Tucker "
         "Lauren Beau Katie Nathan Grace Renée Elliott",
         "Smith Johnson Miller Parker Hughes Sullivan Walker Bennett Hayes Murphy Kowalski "
         "Lindqvist O'Brien Fischer Brennan Cole Ward Porter Reese Shaw"),
    (12, "José María Lucía Alejandro Camila Mateo Sofía Diego Valentina Andrés Ximena Rubén "
         "Gabriela Iñaki Ramón",
         "García Hernández López Martínez Ramírez Torres Flores Núñez Castillo Morales Peña "
         "Ortiz"),
    (9, "Thảo Minh Linh Huy Ji-woo Min-jun Seo-yeon Mei Wei Haruto Yuki Hiroshi Jun Trang",
         "Nguyễn Trần Phạm Lê Kim Park Lee Choi Chen Wang Liu Tanaka Sato Huang"),
    (7, "Priya Arjun Ananya Rohan Aisha Imran Kavya Vikram Fatima Sanjay Deepa Nikhil",
         "Patel Shah Reddy Iyer Khan Desai Mehta Rao Chaudhry Kapoor"),
    (8, "Chiamaka Oluwaseun Kwame Amara Tendai Abena Kofi Ngozi Yaw Fatoumata Tariku Efua "
         "Jean-Luc Marlène",
         "Okafor Adeyemi Mensah Boateng Diallo Okonkwo Tesfaye Asante Pierre Osei Haile"),
]

STAFF = [  # (role, local part, display name)
    ("admin", "admin", "Grace H."),
    ("organizer", "organizer1", "Marcus T."),
    ("organizer", "organizer2", "Lucía G."),
    ("moderator", "moderator1", "Priya S."),
    ("moderator", "moderator2", "Dev K."),
]

OWN_INTERESTS = [
    "sourdough baking", "Studio Ghibli films", "tarot", "retro consoles", "Pokémon cards",
    "fountain pens", "hot sauce making", "Star Trek: Deep Space Nine", "vintage synths",
    "MARTA trainspotting", "K-pop", "astrology", "tiny houses", "mid-century furniture",
    "birding by ear", "true crime", "bullet journaling", "Beyoncé's discography",
    "crossword construction", "Lego Star Wars sets",
]

NOTES = [
    "New to Atlanta since spring.", "I work nights, so afternoons suit me best.",
    "Happy to bring snacks!", "I'm hard of hearing, so text chat really helps.",
    "Moved here from Lagos last year and still finding my feet.",
    "Shy at first, chatty once I know you.", "Dog mom to a very friendly beagle.",
    "I'm a caregiver, so plans sometimes shift at the last minute.",
    "Recently retired and looking for new routines.",
    "Grad student at Georgia State; weekends are best for me.",
]

# Weekly habits: (weight, slot weight by (weekday?, part)); parts are morning/afternoon/evening.
AVAILABILITY_HABITS = [
    (45, {(True, 2): 8, (False, 1): 8, (False, 0): 3, (False, 2): 3}),  # after work + weekends
    (15, {(False, 0): 8, (False, 1): 8, (False, 2): 6}),  # weekends only
    (18, {(True, 0): 8, (True, 1): 8, (False, 1): 2}),  # weekday daytime (retired, remote)
    (10, {(True, 1): 8, (False, 1): 4, (False, 2): 2}),  # night shift: free in the afternoon
    (12, {}),  # no real pattern
]


def _pick(rng: random.Random, items: list, weights: list[float], k: int) -> list:
    """Weighted sample without replacement, in pick order (random.sample has no weights)."""
    items, weights, chosen = list(items), list(weights), []
    while items and len(chosen) < k:
        i = rng.choices(range(len(items)), weights)[0]
        chosen.append(items.pop(i))
        weights.pop(i)
    return chosen


def _ascii(text: str) -> str:
    """'Søren Nguyễn' -> 'sorennguyen', for email addresses."""
    text = text.lower().replace("ø", "o").replace("æ", "ae").replace("đ", "d").replace("ß", "ss")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", text)


def _name(rng: random.Random, taken: set[str]) -> tuple[str, str]:
    """A unique lower-case email and a display name ('Maya R.')."""
    _, firsts, lasts = rng.choices(NAME_GROUPS, [g[0] for g in NAME_GROUPS])[0]
    first, last = rng.choice(firsts.split()), rng.choice(lasts.split())
    base, n = f"{_ascii(first)}.{_ascii(last)}", 1
    while (f"{base}{n}" if n > 1 else base) in taken:
        n += 1
    local = f"{base}{n}" if n > 1 else base
    taken.add(local)
    return f"{local}@{DOMAIN}", f"{first} {last[0]}."


# Broadly popular shared activities lead the ranking; everything else follows in random order.
FAVOURITES = [
    "board-games", "hiking", "book-club", "trivia-nights", "co-op-video-games", "cooking-classes",
    "film-watch-parties", "food-bank-volunteering", "walking-groups", "live-music-outings",
    "gardening", "photography-walks", "coffee-meetups", "jigsaw-puzzles", "gentle-yoga",
]


def _popularity(rng: random.Random) -> dict[str, float]:
    """Zipf-like weights: a few favourites everyone knows, then a long, rarer tail."""
    known = taxonomy().interests
    leaders = [slug for slug in FAVOURITES if slug in known]
    rest = sorted(set(known) - set(leaders))
    rng.shuffle(rest)
    return {slug: 1 / (rank + 4) for rank, slug in enumerate(leaders + rest)}


def _interests(rng: random.Random, popularity: dict[str, float], online_only: bool) -> list[str]:
    """2-7 slugs, mostly from one or two favourite categories, as real people choose."""
    tax = taxonomy().interests
    pool = [s for s in popularity if not (online_only and tax[s].modes == "in_person")]
    cats = sorted({tax[s].category for s in pool})
    cat_weights = [sum(popularity[s] for s in pool if tax[s].category == c) for c in cats]
    favourites = _pick(rng, cats, cat_weights, rng.choice((1, 1, 2)))
    k = rng.choices(range(2, 8), (20, 25, 22, 15, 10, 8))[0]
    chosen: list[str] = []
    while len(chosen) < k:
        source = pool if rng.random() < 0.3 else [s for s in pool if tax[s].category in favourites]
        options = [s for s in source if s not in chosen] or [s for s in pool if s not in chosen]
        chosen += _pick(rng, options, [popularity[s] for s in options], 1)
    return chosen


def _hood_weights() -> tuple[list[str], list[float]]:
    """Every neighbourhood, weighted toward intown and inner suburbs by distance from downtown."""
    slugs = sorted(neighbourhoods())
    weights = []
    for slug in slugs:
        hood = neighbourhoods()[slug]
        dy = (hood.lat - DOWNTOWN[0]) * 111
        dx = (hood.lon - DOWNTOWN[1]) * 111 * math.cos(math.radians(DOWNTOWN[0]))
        weights.append(1 / (1 + (math.hypot(dx, dy) / 20) ** 1.5))
    return slugs, weights


def _availability(rng: random.Random) -> list[int]:
    """3-10 weekly slots following one habit, with a little noise."""
    habit = rng.choices([h[1] for h in AVAILABILITY_HABITS], [h[0] for h in AVAILABILITY_HABITS])[0]
    weights = [habit.get((slot // 3 < 5, slot % 3), 0.4) for slot in range(SLOT_COUNT)]
    k = rng.choices(range(3, 11), (10, 14, 16, 16, 14, 12, 10, 8))[0]
    return sorted(_pick(rng, list(range(SLOT_COUNT)), weights, k))


# How people at each step want to meet (in person, either, online): a text-first member rarely
# wants in-person only, and someone ready for open-ended meetups rarely wants online only. Keeping
# format and step coherent, as real people are, is also what lets matching place them.
FORMAT_BY_STEP = {1: (0, 30, 70), 2: (5, 50, 45), 3: (35, 55, 10), 4: (45, 50, 5)}


def _profile(
    rng: random.Random, popularity: dict[str, float], hoods: tuple, now: datetime
) -> Profile:
    """One complete, onboarded profile."""
    online_only = rng.random() < 0.2
    interests = _interests(rng, popularity, online_only)
    custom: list[str] = []
    if rng.random() < 0.15:
        own = [t for t in OWN_INTERESTS if taxonomy().match(t) is None]
        custom = rng.sample(own, rng.choice((1, 1, 2)))
    if online_only:
        fmt, step = "online", rng.choices((1, 2, 3), (55, 35, 10))[0]
    else:
        step = rng.choices((1, 2, 3, 4), (30, 30, 25, 15))[0]
        fmt = rng.choices(("in_person", "either", "online"), FORMAT_BY_STEP[step])[0]
    barriers = []
    if rng.random() < 0.65:
        barriers = rng.sample([key for key, _ in BARRIERS], rng.choice((1, 1, 2)))
    prefs = rng.sample([key for key, _ in COMMUNICATION_PREFERENCES],
                       rng.choices((0, 1, 2, 3), (25, 35, 25, 15))[0])
    note = rng.choice(NOTES) if rng.random() < 0.15 else ""
    return Profile(
        interests=interests, custom_interests=custom,
        online_only=online_only,
        neighbourhood=None if online_only else rng.choices(*hoods)[0],
        availability=_availability(rng), format_preference=fmt, comfort_step=step,
        barriers=barriers, communication_prefs=prefs, communication_note=note,
        steps_done=list(STEPS), consented_at=now, completed_at=now,
    )


def seed_demo(seed: int = 2026) -> dict:
    """Fill an empty database with 5 staff and 200 members, all onboarded; commit once.

    Returns one example login per role so the CLI can tell people how to look around.
    """
    rng = random.Random(seed)  # noqa: S311  # nosec B311  # reproducible demo data, not secrets
    password_hash = generate_password_hash(DEMO_PASSWORD)  # scrypt is slow: hash once, share it
    popularity, hoods, now = _popularity(rng), _hood_weights(), utcnow()
    users, logins, taken = [], {}, set()
    people = [(role, f"{local}@{DOMAIN}", name) for role, local, name in STAFF]
    people += [("member", *_name(rng, taken)) for _ in range(MEMBER_COUNT)]
    for role, email, name in people:
        user = User(email=email, display_name=name, password_hash=password_hash, role=role)
        user.profile = _profile(rng, popularity, hoods, now)
        users.append(user)
        logins.setdefault(role, email)
    db.session.add_all(users)
    db.session.commit()
    return {"count": len(users), **logins}
