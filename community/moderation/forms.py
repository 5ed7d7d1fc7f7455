"""Forms on the escalation page. Each field has its own name, so the forms can share one page
(and one error summary each) without prefixes; every one carries its CSRF token."""
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from community.moderation.actions import MAX_BODY, OUTCOMES
from community.profiles.forms import as_choices

_LENGTH = Length(max=MAX_BODY, message=f"Please keep this to {MAX_BODY:,} characters or fewer.")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class ActionForm(FlaskForm):
    """A button that changes something (acknowledge, follow-up done): only the CSRF token."""


class MessageForm(FlaskForm):
    message = TextAreaField(
        "Your message",
        description="Only they see it, from \"A Common Ground moderator\". Change the suggested words as you like.",
        filters=[_strip],
        validators=[DataRequired(message="Please write a message first."), _LENGTH],
        render_kw={"rows": 6},
    )


class NoteForm(FlaskForm):
    note = TextAreaField(
        "Add a note",
        description="For the moderators only; the person never sees notes.",
        filters=[_strip],
        validators=[DataRequired(message="Please write the note first."), _LENGTH],
        render_kw={"rows": 3},
    )


class ResolveForm(FlaskForm):
    outcome = SelectField(
        "How did it end?",
        description="As far as you know right now. You can add a note below.",
        choices=as_choices([("", "Choose one"), *OUTCOMES.items()]),
        validators=[DataRequired(message="Please choose how it ended.")],
    )
    resolve_note = TextAreaField(
        "A note about it (optional)",
        description="For the moderators only, like any note.",
        filters=[_strip],
        validators=[_LENGTH],
        render_kw={"rows": 3},
    )
