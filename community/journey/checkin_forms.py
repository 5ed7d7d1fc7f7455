"""Forms for the monthly check-in, "I'd like to talk to someone", taking a check-in back, and
choosing what goes into the printable summary. Every POST carries its CSRF token."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from community.journey.checkins import NOTE_LENGTH
from community.journey.scoring import (
    FREQUENCY_CHOICES,
    GROUP_CONNECTION_CHOICES,
    GROUP_CONNECTION_QUESTION,
    LONELINESS_ITEMS,
    MOOD_CHOICES,
    MOOD_QUESTION,
    CheckInAnswers,
)
from community.profiles.forms import as_choices

OWN_WORDS_LENGTH = 2000
ANSWER_THIS = "Please choose the answer closest to how it's been. There's no right or wrong one."


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _frequency(question: str) -> RadioField:
    return RadioField(question, coerce=int, choices=as_choices(FREQUENCY_CHOICES), validators=[InputRequired(ANSWER_THIS)])


class CheckInForm(FlaskForm):
    lack_company = _frequency(LONELINESS_ITEMS[0][1])
    left_out = _frequency(LONELINESS_ITEMS[1][1])
    isolated = _frequency(LONELINESS_ITEMS[2][1])
    group_connection = RadioField(GROUP_CONNECTION_QUESTION, coerce=int, choices=as_choices(GROUP_CONNECTION_CHOICES),
                                  validators=[Optional()])
    mood = RadioField(MOOD_QUESTION, coerce=int, choices=as_choices(MOOD_CHOICES), validators=[Optional()])
    note = TextAreaField(
        "A note for yourself (optional)",
        description="In your own words, anything about this month. Only you see this; you can put it in "
                    "your summary if you'd like to.",
        filters=[_strip], render_kw={"rows": 4},
        validators=[Length(max=NOTE_LENGTH, message=f"Please keep your note to {NOTE_LENGTH} characters or fewer.")],
    )

    FREQUENCY_FIELDS = tuple(key for key, _ in LONELINESS_ITEMS)

    def answers(self) -> CheckInAnswers:
        """The validated answers (call after validate_on_submit)."""
        return CheckInAnswers(lack_company=self.lack_company.data, left_out=self.left_out.data,
                              isolated=self.isolated.data, group_connection=self.group_connection.data,
                              mood=self.mood.data)


class ActionForm(FlaskForm):
    """A button with only its CSRF token: take a check-in back, ask to talk."""


class SummaryForm(FlaskForm):
    steps = BooleanField("Your comfort step and how it has moved", default=True)
    activities = BooleanField("Activities you went to, and your time in groups", default=True)
    check_ins = BooleanField("Your check-ins (the chart and the numbers)", default=True)
    notes = BooleanField("The notes you wrote with your check-ins", default=False)
    own_words = TextAreaField(
        "In your own words (optional)",
        description="Anything you'd like the person reading it to know: what has been hard, what has helped, "
                    "what you'd like to talk about. It's not saved anywhere.",
        filters=[_strip], render_kw={"rows": 5},
        validators=[Length(max=OWN_WORDS_LENGTH,
                           message=f"Please keep this to {OWN_WORDS_LENGTH} characters or fewer.")],
    )
