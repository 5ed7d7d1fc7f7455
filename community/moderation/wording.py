"""Words on the moderators' pages: what the detector found, in plain English, how long something
has waited, and a suggested first check-in that follows safe-messaging guidance (warm, asks
directly, listens, points to 988, never a word about methods).

Pure: no Flask, no database, so the wording can be read and tested on its own.
"""
from datetime import datetime

# The detector's categories as a moderator would say them out loud.
CATEGORY_WORDS = {
    "ideation": "thoughts of suicide",
    "denial_with_thoughts": "thoughts of suicide, played down",
    "passive_wish": "wishing they weren't here",
    "intent": "says they mean to act",
    "plan": "talk of a plan",
    "means": "mentions a way of hurting themselves",
    "in_progress": "may be hurting themselves now",
    "self_harm": "self-harm",
    "goodbye": "a goodbye",
    "hopelessness": "hopelessness",
    "burden": "feeling like a burden",
    "third_party": "worried about someone",
    "harassment": "unkind message",
    "asked_to_talk": "asked to talk after their monthly check-in",  # journey/checkins.ask_to_talk
}
LEVEL_WORDS = {"crisis": "Crisis", "concern": "Concern"}
STATUS_WORDS = {"open": "Waiting", "acknowledged": "Someone is on it", "resolved": "Resolved"}
HELD_WORDS = {"means": "held back from the group (mentions a way of self-harm)",
              "harassment": "held back from the group (waiting for review)",
              "paused": "held back from the group (their messages were paused; moderators only)"}
WORRY_WORDS = "A member was worried about this person"

# What the audit trail's action names mean.
ACTION_WORDS = {
    "escalation_opened": "Opened",
    "worry_reported": "A member shared a worry",
    "alert_sent": "Moderators alerted",
    "alert_repeated": "Alerted again (nobody had acknowledged yet)",
    "follow_up_reminded": "Follow-up reminder sent",
    "escalation_viewed": "Viewed",
    "escalation_acknowledged": "Acknowledged",
    "support_message_sent": "Private message sent",
    "note_added": "Note added",
    "escalation_resolved": "Resolved",
    "follow_up_done": "Follow-up done",
    "talk_requested": "They asked to talk (after their monthly check-in)",
}


def what(categories, source: str = "message") -> str:
    """'thoughts of suicide, a goodbye' for the queue's "what" column."""
    if source == "worry" and not categories:
        return "a member is worried about them"
    words = [CATEGORY_WORDS.get(c, str(c).replace("_", " ")) for c in categories or ()]
    return ", ".join(dict.fromkeys(words)) or "something that needs a look"


def waited(since: datetime, now: datetime) -> str:
    """'12 min', '3 h 5 min', '2 days': short enough for a table cell."""
    minutes = max(0, int((now - since).total_seconds() // 60))
    if minutes < 1:
        return "under a minute"
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{hours // 24} days"


def minutes(seconds: float | None) -> str:
    """A duration in seconds as the dashboard shows it."""
    if seconds is None:
        return "None yet"
    if seconds < 60:
        return f"{round(seconds)} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def suggested_message(name: str, moderator: str, categories, source: str = "message") -> str:
    """A first check-in the moderator can send as it is or make their own."""
    categories = set(categories or ())
    hello = f"Hi {name}, it's {moderator} from Common Ground."
    if categories == {"asked_to_talk"}:  # they asked for a conversation: nothing of their check-in is known
        return (f"{hello} You said after your check-in that you'd like to talk, and I'm glad you did. "
                "How are you doing? I'm here to listen, whenever suits you. If things ever feel too heavy, "
                "you can also call or text 988 any time.")
    if source != "worry" and categories and categories <= {"harassment"}:
        return (f"{hello} I saw your message and wanted to check in. It sounded like something "
                "upset you. Would you like to talk about what happened? I'm here to listen.")
    if source != "worry" and categories and categories <= {"third_party", "harassment"}:
        return (f"{hello} I saw your message and it sounds like you're worried about someone. "
                "That's a lot to carry. I'm here to listen. If they might be in danger, you or they "
                "can call or text 988 any time, and in an emergency call 911.")
    opening = ("I wanted to check in and see how you're doing." if source == "worry"
               else "I saw your message and wanted to check in with you.")
    return (f"{hello} {opening} Are you thinking about suicide? I'm here to listen. "
            "If you'd like to talk to someone right now, you can call or text 988 any time.")

# Moderation actions and appeals as members and moderators read them.
MODERATION_WORDS = {
    "dismiss": "Report reviewed, nothing needed", "approve": "Held message approved",
    "hide": "A message hidden", "warn": "A private warning", "mute": "Messages paused in a group",
    "remove": "Removed from a group", "suspend": "Account paused from chat", "restore": "An earlier action undone",
}
APPEAL_WORDS = {"open": "waiting for a different moderator", "upheld": "the decision was kept",
                "overturned": "the action was undone"}
