"""Forms for the group pages. Every POST goes through a FlaskForm, so every one needs its CSRF token."""
import re

from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, ValidationError

from community.groups.options import NOT_FOR_ME
from community.models.group import MAX_GROUP_SIZE
from community.profiles.forms import KindSelectMultiple, as_choices
from community.reference import neighbourhoods

MODE_CHOICES = [("online", "Online"), ("in_person", "In person")]  # (value, label), as elsewhere
NOTE_LENGTH = 500


class ActionForm(FlaskForm):
    """A button that changes something (join, leave, preview, apply, remove): only the CSRF token."""


class NotForMeForm(FlaskForm):
    reasons = KindSelectMultiple(
        "If you'd like, tell us why (optional)",
        coerce=str,
        choices=as_choices(NOT_FOR_ME),
    )
    note = TextAreaField(
        "Anything else? (optional)",
        description="Only the Common Ground team reads this. It helps us place you better next time.",
        validators=[Length(max=NOTE_LENGTH, message=f"Please keep this to {NOTE_LENGTH} characters or fewer.")],
    )


def split_emails(text: str) -> list[str]:
    """One per line or separated by commas (or both); blanks ignored, order and case kept."""
    return [item.strip() for item in re.split(r"[,\n;]", text or "") if item.strip()]


class CreateGroupForm(FlaskForm):
    name = StringField(
        "Group name",
        validators=[
            DataRequired("Please give the group a name."),
            Length(max=80, message="Please keep the name to 80 characters or fewer."),
        ],
    )
    mode = RadioField(
        "How the group meets",
        choices=as_choices(MODE_CHOICES),
        validators=[InputRequired("Please choose whether the group meets online or in person.")],
    )
    neighbourhood = SelectField(
        "Rough area (in-person groups)",
        description="Shown to members browsing for a group. Leave empty for online groups.",
        choices=[],
        validate_choice=False,
    )
    members = TextAreaField(
        "Members' emails",
        description=f"One per line, or separated by commas. Up to {MAX_GROUP_SIZE} people; you can add more later.",
        validators=[Length(max=4000, message="That's a long list. Please shorten it.")],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        hoods = sorted(neighbourhoods().values(), key=lambda n: n.name)
        self.neighbourhood.choices = as_choices([("", "No area (online)")] + [(n.slug, n.name) for n in hoods])

    def validate_neighbourhood(self, field):
        if field.data and field.data not in neighbourhoods():
            raise ValidationError("That area isn't on our list. Please choose again.")

    def validate_members(self, field):
        emails = split_emails(field.data)
        if len(emails) > MAX_GROUP_SIZE:
            raise ValidationError(f"A group starts with at most {MAX_GROUP_SIZE} people.")


class AssignModeratorForm(FlaskForm):
    moderator_email = EmailField(
        "Email of the moderator to assign",
        validators=[
            DataRequired("Please enter the moderator's email."),
            Length(max=254, message="Email addresses can be at most 254 characters."),
            Email("That doesn't look like an email address. Could you check it?"),
        ],
    )


class AddMemberForm(FlaskForm):
    email = EmailField(
        "Email of the member to add",
        validators=[
            DataRequired("Please enter the member's email."),
            Length(max=254, message="Email addresses can be at most 254 characters."),
            Email("That doesn't look like an email address. Could you check it?"),
        ],
    )
