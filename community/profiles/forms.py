"""One small form per onboarding step; the profile page reuses them for editing."""
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from community.profiles.options import BARRIERS, COMFORT_STEPS, COMMUNICATION_PREFERENCES, FORMAT_CHOICES
from community.reference import SLOT_COUNT, neighbourhoods, slot_label, taxonomy

ONLINE_ONLY = "online"
MAX_OWN_INTERESTS = 10
MAX_OWN_INTEREST_LENGTH = 40


def as_choices(pairs) -> list[SelectChoice]:
    """WTForms wants SelectChoice objects; our option lists are (value, label, ...) tuples."""
    return [SelectChoice(value, label) for value, label, *_ in pairs]


class KindSelectMultiple(SelectMultipleField):
    """A multi-choice field whose error for a forged value is readable, not technical."""

    invalid_message = "One of those choices isn't on our list. Please choose again."

    def process_formdata(self, valuelist):
        try:
            self.data = [self.coerce(value) for value in valuelist]
        except (ValueError, TypeError):
            self.data = []
            raise ValueError(self.invalid_message) from None

    def pre_validate(self, form):
        known = {str(choice.value) for choice in self.choices}
        if any(str(value) not in known for value in self.data or []):
            raise ValidationError(self.invalid_message)


class InterestsForm(FlaskForm):
    interests = KindSelectMultiple("Interests", coerce=str, choices=[])
    own_interests = StringField(
        "Anything else you enjoy?",
        description="Separate with commas, e.g. 'sourdough, Studio Ghibli films'.",
        validators=[Length(max=600, message="That's a lot! Please keep this list shorter.")],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.interests.choices = as_choices((i.slug, i.name) for i in taxonomy().interests.values())

    def own_interest_list(self) -> list[str]:
        items = [" ".join(part.split()) for part in (self.own_interests.data or "").split(",")]
        return [item for item in items if item]

    def validate_own_interests(self, field):
        items = self.own_interest_list()
        if len(items) > MAX_OWN_INTERESTS:
            raise ValidationError(f"Please list up to {MAX_OWN_INTERESTS} of your own; you can change them any time.")
        if any(len(item) > MAX_OWN_INTEREST_LENGTH for item in items):
            raise ValidationError(f"Please keep each one to {MAX_OWN_INTEREST_LENGTH} characters.")

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if ok and not self.interests.data and not self.own_interest_list():
            self.interests.errors.append("Please pick at least one thing you'd enjoy doing with others.")
            return False
        return ok


class WhereForm(FlaskForm):
    neighbourhood = SelectField(
        "Your neighbourhood or nearest town",
        description="Only the neighbourhood is used, never an address. Choose 'Online only' if you'd rather not meet in person.",
        validators=[InputRequired("Please choose a neighbourhood, or 'Online only'.")],
        validate_choice=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.neighbourhood.choices = as_choices(
            [("", "Choose one…"), (ONLINE_ONLY, "Online only")]
            + [(n.slug, n.name) for n in neighbourhoods().values()]
        )

    def validate_neighbourhood(self, field):
        if field.data != ONLINE_ONLY and field.data not in neighbourhoods():
            raise ValidationError("We don't know that neighbourhood. Please pick one from the list, or 'Online only'.")


class WhenForm(FlaskForm):
    slots = KindSelectMultiple(
        "Times that usually work for you",
        coerce=int,
        choices=as_choices((slot, slot_label(slot)) for slot in range(SLOT_COUNT)),
    )

    def validate_slots(self, field):
        if not field.data:
            raise ValidationError("Please pick at least one time. More times make it easier to find a group.")


class PaceForm(FlaskForm):
    format_preference = RadioField(
        "How would you like to meet?",
        choices=as_choices(FORMAT_CHOICES),
        validators=[InputRequired("Please choose how you'd like to meet.")],
    )
    comfort_step = RadioField(
        "Where would you like to start?",
        coerce=int,
        choices=as_choices(COMFORT_STEPS),
        validators=[InputRequired("Please choose a starting step. You can change it any time.")],
    )

    def __init__(self, *args, online_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.online_only = online_only

    def validate_format_preference(self, field):
        if self.online_only and field.data == "in_person":
            raise ValidationError(
                "You chose 'Online only' for where you are, so in-person meetups won't fit yet. "
                "Choose Online or Either, or change where you are."
            )


class PrivateForm(FlaskForm):
    barriers = KindSelectMultiple("What makes connecting hard for you?", coerce=str, choices=as_choices(BARRIERS))


class SharingForm(FlaskForm):
    communication_prefs = KindSelectMultiple(
        "How you like to communicate", coerce=str, choices=as_choices(COMMUNICATION_PREFERENCES)
    )
    communication_note = TextAreaField(
        "Anything else your group should know? (optional)",
        description="For example: 'I'm new to the city' or 'I'm better at listening than talking at first'.",
        validators=[Length(max=280, message="Please keep this to 280 characters.")],
    )


class ConsentForm(FlaskForm):
    understood = BooleanField(
        "I understand that Common Ground is a peer community, not therapy or a crisis service.",
        validators=[DataRequired("Please tick the box to continue.")],
    )
