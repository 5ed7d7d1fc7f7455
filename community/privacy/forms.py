"""Privacy forms; CSRF comes with FlaskForm."""
from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField
from wtforms.validators import DataRequired, Length

from community.auth.passwords import MAX_LENGTH
from community.profiles.forms import as_choices

MESSAGE_CHOICES = (
    ("erase", "Remove my chat messages",
     "They disappear from your groups' chats. Other people's replies stay."),
    ("keep", "Keep them, shown as \u201cFormer member\u201d",
     "Your groups' conversations read as they did, without your name on your messages."),
)


class DeleteAccountForm(FlaskForm):
    messages = RadioField(
        "What should happen to your chat messages?",
        choices=as_choices(MESSAGE_CHOICES),
        validators=[DataRequired("Please choose what happens to your chat messages.")],
    )
    password = PasswordField(
        "Your password",
        description="So we know it's really you.",
        validators=[DataRequired("Please enter your password."),
                    Length(max=MAX_LENGTH, message=f"Passwords here are at most {MAX_LENGTH} characters.")],
    )


class ButtonForm(FlaskForm):
    """Only a CSRF token: for "Keep my account"."""
