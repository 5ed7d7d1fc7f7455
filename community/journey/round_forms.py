"""Forms for question rounds and their weekly schedule. Every POST carries its CSRF token; the
buttons that only act (pass, end, agree, withdraw) are the shared ActionForm."""
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from community.groups.forms import ActionForm  # noqa: F401 - a button with only its CSRF token, shared
from community.journey.round_schedule import WEEKDAYS, hour_label
from community.journey.rounds import MAX_QUESTION
from community.profiles.forms import as_choices

WEEKDAY_CHOICES = as_choices((str(n), name) for n, name in enumerate(WEEKDAYS))
HOUR_CHOICES = as_choices((str(h), hour_label(h)) for h in range(24))


def _strip(value):
    return " ".join(value.split()) if isinstance(value, str) else value


class StartRoundForm(FlaskForm):
    question = TextAreaField(
        "The question", filters=[_strip], render_kw={"rows": 3, "maxlength": MAX_QUESTION},
        description="One open, light question works best. Everyone may answer or pass.",
        validators=[DataRequired("Please write the question for the round."),
                    Length(max=MAX_QUESTION, message=f"Please keep the question to {MAX_QUESTION} characters or fewer.")])


class ScheduleForm(FlaskForm):
    weekday = SelectField("Day", choices=WEEKDAY_CHOICES, default="0",
                          validators=[InputRequired("Please choose a day.")])
    hour = SelectField("Time", choices=HOUR_CHOICES, default="19", description="In the community's time zone.",
                       validators=[InputRequired("Please choose a time.")])
