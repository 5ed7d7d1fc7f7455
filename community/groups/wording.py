"""What the app says to a group: its name, the welcome with a conversation starter, and the note
that someone new is coming. Pure functions, so the words can be read and tested on their own."""
from hashlib import sha256

from matching.week import slots_phrase

NAME_LENGTH = 80
NAME_WORDS = ("circle", "club", "crew", "corner", "table", "gathering")
FALLBACK_FOCUS = "New friends"
# Taxonomy names that keep their capital letter mid-sentence.
PROPER_WORDS = {
    "american", "arabic", "atlanta", "french", "german", "japanese", "korean", "mandarin",
    "minecraft", "portuguese", "spanish", "vietnamese",
}
STARTERS = (
    "What first got you into {focus}?",
    "What's one thing about {focus} you'd love to share with this group?",
    "If we tried {focus} together one day, what would you suggest first?",
    "What's a favourite memory you have of {focus}?",
    "What's something about {focus} you've been wanting to try?",
)


def in_sentence(name: str) -> str:
    """'Board games' reads 'board games' mid-sentence, 'Film and TV' 'film and TV'; names such as
    'Atlanta Braves', 'Studio Ghibli films' or 'MMORPGs' stay as they are."""
    first, _, rest = name.partition(" ")
    if not first[:1].isupper() or first.lower() in PROPER_WORDS or first[1:2] == "-":
        return name
    if first[1:] and not first[1:].islower():
        return name
    if any(w[:1].isupper() and not w.isupper() for w in rest.split()):
        return name
    return first.lower() + (" " + rest if rest else "")


def _pick(options: tuple[str, ...], key: str) -> str:
    """The same choice for the same key on every run and machine (hash() is salted per process)."""
    return options[int(sha256(key.encode()).hexdigest(), 16) % len(options)]


def group_name(shared_interests: list[str], taken: set[str], area: str | None = None) -> str:
    """A kind, readable name from the group's focus ('Board games circle'), unlike the ones taken."""
    focus = shared_interests[0] if shared_interests else FALLBACK_FOCUS
    focus = focus[:1].upper() + focus[1:]
    first = NAME_WORDS.index(_pick(NAME_WORDS, focus))
    own = set(focus.lower().split())  # no "Book club club"
    words = [w for w in NAME_WORDS[first:] + NAME_WORDS[:first] if w not in own]
    candidates = [f"{focus} {word}" for word in words]
    if area:
        candidates += [f"{focus} {word}, {area}" for word in words]
    for name in candidates:
        name = name[:NAME_LENGTH]
        if name.lower() not in taken:
            taken.add(name.lower())
            return name
    number = 2
    while f"{candidates[0][:NAME_LENGTH - 4]} {number}".lower() in taken:
        number += 1
    name = f"{candidates[0][:NAME_LENGTH - 4]} {number}"
    taken.add(name.lower())
    return name


def focus_phrase(shared_interests: list[str], limit: int = 2) -> str:
    """'board games and trivia nights'."""
    names = [in_sentence(n) for n in shared_interests[:limit]]
    return " and ".join(names)


def welcome_text(shared_interests: list[str], common_slots: list[int]) -> str:
    """The first note in a new group: why these people, that slow is fine, and a first question."""
    parts = ["Welcome to your new group!"]
    why = []
    if shared_interests:
        why.append(f"you all enjoy {focus_phrase(shared_interests)}")
    if common_slots:
        why.append(f"you're all free {slots_phrase(common_slots)}")
    if why:
        parts.append(f"You're together because {' and '.join(why)}.")
    parts.append("There's no rush: a short hello is plenty, and the first few messages feel a "
                 "little awkward for everyone.")
    if shared_interests:
        focus = in_sentence(shared_interests[0])
        parts.append("Something to start with: " + _pick(STARTERS, focus).format(focus=focus))
    else:
        parts.append("Something to start with: what's one small thing that made your week better?")
    return " ".join(parts)[:600]


def newcomer_text(count: int = 1) -> str:
    """Told to a group when people join, so the newcomers are met with a hello."""
    who = "Someone new is" if count == 1 else f"{count} new people are"
    return (f"{who} joining you. Everyone here was new once, and a simple hello goes a long way. "
            "Thank you for making room.")
