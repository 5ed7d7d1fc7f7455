"""Forms for activities. Dates and times are local (the community's time zone); services turn
them into UTC. Every POST carries its CSRF token."""
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional

from community.form_fields import WholeNumberField
from community.groups.forms import ActionForm  # noqa: F401 - a button with only its CSRF token, shared
from community.profiles.forms import as_choices


def _strip(value):
    return value.strip() if isinstance(value, str) else value


STEP_CHOICES = [("1", "1 · Online, text first"), ("2", "2 · Structured online activity"),
                ("3", "3 · Small in-person activity with a shared focus"), ("4", "4 · Open-ended social")]
REPEAT_CHOICES = [("", "Just this once"), ("weekly", "Every week"), ("biweekly", "Every two weeks")]
STEP_FREE_CHOICES = [("", "Not sure"), ("yes", "Yes"), ("no", "No")]


class ActivityForm(FlaskForm):
    title = StringField("Title", filters=[_strip],
                        validators=[DataRequired("Please give the activity a title."), Length(max=120)])
    focus = StringField("Shared focus", description="An interest or category, e.g. Board games.", filters=[_strip],
                        validators=[DataRequired("Please name the shared focus."), Length(max=60)])
    description = TextAreaField("What it is", filters=[_strip], validators=[Length(max=4000)], render_kw={"rows": 4})
    format = RadioField("Where", choices=as_choices([("online", "Online"), ("in_person", "In person")]),
                        validators=[DataRequired("Please choose online or in person.")])
    join_url = StringField("Join link (online)", filters=[_strip],
                           validators=[Optional(), URL(message="That doesn't look like a link."), Length(max=500)])
    venue = StringField("Venue (in person)", filters=[_strip], validators=[Length(max=120)])
    neighbourhood = StringField("Neighbourhood (in person)", filters=[_strip], validators=[Length(max=60)])
    address = StringField("Address (in person)", description="Only members who are going see it.",
                          filters=[_strip], validators=[Length(max=300)])
    day = DateField("Date", validators=[InputRequired("Please choose the date.")])
    start = TimeField("Starts at", validators=[InputRequired("Please choose the start time.")])
    end = TimeField("Ends at", validators=[InputRequired("Please choose the end time.")])
    capacity = WholeNumberField("How many people can come", default=6,
                                validators=[InputRequired("Please say how many can come."),
                                            NumberRange(min=1, max=200, message="From 1 to 200 people.")])
    comfort_step = RadioField("Comfort step it suits", choices=as_choices(STEP_CHOICES), default="2",
                              validators=[DataRequired("Please choose a comfort step.")])
    groups = SelectMultipleField("For which groups", coerce=int, choices=[],
                                 description="Hold Ctrl (or Cmd) to choose several.")
    open_to_all = BooleanField("Open to every member at this comfort step or above")
    agenda = TextAreaField("A short agenda", filters=[_strip], validators=[Length(max=4000)], render_kw={"rows": 3})
    noise = StringField("How noisy is it?", filters=[_strip], validators=[Length(max=200)])
    seating = StringField("Seating", filters=[_strip], validators=[Length(max=200)])
    step_free = SelectField("Step-free access", choices=as_choices(STEP_FREE_CHOICES), default="")
    getting_there = StringField("Parking and transit", filters=[_strip], validators=[Length(max=300)])
    arrival = StringField("How to find the group on arrival", filters=[_strip], validators=[Length(max=300)])
    repeat = SelectField("Repeats", choices=as_choices(REPEAT_CHOICES), default="")
    until = DateField("Repeat until (last date)", validators=[Optional()])
    occurrences = WholeNumberField("…or this many times", validators=[Optional(), NumberRange(min=1, max=52)])


class EditActivityForm(ActivityForm):
    """Editing changes one date; who it's for and the repeat stay as they are."""
    groups = None
    open_to_all = None
    repeat = None
    until = None
    occurrences = None


class RsvpForm(FlaskForm):
    answer = RadioField("Are you coming?", choices=as_choices([("going", "Going"), ("maybe", "Maybe"),
                                                                ("not_going", "Can't go")]),
                        validators=[DataRequired("Please choose an answer.")])


class CancelForm(FlaskForm):
    reason = StringField("A short reason for those who said they'd come (optional)", filters=[_strip],
                         validators=[Length(max=300)])


class AttendanceForm(FlaskForm):
    came = SelectMultipleField("Who came", coerce=int, choices=[])
