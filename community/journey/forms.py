"""Forms on the journey page: moving one's own step, and turning reciprocity tips on or off.
Every POST carries its CSRF token; a forged value is a kind message and a 400, never a change."""
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.validators import ValidationError

from community.profiles.forms import as_choices
from community.profiles.options import COMFORT_STEPS

MOVES = ("up", "down")
TIPS_CHOICES = ("on", "off")


class StepForm(FlaskForm):
    """Either a chosen step (the radio buttons) or one step up or down (the buttons' `move`)."""

    step = RadioField("Where would you like to be on the ladder?", validate_choice=False,
                      choices=as_choices([(str(n), f"Step {n}: {label}") for n, label, _ in COMFORT_STEPS]))
    move = StringField("Move")

    def validate_step(self, field):
        if field.data and field.data not in {str(n) for n, _, _ in COMFORT_STEPS}:
            raise ValidationError("Please choose a step from 1 to 4.")

    def validate_move(self, field):
        if field.data and field.data not in MOVES:
            raise ValidationError("Please use the 'one step up' or 'one step down' button.")
        if not field.data and not self.step.data:
            raise ValidationError("Please choose a step, or use the 'one step up' or 'one step down' button.")


class TipsForm(FlaskForm):
    tips = StringField("Tips")

    def validate_tips(self, field):
        if field.data not in TIPS_CHOICES:
            raise ValidationError("Please use the button to turn tips on or off.")
