"""The monthly check-in's questions and how its answers are scored. Pure: no Flask, no database.

Loneliness is measured with the three-item UCLA Loneliness Scale (Hughes, Waite, Hawkley and
Cacioppo, 2004): three questions answered "hardly ever" (1), "some of the time" (2) or "often" (3),
added up to a total from 3 (least lonely) to 9 (most). Two more questions are ours: how connected
the member felt to their group (1-5) and how their mood has been (1-3). Every answer is optional
as a whole (the check-in is never required), but a loneliness total needs all three items.
"""
from dataclasses import dataclass

LONELINESS_ITEMS = (
    ("lack_company", "How often do you feel that you lack companionship?"),
    ("left_out", "How often do you feel left out?"),
    ("isolated", "How often do you feel isolated from others?"),
)
FREQUENCY_CHOICES = ((1, "Hardly ever"), (2, "Some of the time"), (3, "Often"))
GROUP_CONNECTION_QUESTION = "How connected did you feel to your group this month?"
GROUP_CONNECTION_CHOICES = ((1, "Not at all"), (2, "A little"), (3, "Somewhat"), (4, "Quite connected"),
                            (5, "Very connected"))
MOOD_QUESTION = "How has your mood been, mostly, over the past two weeks?"
MOOD_CHOICES = ((1, "Low"), (2, "Up and down"), (3, "Mostly okay"))

LOWEST, HIGHEST = 3, 9
# At or above this total, together with a low mood, the member is shown the resources page gently.
# Studies using this scale commonly count 6 or more as lonely; 7 keeps the gentle page for those
# answering "often" to at least one question and "some of the time" to the others.
HIGH_LONELINESS = 7
LOW_MOOD = 1


@dataclass(frozen=True)
class CheckInAnswers:
    lack_company: int
    left_out: int
    isolated: int
    group_connection: int | None = None
    mood: int | None = None

    def __post_init__(self):
        for key, _ in LONELINESS_ITEMS:
            if getattr(self, key) not in (1, 2, 3):
                raise ValueError(f"{key} must be 1, 2 or 3")
        if self.group_connection is not None and self.group_connection not in range(1, 6):
            raise ValueError("group_connection must be 1 to 5")
        if self.mood is not None and self.mood not in (1, 2, 3):
            raise ValueError("mood must be 1, 2 or 3")

    @classmethod
    def from_dict(cls, data: dict) -> "CheckInAnswers":
        return cls(**{key: data.get(key) for key in cls.__dataclass_fields__})

    def as_dict(self) -> dict:
        return {key: getattr(self, key) for key in self.__dataclass_fields__}

    @property
    def loneliness(self) -> int:
        """The UCLA-3 total, 3 to 9."""
        return self.lack_company + self.left_out + self.isolated


def loneliness_score(answers: dict) -> int:
    """The 3-9 total of a stored answers dict (raises ValueError if an item is missing or wrong)."""
    return CheckInAnswers.from_dict(answers).loneliness


def suggests_resources(answers: CheckInAnswers) -> bool:
    """High loneliness together with a low mood: show the resources page, gently. Nobody is told."""
    return answers.loneliness >= HIGH_LONELINESS and answers.mood == LOW_MOOD
