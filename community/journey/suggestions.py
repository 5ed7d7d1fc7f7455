"""One suggested next step for a member's journey page. Pure: no Flask, no database; progress.py
builds the SuggestionInput from the database, and links arrive already made.

How the one suggestion is chosen, in this order:
1. Not in a group yet: finding one comes first (browse open groups, or wait for matching).
2. Never posted in their group's chat: a tiny hello, whatever else is true. It is the lowest
   threshold there is, and every later step is easier once the group knows their name.
3. The barriers they told us about (private), the first one in BARRIER_ORDER decides:
   - anxiety_freezes: a lower-threat setting. An activity below their step (the lowest first,
     then the soonest); at step 1, or with none below, replying once in the text chat.
   - misread: explicit norms and text first. An activity with a written "what to expect"; else
     sharing their communication note with the group; else the text chat, where wording can be
     thought over.
   - unwritten_rules: a conversation-practice prompt for the chat.
   - keep_distance: low-pressure repeated contact. The same group's activity they went to before,
     on again; else one short message to the same people.
4. No barriers: the natural next rung at their own step: the soonest activity at their step
   (or, failing that, below it); at step 1, keeping the chat going; at steps 2 to 4 with nothing
   scheduled, suggesting something in the chat.

Never above their step: `upcoming` should hold only activities at or below it, and anything above
is dropped here too, so a mistake upstream can't push anyone.
"""
from dataclasses import dataclass, field

# Why this order: anxiety can override skills a person has, so a lower-threat setting comes before
# anything that asks more of them; being misread is next, because clear norms make any setting
# safer; practice prompts help most once the setting feels safe; repeated contact is the slow,
# steady part that suits every other step as well.
BARRIER_ORDER = ("anxiety_freezes", "misread", "unwritten_rules", "keep_distance")

PRACTICE_PROMPT = ("Try this in your group chat: ask one person about something they mentioned, "
                   "then share a small thing about yourself on the same topic. Asking back is the "
                   "whole trick, and a short question is plenty.")


@dataclass(frozen=True)
class ActivityOption:
    """An upcoming activity of one of the member's groups that they haven't answered yet."""
    title: str
    link: str
    comfort_step: int
    when: str  # "Thursday, March 12, 7:00 PM", in the community's time
    online: bool = True
    has_expectations: bool = False  # a written plan or "what to expect"
    familiar: bool = False  # the same group's repeating activity they went to before


@dataclass(frozen=True)
class SuggestionInput:
    step: int
    barriers: tuple[str, ...] = ()
    has_posted: bool = False
    group_name: str | None = None  # their first group; None when not in one
    chat_link: str | None = None
    browse_link: str = "/groups/browse"
    sharing_link: str = "/welcome/sharing?from=profile"
    shared_note: bool = False  # they've told their group how they communicate
    upcoming: tuple[ActivityOption, ...] = field(default_factory=tuple)  # soonest first


@dataclass(frozen=True)
class Suggestion:
    kind: str
    text: str
    link_label: str | None = None
    link: str | None = None


def suggest(facts: SuggestionInput) -> Suggestion:
    """The one next step that fits this member now (see the module docstring for the order)."""
    if facts.group_name is None or facts.chat_link is None:
        return Suggestion(
            "find_group",
            "A small group is the place to start. We'll match you with one, or you can look at "
            "groups with a free seat and join one that fits.",
            "Browse groups with open seats", facts.browse_link)
    if not facts.has_posted:
        return Suggestion(
            "first_hello",
            f"Say a short hello in the {facts.group_name} chat. One line is plenty, for example your "
            "name and one thing you enjoy. Nobody expects more.",
            "Open your group chat", facts.chat_link)
    options = tuple(o for o in facts.upcoming if o.comfort_step <= facts.step)
    barrier = next((b for b in BARRIER_ORDER if b in facts.barriers), None)
    rule = _BARRIER_RULES.get(barrier, _natural_next_rung)
    return rule(facts, options)


def _activity(kind: str, option: ActivityOption, text: str) -> Suggestion:
    return Suggestion(kind, text, f"See {option.title}", option.link)


def _lower_threat(facts: SuggestionInput, options: tuple[ActivityOption, ...]) -> Suggestion:
    lower = sorted((o for o in options if o.comfort_step < facts.step), key=lambda o: o.comfort_step)
    if lower:
        option = lower[0]  # sorted() is stable, so the soonest of the lowest step
        return _activity(
            "lower_threat_activity", option,
            f"{option.title} ({option.when}) is a gentler setting than your step: a good place to "
            "be with people without much pressure. You can leave early, and saying little is fine.")
    return Suggestion(
        "lower_threat_chat",
        f"Stay with the text chat in {facts.group_name} for now: reply to one message, whenever "
        "you like. Text lets you take your time, and that counts as a real step.",
        "Open your group chat", facts.chat_link)


def _explicit_norms(facts: SuggestionInput, options: tuple[ActivityOption, ...]) -> Suggestion:
    written = [o for o in options if o.has_expectations]
    if written:
        option = written[0]
        return _activity(
            "clear_norms_activity", option,
            f"{option.title} ({option.when}) has a written plan of what to expect, so you know "
            "how it will go before you arrive. You can read it first and decide then.")
    if not facts.shared_note:
        return Suggestion(
            "share_note",
            "Add a short note for your group on how you like to communicate, for example that "
            "you like direct wording or take a while to reply. It helps people read you the way "
            "you mean it.",
            "Write your note", facts.sharing_link)
    return Suggestion(
        "text_first",
        f"Text first is always an option: in the {facts.group_name} chat you can take your time "
        "over how you put things, and ask what someone meant if it's unclear.",
        "Open your group chat", facts.chat_link)


def _practice(facts: SuggestionInput, options: tuple[ActivityOption, ...]) -> Suggestion:
    return Suggestion("practice_prompt", PRACTICE_PROMPT, "Open your group chat", facts.chat_link)


def _repeated_contact(facts: SuggestionInput, options: tuple[ActivityOption, ...]) -> Suggestion:
    familiar = [o for o in options if o.familiar]
    if familiar:
        option = familiar[0]
        return _activity(
            "repeat_activity", option,
            f"{option.title} is on again ({option.when}), with the same group. Going back to "
            "the same people, without any pressure to open up, is how closeness grows.")
    return Suggestion(
        "one_message",
        f"Send one short message to {facts.group_name}: a reply to something someone said is "
        "enough. Small, regular contact with the same people is what matters, not long talks.",
        "Open your group chat", facts.chat_link)


def _natural_next_rung(facts: SuggestionInput, options: tuple[ActivityOption, ...]) -> Suggestion:
    at_step = [o for o in options if o.comfort_step == facts.step]
    option = (at_step or list(options) or [None])[0]
    if option is not None:
        return _activity(
            "activity", option,
            f"{option.title} ({option.when}) fits where you are. Coming along is the whole task; "
            "you can say as little as you like.")
    if facts.step == 1:
        return Suggestion(
            "keep_chatting",
            f"Keep the chat going in {facts.group_name}: reply to someone, or ask how their week "
            "went. A few messages a week is a good rhythm.",
            "Open your group chat", facts.chat_link)
    return Suggestion(
        "suggest_activity",
        f"Nothing is scheduled for {facts.group_name} at your step yet. You could suggest "
        "something in the chat: a time that suits you and an idea is all it takes.",
        "Open your group chat", facts.chat_link)


_BARRIER_RULES = {
    "anxiety_freezes": _lower_threat,
    "misread": _explicit_norms,
    "unwritten_rules": _practice,
    "keep_distance": _repeated_contact,
}
