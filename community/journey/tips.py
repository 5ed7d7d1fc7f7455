"""Short, optional tips on reciprocity, for members who asked for practice. Pure: no Flask, no
database. One tip a week, the same for everyone that week, so a member who opens their group page
twice sees the same one and a new one next week."""
from datetime import date

TIPS = (
    "Asking back: when someone answers your question, you can ask them the same one in return, "
    "or share your own answer. It keeps a conversation going both ways.",
    "Following up: if someone mentioned something last week (an interview, a trip, a game), asking "
    "how it went shows you remembered. People tend to value that a lot.",
    "Noticing who hasn't spoken: if someone has been quiet, a light \"what do you think?\" can "
    "invite them in. No pressure on them to answer.",
    "Short is fine: a one-line reply to something someone said is a real contribution. You don't "
    "need to wait until you have something long to say.",
    "Sharing a little back: when someone tells you something about themselves, sharing a small, "
    "similar thing of your own helps the conversation feel even.",
    "Saying what you liked: \"that sounds fun\" or \"thanks for sharing that\" is simple, and it "
    "lets people know they were heard.",
    "Picking up a thread: a question about someone's interest (\"what got you into that?\") often "
    "leads further than a new topic.",
    "It's okay to get it wrong: if a message comes out awkwardly, a quick \"that came out oddly, I "
    "meant...\" is all it takes. Everyone does it.",
)


def wants_tips(practice_tips: bool | None, barriers) -> bool:
    """The member's own choice when they made one; otherwise tips for those who said they never
    learned the unwritten rules."""
    if practice_tips is not None:
        return practice_tips
    return "unwritten_rules" in (barriers or ())


def tip_for_week(day: date) -> str:
    """The tip of the ISO week `day` falls in: rotates weekly, the same all week."""
    year, week, _ = day.isocalendar()
    return TIPS[(year * 53 + week) % len(TIPS)]
