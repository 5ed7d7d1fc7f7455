"""Where to get help now. One list, used by the support card in the chat, the Support page and
the help page (/resources), so a number is never out of date in one place only.

Plain words, each resource one tap: `tel:` and `sms:` links work on phones, and the page shows
the numbers too for anyone on a computer.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Resource:
    label: str  # what the link says
    href: str
    detail: str  # one short line under it


CRISIS_RESOURCES = (
    Resource("Call 988", "tel:988", "The 988 Suicide & Crisis Lifeline. Free, any time, day or night."),
    Resource("Text 988", "sms:988", "If talking out loud is too much right now, texting works too."),
    Resource("Chat at 988lifeline.org", "https://988lifeline.org/chat/", "Online chat with a trained counselor."),
    Resource("Georgia Crisis & Access Line: 1-800-715-4225", "tel:+18007154225",
             "Free help in Georgia, any time, including a mobile crisis team."),
    Resource("Call 911", "tel:911", "If you are in danger right now, or have already hurt yourself."),
)

CARD_TITLE = "It sounds like things are really hard right now"
CARD_LEAD = ("Thank you for saying it. You don't have to get through this alone. You can talk to "
             "someone kind right now, free, any time of day or night:")
CARD_MODERATOR = ("One of our moderators will also check in with you privately soon. "
                  "We're a peer community, not a crisis service, so please reach out to one of "
                  "these too.")
HELD_NOTE = ("We kept this message between you and our moderators, because it mentions a way of "
             "hurting yourself, and others in the group may be struggling too. You haven't done "
             "anything wrong, and you can keep talking here.")
PAUSED_NOTE = ("Your messages in this group are paused for now, so the group won't see this one, "
               "but our moderators will, and one of them will check in with you privately.")
HARASSMENT_NOTE = ("This message is waiting for a moderator to look at it before the group sees it, "
                   "because it may hurt someone. If you're upset with someone, a moderator can help.")


FILTER_NOTE = "A moderator will take a look at this before the group sees it. Thank you for your patience."
HELD_NOTES = {"means": HELD_NOTE, "paused": PAUSED_NOTE, "harassment": HARASSMENT_NOTE, "filter": FILTER_NOTE}


def card() -> dict:
    """The `crisis_support` event's payload: everything the page needs to show the card."""
    return {
        "title": CARD_TITLE,
        "lead": CARD_LEAD,
        "resources": [{"label": r.label, "href": r.href, "detail": r.detail} for r in CRISIS_RESOURCES],
        "moderator": CARD_MODERATOR,
    }
